//! The long list sheets, written row by row in constant memory: 指标明细 (one row per indicator,
//! the sheet users edit) and 问题清单 (every finding).

use super::out::Out;
use crate::diag::Diagnostic;
use crate::rollup::{self, headers, Detail};
use rust_xlsxwriter::{Worksheet, XlsxError};

/// Writes 指标明细's rows.
pub(super) fn details_sheet<'m>(
    ws: &mut Worksheet,
    rows: impl Iterator<Item = Detail<'m>>,
) -> Result<(), XlsxError> {
    let mut out = Out::new(ws);
    let columns = rollup::detail_columns();
    out.header(&headers(&columns))?;
    let mut r = 0;
    for row in rows {
        r += 1;
        out.row(r, 0, &columns, &row)?;
    }
    out.ws.set_freeze_panes(1, 2)?;
    out.finish(r, columns.len() as u16)
}

/// Writes 问题清单's rows.
pub(super) fn issues_sheet<'d>(
    ws: &mut Worksheet,
    diags: impl Iterator<Item = &'d Diagnostic>,
) -> Result<(), XlsxError> {
    let mut out = Out::new(ws);
    let columns = rollup::issue_columns();
    out.header(&headers(&columns))?;
    let mut rows = 0;
    for (n, d) in diags.enumerate() {
        let r = 1 + n as u32;
        rows = r;
        out.row(r, 0, &columns, d)?;
    }
    out.finish(rows, columns.len() as u16)?;
    // After the automatic widths, which stop at 40: most sentences fit in 90.
    ws.set_column_width(columns.len() as u16 - 1, 90)?;
    Ok(())
}
