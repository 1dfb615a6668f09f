//! Limits checked before a workbook is parsed, so a hostile file — a zip bomb, a sheet that
//! claims `A1:XFD1048576`, ten thousand sheets — ends as one diagnostic in bounded time and
//! memory instead of taking the whole batch down. Generous for real tables; `[limits]` in
//! jxmb.toml changes them.

use super::ods_extras::OdsExtras;
use super::sheet::Extras;
use super::Unreadable;
use calamine::{Cell, Data, DataRef, Range};
use std::io::Cursor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The package's total uncompressed size (all zip entries), in bytes.
    pub max_uncompressed: u64,
    /// One part's uncompressed size (a sheet's XML), in bytes.
    pub max_part: u64,
    pub max_sheets: usize,
    /// Cells in the whole workbook, and the area a sheet's cells may span.
    pub max_cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_uncompressed: 200 << 20,
            max_part: 100 << 20,
            max_sheets: 1000,
            max_cells: 1_000_000,
        }
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / (1 << 20) as f64)
}

/// Reads a zip package's central directory (no decompression) and refuses one that would
/// inflate beyond the limits. A zip reader stops at an entry's declared size, so the declared
/// sizes bound what parsing can produce.
pub fn check_package(bytes: &[u8], limits: &Limits) -> Result<(), Unreadable> {
    match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(mut zip) => check_archive(&mut zip, limits),
        Err(_) => Ok(()), // the reader will say what is wrong with it
    }
}

/// `check_package` over an archive already open (its central directory read once).
pub fn check_archive<R: std::io::Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    limits: &Limits,
) -> Result<(), Unreadable> {
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            continue;
        };
        let size = entry.size();
        total = total.saturating_add(size);
        if size > limits.max_part {
            let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
            return Err(Unreadable::TooLarge(format!(
                "其中“{name}”解压后 {}，超过单个部件上限 {}，可能是压缩炸弹",
                mb(size),
                mb(limits.max_part)
            )));
        }
        if total > limits.max_uncompressed {
            return Err(Unreadable::TooLarge(format!(
                "解压后超过 {}（上限），可能是压缩炸弹",
                mb(limits.max_uncompressed)
            )));
        }
    }
    Ok(())
}

/// The most columns and rows a sheet has (Excel's, which calamine caps repeats at).
const MAX_COLUMNS: u64 = 16_384;
const MAX_ROWS: u64 = 1_048_576;

/// Refuses an `.ods` whose repeated rows and columns would expand past the limits. In ODF one
/// `<table:table-cell table:number-columns-repeated="16384">` element stands for that many
/// cells and a row can be repeated a million times; calamine lays them all out before any
/// limit of ours could count them (a 24 KB file asked for 2 GB). This walks `content.xml` as
/// calamine would read it and bounds both what it stores per written row and the area it
/// expands the sheet to. Empty cells at a row's end and empty rows at a sheet's end, which
/// LibreOffice writes to fill the grid, are not stored and do not count.
///
/// The same walk collects, per sheet, what calamine does not give (`ods_extras`).
pub fn check_ods(bytes: &[u8], limits: &Limits) -> Result<Vec<Extras>, Unreadable> {
    use quick_xml::events::{BytesStart, Event};
    use quick_xml::name::QName;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(Vec::new()); // calamine will say what is wrong with it
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(Vec::new());
    };
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut extras = OdsExtras::default();
    let mut columns_declared = 0u64;
    let has = |e: &BytesStart, name: &str| matches!(e.try_get_attribute(name), Ok(Some(_)));
    let repeats = |e: &BytesStart, name: &str| -> u64 {
        match e.try_get_attribute(name) {
            Ok(Some(a)) => a.value.trim().parse().unwrap_or(1),
            _ => 1,
        }
    };
    let is_cell = |name: QName| {
        name == QName("table:table-cell") || name == QName("table:covered-table-cell")
    };
    // The cell limit itself, not the four times an .xlsx sheet's span may have: calamine keeps
    // two dense tables of an .ods sheet (values and formulas), about 56 bytes a cell.
    let max = limits.max_cells as u64;
    let too_many = |what: String| {
        Err(Unreadable::TooLarge(format!(
            "{what}，展开重复的行列后超过上限（{max} 个单元格）"
        )))
    };
    let mut buf = Vec::new();
    let mut sheet = Sheet::default();
    // The row being read: its repeat count, the columns so far, and where its last value ends.
    let mut row: Option<(u64, u64, u64)> = None;
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break, // calamine reports a broken document
            Ok(event) => event,
        };
        let has_children = matches!(event, Event::Start(_));
        match event {
            Event::Start(e) | Event::Empty(e) if e.name() == QName("table:table") => {
                sheet = Sheet::default();
                extras.sheet();
                columns_declared = 0;
            }
            Event::Start(e) | Event::Empty(e) if e.name() == QName("table:table-column") => {
                let n = repeats(&e, "table:number-columns-repeated").min(MAX_COLUMNS);
                extras.column(&e, columns_declared, n);
                columns_declared = columns_declared.saturating_add(n);
            }
            Event::Start(e) if e.name() == QName("table:table-row") => {
                let left = MAX_ROWS.saturating_sub(sheet.rows);
                let times = repeats(&e, "table:number-rows-repeated").min(left);
                extras.row(&e, sheet.rows, times);
                row = Some((times, 0, 0));
            }
            Event::Start(e) if e.name() == QName("text:p") => extras.paragraph(),
            Event::Empty(e) if e.name() == QName("text:s") => extras.text(" "),
            Event::Text(t) => extras.text(&t.xml10_content()),
            Event::End(e) if is_cell(e.name()) => extras.cell_end(),
            Event::Start(e) | Event::Empty(e) if is_cell(e.name()) => {
                let has_value =
                    has_children || has(&e, "office:value-type") || has(&e, "table:formula");
                if let Some((_, columns, _)) = &row {
                    if has_value && e.name() == QName("table:table-cell") {
                        extras.cell_start(&e, sheet.rows, *columns, has_children);
                    }
                }
                if let Some((_, columns, width)) = &mut row {
                    let n = repeats(&e, "table:number-columns-repeated");
                    *columns = columns.saturating_add(n).min(MAX_COLUMNS);
                    if has_value {
                        *width = *columns;
                    }
                }
            }
            Event::End(e) if e.name() == QName("table:table-row") => {
                if let Some((times, _, width)) = row.take() {
                    sheet.add_row(times, width);
                    if sheet.stored > max {
                        return too_many(format!("工作表存有 {} 个单元格", sheet.stored));
                    }
                    if sheet.area() > max {
                        return too_many(format!("工作表约 {} 个单元格", sheet.area()));
                    }
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(extras.sheets)
}

/// One `.ods` sheet as calamine would lay it out, counted as its rows are read.
#[derive(Default)]
struct Sheet {
    /// Rows so far, repeats included.
    rows: u64,
    /// Cells calamine keeps for the rows as written (a repeated row once).
    stored: u64,
    /// The first and past-the-last row holding a value, and the widest such row.
    first: Option<u64>,
    end: u64,
    width: u64,
}

impl Sheet {
    fn add_row(&mut self, times: u64, width: u64) {
        if width > 0 {
            self.stored += width;
            self.first.get_or_insert(self.rows);
            self.end = self.rows + times;
            self.width = self.width.max(width);
        }
        self.rows += times;
    }

    /// The dense table calamine makes of the sheet: every row from the first to the last with a
    /// value, as wide as the widest.
    fn area(&self) -> u64 {
        self.first
            .map_or(0, |first| (self.end - first).saturating_mul(self.width))
    }
}

/// Refuses a workbook with too many sheets.
pub fn check_sheets(count: usize, limits: &Limits) -> Result<(), Unreadable> {
    if count > limits.max_sheets {
        return Err(Unreadable::TooLarge(format!(
            "有 {count} 个工作表，超过上限 {}",
            limits.max_sheets
        )));
    }
    Ok(())
}

/// Refuses a workbook with more cells than the limit.
pub fn check_cell_count(cells: usize, limits: &Limits) -> Result<(), Unreadable> {
    if cells > limits.max_cells {
        return Err(Unreadable::TooLarge(format!(
            "单元格超过 {} 个（上限）",
            limits.max_cells
        )));
    }
    Ok(())
}

/// Refuses a sheet whose cells, from `min` to `max` (row, column), span an area over four
/// times the cell limit: calamine lays a sheet out as one dense table of that area.
pub fn check_span(min: (u32, u32), max: (u32, u32), limits: &Limits) -> Result<(), Unreadable> {
    let area = (u64::from(max.0 - min.0) + 1) * (u64::from(max.1 - min.1) + 1);
    if area > 4 * limits.max_cells as u64 {
        let span = format!(
            "{}:{}",
            crate::model::CellRef::new(min.0, min.1),
            crate::model::CellRef::new(max.0, max.1)
        );
        return Err(Unreadable::TooLarge(format!(
            "工作表的单元格分布在 {span}，范围超过上限（{} 个单元格）",
            4 * limits.max_cells
        )));
    }
    Ok(())
}

/// Collects a sheet's cells as they stream out of the parser, refusing before any dense
/// allocation a sheet whose cells are too many or span too large an area (two cells at A1 and
/// XFD1048576 would otherwise make a table of 17 billion cells). `used` counts the workbook's
/// cells so far.
pub fn collect_cells<'a, E>(
    mut next: impl FnMut() -> Result<Option<Cell<DataRef<'a>>>, E>,
    on_error: impl Fn(E) -> Unreadable,
    limits: &Limits,
    used: &mut usize,
) -> Result<Range<Data>, Unreadable> {
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let (mut min, mut max) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    while let Some(cell) = next().map_err(&on_error)? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        *used += 1;
        check_cell_count(*used, limits)?;
        let (r, c) = cell.get_position();
        min = (min.0.min(r), min.1.min(c));
        max = (max.0.max(r), max.1.max(c));
        check_span(min, max, limits)?;
        let value = Data::from(cell.get_value().clone());
        cells.push(Cell::new((r, c), value));
    }
    Ok(Range::from_sparse(cells))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// An .ods package with one sheet whose `<table:table>` holds `rows`.
    fn ods(rows: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).expect("entry");
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .expect("written");
        zip.start_file("content.xml", stored).expect("entry");
        write!(
            zip,
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="表1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
        .expect("written");
        zip.finish().expect("finished").into_inner()
    }

    const VALUE: &str = r#"<table:table-cell office:value-type="string"><text:p>项目编码</text:p></table:table-cell>"#;

    fn row(cells: &str, repeated: u64) -> String {
        format!(
            r#"<table:table-row table:number-rows-repeated="{repeated}">{cells}</table:table-row>"#
        )
    }

    #[test]
    fn libreoffice_filler_rows_and_columns_do_not_count() {
        // What LibreOffice writes: each row padded to XFD, then empty rows to row 1,048,576.
        let filler = r#"<table:table-cell table:number-columns-repeated="16383"/>"#;
        let rows = row(&format!("{VALUE}{filler}"), 40)
            + &row(
                r#"<table:table-cell table:number-columns-repeated="16384"/>"#,
                1_048_536,
            );
        assert!(check_ods(&ods(&rows), &Limits::default()).is_ok());
    }

    #[test]
    fn repeats_that_expand_past_the_limit_are_refused() {
        let limits = Limits::default();
        // A value repeated across 16,384 columns, in a row repeated 100 times: 1.6 million cells.
        let wide = r#"<table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>"#;
        assert!(matches!(
            check_ods(&ods(&row(wide, 100)), &limits),
            Err(Unreadable::TooLarge(m)) if m.contains("1638400")
        ));
        // Empty rows between two values are laid out too: 1,000,000 rows by 2 columns.
        let gap = row(VALUE, 1) + &row("<table:table-cell/>", 999_998) + &row(&VALUE.repeat(2), 1);
        assert!(check_ods(&ods(&gap), &limits).is_err());
        // Under the limit, the same shapes are fine.
        assert!(check_ods(&ods(&row(wide, 50)), &limits).is_ok());
    }
}
