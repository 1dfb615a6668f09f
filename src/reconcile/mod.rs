//! The batch-wide view: each department's projects reduced to what the batch-wide rules need
//! (code, name, 预算数, where the table sits), its budget lines and 部门整体 table; and the
//! reconciliation of projects with budget lines (by 项目编码, falling back to the exact name
//! when a code is missing).
//!
//! Pure functions over plain data. The rules JX403 and JX501–JX504 and the roll-up's 预算对账
//! read this one view, so they can never disagree; a streamed `check` fills it file by file at
//! a few hundred bytes per project, so memory stays flat however long the batch.

use crate::model::text::label_key;
use crate::model::{
    find_department, BudgetLine, CellRef, Model, OverallTable, Project, Unit, WorkbookContents,
};
use rust_decimal::Decimal;
use std::sync::Arc;

/// Where a project table sits: file and sheet (shared by the tables of a file), and the cells
/// the batch-wide findings point at.
#[derive(Debug, Clone, PartialEq)]
pub struct TableAt {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    pub sheet_index: usize,
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
                sheet_index: p.source.sheet_index,
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
}

/// Shares one `Arc<str>` per distinct text of a file (its path, its sheet names).
fn shared(cache: &mut Vec<Arc<str>>, text: &str) -> Arc<str> {
    if let Some(found) = cache.iter().find(|s| &***s == text) {
        return found.clone();
    }
    let new: Arc<str> = Arc::from(text);
    cache.push(new.clone());
    new
}

impl BatchView {
    /// The view of a whole model (what `check` on a model, `convert` and the roll-up use).
    pub fn of(model: &Model) -> BatchView {
        let mut view = BatchView::default();
        let mut texts = Vec::new();
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
            view.departments.push(DepartmentView {
                unit_code: d.unit_code.clone(),
                unit_name: d.unit_name.clone(),
                projects,
                budget_lines: d.budget_lines.clone(),
                overall: d.overall.clone(),
            });
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
        let mut texts = Vec::new();
        let mut placed = Vec::with_capacity(contents.projects.len());
        for (unit, p) in &contents.projects {
            let (file, sheet) = (
                shared(&mut texts, &p.source.file),
                shared(&mut texts, &p.source.sheet),
            );
            let (d, dept) = self.department_mut(unit);
            dept.projects.push(ProjectRef::of(p, &file, &sheet));
            placed.push((d, dept.projects.len() - 1));
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
        placed
    }

    /// Places the budget lines and 部门整体 tables once every project is in.
    pub fn finish(&mut self) {
        for (unit, item) in std::mem::take(&mut self.pending) {
            let (_, dept) = self.department_mut(&unit);
            match item {
                Pending::Line(line) => dept.budget_lines.push(line),
                Pending::Overall(table) => dept.overall = Some(table),
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

    pub fn project_count(&self) -> usize {
        self.departments.iter().map(|d| d.projects.len()).sum()
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
/// table claimed. A line is used once: a second table with the same code stays unpaired.
pub fn pairs(dept: &DepartmentView) -> Vec<Pair<'_>> {
    let mut used = vec![false; dept.budget_lines.len()];
    let mut out = Vec::with_capacity(dept.projects.len() + dept.budget_lines.len());
    for project in &dept.projects {
        let by_code = |l: &BudgetLine| !project.code.is_empty() && *l.code == *project.code;
        let by_name = |l: &BudgetLine| {
            (project.code.is_empty() || l.code.is_empty())
                && !l.name.trim().is_empty()
                && label_key(&l.name) == label_key(&project.name)
        };
        let found = (0..dept.budget_lines.len())
            .find(|i| !used[*i] && by_code(&dept.budget_lines[*i]))
            .or_else(|| {
                (0..dept.budget_lines.len()).find(|i| !used[*i] && by_name(&dept.budget_lines[*i]))
            });
        if let Some(i) = found {
            used[i] = true;
        }
        out.push(Pair {
            project: Some(project),
            line: found.map(|i| &dept.budget_lines[i]),
        });
    }
    for (line, _) in dept.budget_lines.iter().zip(&used).filter(|(_, u)| !**u) {
        out.push(Pair {
            project: None,
            line: Some(line),
        });
    }
    out
}

/// The sum of the projects' 预算数 (blank counts as 0).
pub fn project_total(dept: &DepartmentView) -> Decimal {
    dept.projects.iter().filter_map(|p| p.total).sum()
}
