//! Writing workbooks: the only module that touches rust_xlsxwriter.
//!
//! `form` lays a project table out in the seed's standard form (and the budget and department
//! tables beside it); `corrected` puts one source file's tables into one workbook with the
//! remaining findings as notes; `rollup` writes the department roll-up `汇总.xlsx`.

pub mod corrected;
mod form;
pub mod rollup;
mod style;

pub use form::Remark;

use crate::error::Error;
use rust_xlsxwriter::{DocProperties, Workbook, XlsxError};
use std::path::Path;

/// Custom document properties naming the tool and model versions that wrote the file.
fn properties() -> DocProperties {
    DocProperties::new()
        .set_custom_property("jxmb 版本", env!("CARGO_PKG_VERSION"))
        .set_custom_property("jxmb 模型版本", crate::model::MODEL_VERSION as i32)
        .set_comment("由 jxmb 生成")
}

pub fn xlsx_error(path: &Path, e: XlsxError) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Saves a workbook atomically (temporary file, then rename).
pub fn save(mut wb: Workbook, path: &Path) -> Result<(), Error> {
    wb.set_properties(&properties());
    let bytes = wb.save_to_buffer().map_err(|e| xlsx_error(path, e))?;
    crate::output::write_atomically(path, &bytes)
}
