//! The long list sheets, written row by row in constant memory: 指标明细 (one row per indicator,
//! the sheet users edit) and 问题清单 (every finding).

use super::out::{Out, FIRST_ROW};
use crate::diag::Diagnostic;
use crate::rollup::{self, headers, Detail};
use rust_xlsxwriter::{Worksheet, XlsxError};

/// Columns of long text, wrapped at a width that keeps the sheet one A4 page wide at a
/// readable size: (header, width).
fn wrap_by_header(out: &mut Out, names: &[&str], widths: &[(&str, f64)]) -> Result<(), XlsxError> {
    for (header, width) in widths {
        if let Some(c) = names.iter().position(|n| n == header) {
            out.wrap(c as u16, *width)?;
        }
    }
    Ok(())
}

/// Writes 指标明细's rows under `title`.
pub(super) fn details_sheet<'m>(
    ws: &mut Worksheet,
    title: &str,
    rows: impl Iterator<Item = Detail<'m>>,
) -> Result<(), XlsxError> {
    let mut out = Out::new(ws);
    let columns = rollup::detail_columns();
    let names = headers(&columns);
    wrap_by_header(
        &mut out,
        &names,
        &[
            ("项目名称", 14.0),
            ("二级指标", 12.0),
            ("三级指标", 14.0),
            ("绩效指标描述", 22.0),
            ("指标值", 14.0),
            ("计量单位", 6.0),
            ("指标值确定依据", 10.0),
        ],
    )?;
    out.title(title, names.len() as u16)?;
    out.header(&names)?;
    let mut last = FIRST_ROW - 1;
    for (n, row) in rows.enumerate() {
        last = FIRST_ROW + n as u32;
        out.row(last, 0, &columns, &row)?;
    }
    out.ws.set_freeze_panes(FIRST_ROW, 2)?;
    out.finish(last, names.len() as u16, names.len() as u16)
}

/// Writes 问题清单's rows under `title`.
pub(super) fn issues_sheet<D: std::ops::Deref<Target = Diagnostic>>(
    ws: &mut Worksheet,
    title: &str,
    diags: impl Iterator<Item = D>,
) -> Result<(), XlsxError> {
    let mut out = Out::new(ws);
    let columns = rollup::issue_columns();
    let names = headers(&columns);
    wrap_by_header(
        &mut out,
        &names,
        &[
            ("名称", 14.0),
            ("文件", 18.0),
            ("工作表", 10.0),
            ("说明", 50.0),
        ],
    )?;
    out.title(title, names.len() as u16)?;
    out.header(&names)?;
    let mut last = FIRST_ROW - 1;
    for (n, d) in diags.enumerate() {
        last = FIRST_ROW + n as u32;
        out.row(last, 0, &columns, &*d)?;
    }
    out.finish(last, names.len() as u16, names.len() as u16)
}
