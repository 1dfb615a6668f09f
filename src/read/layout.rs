//! Finds tables on a sheet by their labels and turns them into the model (SPEC §1.2).
//!
//! Nothing here assumes coordinates: a table may start anywhere, several may be stacked down one
//! sheet, label cells may be merged in pairs, columns may be reordered or extra. The sheet is
//! walked once from top to bottom; each table found is read, then the walk continues below it.

use super::grid::{Grid, Value};
use super::labels::{money_unit_of, Label};
use crate::model::amount::{decimal_from_cell_float, number_text, parse_decimal};
use crate::model::text::{is_placeholder, label_key};
use crate::model::{
    AmountField, Budget, BudgetLine, CellRange, CellRef, Framework, Indicator, IndicatorCells,
    IndicatorSource, LineSource, MoneyUnit, OverallTable, PlanPoint, Project, ProjectCells,
    ProjectSource, Target, Unit, UnreadableValue, WorkbookContents,
};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Where the sheet being read sits, for source locations.
pub struct SheetInfo<'s> {
    pub file: &'s str,
    pub sheet: &'s str,
    pub index: usize,
}

/// How many rows above a table's first label may hold its title and unit line.
const HEAD_ROWS: u32 = 6;

/// Reads every table on one sheet into `out`.
pub fn read_sheet(grid: &Grid, info: &SheetInfo, out: &mut WorkbookContents) {
    let Some(last) = grid.rows().last() else {
        return;
    };
    let mut row = *grid.rows().start();
    let mut head_start = row;
    while row <= last {
        let next = if is_budget_header(grid, row) {
            Some(read_budget_table(grid, info, head_start, row, out))
        } else if starts_table(grid, row, &[Label::ProjectCode, Label::ProjectName]) {
            read_project(grid, info, head_start, row, out)
        } else if starts_table(grid, row, &[Label::DepartmentName]) {
            read_overall(grid, info, head_start, row, out)
        } else {
            None
        };
        match next {
            Some(end) => {
                row = end + 1;
                head_start = row;
            }
            None => row += 1,
        }
    }
}

/// A row that opens a table: one of `labels` with a value to its right.
fn starts_table(grid: &Grid, row: u32, labels: &[Label]) -> bool {
    grid.row_labels(row)
        .any(|(c, l)| labels.contains(&l) && grid.value_right_of(row, c).is_some())
}

/// A 项目支出预算表 header: 项目编码 or 项目名称 followed by other labels, with an amount column.
fn is_budget_header(grid: &Grid, row: u32) -> bool {
    let mut identity = false;
    let mut amount = false;
    for (c, l) in grid.row_labels(row) {
        match l {
            Label::ProjectCode | Label::ProjectName => {
                identity |= grid.value_right_of(row, c).is_none();
            }
            Label::AmountColumn | Label::Total => amount = true,
            _ => {}
        }
    }
    identity && amount
}

/// The unit line and money unit in the rows above a table: `438001唐山市…本级 | 单位：万元`.
fn read_head(grid: &Grid, head_start: u32, anchor: u32) -> (Unit, Option<MoneyUnit>, u32) {
    let from = head_start.max(anchor.saturating_sub(HEAD_ROWS));
    let mut unit = Unit::default();
    let mut money = None;
    let mut top = anchor;
    for row in from..anchor {
        for (_, v) in grid.row_cells(row) {
            let Value::Text(text) = v else { continue };
            top = top.min(row);
            if let Some(m) = money_unit_of(text) {
                money = Some(m);
            } else if let Some(u) = parse_unit_line(text) {
                unit = u;
            }
        }
    }
    (unit, money, top)
}

/// `438001唐山市路南区数据和行政审批局本级` → code `438001`, name `唐山市…本级`;
/// `单位名称：唐山市…` → name only.
pub fn parse_unit_line(text: &str) -> Option<Unit> {
    let t = text.trim();
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if (3..=12).contains(&digits) {
        let name = t[digits..].trim();
        if !name.is_empty() && !name.starts_with(['.', '、', '．']) && !name.contains("绩效目标")
        {
            return Some(Unit {
                code: Some(t[..digits].to_string()),
                name: Some(name.to_string()),
            });
        }
    }
    let key = label_key(t);
    for prefix in ["单位名称:", "预算单位:", "部门名称:", "单位:"] {
        if let Some(name) = key.strip_prefix(prefix) {
            if !name.is_empty() && money_unit_of(t).is_none() {
                return Some(Unit {
                    code: None,
                    name: Some(name.to_string()),
                });
            }
        }
    }
    None
}

/// A title such as `1.电梯维保费绩效目标表`, alone on its row.
fn is_title_row(grid: &Grid, row: u32) -> bool {
    if grid.states_money_unit(row) {
        return true;
    }
    let mut cells = grid.row_cells(row);
    let Some((_, Value::Text(first))) = cells.next() else {
        return false;
    };
    let title = ["绩效目标表", "绩效目标申报表", "预算表", "自评表"]
        .iter()
        .any(|t| first.contains(t));
    title && cells.next().is_none()
}

/// Labelled fields gathered from a table's head, first occurrence of each label.
#[derive(Default)]
struct Fields<'a> {
    found: HashMap<LabelKey, (CellRef, Option<(CellRef, Value<'a>)>)>,
    money: Option<MoneyUnit>,
    purpose: Option<(CellRef, String)>,
    plan: Vec<(String, Value<'a>, CellRef)>,
    plan_cell: Option<CellRef>,
    header: Option<(u32, Columns)>,
    end: u32,
}

/// `Label` as a map key (it is `Copy` and has no data).
type LabelKey = u8;

fn key(l: Label) -> LabelKey {
    l as u8
}

impl<'a> Fields<'a> {
    fn value(&self, l: Label) -> Option<(CellRef, Value<'a>)> {
        self.found.get(&key(l)).and_then(|(_, v)| *v)
    }

    fn label_cell(&self, l: Label) -> Option<CellRef> {
        self.found.get(&key(l)).map(|(c, _)| *c)
    }

    fn text(&self, l: Label) -> String {
        self.value(l)
            .map(|(_, v)| v.text().into_owned())
            .unwrap_or_default()
    }

    /// The cell holding a field's value; for a blank value, the cell just right of its label,
    /// where the user would type it.
    fn cell(&self, l: Label) -> Option<CellRef> {
        self.value(l)
            .map(|(c, _)| c)
            .or_else(|| self.label_cell(l).map(|c| CellRef::new(c.row, c.col + 1)))
    }
}

/// Reads the labelled head of a table from `anchor` down to its indicator header (or its end).
/// `identity` labels may appear once: a second one starts the next table.
fn read_fields<'a>(grid: &Grid<'a>, anchor: u32, identity: &[Label]) -> Fields<'a> {
    let last = *grid.rows().end();
    let mut f = Fields {
        end: anchor,
        ..Fields::default()
    };
    let mut budget_row = None;
    let mut section_col = None;
    let mut row = anchor;
    while row <= last {
        if row > anchor
            && (is_budget_header(grid, row)
                || grid
                    .row_labels(row)
                    .any(|(_, l)| identity.contains(&l) && f.found.contains_key(&key(l)))
                || (is_title_row(grid, row) && !grid.row_labels(row).any(|_| true)))
        {
            break;
        }
        if let Some(columns) = indicator_columns(grid, row) {
            f.header = Some((row, columns));
            break;
        }
        let mut labelled = false;
        for (c, l) in grid.row_labels(row).collect::<Vec<_>>() {
            labelled = true;
            if let Value::Text(t) = grid.value(row, c) {
                f.money = f.money.or(money_unit_of(t));
            }
            match l {
                Label::BudgetSection => section_col = Some(c),
                Label::Plan => read_plan(grid, row, c, &mut f),
                Label::Total => budget_row = Some(row),
                _ => {}
            }
            f.found
                .entry(key(l))
                .or_insert_with(|| (CellRef::new(row, c), grid.value_right_of(row, c)));
        }
        if !labelled && f.purpose.is_none() && budget_row.is_some_and(|b| row == b + 1) {
            let from = section_col.unwrap_or(grid.first_col());
            if let Some((c, v)) = grid
                .row_cells(row)
                .find(|(c, _)| *c > from || section_col.is_none())
            {
                f.purpose = Some((CellRef::new(row, c), v.text().into_owned()));
            }
        }
        if !labelled && !grid.row_is_blank(row) && f.found.is_empty() {
            break;
        }
        f.end = row;
        row += 1;
    }
    f
}

/// `资金支出计划（%） | 3月底 | 6月底 | 10月底 | 12月底` with the percents on the row below.
fn read_plan<'a>(grid: &Grid<'a>, row: u32, col: u32, f: &mut Fields<'a>) {
    f.plan_cell = Some(CellRef::new(row, col));
    for (c, by) in grid.row_cells(row).filter(|(c, _)| *c > col) {
        let v = grid.value(row + 1, c);
        f.plan
            .push((by.text().trim().to_string(), v, CellRef::new(row + 1, c)));
    }
}

/// The indicator table's columns, found from its header row by name.
#[derive(Debug, Clone, Copy, Default)]
struct Columns {
    level1: Option<u32>,
    level2: Option<u32>,
    level3: Option<u32>,
    description: Option<u32>,
    target: Option<u32>,
    basis: Option<u32>,
    unit: Option<u32>,
    comparator: Option<u32>,
}

fn indicator_columns(grid: &Grid, row: u32) -> Option<Columns> {
    let mut cols = Columns::default();
    for (c, l) in grid.row_labels(row) {
        let slot = match l {
            Label::Level1 => &mut cols.level1,
            Label::Level2 => &mut cols.level2,
            Label::Level3 => &mut cols.level3,
            Label::Description => &mut cols.description,
            Label::TargetValue => &mut cols.target,
            Label::Basis => &mut cols.basis,
            Label::UnitColumn => &mut cols.unit,
            Label::Comparator => &mut cols.comparator,
            _ => continue,
        };
        slot.get_or_insert(c);
    }
    let levels = cols.level1.is_some() || cols.level2.is_some();
    (levels && (cols.level3.is_some() || cols.target.is_some())).then_some(cols)
}

/// A row after a blank one that still belongs to the indicator table.
fn continues_table(grid: &Grid, row: u32, cols: &Columns) -> bool {
    let has = |c: Option<u32>| c.is_some_and(|c| !grid.value(row, c).is_blank());
    !is_title_row(grid, row)
        && !grid.row_labels(row).any(|(_, l)| l.is_field())
        && (has(cols.level3) || has(cols.target))
}

fn ends_table(grid: &Grid, row: u32) -> bool {
    if is_title_row(grid, row)
        || grid.row_labels(row).any(|(_, l)| l.is_field())
        || indicator_header_like(grid, row)
    {
        return true;
    }
    match grid.row_cells(row).next() {
        Some((_, Value::Text(t))) => {
            let k = label_key(t);
            ["备注", "说明", "注:", "填报说明", "总分", "合计"]
                .iter()
                .any(|p| k.starts_with(p))
        }
        _ => false,
    }
}

fn indicator_header_like(grid: &Grid, row: u32) -> bool {
    grid.row_has(row, Label::Level1) && grid.row_has(row, Label::Level2)
}

/// Reads indicator rows below the header; returns them and the last row of the table.
fn read_indicators(
    grid: &Grid,
    info: &SheetInfo,
    header: u32,
    cols: &Columns,
) -> (Vec<Indicator>, u32) {
    let last = *grid.rows().end();
    let mut out = Vec::new();
    let (mut level1, mut level2) = (String::new(), String::new());
    let mut end = header;
    let mut row = header + 1;
    while row <= last {
        if grid.row_is_blank(row) {
            match (row + 1..=last).find(|r| !grid.row_is_blank(*r)) {
                Some(next) if continues_table(grid, next, cols) => {
                    row = next;
                    continue;
                }
                _ => break,
            }
        }
        if ends_table(grid, row) {
            break;
        }
        let text = |c: Option<u32>| {
            c.map(|c| grid.value(row, c).text().into_owned())
                .unwrap_or_default()
        };
        let l1 = text(cols.level1);
        let l2 = text(cols.level2);
        if !l1.trim().is_empty() {
            level1 = l1;
            level2 = l2;
        } else if !l2.trim().is_empty() {
            level2 = l2;
        }
        let cell = |c: Option<u32>| c.map(|c| CellRef::new(row, c));
        let unit_column = cols
            .unit
            .map(|c| grid.value(row, c).text().trim().to_string())
            .filter(|u| !u.is_empty());
        let level3 = text(cols.level3);
        let description = text(cols.description);
        let target_text = target_text(
            grid,
            row,
            cols,
            &level3,
            &description,
            unit_column.as_deref(),
        );
        out.push(Indicator {
            level1: level1.clone(),
            level2: level2.clone(),
            level3,
            description,
            target: Target::parse(&target_text),
            basis: text(cols.basis),
            unit_column,
            source: IndicatorSource {
                sheet: info.sheet.to_string(),
                cell: cell(cols.target)
                    .or(cell(cols.level3))
                    .unwrap_or(CellRef::new(row, 0)),
                cells: IndicatorCells {
                    level1: cell(cols.level1),
                    level2: cell(cols.level2),
                    level3: cell(cols.level3),
                    description: cell(cols.description),
                    target: cell(cols.target),
                    basis: cell(cols.basis),
                },
            },
        });
        end = row;
        row += 1;
    }
    (out, end)
}

/// The 指标值 as text, with a separate 计算符号 and 计量单位 folded in, and a number stored in a
/// percent-formatted cell (`0.95`) read as the percent it shows (`95%`).
fn target_text(
    grid: &Grid,
    row: u32,
    cols: &Columns,
    level3: &str,
    description: &str,
    unit: Option<&str>,
) -> String {
    let raw = cols
        .target
        .map(|c| grid.value(row, c))
        .unwrap_or(Value::Empty);
    let rate_like = unit == Some("%")
        || [level3, description].iter().any(|t| {
            ["率", "满意度", "比例", "占比", "%", "％"]
                .iter()
                .any(|k| t.contains(k))
        });
    let mut text = match raw {
        Value::Number(n) if rate_like && unit.is_none_or(|u| u == "%") && n.abs() <= 1.0 => {
            let percent = decimal_from_cell_float(n)
                .map(|d| d * Decimal::from(100))
                .unwrap_or_default();
            format!("{}%", number_text(&percent))
        }
        other => other.text().into_owned(),
    };
    if let Some(u) = unit {
        if parse_decimal(&text).is_some() {
            text.push_str(u);
        }
    }
    let comparator = cols
        .comparator
        .map(|c| grid.value(row, c).text().trim().to_string())
        .unwrap_or_default();
    let symbol = match comparator.as_str() {
        "正向" => "≥",
        "反向" => "≤",
        "定性" | "定量" | "" => "",
        other => other,
    };
    if symbol.is_empty() || is_placeholder(&text) {
        text
    } else {
        format!("{symbol}{text}")
    }
}

/// Reads a money cell: a number, or a number written as text with an optional 万元/元 suffix.
/// `Err` carries the text of a cell that is not a number (`约2万`, `#REF!`, `2000万`).
fn money(v: Value, unit: MoneyUnit) -> Result<Option<Decimal>, String> {
    match v {
        Value::Empty => Ok(None),
        Value::Number(n) => decimal_from_cell_float(n)
            .map(|d| Some(unit.to_wan(d)))
            .ok_or_else(|| v.text().into_owned()),
        Value::Text(t) if is_placeholder(t) => Ok(None),
        Value::Text(t) => {
            let s = t.trim();
            let (body, unit) = if let Some(b) = s.strip_suffix("万元") {
                (b, MoneyUnit::Wan)
            } else if let Some(b) = s.strip_suffix('元') {
                (b, MoneyUnit::Yuan)
            } else {
                (s, unit)
            };
            parse_decimal(body)
                .map(|d| Some(unit.to_wan(d)))
                .ok_or_else(|| t.to_string())
        }
        Value::Error(e) => Err(e.to_string()),
        Value::Bool(_) => Err(v.text().into_owned()),
    }
}

/// A percent cell of the spending plan: `25%`, `25％`, `25`, or `0.25` when `fraction` is set.
fn percent(v: Value, fraction: bool) -> Result<Option<Decimal>, String> {
    let scale = if fraction {
        Decimal::from(100)
    } else {
        Decimal::ONE
    };
    match v {
        Value::Empty => Ok(None),
        Value::Number(n) => decimal_from_cell_float(n)
            .map(|d| Some((d * scale).normalize()))
            .ok_or_else(|| v.text().into_owned()),
        Value::Text(t) if is_placeholder(t) => Ok(None),
        Value::Text(t) => {
            let s = t.trim().trim_end_matches(['%', '％']);
            parse_decimal(s).map(Some).ok_or_else(|| t.to_string())
        }
        other => Err(other.text().into_owned()),
    }
}

/// Records a money field of the head, or the cell that should have been a number.
fn money_field(
    f: &Fields,
    label: Label,
    field: AmountField,
    unit: MoneyUnit,
    bad: &mut Vec<UnreadableValue>,
) -> Option<Decimal> {
    let (cell, v) = f.value(label)?;
    money(v, unit).unwrap_or_else(|text| {
        bad.push(UnreadableValue { field, text, cell });
        None
    })
}

impl Fields<'_> {
    /// A table, not a stray label: an index sheet's `项目名称 | 工作表` has none of these.
    fn is_table(&self) -> bool {
        self.header.is_some()
            || [
                Label::Total,
                Label::Goals,
                Label::Plan,
                Label::DepartmentBudget,
            ]
            .iter()
            .any(|l| self.found.contains_key(&key(*l)))
    }
}

/// Reads a project table anchored at its 项目编码/项目名称 row; returns its last row, or `None`
/// when the label turns out not to open a table.
fn read_project(
    grid: &Grid,
    info: &SheetInfo,
    head_start: u32,
    anchor: u32,
    out: &mut WorkbookContents,
) -> Option<u32> {
    let f = read_fields(grid, anchor, &[Label::ProjectCode, Label::ProjectName]);
    if !f.is_table() {
        return None;
    }
    let (mut unit, head_money, top) = read_head(grid, head_start, anchor);
    let money_unit = f.money.or(head_money).unwrap_or_default();
    let mut unreadable = Vec::new();
    let budget = Budget {
        total: money_field(
            &f,
            Label::Total,
            AmountField::Total,
            money_unit,
            &mut unreadable,
        ),
        fiscal: money_field(
            &f,
            Label::Fiscal,
            AmountField::Fiscal,
            money_unit,
            &mut unreadable,
        ),
        other: money_field(
            &f,
            Label::Other,
            AmountField::Other,
            money_unit,
            &mut unreadable,
        ),
    };
    // `0.25 | 0.5 | 0.75 | 1`: fractions (compared after the one rounding, so noise is gone).
    let fraction = !f.plan.is_empty()
        && f.plan.iter().all(|(_, v, _)| match v {
            Value::Number(n) => decimal_from_cell_float(*n).is_some_and(|d| d <= Decimal::ONE),
            _ => false,
        });
    let spending_plan = f
        .plan
        .iter()
        .map(|(by, v, cell)| PlanPoint {
            by: by.clone(),
            percent: percent(*v, fraction).unwrap_or_else(|text| {
                unreadable.push(UnreadableValue {
                    field: AmountField::Plan(by.clone()),
                    text,
                    cell: *cell,
                });
                None
            }),
            cell: Some(*cell),
        })
        .collect();
    let (indicators, end) = match &f.header {
        Some((row, cols)) => {
            let (list, end) = read_indicators(grid, info, *row, cols);
            (list, end.max(*row))
        }
        None => (Vec::new(), f.end),
    };
    if unit.name.is_none() {
        unit.name = Some(f.text(Label::UnitName)).filter(|n| !n.trim().is_empty());
    }
    let purpose = f
        .value(Label::Purpose)
        .map(|(c, v)| (c, v.text().into_owned()))
        .or(f.purpose.clone());
    let goals = f
        .text(Label::Goals)
        .split('\n')
        .map(|g| g.trim_end_matches('\r'))
        .filter(|g| !g.trim().is_empty())
        .map(str::to_string)
        .collect();
    let framework = if indicators
        .iter()
        .any(|i| label_key(&i.level1) == "成本指标")
    {
        Framework::F101
    } else {
        Framework::F88
    };
    let max_col = (top..=end)
        .flat_map(|r| grid.row_cells(r).map(|(c, _)| c).last())
        .max()
        .unwrap_or(grid.first_col());
    let project = Project {
        code: f.text(Label::ProjectCode).trim().to_string(),
        name: f.text(Label::ProjectName),
        budget,
        purpose: purpose.as_ref().map(|(_, p)| p.clone()).unwrap_or_default(),
        spending_plan,
        goals,
        framework,
        indicators,
        money_unit,
        unreadable,
        source: ProjectSource {
            file: info.file.to_string(),
            sheet: info.sheet.to_string(),
            sheet_index: info.index,
            range: CellRange {
                start: CellRef::new(top, grid.first_col()),
                end: CellRef::new(end, max_col),
            },
            cells: ProjectCells {
                code: f.cell(Label::ProjectCode),
                name: f.cell(Label::ProjectName),
                total: f.cell(Label::Total),
                fiscal: f.cell(Label::Fiscal),
                other: f.cell(Label::Other),
                purpose: purpose.map(|(c, _)| c),
                plan: f.plan_cell,
                goals: f.cell(Label::Goals),
                indicator_header: f
                    .header
                    .as_ref()
                    .map(|(r, c)| CellRef::new(*r, c.level1.or(c.level2).unwrap_or(0))),
            },
        },
    };
    out.projects.push((unit, project));
    Some(end)
}

fn read_overall(
    grid: &Grid,
    info: &SheetInfo,
    head_start: u32,
    anchor: u32,
    out: &mut WorkbookContents,
) -> Option<u32> {
    let f = read_fields(grid, anchor, &[Label::DepartmentName]);
    if !f.is_table() {
        return None;
    }
    let (head_unit, head_money, _) = read_head(grid, head_start, anchor);
    let unit_money = f.money.or(head_money).unwrap_or_default();
    let name = f.text(Label::DepartmentName);
    let parsed = parse_unit_line(&name);
    let unit = Unit {
        code: parsed
            .as_ref()
            .and_then(|u| u.code.clone())
            .or(head_unit.code),
        name: parsed
            .and_then(|u| u.name)
            .or(Some(name.trim().to_string())),
    };
    let mut bad = Vec::new();
    let (indicators, end) = match &f.header {
        Some((row, cols)) => read_indicators(grid, info, *row, cols),
        None => (Vec::new(), f.end),
    };
    let table = OverallTable {
        goals: f
            .text(Label::Goals)
            .split('\n')
            .filter(|g| !g.trim().is_empty())
            .map(str::to_string)
            .collect(),
        total_budget: money_field(
            &f,
            Label::DepartmentBudget,
            AmountField::DepartmentBudget,
            unit_money,
            &mut bad,
        ),
        project_spending: money_field(
            &f,
            Label::ProjectSpending,
            AmountField::ProjectSpending,
            unit_money,
            &mut bad,
        ),
        indicators,
        source: LineSource {
            file: info.file.to_string(),
            sheet: info.sheet.to_string(),
            sheet_index: info.index,
            cell: CellRef::new(anchor, grid.first_col()),
        },
    };
    out.overall.push((unit, table));
    Some(end.max(f.end))
}

/// Reads a 项目支出预算表 from its header row; returns the table's last row.
fn read_budget_table(
    grid: &Grid,
    info: &SheetInfo,
    head_start: u32,
    header: u32,
    out: &mut WorkbookContents,
) -> u32 {
    let (head_unit, head_money, _) = read_head(grid, head_start, header);
    let mut cols: HashMap<LabelKey, u32> = HashMap::new();
    let mut money_unit = head_money;
    for (c, l) in grid.row_labels(header) {
        let l = if l == Label::Total {
            Label::AmountColumn
        } else {
            l
        };
        cols.entry(key(l)).or_insert(c);
        if let Value::Text(t) = grid.value(header, c) {
            money_unit = money_unit.or(money_unit_of(t));
        }
    }
    let money_unit = money_unit.unwrap_or_default();
    let col = |l: Label| cols.get(&key(l)).copied();
    let last = *grid.rows().end();
    let mut end = header;
    for row in header + 1..=last {
        if grid.row_is_blank(row)
            || is_title_row(grid, row)
            || grid.row_labels(row).any(|(_, l)| l == Label::ProjectCode)
        {
            break;
        }
        end = row;
        let text = |l: Label| {
            col(l)
                .map(|c| grid.value(row, c).text().trim().to_string())
                .unwrap_or_default()
        };
        let (code, name) = (text(Label::ProjectCode), text(Label::ProjectName));
        let first = grid
            .row_cells(row)
            .next()
            .map(|(_, v)| label_key(&v.text()))
            .unwrap_or_default();
        let is_total = ["合计", "总计", "小计"]
            .iter()
            .any(|t| label_key(&code) == *t || label_key(&name) == *t || first == *t);
        if is_total || (code.is_empty() && name.is_empty()) {
            continue;
        }
        let mut unreadable = Vec::new();
        let mut amount = |l: Label, field: AmountField| {
            let c = col(l)?;
            money(grid.value(row, c), money_unit).unwrap_or_else(|text| {
                unreadable.push(UnreadableValue {
                    field: field.clone(),
                    text,
                    cell: CellRef::new(row, c),
                });
                None
            })
        };
        let total = amount(Label::AmountColumn, AmountField::LineTotal);
        let fiscal = amount(Label::Fiscal, AmountField::LineFiscal);
        let other = amount(Label::Other, AmountField::Other);
        let unit = match (text(Label::UnitCode), text(Label::UnitName)) {
            (c, n) if c.is_empty() && n.is_empty() => head_unit.clone(),
            (c, n) => Unit {
                code: Some(c).filter(|c| !c.is_empty()),
                name: Some(n).filter(|n| !n.is_empty()),
            },
        };
        let line = BudgetLine {
            code,
            name,
            total,
            fiscal,
            other,
            unreadable,
            source: LineSource {
                file: info.file.to_string(),
                sheet: info.sheet.to_string(),
                sheet_index: info.index,
                cell: CellRef::new(row, col(Label::AmountColumn).unwrap_or(grid.first_col())),
            },
        };
        out.budget_lines.push((unit, line));
    }
    end
}
