//! What a table's reader could not take at face value (SPEC §1.2): content the user does not
//! see, hidden columns shadowed by visible ones, indicator formulas never calculated, and a
//! money unit nowhere declared. Each becomes a `ReadNote` on the project, said by JX006–JX008.

use super::super::grid::{Grid, Value};
use super::indicators::Columns;
use crate::model::{CellRef, Project, ReadNote};
use rust_decimal::Decimal;

/// The notes for a project just read. `header` is its indicator header row and columns;
/// `unit_declared` whether a money unit was stated near it.
pub(super) fn notes_of(
    grid: &Grid,
    project: &Project,
    header: Option<(u32, &Columns)>,
    unit_declared: bool,
) -> Vec<ReadNote> {
    let mut notes = Vec::new();
    let cells = read_cells(project);
    if grid.sheet_hidden() {
        notes.push(ReadNote::Hidden {
            cells: Vec::new(),
            sheet: true,
        });
    } else {
        let hidden: Vec<CellRef> = cells
            .iter()
            .copied()
            .filter(|c| grid.is_hidden(c.row, c.col) && !grid.value(c.row, c.col).is_blank())
            .collect();
        if !hidden.is_empty() {
            notes.push(ReadNote::Hidden {
                cells: hidden,
                sheet: false,
            });
        }
    }
    if let Some((row, cols)) = header {
        for (hidden, visible) in &cols.shadowed {
            notes.push(ReadNote::Shadowed {
                header: grid.value(row, *visible).text().trim().to_string(),
                hidden: CellRef::new(row, *hidden),
                visible: CellRef::new(row, *visible),
            });
        }
    }
    for i in &project.indicators {
        let c = &i.source.cells;
        for cell in [c.level3, c.description, c.target, c.basis]
            .into_iter()
            .flatten()
        {
            if let Value::Formula(formula) = grid.value(cell.row, cell.col) {
                notes.push(ReadNote::Uncalculated {
                    cell,
                    formula: formula.to_string(),
                });
            }
        }
    }
    if !unit_declared {
        let b = &project.budget;
        let largest = [b.total, b.fiscal, b.other]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(Decimal::ZERO);
        let s = &project.source.cells;
        if let Some(cell) = s.total.or(s.code).or(Some(project.source.range.start)) {
            notes.push(ReadNote::UnitNotDeclared { cell, largest });
        }
    }
    notes
}

/// Every cell a project's values were read from.
fn read_cells(p: &Project) -> Vec<CellRef> {
    let s = &p.source.cells;
    let mut cells: Vec<CellRef> = [
        s.code, s.name, s.total, s.fiscal, s.other, s.purpose, s.goals,
    ]
    .into_iter()
    .flatten()
    .collect();
    cells.extend(p.spending_plan.iter().filter_map(|point| point.cell));
    for i in &p.indicators {
        let c = &i.source.cells;
        cells.extend(
            [
                c.level1,
                c.level2,
                c.level3,
                c.description,
                c.target,
                c.basis,
            ]
            .into_iter()
            .flatten(),
        );
    }
    cells.sort_by_key(|c| (c.row, c.col));
    cells.dedup();
    cells
}
