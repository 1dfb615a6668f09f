//! The list-sheet writer the roll-up's sheets share: cells with their styles, column widths
//! measured as it goes, a header row, `SUM` totals and the print set-up.

use super::super::style::{lines_of, print_setup, Formats, Style, Widths, LINE_HEIGHT};
use crate::model::amount::number_text;
use crate::rollup::{SheetColumn, Value};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

pub(super) fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Every list sheet: its title on row 1, the header on row 2 (both repeated on each printed
/// page), the rows from row 3.
pub(super) const TITLE_ROW: u32 = 0;
pub(super) const HEADER_ROW: u32 = 1;
pub(super) const FIRST_ROW: u32 = 2;

/// The widest a column gets unless given its own cap: longer text wraps.
const WIDEST: f64 = 24.0;

/// A small writer that tracks column widths as it goes.
pub(super) struct Out<'w> {
    pub ws: &'w mut Worksheet,
    widths: Widths,
    pub formats: Formats,
    /// Per column, the widest it may get (longer text wraps there).
    caps: Vec<(u16, f64)>,
}

impl<'w> Out<'w> {
    pub fn new(ws: &'w mut Worksheet) -> Out<'w> {
        Out {
            ws,
            widths: Widths::default(),
            formats: Formats::new(),
            caps: Vec::new(),
        }
    }

    /// The sheet's title across `cols` columns on the first row.
    pub fn title(&mut self, title: &str, cols: u16) -> Result<(), XlsxError> {
        let format = self.formats.get(Style::SheetTitle, None).clone();
        if cols > 1 {
            self.ws
                .merge_range(TITLE_ROW, 0, TITLE_ROW, cols - 1, title, &format)?;
        } else {
            self.ws
                .write_string_with_format(TITLE_ROW, 0, title, &format)?;
        }
        self.ws.set_row_height(TITLE_ROW, 24)?;
        Ok(())
    }

    /// Text in column `col` wraps past `width` (set before any row is written: plain cells
    /// take the column's format).
    pub fn wrap(&mut self, col: u16, width: f64) -> Result<(), XlsxError> {
        let format = self.formats.get(Style::CellWrap, None).clone();
        self.ws.set_column_format(col, &format)?;
        self.caps.push((col, width));
        Ok(())
    }

    pub fn text(&mut self, r: u32, c: u16, s: &str, style: Style) -> Result<(), XlsxError> {
        self.widths.see(c, s);
        if style == Style::Cell {
            // Plain list cells carry no format: rust_xlsxwriter looks a format up on every
            // write, which costs more than the cell itself on a sheet of 100,000 rows.
            self.ws.write_string(r, c, s)?;
            return Ok(());
        }
        self.ws
            .write_string_with_format(r, c, s, self.formats.get(style, None))?;
        Ok(())
    }

    pub fn amount(&mut self, r: u32, c: u16, v: Option<Decimal>) -> Result<(), XlsxError> {
        match v {
            Some(v) => self.ws.write_number_with_format(
                r,
                c,
                f64_of(v),
                self.formats.get(Style::Amount, None),
            )?,
            None => self
                .ws
                .write_blank(r, c, self.formats.get(Style::Amount, None))?,
        };
        Ok(())
    }

    pub fn count(&mut self, r: u32, c: u16, v: usize) -> Result<(), XlsxError> {
        self.ws
            .write_number_with_format(r, c, v as f64, self.formats.get(Style::Count, None))?;
        Ok(())
    }

    /// A `SUM` over rows `first..=last` of column `c`, with its result set so readers that do
    /// not calculate (calamine, previews) see the total.
    pub fn sum(
        &mut self,
        r: u32,
        c: u16,
        first: u32,
        last: u32,
        result: Decimal,
        style: Style,
    ) -> Result<(), XlsxError> {
        let col = crate::model::cell::column_letters(u32::from(c));
        let f = Formula::new(format!("=SUM({col}{}:{col}{})", first + 1, last + 1))
            .set_result(number_text(&result));
        self.ws
            .write_formula_with_format(r, c, f, self.formats.get(style, None))?;
        Ok(())
    }

    /// The header row (taller when a header wraps in its column).
    pub fn header(&mut self, names: &[&str]) -> Result<(), XlsxError> {
        let mut lines = 1.0f64;
        for (c, name) in names.iter().enumerate() {
            let c = c as u16;
            if let Some(cap) = self.cap(c) {
                lines = lines.max(lines_of(name, cap));
            }
            self.text(HEADER_ROW, c, name, Style::Label)?;
        }
        if lines > 1.0 {
            self.ws
                .set_row_height(HEADER_ROW, LINE_HEIGHT * lines + 2.0)?;
        }
        self.ws.set_freeze_panes(FIRST_ROW, 0)?;
        Ok(())
    }

    /// Makes row `r` tall enough for `texts` written in capped columns ((column, text)).
    pub fn fit(&mut self, r: u32, texts: &[(u16, &str)]) -> Result<(), XlsxError> {
        let lines = texts
            .iter()
            .filter_map(|(c, t)| self.cap(*c).map(|cap| lines_of(t, cap)))
            .fold(1.0f64, f64::max);
        if lines > 1.0 {
            self.ws
                .set_row_height(r, LINE_HEIGHT * lines.min(12.0) + 2.0)?;
        }
        Ok(())
    }

    fn cap(&self, col: u16) -> Option<f64> {
        self.caps.iter().find(|(c, _)| *c == col).map(|(_, w)| *w)
    }

    /// Widths, the filter over the header and `last` row, and printing: the title and header
    /// on every page, columns from the first through `printed` (the helpers right of them
    /// left out) with the grid, one page wide.
    pub fn finish(self, last: u32, cols: u16, printed: u16) -> Result<(), XlsxError> {
        if last >= FIRST_ROW && cols > 0 {
            self.ws.autofilter(HEADER_ROW, 0, last, cols - 1)?;
        }
        self.widths.apply_capped(self.ws, 6.0, WIDEST, &self.caps)?;
        self.ws.set_repeat_rows(TITLE_ROW, HEADER_ROW)?;
        if printed > 0 {
            self.ws
                .set_print_area(TITLE_ROW, 0, last.max(HEADER_ROW), printed - 1)?;
            // Plain list cells carry no format (a format per cell costs more than the cell on a
            // long sheet; a column format would border the whole column on screen): the grid is
            // printed instead.
            self.ws.set_print_gridlines(true);
        }
        print_setup(self.ws);
        Ok(())
    }
}

impl Out<'_> {
    /// One cell of a list sheet.
    pub fn value(&mut self, r: u32, c: u16, v: Value) -> Result<(), XlsxError> {
        match v {
            Value::Text(s) => self.text(r, c, s, Style::Cell),
            Value::Amount(a) => self.amount(r, c, a),
            Value::Count(n) => self.count(r, c, n),
            Value::Cell(cell) => {
                let shown = cell.map(|c| c.to_string()).unwrap_or_default();
                self.text(r, c, &shown, Style::Cell)
            }
        }
    }

    /// Row `r`'s cells from column `first` on, one per column of `columns`; a row whose
    /// wrapped text takes several lines is made tall enough to show them (spreadsheet
    /// programs do not all fit row heights to wrapped text when they open a file).
    pub fn row<R>(
        &mut self,
        r: u32,
        first: u16,
        columns: &[SheetColumn<R>],
        row: &R,
    ) -> Result<(), XlsxError> {
        let mut wrapped: Vec<(u16, &str)> = Vec::new();
        for (k, column) in columns.iter().enumerate() {
            let c = first + k as u16;
            let value = (column.value)(row);
            if let (Value::Text(text), Some(_)) = (&value, self.cap(c)) {
                wrapped.push((c, text));
            }
            self.value(r, c, value)?;
        }
        self.fit(r, &wrapped)?;
        Ok(())
    }
}
