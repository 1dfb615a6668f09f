//! Reading a roll-up `汇总.xlsx` back for `jxmb apply`: the model kept in its hidden sheet, and
//! the rows of the sheets users edit, as text exactly as the cells show it.

use super::grid::Grid;
use super::{read_zip_book, Unreadable};
use crate::model::CellRef;
use calamine::{Data, Range, Reader};

/// One row of an edited sheet: its cells' text, and the row's number (0-based) on the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub row: u32,
    pub cells: Vec<String>,
}

impl Row {
    pub fn get(&self, col: usize) -> &str {
        self.cells.get(col).map(String::as_str).unwrap_or("")
    }

    pub fn cell(&self, col: usize) -> CellRef {
        CellRef::new(self.row, col as u32)
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

fn rows_of(range: Range<Data>) -> Rows {
    let sheet = super::sheet::Sheet::new(range);
    let grid = Grid::new(&sheet);
    let mut rows = Vec::new();
    for r in grid.rows() {
        let cells: Vec<String> = (0..=grid.last_col())
            .map(|c| grid.value(r, c).text().into_owned())
            .collect();
        rows.push(Row { row: r, cells });
    }
    Rows { rows }
}

/// Reads the hidden model and the named sheets of a roll-up.
pub fn read_rollup(
    path: &std::path::Path,
    model_sheet: &str,
    sheets: &[&str],
) -> Result<RollupFile, Unreadable> {
    let bytes = std::fs::read(path).map_err(|e| Unreadable::Io(e.to_string()))?;
    let mut book = read_zip_book(bytes)?;
    let mut out = RollupFile::default();
    if book.sheet_names().iter().any(|n| n == model_sheet) {
        let range = book
            .worksheet_range(model_sheet)
            .map_err(|e| Unreadable::Corrupt(e.to_string()))?;
        let json: String = range
            .rows()
            .filter_map(|row| row.first())
            .map(|c| c.to_string())
            .collect();
        out.model_json = Some(json);
    }
    for name in sheets {
        // A long list goes on in name（2）, name（3）…: each is read, in order.
        for k in 0.. {
            let name = continued(name, k);
            if !book.sheet_names().contains(&name) {
                break;
            }
            let range = book
                .worksheet_range(&name)
                .map_err(|e| Unreadable::Corrupt(e.to_string()))?;
            out.sheets.push((name, rows_of(range)));
        }
    }
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
