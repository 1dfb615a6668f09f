//! The batch-wide view: each department's projects reduced to what the batch-wide rules need
//! (code, name, 预算数, where the table sits), its budget lines and 部门整体 table; and the
//! reconciliation of projects with budget lines (by 项目编码, falling back to the exact name
//! when a code is missing).
//!
//! Pure functions over plain data. The rules JX403 and JX501–JX504 and the roll-up's 预算对账
//! read this one view, so they can never disagree; a streamed `check` fills it file by file at
//! a few hundred bytes per project, so memory stays flat however long the batch.

pub mod overall;
pub mod texts;

use crate::model::text::label_key;
use crate::model::{
    find_department, BudgetLine, CellRef, Evaluation, Model, OverallTable, Project, Unit,
    WorkbookContents,
};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;
use texts::Texts;

/// Where a project table sits: file and sheet (shared by the tables of a file), and the cells
/// the batch-wide findings point at.
#[derive(Debug, Clone, PartialEq)]
pub struct TableAt {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    pub sheet_index: u32,
    /// The table's first cell: with file and sheet, the table's identity.
    pub table: CellRef,
    pub code_cell: Option<CellRef>,
    pub name_cell: Option<CellRef>,
    pub total_cell: Option<CellRef>,
}

/// A project as the batch-wide rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRef {
    pub code: Box<str>,
    pub name: Box<str>,
    pub total: Option<Decimal>,
    pub at: TableAt,
}

impl ProjectRef {
    fn of(p: &Project, file: &Arc<str>, sheet: &Arc<str>) -> ProjectRef {
        let c = &p.source.cells;
        ProjectRef {
            code: p.code.as_str().into(),
            name: p.name.as_str().into(),
            total: p.budget.total,
            at: TableAt {
                file: file.clone(),
                sheet: sheet.clone(),
                sheet_index: p.source.sheet_index as u32,
                table: p.source.range.start,
                code_cell: c.code,
                name_cell: c.name,
                total_cell: c.total,
            },
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DepartmentView {
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub projects: Vec<ProjectRef>,
    pub budget_lines: Vec<BudgetLine>,
    pub overall: Option<OverallTable>,
    /// The texts of its projects (JX219): which are used by more than one, where each first
    /// appears and which projects use it.
    pub texts: Texts,
    /// Its 自评表, without their goals and computed scores (JX605, JX608 pair them with the
    /// projects).
    pub evaluations: Vec<Evaluation>,
    /// Its projects' indicators' 三级指标 and 指标值 ([`Project::measures`]), by index in
    /// `projects`, for JX507 and JX605. A streamed check keeps only those of the projects a
    /// 部门整体 item or a 自评表 is paired with ([`BatchView::needing_measures`]): a few hundred
    /// bytes a project, most never needed.
    pub measures: HashMap<usize, Box<str>>,
}

impl DepartmentView {
    /// The measures of project `index`, when kept.
    pub fn measures_of(&self, index: usize) -> Option<&str> {
        self.measures.get(&index).map(|m| &**m)
    }

    /// Notes that project `index` uses these texts.
    fn add_texts(&mut self, index: usize, texts: &[crate::model::ProjectText]) {
        let projects = &self.projects;
        self.texts.add(index, texts, |k| identity(&projects[k]));
    }
}

/// What tells two projects apart for JX219: the 项目编码, else the name.
fn identity(p: &ProjectRef) -> &str {
    if p.code.is_empty() {
        &p.name
    } else {
        &p.code
    }
}

/// The whole batch as the batch-wide rules see it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchView {
    pub departments: Vec<DepartmentView>,
    /// Budget lines and 部门整体 tables wait for the end: a table without a unit line joins
    /// the only department there is, which is known only when every project is in.
    pending: Vec<(Unit, Pending)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Pending {
    Line(BudgetLine),
    Overall(OverallTable),
    Evaluation(Box<Evaluation>),
}

/// Shares one `Arc<str>` per distinct text of a file (its path, its sheet names).
/// Pushes onto a list that grows for the whole batch by a quarter at a time, not double: a
/// streamed batch's views are most of its memory, and doubling leaves up to half of a list
/// unused (and, while it moves, the old list and one twice its size both held).
pub(crate) fn push_gently<T>(list: &mut Vec<T>, item: T) {
    if list.len() == list.capacity() {
        list.reserve_exact(list.len() / 4 + 16);
    }
    list.push(item);
}

/// One shared copy of each file and sheet name (a model's view names thousands of files: a
/// lookup, not a search through every name seen).
fn shared(cache: &mut HashMap<String, Arc<str>>, text: &str) -> Arc<str> {
    if let Some(found) = cache.get(text) {
        return found.clone();
    }
    let new: Arc<str> = Arc::from(text);
    cache.insert(text.to_string(), new.clone());
    new
}

impl BatchView {
    /// The view of a whole model (what `check` on a model and `convert` use), with each
    /// department's texts for JX219.
    pub fn of(model: &Model) -> BatchView {
        BatchView::of_model(model)
    }

    /// A view without texts, of the departments' budget lines, 部门整体 tables and 自评表, with
    /// no project yet: the projects the roll-up's 部门整体 sheet shows are added one at a time
    /// ([`BatchView::add_amounts`]), as the batch's projects are read back.
    pub fn amounts_of_departments(model: &Model) -> BatchView {
        let departments = model
            .departments
            .iter()
            .map(|d| DepartmentView {
                unit_code: d.unit_code.clone(),
                unit_name: d.unit_name.clone(),
                projects: Vec::new(),
                budget_lines: d.budget_lines.clone(),
                overall: d.overall.clone(),
                texts: Default::default(),
                evaluations: d.evaluations.iter().map(Evaluation::compact).collect(),
                measures: HashMap::new(),
            })
            .collect();
        BatchView {
            departments,
            ..BatchView::default()
        }
    }

    /// Adds a project of department `d` to an amounts view (no measures: what the roll-up
    /// shows of it needs none).
    pub fn add_amounts(&mut self, d: usize, p: &Project) {
        let Some(dept) = self.departments.get_mut(d) else {
            return;
        };
        // Projects come file by file: the file and sheet names are shared with the last one.
        let last = dept
            .projects
            .last()
            .map(|r| (r.at.file.clone(), r.at.sheet.clone()));
        let (file, sheet) = match last {
            Some((f, s)) if *f == *p.source.file && *s == *p.source.sheet => (f, s),
            Some((f, _)) if *f == *p.source.file => (f, Arc::from(p.source.sheet.as_str())),
            _ => (
                Arc::from(p.source.file.as_str()),
                Arc::from(p.source.sheet.as_str()),
            ),
        };
        push_gently(&mut dept.projects, ProjectRef::of(p, &file, &sheet));
    }

    fn of_model(model: &Model) -> BatchView {
        let mut view = BatchView::default();
        let mut texts = HashMap::new();
        for d in &model.departments {
            let projects = d
                .projects
                .iter()
                .map(|p| {
                    let (file, sheet) = (
                        shared(&mut texts, &p.source.file),
                        shared(&mut texts, &p.source.sheet),
                    );
                    ProjectRef::of(p, &file, &sheet)
                })
                .collect();
            let mut dept = DepartmentView {
                unit_code: d.unit_code.clone(),
                unit_name: d.unit_name.clone(),
                projects,
                budget_lines: d.budget_lines.clone(),
                overall: d.overall.clone(),
                texts: Default::default(),
                evaluations: d.evaluations.iter().map(Evaluation::compact).collect(),
                measures: d
                    .projects
                    .iter()
                    .map(Project::measures)
                    .enumerate()
                    .collect(),
            };
            for (k, p) in d.projects.iter().enumerate() {
                dept.add_texts(k, &p.boilerplate_texts());
            }
            view.departments.push(dept);
        }
        view
    }

    fn department_mut(&mut self, unit: &Unit) -> (usize, &mut DepartmentView) {
        let units = self
            .departments
            .iter()
            .map(|d| (d.unit_code.as_deref(), d.unit_name.as_deref()));
        let index = find_department(units, unit).unwrap_or_else(|| {
            self.departments.push(DepartmentView {
                unit_code: unit.code.clone(),
                unit_name: unit.name.clone(),
                ..DepartmentView::default()
            });
            self.departments.len() - 1
        });
        (index, &mut self.departments[index])
    }

    /// Adds one file's tables (in input order); returns where its projects went, as
    /// (department, index) pairs in the order of `contents.projects`.
    pub fn add_file(&mut self, contents: &WorkbookContents) -> Vec<(usize, usize)> {
        let mut texts = HashMap::new();
        let mut placed = Vec::with_capacity(contents.projects.len());
        for (unit, p) in &contents.projects {
            let (file, sheet) = (
                shared(&mut texts, &p.source.file),
                shared(&mut texts, &p.source.sheet),
            );
            // A compact project keeps its texts beside it; a whole one has them in itself. A
            // compact one has no indicators left to measure.
            let k = placed.len();
            let (d, dept) = self.department_mut(unit);
            push_gently(&mut dept.projects, ProjectRef::of(p, &file, &sheet));
            let index = dept.projects.len() - 1;
            if !p.indicators.is_empty() {
                dept.measures.insert(index, p.measures());
            }
            match contents.texts.get(k) {
                Some(texts) => dept.add_texts(index, texts),
                None => dept.add_texts(index, &p.boilerplate_texts()),
            }
            placed.push((d, index));
        }
        for (unit, line) in &contents.budget_lines {
            self.pending
                .push((unit.clone(), Pending::Line(line.clone())));
        }
        for (unit, table) in &contents.overall {
            let table = OverallTable {
                indicators: Vec::new(),
                goals: Vec::new(),
                ..table.clone()
            };
            self.pending.push((unit.clone(), Pending::Overall(table)));
        }
        for (unit, e) in &contents.evaluations {
            self.pending
                .push((unit.clone(), Pending::Evaluation(Box::new(e.compact()))));
        }
        placed
    }

    /// Places the budget lines and 部门整体 tables once every project is in.
    pub fn finish(&mut self) {
        for (unit, item) in std::mem::take(&mut self.pending) {
            let (_, dept) = self.department_mut(&unit);
            match item {
                Pending::Line(line) => dept.budget_lines.push(line),
                Pending::Overall(table) => match &mut dept.overall {
                    Some(o) => o.merge(table),
                    None => dept.overall = Some(table),
                },
                Pending::Evaluation(e) => dept.evaluations.push(*e),
            }
        }
    }

    /// Replaces every department's budget lines with these (`--budget FILE`).
    pub fn replace_budget_lines(&mut self, lines: Vec<(Unit, BudgetLine)>) {
        for dept in &mut self.departments {
            dept.budget_lines.clear();
        }
        for (unit, line) in lines {
            self.department_mut(&unit).1.budget_lines.push(line);
        }
    }

    /// The projects (department, index) whose measures JX507 and JX605 compare and the view
    /// does not hold: those a 部门整体 item matches, and those a 自评表 is paired with.
    pub fn needing_measures(&self) -> Vec<(usize, usize)> {
        let mut out = std::collections::BTreeSet::new();
        for (d, dept) in self.departments.iter().enumerate() {
            for tables in overall::match_items(dept) {
                out.extend(tables.into_iter().map(|p| (d, p)));
            }
        }
        let mut evaluations = self
            .departments
            .iter()
            .flat_map(|d| &d.evaluations)
            .peekable();
        // The pairing's index is built only for a batch with 自评表.
        if evaluations.peek().is_some() {
            let pairs = Pairing::of(self);
            out.extend(evaluations.filter_map(|e| pairs.place(e)));
        }
        out.into_iter()
            .filter(|&(d, p)| self.departments[d].measures_of(p).is_none())
            .collect()
    }

    pub fn project_count(&self) -> usize {
        self.departments.iter().map(|d| d.projects.len()).sum()
    }
}

/// The batch's projects by 项目编码 and by name (the first of each), to pair 自评表 with.
pub struct Pairing<'v> {
    by_code: HashMap<&'v str, (usize, usize)>,
    by_name: HashMap<String, (usize, usize)>,
}

impl<'v> Pairing<'v> {
    pub fn of(view: &'v BatchView) -> Pairing<'v> {
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        for (d, dept) in view.departments.iter().enumerate() {
            for (k, p) in dept.projects.iter().enumerate() {
                if !p.code.trim().is_empty() {
                    by_code.entry(p.code.trim()).or_insert((d, k));
                }
                by_name.entry(label_key(&p.name)).or_insert((d, k));
            }
        }
        Pairing { by_code, by_name }
    }

    /// The project of a 自评表: by 项目编码, else by name, anywhere in the batch.
    pub fn project<'a>(&self, view: &'a BatchView, e: &Evaluation) -> Option<&'a ProjectRef> {
        self.place(e).map(|(d, p)| &view.departments[d].projects[p])
    }

    /// Where the project of `e` is: (department, index).
    pub fn place(&self, e: &Evaluation) -> Option<(usize, usize)> {
        self.by_code
            .get(e.code.trim())
            .or_else(|| self.by_name.get(&label_key(&e.name)))
            .copied()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

/// One row of the reconciliation: a project table, its budget line, or both.
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    pub project: Option<&'a ProjectRef>,
    pub line: Option<&'a BudgetLine>,
}

impl Pair<'_> {
    /// 绩效表预算数 − 部门预算数, when both are known.
    pub fn difference(&self) -> Option<Decimal> {
        Some(self.project?.total? - self.line?.total?)
    }
}

/// Pairs a department's projects with its budget lines, in project order, then the lines no
/// table claimed (see [`LinePairer`]).
pub fn pairs(dept: &DepartmentView) -> Vec<Pair<'_>> {
    let mut pairer = LinePairer::new(&dept.budget_lines);
    let mut out = Vec::with_capacity(dept.projects.len() + dept.budget_lines.len());
    for project in &dept.projects {
        out.push(Pair {
            project: Some(project),
            line: pairer.take(&project.code, &project.name),
        });
    }
    out.extend(pairer.unused().map(|line| Pair {
        project: None,
        line: Some(line),
    }));
    out
}

/// Pairs a department's projects, one at a time in project order, with its budget lines. A
/// line is used once: a second table with the same code stays unpaired. A project takes the
/// first unused line with its code, else (when it or the line has no code) the first unused
/// line of the same name. Lines are looked up by code and name, not searched: a department of
/// thousands of projects and lines pairs in linear time, and the projects need not be held
/// (the roll-up's 预算对账 pairs them as they are read back).
pub struct LinePairer<'l> {
    lines: &'l [BudgetLine],
    used: Vec<bool>,
    // Line indices in order, by code; by name for every line and for the lines with no code.
    by_code: HashMap<&'l str, Queue>,
    by_name: HashMap<String, Queue>,
    codeless_by_name: HashMap<String, Queue>,
}

impl<'l> LinePairer<'l> {
    pub fn new(lines: &'l [BudgetLine]) -> LinePairer<'l> {
        let mut pairer = LinePairer {
            lines,
            used: vec![false; lines.len()],
            by_code: HashMap::new(),
            by_name: HashMap::new(),
            codeless_by_name: HashMap::new(),
        };
        for (i, l) in lines.iter().enumerate() {
            if !l.code.is_empty() {
                pairer.by_code.entry(l.code.as_str()).or_default().push(i);
            }
            if !l.name.trim().is_empty() {
                let key = label_key(&l.name);
                if l.code.is_empty() {
                    pairer
                        .codeless_by_name
                        .entry(key.clone())
                        .or_default()
                        .push(i);
                }
                pairer.by_name.entry(key).or_default().push(i);
            }
        }
        pairer
    }

    /// The line the next project (its 项目编码 and name) takes, if any.
    pub fn take(&mut self, code: &str, name: &str) -> Option<&'l BudgetLine> {
        if self.lines.is_empty() {
            return None;
        }
        let used = &self.used;
        let mut found = None;
        if !code.is_empty() {
            found = self
                .by_code
                .get_mut(code)
                .and_then(|q| q.first_unused(used));
        }
        if found.is_none() {
            let names = if code.is_empty() {
                &mut self.by_name
            } else {
                &mut self.codeless_by_name
            };
            found = names
                .get_mut(&label_key(name))
                .and_then(|q| q.first_unused(used));
        }
        let i = found?;
        self.used[i] = true;
        Some(&self.lines[i])
    }

    /// The lines no project took, in order.
    pub fn unused(&self) -> impl Iterator<Item = &'l BudgetLine> + '_ {
        self.lines
            .iter()
            .zip(&self.used)
            .filter(|(_, u)| !**u)
            .map(|(line, _)| line)
    }
}

/// Line indices in order, and how many at the front are known to be used.
#[derive(Default)]
struct Queue {
    lines: Vec<usize>,
    skip: usize,
}

impl Queue {
    fn push(&mut self, line: usize) {
        self.lines.push(line);
    }

    /// The first line not yet used (lines are only ever marked used, so the front can be
    /// skipped for good).
    fn first_unused(&mut self, used: &[bool]) -> Option<usize> {
        while self.lines.get(self.skip).is_some_and(|&i| used[i]) {
            self.skip += 1;
        }
        self.lines.get(self.skip).copied()
    }
}

/// The sum of the projects' 预算数 (blank counts as 0).
pub fn project_total(dept: &DepartmentView) -> Decimal {
    dept.projects.iter().filter_map(|p| p.total).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain search `pairs` replaced: each project scans the lines.
    fn pairs_by_search(dept: &DepartmentView) -> Vec<(Option<usize>, Option<usize>)> {
        let mut used = vec![false; dept.budget_lines.len()];
        let mut out = Vec::new();
        for (k, project) in dept.projects.iter().enumerate() {
            let by_code = |l: &BudgetLine| !project.code.is_empty() && *l.code == *project.code;
            let by_name = |l: &BudgetLine| {
                (project.code.is_empty() || l.code.is_empty())
                    && !l.name.trim().is_empty()
                    && label_key(&l.name) == label_key(&project.name)
            };
            let lines = &dept.budget_lines;
            let found = (0..lines.len())
                .find(|i| !used[*i] && by_code(&lines[*i]))
                .or_else(|| (0..lines.len()).find(|i| !used[*i] && by_name(&lines[*i])));
            if let Some(i) = found {
                used[i] = true;
            }
            out.push((Some(k), found));
        }
        out.extend(
            (0..used.len())
                .filter(|i| !used[*i])
                .map(|i| (None, Some(i))),
        );
        out
    }

    #[test]
    fn pairs_match_the_plain_search_on_repeated_blank_and_named_codes() {
        let codes = ["", "P1", "P2", "P1", "P3", ""];
        let names = ["劳务费", "劳务 费", "系统维护费", "", "***", "电梯维保费"];
        let mut seed = 7u32;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as usize % n
        };
        for _ in 0..300 {
            let mut dept = DepartmentView::default();
            for _ in 0..next(8) {
                let line = BudgetLine {
                    code: codes[next(codes.len())].into(),
                    name: names[next(names.len())].into(),
                    ..BudgetLine::default()
                };
                dept.budget_lines.push(line);
            }
            for _ in 0..next(8) {
                let p = Project {
                    code: codes[next(codes.len())].into(),
                    name: names[next(names.len())].into(),
                    ..Project::default()
                };
                let at: Arc<str> = Arc::from("a.xlsx");
                dept.projects.push(ProjectRef::of(&p, &at, &at));
            }
            let index = |line: Option<&BudgetLine>| {
                line.map(|l| dept.budget_lines.iter().position(|x| std::ptr::eq(x, l)))
            };
            let got: Vec<(Option<usize>, Option<usize>)> = pairs(&dept)
                .iter()
                .map(|p| {
                    let project = p
                        .project
                        .map(|x| dept.projects.iter().position(|y| std::ptr::eq(x, y)));
                    (project.flatten(), index(p.line).flatten())
                })
                .collect();
            assert_eq!(got, pairs_by_search(&dept), "{dept:#?}");
        }
    }
}
