//! The roll-up `汇总.xlsx`'s sheets, defined once: each list sheet's columns (header, the value
//! of a row, and what an edit of it changes). `write::rollup` writes the sheets from these
//! lists and `apply` reads edits back by the same headers, so the two cannot drift apart.

pub mod apply;

use crate::diag::Diagnostic;
use crate::model::{CellRef, Column, Department, Field, Indicator, Project};
use rust_decimal::Decimal;

/// Sheet names.
pub const SUMMARY: &str = "项目汇总";
pub const DETAILS: &str = "指标明细";
pub const PLAN: &str = "资金计划";
pub const RECONCILIATION: &str = "预算对账";
pub const ISSUES: &str = "问题清单";
pub const CHART: &str = "预算图";
/// One row per 自评表 with its claimed and computed totals (only when 自评表 are among the inputs).
pub const EVALUATIONS: &str = "自评汇总";
/// The 部门整体 section's items beside the tables they match (only when a section lists items).
pub const OVERALL: &str = "部门整体";
pub const MODEL: &str = crate::read::ROLLUP_MODEL_SHEET;

/// The headers `apply` finds rows by.
pub const CODE: &str = "项目编码";
pub const NUMBER: &str = "序号";
pub const NAME: &str = "项目名称";

/// What a cell of a list sheet holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Text(&'a str),
    /// An amount in 万元 (`0.00`); `None` is a blank cell.
    Amount(Option<Decimal>),
    /// A count (指标数, 序号).
    Count(usize),
    /// A cell reference, shown as text (`E12`); blank when `None`.
    Cell(Option<CellRef>),
}

/// What editing a column in the roll-up changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Nothing: a key, or shown only.
    None,
    /// That column of the row's indicator (指标明细).
    Indicator(Column),
    /// That amount of the row's project (项目汇总).
    Amount(Field),
    /// The row's 项目名称 (项目汇总; in 指标明细 the name only tells tables apart).
    Name,
}

/// One column of a list sheet: its header, its value for a row, and what an edit changes.
pub struct SheetColumn<R> {
    pub header: &'static str,
    pub value: fn(&R) -> Value<'_>,
    pub edit: Edit,
}

impl<R> SheetColumn<R> {
    const fn new(header: &'static str, value: fn(&R) -> Value<'_>, edit: Edit) -> Self {
        SheetColumn {
            header,
            value,
            edit,
        }
    }
}

/// The headers of a column list, in order.
pub fn headers<R>(columns: &[SheetColumn<R>]) -> Vec<&'static str> {
    columns.iter().map(|c| c.header).collect()
}

/// One row of 指标明细: an indicator of its project, by its 序号 (1-based). The project is
/// shared by its rows, borrowed from the model or read back whole from a spill file.
pub struct Detail<'m> {
    pub project: std::rc::Rc<std::borrow::Cow<'m, Project>>,
    pub number: usize,
}

impl Detail<'_> {
    pub fn indicator(&self) -> &Indicator {
        &self.project.indicators[self.number - 1]
    }
}

fn indicator_text<'r>(d: &'r Detail, column: Column) -> Value<'r> {
    Value::Text(d.indicator().text(column))
}

/// 指标明细's columns; 项目编码 and 序号 are the keys `apply` matches rows by. (A function,
/// not a constant, so the rows' borrow is the caller's.)
pub fn detail_columns<'m>() -> [SheetColumn<Detail<'m>>; 10] {
    [
        SheetColumn::new(CODE, |d| Value::Text(&d.project.code), Edit::None),
        SheetColumn::new(NUMBER, |d| Value::Count(d.number), Edit::None),
        SheetColumn::new(NAME, |d| Value::Text(&d.project.name), Edit::None),
        SheetColumn::new(
            "一级指标",
            |d| indicator_text(d, Column::Level1),
            Edit::Indicator(Column::Level1),
        ),
        SheetColumn::new(
            "二级指标",
            |d| indicator_text(d, Column::Level2),
            Edit::Indicator(Column::Level2),
        ),
        SheetColumn::new(
            "三级指标",
            |d| indicator_text(d, Column::Level3),
            Edit::Indicator(Column::Level3),
        ),
        SheetColumn::new(
            "绩效指标描述",
            |d| indicator_text(d, Column::Description),
            Edit::Indicator(Column::Description),
        ),
        SheetColumn::new(
            "指标值",
            |d| indicator_text(d, Column::Target),
            Edit::Indicator(Column::Target),
        ),
        SheetColumn::new(
            "计量单位",
            |d| Value::Text(d.indicator().unit_column.as_deref().unwrap_or("")),
            Edit::None,
        ),
        SheetColumn::new(
            "指标值确定依据",
            |d| indicator_text(d, Column::Basis),
            Edit::Indicator(Column::Basis),
        ),
    ]
}

/// One row of 项目汇总: a project, its department, its number of indicators (a streamed batch's
/// project comes without them) and its unfixed errors and warnings.
pub struct SummaryRow<'m> {
    pub department: &'m Department,
    pub project: &'m Project,
    pub indicators: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// 项目汇总's columns before the spending-plan checkpoints (one column each, `3月底累计`).
pub fn summary_lead<'m>() -> [SheetColumn<SummaryRow<'m>>; 5] {
    [
        SheetColumn::new(CODE, |r| Value::Text(&r.project.code), Edit::None),
        SheetColumn::new(NAME, |r| Value::Text(&r.project.name), Edit::Name),
        SheetColumn::new(
            "预算数",
            |r| Value::Amount(r.project.budget.total),
            Edit::Amount(Field::Total),
        ),
        SheetColumn::new(
            "财政资金",
            |r| Value::Amount(r.project.budget.fiscal),
            Edit::Amount(Field::Fiscal),
        ),
        SheetColumn::new(
            "其他资金",
            |r| Value::Amount(r.project.budget.other),
            Edit::Amount(Field::Other),
        ),
    ]
}

/// 项目汇总's columns after the checkpoints; the last [`SUMMARY_HELPERS`] (where each table was
/// read from, its unit) stand right of the print area.
pub fn summary_tail<'m>() -> [SheetColumn<SummaryRow<'m>>; 6] {
    [
        SheetColumn::new("指标数", |r| Value::Count(r.indicators), Edit::None),
        SheetColumn::new("错误", |r| Value::Count(r.errors), Edit::None),
        SheetColumn::new("警告", |r| Value::Count(r.warnings), Edit::None),
        SheetColumn::new(
            "来源文件",
            |r| Value::Text(&r.project.source.file),
            Edit::None,
        ),
        SheetColumn::new(
            "工作表",
            |r| Value::Text(&r.project.source.sheet),
            Edit::None,
        ),
        SheetColumn::new(
            "单位",
            |r| Value::Text(r.department.unit_name.as_deref().unwrap_or("")),
            Edit::None,
        ),
    ]
}

/// How many of 项目汇总's last columns are helpers, left out of the print area.
pub const SUMMARY_HELPERS: usize = 3;

/// The sheets' titles: `唐山市路南区数据和行政审批局本级 2025年 项目汇总（单位：万元）` — the unit
/// when the batch has one, the budget year when the codes agree.
#[derive(Debug, Clone, Default)]
pub struct Titles {
    unit: String,
    year: String,
}

impl Titles {
    /// From the model's departments (`with_projects[i]`: whether department `i` has projects:
    /// a streamed batch's departments are held without them) and the projects' codes.
    pub fn new(
        model: &crate::model::Model,
        with_projects: &[bool],
        years: crate::model::Years,
    ) -> Titles {
        let units: Vec<&str> = model
            .departments
            .iter()
            .enumerate()
            .filter(|(i, d)| {
                with_projects.get(*i).copied().unwrap_or(false) || !d.budget_lines.is_empty()
            })
            .filter_map(|(_, d)| d.unit_name.as_deref())
            .collect();
        let unit = match units.as_slice() {
            [one] => format!("{one} "),
            [] => String::new(),
            many => format!("{} 个单位 ", many.len()),
        };
        let year = years.year().map(|y| format!("{y}年")).unwrap_or_default();
        Titles { unit, year }
    }

    pub fn title(&self, what: &str, money: bool) -> String {
        let money = if money { "（单位：万元）" } else { "" };
        format!("{}{}{what}{money}", self.unit, self.year)
    }
}

/// The header of a checkpoint's column on 项目汇总.
pub fn checkpoint_header(by: &str) -> String {
    format!("{by}{CHECKPOINT_SUFFIX}")
}

/// 预算数 × cumulative % at a checkpoint, in 万元: the amount 项目汇总 shows.
pub fn planned(p: &Project, by: &str) -> Option<Decimal> {
    let pct = p.spending_plan.iter().find(|x| x.by == by)?.percent?;
    Some((p.budget.total? * pct / Decimal::ONE_HUNDRED).normalize())
}

/// What a checkpoint's header adds to its name (`3月底累计`).
pub const CHECKPOINT_SUFFIX: &str = "累计";

/// 问题清单's columns: every value under its own header; the message last, where a long
/// sentence can run on past its cell.
pub fn issue_columns() -> [SheetColumn<Diagnostic>; 9] {
    [
        SheetColumn::new("规则", |d| Value::Text(d.code.as_str()), Edit::None),
        SheetColumn::new("名称", |d| Value::Text(d.code.title()), Edit::None),
        SheetColumn::new("级别", |d| Value::Text(d.severity.chinese()), Edit::None),
        SheetColumn::new(
            "已修正",
            |d| Value::Text(if d.fixed { "是" } else { "" }),
            Edit::None,
        ),
        SheetColumn::new("文件", |d| Value::Text(&d.file), Edit::None),
        SheetColumn::new(
            "工作表",
            |d| Value::Text(d.sheet.as_deref().unwrap_or("")),
            Edit::None,
        ),
        SheetColumn::new("单元格", |d| Value::Cell(d.cell), Edit::None),
        SheetColumn::new(
            "项目编码",
            |d| Value::Text(d.project.as_deref().unwrap_or("")),
            Edit::None,
        ),
        SheetColumn::new("说明", |d| Value::Text(&d.message), Edit::None),
    ]
}

/// 自评汇总's columns.
pub const EVALUATION_COLUMNS: [&str; 11] = [
    CODE,
    NAME,
    "全年预算数",
    "全年执行数",
    "执行率（%）",
    "自评总分",
    "核算总分",
    "差额",
    "等级",
    "无法核算的指标",
    "文件",
];

/// 部门整体's columns.
pub const OVERALL_COLUMNS: [&str; 8] = [
    "单位",
    "序号",
    "分项名称",
    "位置",
    "绩效指标",
    "对应的绩效目标表",
    CODE,
    "问题",
];

/// 预算对账's columns.
pub const RECONCILIATION_COLUMNS: [&str; 7] = [
    "单位",
    CODE,
    NAME,
    "绩效表预算数",
    "部门预算数",
    "差额",
    "状态",
];
