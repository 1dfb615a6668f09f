//! `.xlsx`/`.xlsm` read straight from the package's XML in one pass per sheet, so that each cell
//! comes with what calamine's cell reader does not give in the same pass: its number format,
//! whether its row or column is hidden, and whether it is a formula with no stored result.

use super::number_format::{builtin_code, Format, Shown, DATE_1904_OFFSET};
use super::sheet::Sheet;
use super::xml_scan::{attr_text, push_text, Malformed, Scanner, Token};
use super::{limits, Limits, Unreadable};
use calamine::{Cell, Data, Range};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;
use std::collections::HashMap;
use std::io::{BufReader, Cursor};

type Zip = zip::ZipArchive<Cursor<Vec<u8>>>;

/// A sheet as the workbook lists it.
pub struct SheetEntry {
    pub name: String,
    pub hidden: bool,
    /// The part holding its cells; `None` for a chart or dialog sheet.
    part: Option<String>,
}

/// An opened package: its sheets, shared strings and cell formats.
pub struct Book {
    zip: Zip,
    pub sheets: Vec<SheetEntry>,
    strings: Vec<String>,
    /// Per cell style (`s`), what its number format does.
    formats: Vec<Format>,
    date1904: bool,
}

fn corrupt(what: impl std::fmt::Display) -> Unreadable {
    super::corrupt(&what)
}

/// A part of an opened package.
pub(super) type Part<'a> = zip::read::ZipFile<'a, Cursor<Vec<u8>>>;

/// A part's XML, read through a buffer the size of the part up to 32 KB: a buffer is zeroed
/// when first filled (the zip reader fills only initialized memory), and most of a package's
/// dozen parts are a few hundred bytes.
pub(super) fn xml_of(part: Part<'_>) -> quick_xml::Reader<BufReader<Part<'_>>> {
    let capacity = part.size().clamp(512, 32 * 1024) as usize;
    let mut xml = quick_xml::Reader::from_reader(BufReader::with_capacity(capacity, part));
    xml.config_mut().trim_text(false);
    xml
}

/// An attribute by its local name (`r:id` and `id` alike), unescaped.
pub(super) fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name).then(|| {
            a.normalized_value_with(XmlVersion::Implicit1_0, 1, resolve_predefined_entity)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned())
        })
    })
}

fn is_true(v: Option<String>) -> bool {
    matches!(v.as_deref(), Some("1" | "true"))
}

/// `xl/` + `worksheets/sheet1.xml`, or an absolute `/xl/…`; `..` resolved.
fn resolve(base_dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{base_dir}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

impl Book {
    /// Opens the package, refusing one that would inflate past `limits` before any part is
    /// read.
    pub fn open(bytes: Vec<u8>, limits: &Limits) -> Result<Book, Unreadable> {
        Book::open_or_word(bytes, limits)?
            .map_err(|_| Unreadable::NotAWorkbook("这是 Word 文档（.docx）"))
    }

    /// `open`, or the bytes back when the package is a Word document (`word/document.xml`).
    pub fn open_or_word(
        bytes: Vec<u8>,
        limits: &Limits,
    ) -> Result<Result<Book, Vec<u8>>, Unreadable> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
        super::limits::check_archive(&mut zip, limits)?;
        if zip.index_for_name("word/document.xml").is_some() {
            return Ok(Err(zip.into_inner().into_inner()));
        }
        let workbook = main_part(&mut zip).unwrap_or_else(|| "xl/workbook.xml".to_string());
        let (dir, file) = workbook
            .rsplit_once('/')
            .map_or((String::new(), workbook.as_str()), |(d, f)| {
                (format!("{d}/"), f)
            });
        let rels = relationships(&mut zip, &format!("{dir}_rels/{file}.rels"));
        let part_of = |kind: &str| {
            rels.values()
                .find(|(t, _)| t.ends_with(kind))
                .map(|(_, target)| resolve(&dir, target))
        };
        let strings_part = part_of("/sharedStrings").unwrap_or(format!("{dir}sharedStrings.xml"));
        let styles_part = part_of("/styles").unwrap_or(format!("{dir}styles.xml"));
        let (listed, date1904) = {
            if zip.by_name(&workbook).is_err() {
                return Err(Unreadable::NotAWorkbook(what_package(&zip)));
            }
            let part = zip.by_name(&workbook).map_err(corrupt)?;
            workbook_sheets(part)?
        };
        let sheets = listed
            .into_iter()
            .map(|(name, hidden, id)| {
                let part = rels
                    .get(&id)
                    .filter(|(t, _)| t.ends_with("/worksheet"))
                    .map(|(_, target)| resolve(&dir, target));
                SheetEntry { name, hidden, part }
            })
            .collect();
        let strings = match zip.by_name(&strings_part) {
            Ok(part) => shared_strings(part)?,
            Err(_) => Vec::new(),
        };
        let formats = match zip.by_name(&styles_part) {
            Ok(part) => cell_formats(part)?,
            Err(_) => Vec::new(),
        };
        Ok(Ok(Book {
            zip,
            sheets,
            strings,
            formats,
            date1904,
        }))
    }

    /// Reads sheet `index`, counting its cells into `used` against `limits`.
    pub fn sheet(
        &mut self,
        index: usize,
        limits: &Limits,
        used: &mut usize,
    ) -> Result<Sheet, Unreadable> {
        // Whether the sheet is hidden is the workbook's to say (`sheets`), not the sheet's.
        let Some(path) = self.sheets[index].part.clone() else {
            return Ok(Sheet::default());
        };
        let part = self
            .zip
            .by_name(&path)
            .map_err(|_| corrupt(format!("缺少工作表部件 {path}")))?;
        let context = Context {
            strings: &self.strings,
            formats: &self.formats,
            date1904: self.date1904,
        };
        read_sheet(part, &context, limits, used)
    }
}

/// What a zip package without a workbook is, by the parts it holds.
fn what_package(zip: &Zip) -> &'static str {
    let has = |prefix: &str| zip.file_names().flatten().any(|n| n.starts_with(prefix));
    if has("word/") {
        "这是 Word 文档（.docx）"
    } else if has("ppt/") {
        "这是 PowerPoint 演示文稿"
    } else if has("[Content_Types].xml") {
        "这是 Office 文档，但其中没有工作簿"
    } else {
        "这是压缩包，请先解压"
    }
}

/// The officeDocument part named by `_rels/.rels`.
pub(super) fn main_part(zip: &mut Zip) -> Option<String> {
    relationships(zip, "_rels/.rels")
        .into_values()
        .find(|(t, _)| t.ends_with("/officeDocument"))
        .map(|(_, target)| resolve("", &target))
}

/// A `.rels` part: id → (type, target).
fn relationships(zip: &mut Zip, path: &str) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    let Ok(mut part) = zip.by_name(path) else {
        return out;
    };
    let Ok(xml) = whole(&mut part) else {
        return out;
    };
    let mut scan = Scanner::new(&xml);
    // A part that breaks off gives the relationships before the break.
    while let Ok(Some(token)) = scan.next() {
        let (Token::Start(e) | Token::Empty(e)) = token else {
            continue;
        };
        if e.name != b"Relationship" {
            continue;
        }
        if let (Some(id), Some(t), Some(target)) =
            (e.attr(b"Id"), e.attr(b"Type"), e.attr(b"Target"))
        {
            out.insert(attr_text(id), (attr_text(t), attr_text(target)));
        }
    }
    out
}

/// A sheet as `workbook.xml` lists it: name, hidden, relationship id.
type Listed = (String, bool, String);

/// The workbook's sheets and its date system (true: 1904).
fn workbook_sheets(part: Part<'_>) -> Result<(Vec<Listed>, bool), Unreadable> {
    let mut xml = xml_of(part);
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    let mut date1904 = false;
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "sheet" => {
                    let name = attr(&e, "name").unwrap_or_default();
                    let hidden =
                        matches!(attr(&e, "state").as_deref(), Some("hidden" | "veryHidden"));
                    sheets.push((name, hidden, attr(&e, "id").unwrap_or_default()));
                }
                "workbookPr" => date1904 = is_true(attr(&e, "date1904")),
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(e) => return Err(corrupt(format!("workbook.xml：{e}"))),
            _ => {}
        }
        buf.clear();
    }
    Ok((sheets, date1904))
}

/// `_x000D_` and the like: characters XML cannot hold, as OOXML escapes them.
fn unescape_ooxml(s: &mut String) {
    if !s.contains("_x") {
        return;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let code = tail
            .get(2..6)
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    *s = out;
}

pub(super) fn push_entity(r: &quick_xml::events::BytesRef, out: &mut String) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    out.push_str(match r.as_ref() {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => "",
    });
}

fn shared_strings(mut part: Part<'_>) -> Result<Vec<String>, Unreadable> {
    let xml = whole(&mut part)?;
    let mut scan = Scanner::new(&xml);
    let bad = |e: Malformed| corrupt(format!("共享字符串表：{e}"));
    let mut out = Vec::new();
    loop {
        match scan.next().map_err(bad)? {
            Some(Token::Start(e)) if e.name == b"si" => {
                let mut s = String::new();
                runs_of(&mut scan, b"si", &mut s).map_err(bad)?;
                out.push(s);
            }
            Some(Token::Empty(e)) if e.name == b"si" => out.push(String::new()),
            None => break,
            Some(_) => {}
        }
    }
    Ok(out)
}

/// A part's bytes, inflated whole (its declared size is within the limits, and a zip reader
/// stops there): the scanner reads them in place, no copy per tag.
fn whole(part: &mut Part<'_>) -> Result<Vec<u8>, Unreadable> {
    let mut bytes = Vec::with_capacity(part.size() as usize);
    std::io::Read::read_to_end(part, &mut bytes).map_err(corrupt)?;
    Ok(bytes)
}

/// `styles.xml`: each cell style's number format code (None for General).
fn cell_formats(part: Part<'_>) -> Result<Vec<Format>, Unreadable> {
    let mut xml = xml_of(part);
    let mut buf = Vec::new();
    let mut custom: HashMap<u32, String> = HashMap::new();
    let mut out = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "numFmt" => {
                    if let (Some(id), Some(code)) = (attr(&e, "numFmtId"), attr(&e, "formatCode")) {
                        if let Ok(id) = id.parse() {
                            custom.insert(id, code);
                        }
                    }
                }
                "cellXfs" => in_cell_xfs = true,
                "xf" if in_cell_xfs => {
                    let id: u32 = attr(&e, "numFmtId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    let code = custom.get(&id).map(String::as_str).or(builtin_code(id));
                    out.push(Format::of(code));
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            Ok(Event::Eof) => break,
            Err(e) => return Err(corrupt(format!("styles.xml：{e}"))),
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

struct Context<'a> {
    strings: &'a [String],
    formats: &'a [Format],
    date1904: bool,
}

/// `B12` → (11, 1).
fn position(r: &[u8]) -> Option<(u32, u32)> {
    let letters = r.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters].iter().fold(0u32, |acc, c| {
        acc * 26 + u32::from(c.to_ascii_uppercase() - b'A' + 1)
    }) - 1;
    let row: u32 = std::str::from_utf8(&r[letters..]).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, col))
}

/// An attribute's raw value read as a number (none when it is not one).
fn parsed<T: std::str::FromStr>(value: &[u8]) -> Option<T> {
    std::str::from_utf8(value).ok()?.parse().ok()
}

/// `number` of an attribute's raw value.
fn trimmed_number(value: &[u8]) -> Option<u32> {
    number(std::str::from_utf8(value).ok()?)
}

fn number(s: &str) -> Option<u32> {
    s.trim().parse().ok()
}

/// The most columns a `<col min max>` may hide one by one (Excel's grid width).
const MAX_COLUMNS: u32 = 16_384;

fn read_sheet(
    mut part: Part<'_>,
    cx: &Context,
    limits: &Limits,
    used: &mut usize,
) -> Result<Sheet, Unreadable> {
    let xml = whole(&mut part)?;
    let mut scan = Scanner::new(&xml);
    let bad = |e: Malformed| corrupt(format!("工作表 XML：{e}"));
    let mut raw = String::with_capacity(64);
    let mut sheet = Sheet::default();
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let mut stored_zero = Vec::new();
    let (mut min, mut max) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    let (mut row, mut col) = (0u32, 0u32);
    let mut rows_hidden_by_default = false;
    // `is_true` of a raw attribute value.
    let flag = |v: Option<&[u8]>| matches!(v, Some(b"1" | b"true"));
    loop {
        let (e, empty) = match scan.next().map_err(bad)? {
            Some(Token::Start(e)) => (e, false),
            Some(Token::Empty(e)) => (e, true),
            Some(Token::End(b"row")) => {
                row += 1;
                continue;
            }
            Some(Token::End(b"sheetData")) | None => break,
            Some(_) => continue,
        };
        match e.name {
            b"sheetFormatPr" => rows_hidden_by_default = flag(e.attr(b"zeroHeight")),
            b"col" => {
                let hidden = flag(e.attr(b"hidden"))
                    || e.attr(b"width").and_then(parsed::<f64>) == Some(0.0);
                if hidden {
                    let from = e.attr(b"min").and_then(trimmed_number).unwrap_or(1);
                    let to = e.attr(b"max").and_then(trimmed_number).unwrap_or(from);
                    let to = to.min(MAX_COLUMNS);
                    sheet.hidden_cols.extend(from.max(1) - 1..to);
                }
            }
            b"row" => {
                let (mut r_attr, mut hidden, mut height, mut custom) = (None, None, None, false);
                for (key, value) in e.attributes() {
                    match key {
                        b"r" => r_attr = trimmed_number(value),
                        b"hidden" => hidden = Some(flag(Some(value))),
                        b"ht" => height = parsed::<f64>(value),
                        b"customHeight" => custom = flag(Some(value)),
                        _ => {}
                    }
                }
                if let Some(r) = r_attr {
                    row = r.saturating_sub(1);
                }
                col = 0;
                let hidden =
                    hidden.unwrap_or(rows_hidden_by_default && !custom) || height == Some(0.0);
                if hidden {
                    sheet.hidden_rows.push(row);
                }
                if empty {
                    row += 1;
                }
            }
            b"c" => {
                let (mut pos, mut style, mut kind) = (None, 0usize, CellType::Number);
                for (key, value) in e.attributes() {
                    match key {
                        b"r" => pos = position(value),
                        b"s" => style = parsed(value).unwrap_or(0),
                        b"t" => kind = CellType::of(value),
                        _ => {}
                    }
                }
                let (r, c) = pos.unwrap_or((row, col));
                row = r;
                col = c + 1;
                if empty {
                    continue;
                }
                raw.clear();
                let mut has_value = false;
                let mut formula: Option<String> = None;
                let mut inline = None;
                loop {
                    match scan.next().map_err(bad)? {
                        Some(Token::Start(child)) => match child.name {
                            b"v" => {
                                text_of(&mut scan, b"v", &mut raw).map_err(bad)?;
                                has_value = true;
                            }
                            b"f" => {
                                let mut text = String::new();
                                text_of(&mut scan, b"f", &mut text).map_err(bad)?;
                                formula = Some(text);
                            }
                            b"is" => {
                                let mut text = String::new();
                                runs_of(&mut scan, b"is", &mut text).map_err(bad)?;
                                inline = Some(text);
                            }
                            _ => {}
                        },
                        // `<f t="shared" si="0"/>`: a formula shared from another cell.
                        Some(Token::Empty(child)) if child.name == b"f" => {
                            formula.get_or_insert_with(String::new);
                        }
                        Some(Token::Empty(child)) if child.name == b"v" => has_value = true,
                        Some(Token::End(b"c")) => break,
                        None => return Err(corrupt("工作表 XML 在单元格中结束")),
                        Some(_) => {}
                    }
                }
                let inline_given = inline.is_some();
                let value = cell_value(kind, &raw, inline, style, cx);
                if let Some(f) = formula {
                    let nothing_stored = !has_value && !inline_given;
                    let zero = matches!(value, Data::Float(v) if v == 0.0);
                    if nothing_stored || zero {
                        if zero {
                            stored_zero.push((r, c));
                        }
                        sheet.uncalculated.push(((r, c), f));
                    }
                }
                if matches!(value, Data::Empty) {
                    continue;
                }
                *used += 1;
                limits::check_cell_count(*used, limits)?;
                min = (min.0.min(r), min.1.min(c));
                max = (max.0.max(r), max.1.max(c));
                limits::check_span(min, max, limits)?;
                cells.push(Cell::new((r, c), value));
            }
            _ => {}
        }
    }
    sheet.cells = Range::from_sparse(cells);
    sheet.hidden_rows.sort_unstable();
    sheet.hidden_rows.dedup();
    sheet.hidden_cols.sort_unstable();
    sheet.hidden_cols.dedup();
    sheet.uncalculated.sort_by_key(|(p, _)| *p);
    stored_zero.sort_unstable();
    sheet.settle_zero_results(&stored_zero);
    Ok(sheet)
}

/// The text of a simple element (`<v>`, `<f>`) up to its end, tags inside passed over.
fn text_of(scan: &mut Scanner<'_>, end: &[u8], out: &mut String) -> Result<(), Malformed> {
    loop {
        match scan.next()? {
            Some(Token::Text(t)) => push_text(t, out),
            Some(Token::End(name)) if name == end => return Ok(()),
            None => return Ok(()),
            Some(_) => {}
        }
    }
}

/// The text of the `<t>` runs up to the end of `end` (`<is>`), phonetic runs (`<rPh>`, which
/// Excel does not show) passed over.
fn runs_of(scan: &mut Scanner<'_>, end: &[u8], out: &mut String) -> Result<(), Malformed> {
    let (mut in_t, mut phonetic) = (false, 0usize);
    loop {
        match scan.next()? {
            Some(Token::Start(e)) => match e.name {
                b"t" => in_t = phonetic == 0,
                b"rPh" | b"phoneticPr" => phonetic += 1,
                _ => {}
            },
            Some(Token::End(name)) => match name {
                b"t" => in_t = false,
                b"rPh" | b"phoneticPr" => phonetic = phonetic.saturating_sub(1),
                name if name == end => break,
                _ => {}
            },
            Some(Token::Text(t)) if in_t => push_text(t, out),
            None => break,
            Some(_) => {}
        }
    }
    unescape_ooxml(out);
    Ok(())
}

fn error_value(text: &str) -> Data {
    use calamine::CellErrorType::*;
    let e = match text {
        "#DIV/0!" => Div0,
        "#N/A" => NA,
        "#NAME?" => Name,
        "#NULL!" => Null,
        "#NUM!" => Num,
        "#REF!" => Ref,
        "#GETTING_DATA" => GettingData,
        _ => Value,
    };
    Data::Error(e)
}

/// A cell's `t` attribute.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CellType {
    Number,
    Shared,
    Inline,
    FormulaString,
    Bool,
    Error,
    Date,
}

impl CellType {
    fn of(t: &[u8]) -> CellType {
        match t {
            b"s" => CellType::Shared,
            b"inlineStr" => CellType::Inline,
            b"str" => CellType::FormulaString,
            b"b" => CellType::Bool,
            b"e" => CellType::Error,
            b"d" => CellType::Date,
            _ => CellType::Number,
        }
    }
}

/// A cell's value as the user sees it.
fn cell_value(
    kind: CellType,
    raw: &str,
    inline: Option<String>,
    style: usize,
    cx: &Context,
) -> Data {
    match kind {
        CellType::Shared => number(raw)
            .and_then(|i| cx.strings.get(i as usize))
            .map_or(Data::Empty, |s| Data::String(s.clone())),
        CellType::Inline => inline.map_or(Data::Empty, Data::String),
        CellType::FormulaString if raw.is_empty() => Data::Empty,
        CellType::FormulaString => {
            let mut s = raw.to_string();
            unescape_ooxml(&mut s);
            Data::String(s)
        }
        CellType::Bool => Data::Bool(raw.trim() == "1" || raw.trim() == "true"),
        CellType::Error => error_value(raw.trim()),
        CellType::Date if raw.is_empty() => Data::Empty,
        CellType::Date => Data::DateTimeIso(raw.to_string()),
        CellType::Number => {
            let Ok(mut v) = raw.trim().parse::<f64>() else {
                return if raw.trim().is_empty() {
                    Data::Empty
                } else {
                    Data::String(raw.to_string())
                };
            };
            match cx.formats.get(style) {
                Some(format @ Format::Shown { date, .. }) => {
                    if cx.date1904 && *date {
                        v += DATE_1904_OFFSET;
                    }
                    match format.apply(v) {
                        Shown::Number => Data::Float(v),
                        Shown::Text(t) => Data::String(t),
                    }
                }
                _ => Data::Float(v),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_paths() {
        assert_eq!(position(b"A1"), Some((0, 0)));
        assert_eq!(position(b"AB12"), Some((11, 27)));
        assert_eq!(position(b"A0"), None);
        assert_eq!(
            resolve("xl/", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("xl/", "../xl/sheet.xml"), "xl/sheet.xml");
        let mut s = "a_x000D_b_x".to_string();
        unescape_ooxml(&mut s);
        assert_eq!(s, "a\rb_x");
    }

    /// A package of one sheet holding `sheet_data` (inside `<sheetData>`), with `cols` before it
    /// and two shared strings.
    fn package(cols: &str, sheet_data: &str) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        let mut part = |name: &str, text: &str| {
            zip.start_file(name, options).expect("entry");
            zip.write_all(text.as_bytes()).expect("written");
        };
        part(
            "xl/workbook.xml",
            r#"<workbook xmlns:r="r"><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        );
        part(
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        );
        part(
            "xl/sharedStrings.xml",
            "<sst><si><t>劳务费</t></si><si><r><t>系统</t></r><r><t xml:space=\"preserve\">维护 </t></r></si></sst>",
        );
        part(
            "xl/worksheets/sheet1.xml",
            &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
                 <x:worksheet xmlns:x=\"s\"><!-- written by hand --><x:cols>{cols}</x:cols>\
                 <x:sheetData>{sheet_data}</x:sheetData><x:mergeCells count=\"1\">\
                 <x:mergeCell ref=\"A1:B1\"/></x:mergeCells></x:worksheet>"
            ),
        );
        zip.finish().expect("zip").into_inner()
    }

    fn cells_of(bytes: Vec<u8>) -> Result<Sheet, Unreadable> {
        let limits = Limits::default();
        let mut book = Book::open(bytes, &limits)?;
        book.sheet(0, &limits, &mut 0)
    }

    #[test]
    fn a_sheet_read_as_excel_shows_it() {
        let sheet = cells_of(package(
            r#"<x:col min="2" max="3" width="0" customWidth="1"/><x:col min="5" max="5" hidden="1"/>"#,
            concat!(
                r#"<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c></x:row>"#,
                r#"<x:row r="2" hidden="1"><x:c r="A2" t="inlineStr"><x:is><x:r><x:t>A&amp;B </x:t></x:r>"#,
                r#"<x:r><x:t>&lt;&#x4e2d;&#25991;&gt;</x:t></x:r><x:rPh sb="0" eb="1"><x:t>ちゅう</x:t></x:rPh>"#,
                r#"<x:phoneticPr fontId="1"/></x:is></x:c><x:c t="str"><x:f>A1&amp;"_x000D_"</x:f><x:v>a_x000D_b</x:v></x:c></x:row>"#,
                r#"<x:row r="4" ht="0" customHeight="1"><x:c r="A4"><x:v> 12.5 </x:v></x:c>"#,
                r#"<x:c r="B4"><x:f>SUM(A1:A3)</x:f></x:c><x:c r="C4"><x:f t="shared" si="0"/><x:v>0</x:v></x:c>"#,
                r#"<x:c r="D4" t="b"><x:v>1</x:v></x:c><x:c r="E4" t="e"><x:v>#N/A</x:v></x:c>"#,
                r#"<x:c r="F4" s="9" t="n"/><x:c r="G4" t="s"><x:v>7</x:v></x:c></x:row>"#,
                r#"<x:row><x:c t="s"><x:v>1</x:v></x:c></x:row>"#,
                r#"<x:row r="6"/><x:row><x:c t="s"><x:v>0</x:v></x:c></x:row>"#,
            ),
        ))
        .expect("read");
        let at = |r: u32, c: u32| sheet.cells.get_value((r, c)).cloned();
        let text = |s: &str| Some(Data::String(s.into()));
        assert_eq!(at(0, 0), text("劳务费"));
        assert_eq!(at(0, 1), text("系统维护 "));
        assert_eq!(at(1, 0), text("A&B <中文>"), "runs, no phonetic");
        assert_eq!(at(1, 1), text("a\rb"), "after A2, in B2");
        assert_eq!(at(3, 0), Some(Data::Float(12.5)));
        assert_eq!(at(3, 3), Some(Data::Bool(true)));
        assert_eq!(at(3, 4), Some(Data::Error(calamine::CellErrorType::NA)));
        assert_eq!(at(4, 0), text("系统维护 "), "row 5 follows row 4");
        assert_eq!(at(6, 0), text("劳务费"), "row 7 follows row 6");
        assert!(
            matches!(at(3, 6), None | Some(Data::Empty)),
            "no 8th string"
        );
        assert_eq!(sheet.hidden_rows, [1, 3]);
        assert_eq!(sheet.hidden_cols, [1, 2, 4]);
        assert_eq!(
            sheet.uncalculated(3, 1),
            Some("SUM(A1:A3)"),
            "no stored result"
        );
        assert_eq!(sheet.uncalculated(1, 1), None, "a stored result");
    }

    #[test]
    fn a_sheet_cut_off_inside_a_cell_is_corrupt() {
        let cut = package("", r#"<x:row r="1"><x:c r="A1"><x:v>1</x:v>"#);
        assert!(cells_of(cut).is_err());
        let open_tag = package("", r#"<x:row r="1"><x:c r="A1"#);
        assert!(cells_of(open_tag).is_err());
    }
}
