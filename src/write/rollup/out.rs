//! The list-sheet writer the roll-up's sheets share: cells with their styles, column widths
//! measured as it goes, a header row, `SUM` totals and the print set-up.

use super::super::style::{print_setup, Formats, Style, Widths};
use crate::model::amount::number_text;
use crate::rollup::{SheetColumn, Value};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

pub(super) fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A small writer that tracks column widths as it goes.
pub(super) struct Out<'w> {
    pub ws: &'w mut Worksheet,
    widths: Widths,
    pub formats: Formats,
}

impl<'w> Out<'w> {
    pub fn new(ws: &'w mut Worksheet) -> Out<'w> {
        Out {
            ws,
            widths: Widths::default(),
            formats: Formats::new(),
        }
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

    pub fn header(&mut self, names: &[&str]) -> Result<(), XlsxError> {
        for (c, name) in names.iter().enumerate() {
            self.text(0, c as u16, name, Style::Label)?;
        }
        self.ws.set_freeze_panes(1, 0)?;
        Ok(())
    }

    pub fn finish(self, rows: u32, cols: u16) -> Result<(), XlsxError> {
        if rows > 0 && cols > 0 {
            self.ws.autofilter(0, 0, rows, cols - 1)?;
        }
        self.widths.apply(self.ws, 8.0, 40.0)?;
        self.ws.set_repeat_rows(0, 0)?;
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

    /// Row `r`'s cells from column `first` on, one per column of `columns`.
    pub fn row<R>(
        &mut self,
        r: u32,
        first: u16,
        columns: &[SheetColumn<R>],
        row: &R,
    ) -> Result<(), XlsxError> {
        for (k, column) in columns.iter().enumerate() {
            self.value(r, first + k as u16, (column.value)(row))?;
        }
        Ok(())
    }
}
