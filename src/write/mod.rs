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

/// rust_xlsxwriter's error, with the file it was writing.
pub fn xlsx_error(path: &Path, source: XlsxError) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// How hard the zip package is compressed: writing is mostly compression, and a light level
/// saves a workbook several times faster for a somewhat larger file (rust_xlsxwriter's own
/// performance notes suggest the same trade).
#[derive(Debug, Clone, Copy)]
pub enum Packing {
    /// The many small corrected workbooks: speed first.
    Fast,
    /// The one roll-up, which is mailed around: a balance.
    Balanced,
}

/// Saves a workbook atomically (temporary file, then rename).
pub fn save(mut wb: Workbook, path: &Path, packing: Packing) -> Result<(), Error> {
    wb.set_properties(&properties());
    wb.set_zip_compression_level(match packing {
        Packing::Fast => 1,
        Packing::Balanced => 3,
    });
    let bytes = wb.save_to_buffer().map_err(|e| xlsx_error(path, e))?;
    crate::output::write_atomically(path, &bytes)
}
