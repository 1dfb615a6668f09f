//! The indicator table: its columns found from the header row by name, its rows (merged and
//! continued cells inherited), and each 指标值 with its unit or comparator column folded in.

use super::super::grid::{Grid, Value};
use super::super::labels::Label;
use super::{is_title_row, SheetInfo};
use crate::model::amount::{decimal_from_cell_float, number_text, parse_decimal};
use crate::model::text::{is_placeholder, label_key};
use crate::model::{CellRef, Indicator, IndicatorCells, IndicatorSource, Target};
use rust_decimal::Decimal;

/// The indicator table's columns, found from its header row by name.
#[derive(Debug, Clone, Default)]
pub(super) struct Columns {
    pub(super) level1: Option<u32>,
    pub(super) level2: Option<u32>,
    pub(super) level3: Option<u32>,
    pub(super) description: Option<u32>,
    pub(super) target: Option<u32>,
    pub(super) basis: Option<u32>,
    pub(super) unit: Option<u32>,
    pub(super) comparator: Option<u32>,
    /// 年初指标值, beside an adjusted 指标值.
    pub(super) initial: Option<u32>,
    /// Hidden columns not read because a visible one has the same header: (hidden, visible).
    pub(super) shadowed: Vec<(u32, u32)>,
    /// The header holds 实际完成值: a 自评表, not a 目标表.
    pub(super) evaluation: bool,
}

pub(super) fn indicator_columns(grid: &Grid, row: u32) -> Option<Columns> {
    let mut cols = Columns::default();
    let mut shadowed = Vec::new();
    for (c, l) in grid.row_labels(row) {
        if l == Label::Evaluation {
            cols.evaluation = true;
        }
        let slot = match l {
            Label::Level1 => &mut cols.level1,
            Label::Level2 => &mut cols.level2,
            Label::Level3 => &mut cols.level3,
            Label::Description => &mut cols.description,
            Label::TargetValue => &mut cols.target,
            Label::Basis => &mut cols.basis,
            Label::UnitColumn => &mut cols.unit,
            Label::Comparator => &mut cols.comparator,
            Label::InitialTarget => &mut cols.initial,
            _ => continue,
        };
        // A hidden column never wins over a visible one with the same header.
        match *slot {
            None => *slot = Some(c),
            Some(first) if grid.is_col_hidden(first) && !grid.is_col_hidden(c) => {
                shadowed.push((first, c));
                *slot = Some(c);
            }
            Some(first) if grid.is_col_hidden(c) && !grid.is_col_hidden(first) => {
                shadowed.push((c, first));
            }
            Some(_) => {}
        }
    }
    cols.shadowed = shadowed;
    // Only a 年初指标值: it is the target.
    if cols.target.is_none() {
        cols.target = cols.initial.take();
    }
    let levels = cols.level1.is_some() || cols.level2.is_some();
    (levels && (cols.level3.is_some() || cols.target.is_some())).then_some(cols)
}

/// A row after a blank one that still belongs to the indicator table.
pub(super) fn continues_table(grid: &Grid, row: u32, cols: &Columns) -> bool {
    let has = |c: Option<u32>| c.is_some_and(|c| !grid.value(row, c).is_blank());
    !is_title_row(grid, row)
        && !grid.row_labels(row).any(|(_, l)| l.is_field())
        && (has(cols.level3) || has(cols.target))
}

pub(super) fn ends_table(grid: &Grid, row: u32) -> bool {
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

pub(super) fn indicator_header_like(grid: &Grid, row: u32) -> bool {
    grid.row_has(row, Label::Level1) && grid.row_has(row, Label::Level2)
}

/// Reads indicator rows below the header; returns them and the last row of the table.
pub(super) fn read_indicators(
    grid: &Grid,
    info: &SheetInfo,
    header: u32,
    cols: &Columns,
) -> (Vec<Indicator>, u32) {
    let last = *grid.rows().end();
    let mut out: Vec<Indicator> = Vec::new();
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
        if let Some(previous) = out
            .last_mut()
            .filter(|_| continues_description(grid, row, cols))
        {
            let more = cols
                .description
                .map(|c| grid.value(row, c).text().into_owned())
                .unwrap_or_default();
            previous.description.push_str(more.trim());
            end = row;
            row += 1;
            continue;
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
            initial_target: cols
                .initial
                .map(|c| grid.value(row, c).text().into_owned())
                .filter(|t| !t.trim().is_empty())
                .map(|t| Target::parse(&t)),
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

/// A row holding only more of the description above it (the other cells blank): the text was
/// continued on the next row, not a new indicator.
fn continues_description(grid: &Grid, row: u32, cols: &Columns) -> bool {
    let Some(description) = cols.description else {
        return false;
    };
    let blank = |c: Option<u32>| c.is_none_or(|c| grid.value(row, c).is_blank());
    !grid.value(row, description).is_blank()
        && [
            cols.level1,
            cols.level2,
            cols.level3,
            cols.target,
            cols.basis,
            cols.unit,
            cols.comparator,
            cols.initial,
        ]
        .into_iter()
        .all(blank)
}

/// The 指标值 as text, with a separate 计算符号 and 计量单位 folded in, and a number stored in a
/// percent-formatted cell (`0.95`) read as the percent it shows (`95%`).
pub(super) fn target_text(
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
    // Asked only of a number of at most 1 (the words are looked for in every row otherwise).
    let rate_like = || {
        unit == Some("%")
            || [level3, description].iter().any(|t| {
                ["率", "满意度", "比例", "占比", "%", "％"]
                    .iter()
                    .any(|k| t.contains(k))
            })
    };
    let mut text = match raw {
        Value::Number(n) if n.abs() <= 1.0 && unit.is_none_or(|u| u == "%") && rate_like() => {
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
