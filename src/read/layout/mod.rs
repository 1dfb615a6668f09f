//! Finds tables on a sheet by their labels and turns them into the model (SPEC §1.2).
//!
//! Nothing here assumes coordinates: a table may start anywhere, several may be stacked down one
//! sheet, label cells may be merged in pairs, columns may be reordered or extra. The sheet is
//! walked once from top to bottom; each table found is read, then the walk continues below it.
//!
//! `fields` gathers a table head's labelled values, `indicators` reads the indicator table by
//! its header row, `values` turns cells into exact amounts and percents, `tables` builds the
//! project, department and budget tables; this file walks the sheet.

mod fields;
mod indicators;
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
