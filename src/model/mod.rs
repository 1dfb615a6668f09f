//! The normalized model (SPEC §2): departments → projects → indicators, plus budget lines.
//!
//! Plain data, no I/O. Amounts are exact `Decimal`s in 万元; order is the source order. Every
//! project and indicator remembers where it was read from, so a finding can name the cell.

pub mod amount;
pub mod cell;
pub mod evaluation;
pub mod field;
pub mod levels;
pub mod target;
pub mod text;

pub use amount::MoneyUnit;
pub use cell::{CellRange, CellRef};
pub use evaluation::Evaluation;
pub use field::{AmountField, Column, Field};
pub use target::{Kind, Op, Target};

use amount::{deserialize_amount, serialize_money, serialize_number};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The format marker and version written in every model document.
pub const MODEL_FORMAT: &str = "jxmb-model";
pub const MODEL_VERSION: u32 = 1;

/// Everything read from a batch of workbooks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub format: String,
    pub version: u32,
    pub departments: Vec<Department>,
}

impl Default for Model {
    fn default() -> Self {
        Model {
            format: MODEL_FORMAT.to_string(),
            version: MODEL_VERSION,
            departments: Vec::new(),
        }
    }
}

/// One budget unit (单位), identified by its code and name from the tables' unit line.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Department {
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub projects: Vec<Project>,
    pub budget_lines: Vec<BudgetLine>,
    /// The 部门整体支出绩效目标表, when one was among the inputs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub overall: Option<OverallTable>,
    /// The year-end 项目支出绩效自评表 (SPEC §2.5), each scored again.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub evaluations: Vec<Evaluation>,
}

/// One 项目支出绩效目标表.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Project {
    pub code: String,
    pub name: String,
    pub budget: Budget,
    pub purpose: String,
    pub spending_plan: Vec<PlanPoint>,
    pub goals: Vec<String>,
    /// `88` (成本指标 under 产出指标, 财预〔2015〕88号) or `101` (成本指标 a 一级, 财预〔2021〕101号).
    pub framework: Framework,
    pub indicators: Vec<Indicator>,
    /// The money unit the table stated; amounts above are already in 万元.
    #[serde(skip, default)]
    pub money_unit: MoneyUnit,
    /// Cells that should hold a number but do not (`约2万`, `#REF!`); never read as 0.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub unreadable: Vec<UnreadableValue>,
    /// What the reader could not take at face value (hidden content, formulas never
    /// calculated, no money unit).
    #[serde(skip, default)]
    pub notes: Vec<ReadNote>,
    /// The 项目编码 cell held a number, not text: digits past the 15th are lost.
    #[serde(skip, default)]
    pub code_stored_as_number: bool,
    pub source: ProjectSource,
}

/// 预算数 and its split, in 万元. `None` is a blank cell, kept apart from 0.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Budget {
    #[serde(
        serialize_with = "serialize_money",
        deserialize_with = "deserialize_amount",
        default
    )]
    pub total: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_money",
        deserialize_with = "deserialize_amount",
        default
    )]
    pub fiscal: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_money",
        deserialize_with = "deserialize_amount",
        default
    )]
    pub other: Option<Decimal>,
}

/// One checkpoint of the cumulative spending plan: by `3月底`, `percent` % spent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanPoint {
    pub by: String,
    #[serde(
        serialize_with = "serialize_number",
        deserialize_with = "deserialize_amount",
        default
    )]
    pub percent: Option<Decimal>,
    #[serde(skip, default)]
    pub cell: Option<CellRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Framework {
    #[default]
    #[serde(rename = "88")]
    F88,
    #[serde(rename = "101")]
    F101,
}

/// One indicator row of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub description: String,
    pub target: Target,
    pub basis: String,
    /// A separate 计量单位 column's text, when the table has one (already folded into target).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub unit_column: Option<String>,
    /// The 年初指标值 when the table also has an adjusted one (调整后指标值, the `target`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub initial_target: Option<Target>,
    pub source: IndicatorSource,
}

/// Where an indicator sits: its sheet, the 指标值 cell, and the cell of each column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSource {
    pub sheet: String,
    /// The 指标值 cell.
    pub cell: CellRef,
    pub cells: IndicatorCells,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct IndicatorCells {
    pub level1: Option<CellRef>,
    pub level2: Option<CellRef>,
    pub level3: Option<CellRef>,
    pub description: Option<CellRef>,
    pub target: Option<CellRef>,
    pub basis: Option<CellRef>,
}

/// Where a project table sits, and the cell of each labelled field.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProjectSource {
    pub file: String,
    pub sheet: String,
    /// The sheet's position in its workbook, for ordering findings as the user sees the tabs.
    #[serde(skip, default)]
    pub sheet_index: usize,
    pub range: CellRange,
    pub cells: ProjectCells,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProjectCells {
    pub code: Option<CellRef>,
    pub name: Option<CellRef>,
    pub total: Option<CellRef>,
    pub fiscal: Option<CellRef>,
    pub other: Option<CellRef>,
    pub purpose: Option<CellRef>,
    pub plan: Option<CellRef>,
    pub goals: Option<CellRef>,
    pub indicator_header: Option<CellRef>,
}

/// A field whose cell should hold a number and does not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnreadableValue {
    /// Which amount it is; the JSON shows its label (`预算数`, `资金支出计划（3月底）`).
    pub field: AmountField,
    pub text: String,
    pub cell: CellRef,
    /// The formula, when the cell holds one whose result was never calculated (JX007): its
    /// value is unknown, not wrong.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub formula: Option<String>,
}

/// What the reader could not take at face value in a table (SPEC §1.2), said by JX006–JX008.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadNote {
    /// Cells read from rows or columns the user does not see (or the whole sheet is hidden).
    Hidden { cells: Vec<CellRef>, sheet: bool },
    /// A hidden column left unread because a visible one has the same header.
    Shadowed {
        header: String,
        hidden: CellRef,
        visible: CellRef,
    },
    /// An indicator cell holding a formula whose result was never calculated.
    Uncalculated { cell: CellRef, formula: String },
    /// No money unit near the table: amounts read as 万元. `largest` is the largest amount
    /// read, in 万元.
    UnitNotDeclared { cell: CellRef, largest: Decimal },
}

/// One line of a 项目支出预算表.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BudgetLine {
    pub code: String,
    pub name: String,
    #[serde(
        serialize_with = "serialize_money",
        deserialize_with = "deserialize_amount",
        default
    )]
    pub total: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_money",
        deserialize_with = "deserialize_amount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub fiscal: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_money",
        deserialize_with = "deserialize_amount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub other: Option<Decimal>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub unreadable: Vec<UnreadableValue>,
    /// On the first line of a 项目支出预算表 that states no money unit: the table's largest
    /// amount, read as 万元 (JX008).
    #[serde(skip, default)]
    pub unit_not_declared: Option<Decimal>,
    /// Read from a row, column or sheet the user does not see (JX006).
    #[serde(skip, default)]
    pub hidden: bool,
    pub source: LineSource,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LineSource {
    pub file: String,
    pub sheet: String,
    #[serde(skip, default)]
    pub sheet_index: usize,
    pub cell: CellRef,
}

/// The 部门整体支出绩效目标表: the department's goals and, when stated, its project-spending total.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OverallTable {
    pub goals: Vec<String>,
    #[serde(
        serialize_with = "serialize_money",
        deserialize_with = "deserialize_amount",
        default
    )]
    pub total_budget: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_money",
        deserialize_with = "deserialize_amount",
        default
    )]
    pub project_spending: Option<Decimal>,
    pub indicators: Vec<Indicator>,
    /// 分项绩效目标: one item per project the section names (SPEC §2.4).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub items: Vec<OverallItem>,
    /// Written as prose in a Word document (总体绩效目标 / 分项绩效目标), not as a table.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub prose: bool,
    pub source: LineSource,
}

/// One item of the 部门整体 section's 分项绩效目标: a project named, its goals and indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverallItem {
    pub name: String,
    /// The 项目编码, when the item gives one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub code: Option<String>,
    pub goals: Vec<String>,
    pub indicators: Vec<OverallIndicator>,
    pub source: ParagraphSource,
}

/// An indicator as the prose states it: `正常使用率占比大于90%`, its target parsed (§2.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverallIndicator {
    pub text: String,
    pub target: Target,
}

impl OverallIndicator {
    /// The sentence split into what is measured and its target (`正常使用率占比` / `大于90%`).
    pub fn parse(text: &str) -> OverallIndicator {
        let (_, target) = target::split_statement(text);
        OverallIndicator {
            text: text.to_string(),
            target,
        }
    }

    /// What is measured: the text before its target.
    pub fn name(&self) -> &str {
        self.text
            .strip_suffix(self.target.text.as_str())
            .filter(|_| self.target.kind != Kind::Qualitative)
            .unwrap_or(&self.text)
    }
}

/// Where a paragraph of a Word document sits: `文件.docx:第12段` counts the document's
/// non-empty paragraphs outside tables from the top.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ParagraphSource {
    pub file: String,
    pub paragraph: u32,
    /// Its place among the document's paragraphs and tables, for ordering findings.
    #[serde(skip, default)]
    pub position: usize,
}

impl ParagraphSource {
    /// `第12段`: what a finding shows in place of a sheet.
    pub fn shown(&self) -> String {
        paragraph_name(self.paragraph)
    }
}

/// `第12段`: paragraph 12 of a Word document, where a finding shows a sheet.
pub fn paragraph_name(number: u32) -> String {
    format!("第{number}段")
}

impl OverallTable {
    /// Adds what another 部门整体 source of the same department says (a table and the prose).
    pub fn merge(&mut self, other: OverallTable) {
        if self.goals.is_empty() {
            self.goals = other.goals;
        }
        self.total_budget = self.total_budget.or(other.total_budget);
        self.project_spending = self.project_spending.or(other.project_spending);
        self.indicators.extend(other.indicators);
        self.items.extend(other.items);
        self.prose &= other.prose;
    }
}

impl Model {
    /// Reads a model document (`jxmb export`'s JSON, or the one a roll-up keeps); the line and
    /// column are in the message when the JSON is broken.
    pub fn from_json(text: &str) -> Result<Model, String> {
        let model: Model = serde_json::from_str(text)
            .map_err(|e| format!("第 {} 行第 {} 列：{e}", e.line(), e.column()))?;
        if model.format != MODEL_FORMAT {
            return Err(format!(
                "format 应为 \"{MODEL_FORMAT}\"，实际为 \"{}\"",
                model.format
            ));
        }
        Ok(model)
    }

    /// All projects in order, with their department.
    pub fn projects(&self) -> impl Iterator<Item = (&Department, &Project)> {
        self.departments
            .iter()
            .flat_map(|d| d.projects.iter().map(move |p| (d, p)))
    }

    /// The department for a unit, created at the end when new. A table with no unit line
    /// joins the only department there is, so a budget table without one still lands.
    pub fn department_mut(&mut self, unit: &Unit) -> &mut Department {
        let index = self.department_index(unit);
        &mut self.departments[index]
    }

    /// [`Model::department_mut`]'s department, by its place.
    fn department_index(&mut self, unit: &Unit) -> usize {
        let units = self
            .departments
            .iter()
            .map(|d| (d.unit_code.as_deref(), d.unit_name.as_deref()));
        match find_department(units, unit) {
            Some(i) => i,
            None => {
                self.departments.push(Department {
                    unit_code: unit.code.clone(),
                    unit_name: unit.name.clone(),
                    ..Department::default()
                });
                self.departments.len() - 1
            }
        }
    }

    /// The model without where anything was read from (files, sheets, cells, the money unit
    /// stated): what stays the same when the same tables are written in another layout.
    pub fn without_sources(&self) -> Model {
        let mut m = self.clone();
        for d in &mut m.departments {
            for p in &mut d.projects {
                p.source = ProjectSource::default();
                p.money_unit = MoneyUnit::default();
                p.unreadable
                    .iter_mut()
                    .for_each(|u| u.cell = CellRef::default());
                p.spending_plan.iter_mut().for_each(|pp| pp.cell = None);
                for i in &mut p.indicators {
                    i.source = IndicatorSource {
                        sheet: String::new(),
                        cell: CellRef::default(),
                        cells: IndicatorCells::default(),
                    };
                }
            }
            for l in &mut d.budget_lines {
                l.source = LineSource::default();
                l.unreadable
                    .iter_mut()
                    .for_each(|u| u.cell = CellRef::default());
            }
            for e in &mut d.evaluations {
                e.source = evaluation::EvaluationSource::default();
                e.funds.cells = Default::default();
                e.total.cell = None;
                for i in &mut e.indicators {
                    i.source = Default::default();
                }
            }
            if let Some(o) = &mut d.overall {
                o.source = LineSource::default();
                o.items
                    .iter_mut()
                    .for_each(|i| i.source = ParagraphSource::default());
                for i in &mut o.indicators {
                    i.source = IndicatorSource {
                        sheet: String::new(),
                        cell: CellRef::default(),
                        cells: IndicatorCells::default(),
                    };
                }
            }
        }
        m
    }

    /// [`Model::into_compact_contents`] of a copy, without copying what it leaves out.
    pub fn compact_contents(&self) -> WorkbookContents {
        let texts = self
            .projects()
            .map(|(_, p)| p.boilerplate_texts())
            .collect();
        let light = Model {
            format: self.format.clone(),
            version: self.version,
            departments: self
                .departments
                .iter()
                .map(|d| Department {
                    unit_code: d.unit_code.clone(),
                    unit_name: d.unit_name.clone(),
                    projects: d.projects.iter().map(Project::without_body).collect(),
                    budget_lines: d.budget_lines.clone(),
                    overall: d.overall.clone(),
                    evaluations: d.evaluations.clone(),
                })
                .collect(),
        };
        WorkbookContents {
            texts,
            ..light.into_compact_contents()
        }
    }

    /// The model as a workbook's contents again, each project made compact (no indicators,
    /// plan, goals or purpose): what the batch-wide rules need, at a fraction of the memory.
    pub fn into_compact_contents(self) -> WorkbookContents {
        let mut out = WorkbookContents {
            texts: self
                .projects()
                .map(|(_, p)| p.boilerplate_texts())
                .collect(),
            ..WorkbookContents::default()
        };
        for d in self.departments {
            let unit = Unit {
                code: d.unit_code,
                name: d.unit_name,
            };
            for mut p in d.projects {
                p.indicators = Vec::new();
                p.spending_plan = Vec::new();
                p.goals = Vec::new();
                p.purpose = String::new();
                out.projects.push((unit.clone(), p));
            }
            out.budget_lines
                .extend(d.budget_lines.into_iter().map(|l| (unit.clone(), l)));
            out.evaluations
                .extend(d.evaluations.iter().map(|e| (unit.clone(), e.compact())));
            out.overall.extend(d.overall.map(|o| {
                (
                    unit.clone(),
                    OverallTable {
                        indicators: Vec::new(),
                        goals: Vec::new(),
                        ..o
                    },
                )
            }));
        }
        out
    }

    /// Puts a 自评表 with the department holding its project (by 项目编码, then name), else
    /// with its own unit line's department.
    fn place_evaluation(&mut self, unit: Unit, evaluation: Evaluation) {
        let code = evaluation.code.trim().to_string();
        let name = evaluation.name.trim().to_string();
        let holds = |d: &Department, by_code: bool| {
            d.projects.iter().any(|p| {
                if by_code {
                    !code.is_empty() && p.code.trim() == code
                } else {
                    !name.is_empty() && p.name.trim() == name
                }
            })
        };
        let found = self
            .departments
            .iter()
            .position(|d| holds(d, true))
            .or_else(|| self.departments.iter().position(|d| holds(d, false)));
        self.place_evaluation_in(found, unit, evaluation);
    }

    /// Puts a 自评表 in department `found`, else with its own unit line's department.
    fn place_evaluation_in(&mut self, found: Option<usize>, unit: Unit, evaluation: Evaluation) {
        match found {
            Some(i) => self.departments[i].evaluations.push(evaluation),
            None => self.department_mut(&unit).evaluations.push(evaluation),
        }
    }

    /// Replaces every department's budget lines with these (`--budget FILE`).
    pub fn replace_budget_lines(&mut self, lines: Vec<(Unit, BudgetLine)>) {
        for dept in &mut self.departments {
            dept.budget_lines.clear();
        }
        for (unit, line) in lines {
            self.department_mut(&unit).budget_lines.push(line);
        }
    }

    /// Builds the batch model from the workbooks' contents, in order. Projects go first so that
    /// budget lines and department tables without a unit line find the department they belong to.
    /// Every source file shown as `name` gives it (when it gives one).
    pub fn rename_files(&mut self, name: impl Fn(&str) -> Option<String>) {
        for d in &mut self.departments {
            for p in &mut d.projects {
                if let Some(new) = name(&p.source.file) {
                    p.source.file = new;
                }
            }
            for l in &mut d.budget_lines {
                if let Some(new) = name(&l.source.file) {
                    l.source.file = new;
                }
            }
            if let Some(o) = &mut d.overall {
                if let Some(new) = name(&o.source.file) {
                    o.source.file = new;
                }
                for item in &mut o.items {
                    if let Some(new) = name(&item.source.file) {
                        item.source.file = new;
                    }
                }
            }
            for e in &mut d.evaluations {
                if let Some(new) = name(&e.source.file) {
                    e.source.file = new;
                }
            }
        }
    }

    pub fn from_workbooks(workbooks: Vec<WorkbookContents>) -> Model {
        let mut builder = ModelBuilder::default();
        for contents in workbooks {
            builder.add(contents);
        }
        builder.finish()
    }
}

/// A model built from workbooks' contents as they arrive, in input order (a streamed batch's
/// are added one file at a time): projects join their departments at once, the rest (budget
/// lines, department tables, 自评表, a few per department) waits for the end, so that those
/// without a unit line find the department they belong to.
/// A file's budget lines and department tables, placed when the builder finishes.
type Later = (Vec<(Unit, BudgetLine)>, Vec<(Unit, OverallTable)>);

#[derive(Debug, Default)]
pub struct ModelBuilder {
    model: Model,
    rest: Vec<Later>,
    evaluations: Vec<(Unit, Evaluation)>,
}

impl ModelBuilder {
    /// Adds a file's contents.
    pub fn add(&mut self, contents: WorkbookContents) {
        for (unit, project) in contents.projects {
            self.model.department_mut(&unit).projects.push(project);
        }
        if !contents.budget_lines.is_empty() || !contents.overall.is_empty() {
            self.rest.push((contents.budget_lines, contents.overall));
        }
        self.evaluations.extend(contents.evaluations);
    }

    /// [`ModelBuilder::add`] for a model held without its projects (a streamed batch keeps
    /// them in a spill file): returns the department each project joins, in order.
    /// `units` are the projects' units, in order.
    pub fn add_without_projects(
        &mut self,
        units: &[Unit],
        contents: WorkbookContents,
    ) -> Vec<usize> {
        let departments = units
            .iter()
            .map(|unit| self.model.department_index(unit))
            .collect();
        self.add(contents);
        departments
    }

    /// The 自评表 waiting to be placed: their 项目编码 and names (trimmed).
    pub fn evaluation_keys(&self) -> Vec<(String, String)> {
        self.evaluations
            .iter()
            .map(|(_, e)| (e.code.trim().to_string(), e.name.trim().to_string()))
            .collect()
    }

    /// [`ModelBuilder::finish`] for a model held without its projects: `holder(i)` is the
    /// department holding the project of the `i`th of [`ModelBuilder::evaluation_keys`].
    pub fn finish_placing(self, holder: impl Fn(usize) -> Option<usize>) -> Model {
        let mut model = self.model;
        for (i, (unit, evaluation)) in self.evaluations.into_iter().enumerate() {
            model.place_evaluation_in(holder(i), unit, evaluation);
        }
        Self::place_rest(model, self.rest)
    }

    pub fn finish(self) -> Model {
        let mut model = self.model;
        for (unit, evaluation) in self.evaluations {
            model.place_evaluation(unit, evaluation);
        }
        Self::place_rest(model, self.rest)
    }

    fn place_rest(mut model: Model, rest: Vec<Later>) -> Model {
        for (lines, overall) in rest {
            for (unit, line) in lines {
                model.department_mut(&unit).budget_lines.push(line);
            }
            for (unit, table) in overall {
                let dept = model.department_mut(&unit);
                match &mut dept.overall {
                    Some(o) => o.merge(table),
                    None => dept.overall = Some(table),
                }
            }
        }
        model
    }
}

/// `2025` from 项目编码 (the two digits after the 6-digit region of a 21-character code), when
/// every such code agrees.
pub fn year_of_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> Option<u32> {
    let mut years = Years::default();
    codes.into_iter().for_each(|c| years.see(c));
    years.year()
}

/// [`year_of_codes`] as the codes come, one at a time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Years {
    /// The first code's year (two digits); `Some(None)` once another disagrees.
    first: Option<Option<u32>>,
}

impl Years {
    pub fn see(&mut self, code: &str) {
        let code = code.trim();
        let Some(yy) = code.get(6..8) else { return };
        if code.len() != 21 || !yy.chars().all(|c| c.is_ascii_digit()) {
            return;
        }
        let Ok(yy) = yy.parse::<u32>() else { return };
        match self.first {
            None => self.first = Some(Some(yy)),
            Some(Some(first)) if first != yy => self.first = Some(None),
            _ => {}
        }
    }

    pub fn year(&self) -> Option<u32> {
        self.first.flatten().map(|yy| 2000 + yy)
    }
}

/// Which of the departments (given as their unit code and name, in order) a table with `unit`
/// belongs to: the same code, else the same name when there is no code; a table with no unit
/// line joins the only department there is. `None`: a new department.
pub fn find_department<'a>(
    units: impl ExactSizeIterator<Item = (Option<&'a str>, Option<&'a str>)>,
    unit: &Unit,
) -> Option<usize> {
    let count = units.len();
    let anonymous = unit.code.is_none() && unit.name.is_none();
    let mut found = None;
    for (i, (code, name)) in units.enumerate() {
        let same = match (&unit.code, &unit.name) {
            (Some(c), _) => code == Some(c.as_str()),
            (None, Some(n)) => name == Some(n.as_str()),
            (None, None) => code.is_none() && name.is_none(),
        };
        if same {
            found = Some(i);
            break;
        }
    }
    found.or(if anonymous && count == 1 {
        Some(0)
    } else {
        None
    })
}

/// A workbook's contents before they are merged into the batch model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkbookContents {
    pub projects: Vec<(Unit, Project)>,
    pub budget_lines: Vec<(Unit, BudgetLine)>,
    pub overall: Vec<(Unit, OverallTable)>,
    /// A roll-up jxmb wrote (`汇总.xlsx`): an output, not an input; its tables are not read.
    pub is_rollup: bool,
    /// 项目支出绩效自评表 (SPEC §1.1, §2.5): never read as project tables.
    pub evaluations: Vec<(Unit, Evaluation)>,
    /// Per project (in `projects` order), its texts a department's other projects might repeat
    /// (JX219), kept when the project is made compact.
    pub texts: Vec<Vec<ProjectText>>,
}

impl WorkbookContents {
    /// Every table's source file named `file` (outputs name files under their input folder).
    pub fn rename_files(&mut self, file: &str) {
        for (_, p) in &mut self.projects {
            p.source.file = file.to_string();
        }
        for (_, l) in &mut self.budget_lines {
            l.source.file = file.to_string();
        }
        for (_, o) in &mut self.overall {
            o.source.file = file.to_string();
            for item in &mut o.items {
                item.source.file = file.to_string();
            }
        }
        for (_, e) in &mut self.evaluations {
            e.source.file = file.to_string();
        }
    }
}

/// Separates a 三级指标 from its 指标值 in [`Project::measures`].
const MEASURE_PARTS: char = '\u{1f}';
/// Separates one indicator from the next in [`Project::measures`].
const MEASURE_END: char = '\u{1e}';

/// The (三级指标, 指标值) pairs of a project's [`Project::measures`].
pub fn measures_of(measures: &str) -> impl Iterator<Item = (&str, &str)> {
    measures
        .split(MEASURE_END)
        .filter_map(|m| m.split_once(MEASURE_PARTS))
}

/// A text of a project that boilerplate is made of: a 绩效目标 line, a 绩效指标描述 or a
/// 指标值 (8+ characters, 满意度 rows aside), and its cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectText {
    pub text: Box<str>,
    pub cell: Option<CellRef>,
}

impl Project {
    /// A copy without its body (purpose, goals, indicators): what a streamed batch keeps of a
    /// project in memory, the body waiting in a spill file.
    pub fn without_body(&self) -> Project {
        let Project {
            code,
            name,
            budget,
            purpose: _,
            spending_plan,
            goals: _,
            framework,
            indicators: _,
            money_unit,
            unreadable,
            notes,
            code_stored_as_number,
            source,
        } = self;
        Project {
            code: code.clone(),
            name: name.clone(),
            budget: budget.clone(),
            purpose: String::new(),
            spending_plan: spending_plan.clone(),
            goals: Vec::new(),
            framework: *framework,
            indicators: Vec::new(),
            money_unit: *money_unit,
            unreadable: unreadable.clone(),
            notes: notes.clone(),
            code_stored_as_number: *code_stored_as_number,
            source: source.clone(),
        }
    }

    /// Each indicator's 三级指标 and 指标值 in one string: what a 部门整体 item's indicators
    /// are compared with (JX507), at a few dozen bytes a project in the batch view.
    pub fn measures(&self) -> Box<str> {
        let mut out = String::new();
        for i in &self.indicators {
            if !out.is_empty() {
                out.push(MEASURE_END);
            }
            out.extend(
                i.level3
                    .chars()
                    .filter(|c| *c != MEASURE_PARTS && *c != MEASURE_END),
            );
            out.push(MEASURE_PARTS);
            out.extend(
                i.target
                    .text
                    .chars()
                    .filter(|c| *c != MEASURE_PARTS && *c != MEASURE_END),
            );
        }
        out.into()
    }

    /// The texts JX219 compares across a department's projects.
    pub fn boilerplate_texts(&self) -> Vec<ProjectText> {
        let long = |t: &str| t.trim().chars().count() >= 8;
        let mut out: Vec<ProjectText> = self
            .goals
            .iter()
            .filter(|g| long(g))
            .map(|g| ProjectText {
                text: g.trim().into(),
                cell: self.source.cells.goals,
            })
            .collect();
        for i in self.indicators.iter().filter(|i| !i.is_satisfaction()) {
            for (text, cell) in [
                (&i.description, i.source.cells.description),
                (&i.target.text, i.source.cells.target),
            ] {
                if long(text) && !out.iter().any(|t| &*t.text == text.trim()) {
                    out.push(ProjectText {
                        text: text.trim().into(),
                        cell,
                    });
                }
            }
        }
        out
    }
}

impl WorkbookContents {
    /// How many tables of any family the workbook holds.
    pub fn table_count(&self) -> usize {
        self.projects.len()
            + self.overall.len()
            + self.evaluations.len()
            + usize::from(!self.budget_lines.is_empty())
    }
}

/// The unit line of a table: `438001唐山市路南区数据和行政审批局本级`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Unit {
    pub code: Option<String>,
    pub name: Option<String>,
}
