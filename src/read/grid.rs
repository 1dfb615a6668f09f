//! One worksheet's cells as the layout finder sees them: text, numbers, errors and labels,
//! addressed by absolute zero-based (row, column), whatever row the used range starts on.

use super::labels::{inspect, Label};
use super::sheet::Sheet;
use crate::model::amount::{decimal_from_cell_float, number_text};
use crate::model::CellRef;
use calamine::{Data, Range};
use std::borrow::Cow;

/// A cell's value, borrowed from the sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    /// An Excel error value such as `#REF!`.
    Error(&'static str),
    Bool(bool),
    /// A formula whose result was never calculated (none stored, or a 0 that cannot be right):
    /// its value is unknown, never blank or 0.
    Formula(&'a str),
}

impl Value<'_> {
    /// True for an empty cell or one holding only white space.
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as people read it: text as written, numbers without float noise.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Empty => Cow::Borrowed(""),
            Value::Text(t) => Cow::Borrowed(t),
            Value::Number(n) => Cow::Owned(
                decimal_from_cell_float(*n)
                    .map(|d| number_text(&d))
                    .unwrap_or_default(),
            ),
            Value::Error(e) => Cow::Borrowed(e),
            Value::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
            Value::Formula(_) => Cow::Borrowed(""),
        }
    }
}

/// A worksheet ready for label lookups.
pub struct Grid<'a> {
    sheet: &'a Sheet,
    range: &'a Range<Data>,
    start: (u32, u32),
    end: (u32, u32),
    /// Per row (from `start.0`), its label cells left to right: rows are asked for their labels
    /// again and again, so each cell's text is normalized once, here.
    labels: Vec<Vec<(u32, Label)>>,
    /// Per row, whether it states a money unit (`单位：万元`): a table's unit line.
    unit_rows: Vec<bool>,
}

fn error_text(e: &calamine::CellErrorType) -> &'static str {
    use calamine::CellErrorType::*;
    match e {
        Div0 => "#DIV/0!",
        NA => "#N/A",
        Name => "#NAME?",
        Null => "#NULL!",
        Num => "#NUM!",
        Ref => "#REF!",
        Value => "#VALUE!",
        GettingData => "#GETTING_DATA",
    }
}

impl<'a> Grid<'a> {
    pub fn new(sheet: &'a Sheet) -> Grid<'a> {
        Grid::band(sheet, None)
    }

    /// The sheet seen through columns `from..=to` only (one of two tables side by side).
    pub fn band(sheet: &'a Sheet, columns: Option<(u32, u32)>) -> Grid<'a> {
        let range = &sheet.cells;
        let mut start = range.start().unwrap_or((0, 0));
        let mut end = range.end().unwrap_or((0, 0));
        if let Some((from, to)) = columns {
            start.1 = start.1.max(from);
            end.1 = end.1.min(to).max(start.1);
        }
        let height = if range.is_empty() {
            0
        } else {
            (end.0 - start.0 + 1) as usize
        };
        let mut labels = vec![Vec::new(); height];
        let mut unit_rows = vec![false; height];
        if height > 0 {
            // One pass over the cells; `used_cells` goes row by row, left to right.
            let left = range.start().unwrap_or((0, 0)).1;
            for (r, c, data) in range.used_cells() {
                let col = left + c as u32;
                if col < start.1 || col > end.1 {
                    continue;
                }
                if let Data::String(s) = data {
                    let (label, states_unit) = inspect(s);
                    if let Some(label) = label {
                        labels[r].push((col, label));
                    }
                    unit_rows[r] |= states_unit;
                }
            }
        }
        Grid {
            sheet,
            range,
            start,
            end,
            labels,
            unit_rows,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }

    /// True when the user does not see the cell: its sheet, row or column is hidden.
    pub fn is_hidden(&self, row: u32, col: u32) -> bool {
        self.sheet.hidden || self.sheet.is_row_hidden(row) || self.sheet.is_col_hidden(col)
    }

    pub fn is_col_hidden(&self, col: u32) -> bool {
        self.sheet.is_col_hidden(col)
    }

    pub fn sheet_hidden(&self) -> bool {
        self.sheet.hidden
    }

    /// The column bands of tables side by side (SPEC §1.2 layout drift): split where 项目编码
    /// labels stand in columns more than two apart; `None` for the usual one band.
    pub fn side_by_side(&self) -> Option<Vec<(u32, u32)>> {
        let mut anchors: Vec<u32> = self
            .labels
            .iter()
            .flatten()
            .filter(|(_, l)| *l == Label::ProjectCode)
            .map(|(c, _)| *c)
            .collect();
        anchors.sort_unstable();
        anchors.dedup();
        let mut starts = vec![self.first_col()];
        for pair in anchors.windows(2) {
            if pair[1] > pair[0] + 2 {
                starts.push(pair[1]);
            }
        }
        if starts.len() < 2 {
            return None;
        }
        let ends = starts
            .iter()
            .skip(1)
            .map(|s| s - 1)
            .chain([self.last_col()]);
        Some(starts.iter().copied().zip(ends).collect())
    }

    /// First and last row of the used range.
    pub fn rows(&self) -> std::ops::RangeInclusive<u32> {
        if self.range.is_empty() {
            #[allow(clippy::reversed_empty_ranges)] // an empty sheet has no rows
            return 1..=0;
        }
        self.start.0..=self.end.0
    }

    pub fn first_col(&self) -> u32 {
        self.start.1
    }

    pub fn last_col(&self) -> u32 {
        self.end.1
    }

    pub fn value(&self, row: u32, col: u32) -> Value<'a> {
        let formula = || {
            (!self.sheet.uncalculated.is_empty())
                .then(|| self.sheet.uncalculated(row, col))
                .flatten()
        };
        match self.range.get_value((row, col)) {
            None | Some(Data::Empty) => formula().map_or(Value::Empty, Value::Formula),
            Some(Data::Float(f)) if *f == 0.0 => {
                formula().map_or(Value::Number(0.0), Value::Formula)
            }
            Some(Data::String(s)) => Value::Text(s),
            Some(Data::Float(f)) => Value::Number(*f),
            Some(Data::Int(i)) => Value::Number(*i as f64),
            Some(Data::Bool(b)) => Value::Bool(*b),
            Some(Data::Error(e)) => Value::Error(error_text(e)),
            Some(Data::DateTime(dt)) => Value::Number(dt.as_f64()),
            Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => Value::Text(s),
        }
    }

    fn row_index(&self, row: u32) -> Option<usize> {
        row.checked_sub(self.start.0)
            .map(|r| r as usize)
            .filter(|r| *r < self.labels.len())
    }

    pub fn label(&self, row: u32, col: u32) -> Option<Label> {
        let labels = &self.labels[self.row_index(row)?];
        labels.iter().find(|(c, _)| *c == col).map(|(_, l)| *l)
    }

    /// The labels of one row, left to right.
    pub fn row_labels(&self, row: u32) -> impl Iterator<Item = (u32, Label)> + '_ {
        self.row_index(row)
            .map(|r| self.labels[r].as_slice())
            .unwrap_or(&[])
            .iter()
            .copied()
    }

    /// True when the row states a money unit (`单位：万元`, `金额单位：元`), as a unit line does.
    pub fn states_money_unit(&self, row: u32) -> bool {
        self.row_index(row).is_some_and(|r| self.unit_rows[r])
    }

    pub fn row_has(&self, row: u32, label: Label) -> bool {
        self.row_labels(row).any(|(_, l)| l == label)
    }

    pub fn row_is_blank(&self, row: u32) -> bool {
        (self.first_col()..=self.last_col()).all(|c| self.value(row, c).is_blank())
    }

    /// The non-blank cells of a row, left to right.
    pub fn row_cells(&self, row: u32) -> impl Iterator<Item = (u32, Value<'a>)> + '_ {
        (self.first_col()..=self.last_col())
            .map(move |c| (c, self.value(row, c)))
            .filter(|(_, v)| !v.is_blank())
    }

    /// A label's value: the next non-blank cell to its right on the same row, unless that cell
    /// is itself a label (a blank 其他资金 before 资金用途), in which case there is none. A cell in
    /// a hidden column is passed over when a visible value follows it.
    pub fn value_right_of(&self, row: u32, col: u32) -> Option<(CellRef, Value<'a>)> {
        let mut hidden = None;
        for c in col + 1..=self.last_col() {
            let v = self.value(row, c);
            if v.is_blank() {
                continue;
            }
            if self.label(row, c).is_some() {
                break;
            }
            if self.sheet.is_col_hidden(c) {
                hidden = hidden.or(Some((CellRef::new(row, c), v)));
                continue;
            }
            return Some((CellRef::new(row, c), v));
        }
        hidden
    }
}
