//! A table head's labelled fields: each label's value beside or below it, and the spending plan's checkpoints.

use super::super::grid::{Grid, Value};
use super::super::labels::{money_unit_of, Label};
use super::indicators::{indicator_columns, Columns};
use super::{is_budget_header, is_title_row};
use crate::model::{CellRef, MoneyUnit};
use std::collections::HashMap;

/// Labelled fields gathered from a table's head, first occurrence of each label.
#[derive(Default)]
pub(super) struct Fields<'a> {
    pub(super) found: HashMap<LabelKey, (CellRef, Option<(CellRef, Value<'a>)>)>,
    pub(super) money: Option<MoneyUnit>,
    pub(super) purpose: Option<(CellRef, String)>,
    pub(super) plan: Vec<(String, Value<'a>, CellRef)>,
    pub(super) plan_cell: Option<CellRef>,
    pub(super) header: Option<(u32, Columns)>,
    pub(super) end: u32,
}

/// `Label` as a map key (it is `Copy` and has no data).
pub(super) type LabelKey = u8;

pub(super) fn key(l: Label) -> LabelKey {
    l as u8
}

impl<'a> Fields<'a> {
    pub(super) fn value(&self, l: Label) -> Option<(CellRef, Value<'a>)> {
        self.found.get(&key(l)).and_then(|(_, v)| *v)
    }

    pub(super) fn label_cell(&self, l: Label) -> Option<CellRef> {
        self.found.get(&key(l)).map(|(c, _)| *c)
    }

    pub(super) fn text(&self, l: Label) -> String {
        self.value(l)
            .map(|(_, v)| v.text().into_owned())
            .unwrap_or_default()
    }

    /// The cell holding a field's value; for a blank value, the cell just right of its label,
    /// where the user would type it.
    pub(super) fn cell(&self, l: Label) -> Option<CellRef> {
        self.value(l)
            .map(|(c, _)| c)
            .or_else(|| self.label_cell(l).map(|c| CellRef::new(c.row, c.col + 1)))
    }
}

/// Reads the labelled head of a table from `anchor` down to its indicator header (or its end).
/// `identity` labels may appear once: a second one starts the next table.
pub(super) fn read_fields<'a>(grid: &Grid<'a>, anchor: u32, identity: &[Label]) -> Fields<'a> {
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
pub(super) fn read_plan<'a>(grid: &Grid<'a>, row: u32, col: u32, f: &mut Fields<'a>) {
    f.plan_cell = Some(CellRef::new(row, col));
    for (c, by) in grid.row_cells(row).filter(|(c, _)| *c > col) {
        let v = grid.value(row + 1, c);
        f.plan
            .push((by.text().trim().to_string(), v, CellRef::new(row + 1, c)));
    }
}

impl Fields<'_> {
    /// A 项目支出绩效自评表: its head has 全年预算数/全年执行数, or its indicator header 实际完成值.
    pub(super) fn is_evaluation(&self) -> bool {
        self.found.contains_key(&key(Label::Evaluation))
            || self.header.as_ref().is_some_and(|(_, c)| c.evaluation)
    }

    /// A table, not a stray label: an index sheet's `项目名称 | 工作表` has none of these.
    pub(super) fn is_table(&self) -> bool {
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
