//! Reading a roll-up `汇总.xlsx` back for `jxmb apply`: the model kept in its hidden sheet, and
//! the rows of the sheets users edit, as text exactly as the cells show it.

use super::grid::{Grid, Value};
use super::sheet::Sheet;
use super::{read_named_sheets, Unreadable};
use crate::model::CellRef;

/// One row of an edited sheet: its cells' text as shown, and the row's number (0-based) on
/// the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    pub row: u32,
    pub cells: Vec<String>,
    /// The columns holding a formula whose result was never calculated: their value is
    /// unknown, not the blank text in `cells`.
    pub uncalculated: Vec<usize>,
}

impl Row {
    pub fn get(&self, col: usize) -> &str {
        self.cells.get(col).map(String::as_str).unwrap_or("")
    }

    pub fn cell(&self, col: usize) -> CellRef {
        CellRef::new(self.row, col as u32)
    }

    /// True when the cell holds a formula never calculated.
    pub fn is_uncalculated(&self, col: usize) -> bool {
        self.uncalculated.contains(&col)
    }
}

/// A sheet's rows, header first.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub rows: Vec<Row>,
}

/// What `apply` needs from a roll-up.
#[derive(Debug, Default)]
pub struct RollupFile {
    /// The model's JSON, from the hidden `_jxmb` sheet; `None` when the sheet is missing.
    pub model_json: Option<String>,
    /// Sheet name → rows, for the sheets asked for and their continuations, in order.
    pub sheets: Vec<(String, Rows)>,
}

fn rows_of(sheet: &Sheet) -> Rows {
    let grid = Grid::new(sheet);
    let mut rows = Vec::new();
    for r in grid.rows() {
        let mut row = Row {
            row: r,
            ..Row::default()
        };
        for c in 0..=grid.last_col() {
            let value = grid.value(r, c);
            if let Value::Formula(_) = value {
                row.uncalculated.push(c as usize);
            }
            row.cells.push(value.text().into_owned());
        }
        rows.push(row);
    }
    Rows { rows }
}

/// Reads the hidden model and the named sheets (and their continuations) of a roll-up.
pub fn read_rollup(
    path: &std::path::Path,
    model_sheet: &str,
    sheets: &[&str],
) -> Result<RollupFile, Unreadable> {
    let bytes = std::fs::read(path).map_err(|e| Unreadable::Io(e.to_string()))?;
    let wanted = |name: &str| {
        name == model_sheet
            || sheets
                .iter()
                .any(|s| name == *s || name.starts_with(&format!("{s}（")))
    };
    let mut out = RollupFile::default();
    for (name, sheet) in read_named_sheets(bytes, wanted)? {
        if name == model_sheet {
            let grid = Grid::new(&sheet);
            let json: String = grid
                .rows()
                .map(|r| grid.value(r, grid.first_col()).text().into_owned())
                .collect();
            out.model_json = Some(json);
        } else {
            out.sheets.push((name, rows_of(&sheet)));
        }
    }
    // A long list goes on in name（2）, name（3）…: each in its order after the first.
    out.sheets.sort_by_key(|(name, _)| {
        let base = sheets.iter().position(|s| name.starts_with(s)).unwrap_or(0);
        let k = (0..1000)
            .find(|k| continued(sheets[base], *k) == *name)
            .unwrap_or(0);
        (base, k)
    });
    Ok(out)
}

/// The name of a long list's `k`-th sheet (from 0) in a roll-up: `指标明细`, `指标明细（2）`, …
/// (a sheet holds 1,048,576 rows).
pub fn continued(name: &str, k: usize) -> String {
    if k == 0 {
        name.to_string()
    } else {
        format!("{name}（{}）", k + 1)
    }
}
