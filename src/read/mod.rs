//! Reading workbooks and Word documents: the only module that touches calamine and the files' XML.
//!
//! `read_file` / `read_bytes` turn one file into the tables it holds, or into the one reason it
//! cannot be read (empty, not a workbook, truncated, corrupt, password-protected). The format is
//! decided from the bytes, not the name, so an `.xls` renamed `.xlsx` still reads.

mod budget_file;
mod docx;
mod grid;
pub mod labels;
mod layout;
pub mod limits;
mod number_format;
mod ods_extras;
mod prose;
pub mod rollup;
mod sheet;
mod word;
mod xls_extras;
mod xls_guard;
mod xlsx;
mod xml_scan;

pub use budget_file::read_budget_file;
pub use layout::parse_unit_line;
pub use limits::Limits;

use crate::model::WorkbookContents;
use calamine::{Data, Range, Reader};
use sheet::Sheet;
use std::fmt;
use std::io::{Cursor, Read, Seek};
use std::path::Path;

/// Why a file could not be read as a workbook. Each becomes one JX001 diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    Empty,
    /// Not a spreadsheet at all; says what it looks like instead.
    NotAWorkbook(&'static str),
    /// The zip package ends early: a copy that did not finish.
    Truncated,
    /// The container is there but its contents do not parse.
    Corrupt(String),
    PasswordProtected,
    /// The file system refused (permissions, vanished, a folder).
    Io(String),
    /// Over a safety limit (a zip bomb, a sheet spanning the whole grid, too many sheets):
    /// says which.
    TooLarge(String),
    /// The reader itself failed on this file (a bug: it is contained, reported, and the batch
    /// goes on; tests require that it never happens).
    Internal,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::Empty => write!(f, "文件为空（0 字节），不是工作簿"),
            Unreadable::NotAWorkbook(what) => {
                write!(f, "不是 Excel/WPS/LibreOffice 工作簿（{what}）")
            }
            Unreadable::Truncated => write!(
                f,
                "文件不完整（被截断），可能是复制或下载未完成，请重新获取"
            ),
            Unreadable::Corrupt(why) => write!(f, "文件已损坏，无法读取（{why}）"),
            Unreadable::PasswordProtected => {
                write!(f, "工作簿设有打开密码（已加密），请去掉密码后再提交")
            }
            Unreadable::Io(why) => write!(f, "无法打开文件（{why}）"),
            Unreadable::TooLarge(why) => write!(f, "超出安全上限，未读取：{why}"),
            Unreadable::Internal => {
                write!(f, "读取此文件时 jxmb 内部出错，请把文件报告给 jxmb 开发者")
            }
        }
    }
}

/// The hidden sheet in which a roll-up keeps its model (named here because `write/` may not be
/// imported by the reader).
pub const ROLLUP_MODEL_SHEET: &str = "_jxmb";

/// The formats read, by their extension: workbooks and Word documents (`.doc`/`.wps` only to
/// say they must be saved as `.docx`).
pub const INPUT_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods", "docx", "doc", "wps"];

/// Reads one file from disk (opened read-only), within the default limits.
pub fn read_file(path: &Path, shown: &str) -> Result<WorkbookContents, Unreadable> {
    read_file_within(path, shown, &Limits::default())
}

/// Reads one file from disk (opened read-only), within `limits`.
pub fn read_file_within(
    path: &Path,
    shown: &str,
    limits: &Limits,
) -> Result<WorkbookContents, Unreadable> {
    let size = std::fs::metadata(path)
        .map_err(|e| Unreadable::Io(e.to_string()))?
        .len();
    if size > limits.max_uncompressed {
        return Err(Unreadable::TooLarge(format!(
            "文件大小 {:.0} MB，超过上限",
            size as f64 / (1 << 20) as f64
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Unreadable::Io(e.to_string()))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    read_bytes_within(bytes, &ext, shown, limits)
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY: &[u8] = b"PK\x05\x06";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a workbook held in memory. `ext` (lower case, no dot) only breaks ties between the zip
/// formats; `shown` is the path written into source locations.
pub fn read_bytes(bytes: Vec<u8>, ext: &str, shown: &str) -> Result<WorkbookContents, Unreadable> {
    read_bytes_within(bytes, ext, shown, &Limits::default())
}

/// `read_bytes` within `limits`.
pub fn read_bytes_within(
    bytes: Vec<u8>,
    ext: &str,
    shown: &str,
    limits: &Limits,
) -> Result<WorkbookContents, Unreadable> {
    // A panic inside calamine or the layout finder must cost only this file.
    std::panic::catch_unwind(|| read_sniffed(bytes, ext, shown, limits))
        .unwrap_or(Err(Unreadable::Internal))
}

fn read_sniffed(
    bytes: Vec<u8>,
    ext: &str,
    shown: &str,
    limits: &Limits,
) -> Result<WorkbookContents, Unreadable> {
    if bytes.is_empty() {
        return Err(Unreadable::Empty);
    }
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY) {
        read_zip(bytes, ext, shown, limits)
    } else if bytes.starts_with(OLE_MAGIC) {
        read_ole(bytes, shown, limits)
    } else {
        Err(Unreadable::NotAWorkbook(what_is_it(&bytes)))
    }
}

fn read_zip(
    bytes: Vec<u8>,
    ext: &str,
    shown: &str,
    limits: &Limits,
) -> Result<WorkbookContents, Unreadable> {
    if !has_end_of_central_directory(&bytes) {
        return Err(Unreadable::Truncated);
    }
    let is_ods = ext == "ods"
        || contains(
            &bytes[..bytes.len().min(200)],
            b"application/vnd.oasis.opendocument",
        );
    if is_ods || ext == "xlsb" {
        limits::check_package(&bytes, limits)?;
    }
    let mut used = 0;
    if is_ods {
        let cursor = Cursor::new(bytes);
        let mut extras = limits::check_ods(cursor.get_ref(), limits)?;
        let mut book = calamine::Ods::new(cursor).map_err(|e| ods_error(&e))?;
        let names = listed(&book);
        read_sheets(names, shown, limits, |index, name| {
            let range = checked(
                book.worksheet_range(name).map_err(|e| ods_error(&e)),
                limits,
                &mut used,
            )?;
            Ok(with_extras_of(range, &mut extras, index))
        })
    } else if ext == "xlsb" {
        let mut book = calamine::Xlsb::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
        let names = listed(&book);
        read_sheets(names, shown, limits, |_, name| {
            let mut cells = book.worksheet_cells_reader(name).map_err(|e| corrupt(&e))?;
            limits::collect_cells(|| cells.next_cell(), |e| corrupt(&e), limits, &mut used)
                .map(Sheet::new)
        })
    } else {
        let mut book = match xlsx::Book::open_or_word(bytes, limits)? {
            Ok(book) => book,
            Err(document) => return word::read_word(document, shown, limits),
        };
        let names = book
            .sheets
            .iter()
            .map(|s| (s.name.clone(), s.hidden))
            .collect();
        read_sheets(names, shown, limits, |index, _| {
            book.sheet(index, limits, &mut used)
        })
    }
}

/// A calamine workbook's sheets: name and whether it is hidden.
fn listed<RS: Read + Seek, R: Reader<RS>>(book: &R) -> Vec<(String, bool)> {
    book.sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible))
        .collect()
}

/// A sheet read whole by calamine (.ods, .xls), counted against the cell limit afterwards,
/// with its date cells shown as dates.
fn checked(
    range: Result<Range<Data>, Unreadable>,
    limits: &Limits,
    used: &mut usize,
) -> Result<Range<Data>, Unreadable> {
    let mut range = range?;
    *used += range
        .used_cells()
        .filter(|(_, _, v)| !matches!(v, Data::Empty))
        .count();
    limits::check_cell_count(*used, limits)?;
    let dates: Vec<(usize, usize, String)> = range
        .used_cells()
        .filter_map(|(r, c, v)| number_format::date_of(v).map(|t| (r, c, t)))
        .collect();
    let (top, left) = range.start().unwrap_or((0, 0));
    for (r, c, text) in dates {
        range.set_value((top + r as u32, left + c as u32), Data::String(text));
    }
    Ok(range)
}

/// Reads the sheets of an `.xlsx`/`.ods` package that `wanted` picks, as the user sees them
/// (the roll-up `apply` reads), in the workbook's order.
fn read_named_sheets(
    bytes: Vec<u8>,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<(String, Sheet)>, Unreadable> {
    if bytes.is_empty() {
        return Err(Unreadable::Empty);
    }
    if !(bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY)) {
        return Err(Unreadable::NotAWorkbook(what_is_it(&bytes)));
    }
    if !has_end_of_central_directory(&bytes) {
        return Err(Unreadable::Truncated);
    }
    let limits = Limits::default();
    let is_ods = contains(
        &bytes[..bytes.len().min(200)],
        b"application/vnd.oasis.opendocument",
    );
    let mut used = 0;
    let mut out = Vec::new();
    if is_ods {
        limits::check_package(&bytes, &limits)?;
        let cursor = Cursor::new(bytes);
        let mut extras = limits::check_ods(cursor.get_ref(), &limits)?;
        let mut book = calamine::Ods::new(cursor).map_err(|e| ods_error(&e))?;
        for (index, (name, _)) in listed(&book).into_iter().enumerate() {
            if wanted(&name) {
                let range = book.worksheet_range(&name).map_err(|e| ods_error(&e))?;
                out.push((name, with_extras_of(range, &mut extras, index)));
            }
        }
    } else {
        let mut book = xlsx::Book::open(bytes, &limits)?;
        let names: Vec<String> = book.sheets.iter().map(|s| s.name.clone()).collect();
        for (index, name) in names.into_iter().enumerate() {
            if wanted(&name) {
                out.push((name, book.sheet(index, &limits, &mut used)?));
            }
        }
    }
    Ok(out)
}

fn read_ole(bytes: Vec<u8>, shown: &str, limits: &Limits) -> Result<WorkbookContents, Unreadable> {
    // An encrypted xlsx is an OLE container holding `EncryptionInfo` and `EncryptedPackage`.
    let utf16 = |s: &str| {
        s.encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect::<Vec<u8>>()
    };
    if contains(&bytes, &utf16("EncryptedPackage")) || contains(&bytes, &utf16("EncryptionInfo")) {
        return Err(Unreadable::PasswordProtected);
    }
    if contains(&bytes, &utf16("WordDocument")) {
        return Err(Unreadable::NotAWorkbook(
            "这是 Word 97-2003 或 WPS 文字的旧格式文档（.doc/.wps），请在 Word 或 WPS 中另存为 .docx 后再提交",
        ));
    }
    // Excel, WPS and LibreOffice write whole 512-byte sectors; anything else was cut short.
    if !bytes.len().is_multiple_of(512) || bytes.len() < 1024 {
        return Err(Unreadable::Truncated);
    }
    let (bytes, mut extras) = xls_guard::inspect(&bytes, limits)?;
    let mut book = calamine::Xls::new(Cursor::new(bytes)).map_err(|e| xls_error(&e))?;
    let mut used = 0;
    let names = listed(&book);
    read_sheets(names, shown, limits, |index, name| {
        let range = checked(
            book.worksheet_range(name).map_err(|e| xls_error(&e)),
            limits,
            &mut used,
        )?;
        Ok(with_extras_of(range, &mut extras, index))
    })
}

/// Sheet `index`'s cells with what the format's own walk found beside them (taken once).
fn with_extras_of(range: Range<Data>, extras: &mut [sheet::Extras], index: usize) -> Sheet {
    let found = extras
        .get_mut(index)
        .map(std::mem::take)
        .unwrap_or_default();
    Sheet::with_extras(range, found)
}

/// Reads each listed sheet (name, hidden) through `sheet_of(index, name)` and finds its tables.
fn read_sheets(
    names: Vec<(String, bool)>,
    shown: &str,
    limits: &Limits,
    mut sheet_of: impl FnMut(usize, &str) -> Result<Sheet, Unreadable>,
) -> Result<WorkbookContents, Unreadable> {
    let mut contents = WorkbookContents::default();
    // jxmb's own roll-up carries its model in a hidden sheet: reading its 项目汇总 as a budget
    // table would count every project twice.
    if names.iter().any(|(n, _)| n == ROLLUP_MODEL_SHEET) {
        contents.is_rollup = true;
        return Ok(contents);
    }
    limits::check_sheets(names.len(), limits)?;
    for (index, (name, hidden)) in names.into_iter().enumerate() {
        let mut sheet = sheet_of(index, &name)?;
        sheet.hidden |= hidden;
        let grid = grid::Grid::new(&sheet);
        if grid.is_empty() {
            continue;
        }
        let info = layout::SheetInfo {
            file: shown,
            sheet: &name,
            index,
        };
        match grid.side_by_side() {
            None => layout::read_sheet(&grid, &info, &mut contents),
            Some(bands) => {
                for band in bands {
                    let grid = grid::Grid::band(&sheet, Some(band));
                    layout::read_sheet(&grid, &info, &mut contents);
                }
            }
        }
    }
    Ok(contents)
}

/// A complete zip ends with its central directory record within the last 64 KiB.
fn has_end_of_central_directory(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(65_557)..];
    // Searched from the end, where the record almost always is.
    tail.windows(ZIP_EMPTY.len()).rev().any(|w| w == ZIP_EMPTY)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// A short guess at what a non-workbook file is, for the message.
fn what_is_it(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with(b"%PDF") {
        "这是 PDF 文件"
    } else if text.starts_with("<html")
        || text.starts_with("<!doctype html")
        || text.contains("<table")
    {
        "这是网页（HTML）文件，常见于系统导出的“假 .xls”，请用 Excel 打开后另存为 .xlsx"
    } else if text.starts_with("<?xml") {
        "这是 XML 文件，请用 Excel 打开后另存为 .xlsx"
    } else if head.starts_with(b"\x89PNG") || head.starts_with(b"\xFF\xD8\xFF") {
        "这是图片文件"
    } else if head.starts_with(b"Rar!") || head.starts_with(b"7z\xBC\xAF") {
        "这是压缩包，请先解压"
    } else if std::str::from_utf8(head).is_ok() || head.iter().all(|b| *b >= 0x09) {
        "这是文本文件"
    } else {
        "无法识别的文件内容"
    }
}

fn ods_error(e: &calamine::OdsError) -> Unreadable {
    match e {
        calamine::OdsError::Password => Unreadable::PasswordProtected,
        other => corrupt(other),
    }
}

fn xls_error(e: &calamine::XlsError) -> Unreadable {
    match e {
        calamine::XlsError::Password => Unreadable::PasswordProtected,
        other => corrupt(other),
    }
}

fn corrupt(e: &dyn fmt::Display) -> Unreadable {
    let mut why = e.to_string();
    if why.chars().count() > 120 {
        why = why.chars().take(120).collect::<String>() + "…";
    }
    Unreadable::Corrupt(why)
}
