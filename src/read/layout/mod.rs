//! Finds tables on a sheet by their labels and turns them into the model (SPEC §1.2).
//!
//! Nothing here assumes coordinates: a table may start anywhere, several may be stacked down one
//! sheet, label cells may be merged in pairs, columns may be reordered or extra. The sheet is
//! walked once from top to bottom; each table found is read, then the walk continues below it.
//!
//! `fields` gathers a table head's labelled values, `indicators` reads the indicator table by
//! its header row, `values` turns cells into exact amounts and percents, `tables` builds the
//! project, department and budget tables; this file walks the sheet.

mod evaluation;
mod fields;
mod indicators;
mod notes;
mod tables;
mod values;

use super::grid::{Grid, Value};
use super::labels::{money_unit_of, Label};
use crate::model::text::label_key;
use crate::model::{MoneyUnit, Unit, WorkbookContents};
use tables::{read_budget_table, read_overall, read_project};

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

/// The unit line and money unit in the rows above a table: `438001唐山市…本级 | 单位：万元`,
/// or the unit line split over cells (`438001 | 唐山市…本级`, `单位编码：438001 | 单位名称：…`).
fn read_head(grid: &Grid, head_start: u32, anchor: u32) -> (Unit, Option<MoneyUnit>, u32) {
    let from = head_start.max(anchor.saturating_sub(HEAD_ROWS));
    let mut unit = Unit::default();
    let mut money = None;
    let mut top = anchor;
    for row in from..anchor {
        let mut code_cell = None;
        for (_, v) in grid.row_cells(row) {
            let text = match v {
                Value::Text(text) => text,
                Value::Number(n) => {
                    // `438001` in a cell of its own, its name in the next.
                    top = top.min(row);
                    code_cell = unit_code_number(n);
                    continue;
                }
                _ => continue,
            };
            top = top.min(row);
            if let Some(m) = money_unit_of(text) {
                money = Some(m);
            } else if let Some(u) = parse_unit_line(text) {
                unit.code = u.code.or(unit.code.take());
                unit.name = u.name.or(unit.name.take());
            } else if let Some(code) = code_cell.take() {
                if is_unit_name(text) {
                    unit.code = Some(code);
                    unit.name = Some(text.trim().to_string());
                }
            }
        }
    }
    (unit, money, top)
}

/// A unit code typed as a number: a whole number of 3 to 12 digits.
fn unit_code_number(n: f64) -> Option<String> {
    let whole = n.fract() == 0.0 && (100.0..1e12).contains(&n);
    whole.then(|| format!("{n:.0}"))
}

/// A unit's name beside its code: words, not a title, a label or a unit line.
fn is_unit_name(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && !t.contains("绩效目标")
        && !t.contains("自评表")
        && super::labels::classify(t).is_none()
        && !t.chars().next().is_some_and(|c| c.is_ascii_digit())
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
    for prefix in ["单位编码:", "单位代码:", "预算单位编码:"] {
        if let Some(code) = key.strip_prefix(prefix) {
            if !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Some(Unit {
                    code: Some(code.to_string()),
                    name: None,
                });
            }
        }
    }
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
    // Every title ends in 表: one search rules out most rows.
    let title = first.contains('表')
        && ["绩效目标表", "绩效目标申报表", "预算表", "自评表"]
            .iter()
            .any(|t| first.contains(t));
    title && cells.next().is_none()
}
