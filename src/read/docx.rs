//! `.docx` read from `word/document.xml` in one pass: the body's paragraphs and tables in order,
//! each table as rows of (grid column, text) with `w:gridSpan`/`w:gridBefore` placing cells in
//! the table's grid and `w:vMerge` continuations left empty — what a merged region looks like
//! in a worksheet, so the label-anchored reader reads Word tables as it reads sheets.
//!
//! Read as Word shows it: runs joined, `w:tab` a tab, `w:br`/`w:cr` a line break, a cell's
//! paragraphs one line each; deleted revisions, hidden text (`w:vanish`), text boxes and the
//! fallback copies of `mc:AlternateContent` are not read; content controls (`w:sdt`) are
//! transparent. A table nested in a cell becomes lines of that cell's text. The package is
//! checked against the workbook limits before parsing, and the cells and nesting are counted
//! as they stream.

use super::xlsx::{attr, main_part, push_entity, xml_of};
use super::{limits, Limits, Unreadable};
use quick_xml::events::{BytesStart, Event};
use std::io::Cursor;

/// How deep tables may nest in cells (Word itself allows far fewer in practice).
const MAX_NESTING: usize = 16;

/// The widest grid a Word table can have (Word's own limit is 63 columns).
const MAX_COLUMNS: u32 = 1_000;

/// The body of a Word document, in order.
#[derive(Debug, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
}

#[derive(Debug, PartialEq)]
pub enum Block {
    /// A paragraph outside any table, its text as shown.
    Paragraph(String),
    /// A top-level table: its rows, each a list of (grid column, text), empty cells left out.
    Table(Vec<Vec<(u32, String)>>),
}

/// One table being read: its finished rows, the row and cell open now.
#[derive(Default)]
struct TableBuild {
    rows: Vec<Vec<(u32, String)>>,
    row: Vec<CellBuild>,
    grid_before: u32,
    cell: Option<CellBuild>,
}

#[derive(Default)]
struct CellBuild {
    text: String,
    span: u32,
    /// A `w:vMerge` (or legacy `w:hMerge`) continuation: shown as part of the cell above
    /// (or to the left), so it holds nothing of its own.
    continued: bool,
    lines: usize,
}

impl CellBuild {
    fn new() -> CellBuild {
        CellBuild {
            span: 1,
            ..CellBuild::default()
        }
    }

    fn push_line(&mut self, line: &str) {
        if self.lines > 0 {
            self.text.push('\n');
        }
        self.text.push_str(line);
        self.lines += 1;
    }
}

impl TableBuild {
    fn end_row(&mut self) {
        let mut col = self.grid_before;
        let mut row = Vec::new();
        for cell in self.row.drain(..) {
            if !cell.continued && !cell.text.is_empty() {
                row.push((col, cell.text));
            }
            col = col.saturating_add(cell.span.max(1));
        }
        self.rows.push(row);
        self.grid_before = 0;
    }

    /// A nested table as lines of its enclosing cell: one line per row, cells joined by a space.
    fn into_lines(self) -> Vec<String> {
        self.rows
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|(_, t)| t.replace('\n', " "))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|l| !l.trim().is_empty())
            .collect()
    }
}

/// Reads the document body, within `limits`.
pub fn read(bytes: Vec<u8>, limits: &Limits) -> Result<Document, Unreadable> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| super::corrupt(&e))?;
    limits::check_archive(&mut zip, limits)?;
    // The main part `_rels/.rels` names, as for a workbook.
    let part = main_part(&mut zip).unwrap_or_else(|| "word/document.xml".into());
    let part = zip
        .by_name(&part)
        .map_err(|_| Unreadable::Corrupt("Word 文档中没有正文（word/document.xml）".into()))?;
    body(xml_of(part), limits).map_err(|e| match e {
        Failure::Xml(e) => super::corrupt(&format!("document.xml：{e}")),
        Failure::Limit(u) => u,
    })
}

enum Failure {
    Xml(quick_xml::Error),
    Limit(Unreadable),
}

impl From<quick_xml::Error> for Failure {
    fn from(e: quick_xml::Error) -> Self {
        Failure::Xml(e)
    }
}

/// Elements whose content Word does not show as body text.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "del" | "moveFrom" | "txbxContent" | "Fallback" | "instrText" | "delText"
    )
}

/// `w:val` as a whole number.
fn val_number(e: &BytesStart) -> Option<u32> {
    attr(e, "val").and_then(|v| v.trim().parse().ok())
}

/// A toggle property (`w:vanish`, `w:vanish w:val="0"`): on unless its value says off.
fn toggle_on(e: &BytesStart) -> bool {
    !matches!(attr(e, "val").as_deref(), Some("0" | "false" | "off"))
}

fn body<R: std::io::BufRead>(
    mut xml: quick_xml::Reader<R>,
    limits: &Limits,
) -> Result<Document, Failure> {
    let mut doc = Document::default();
    let mut buf = Vec::new();
    let mut tables: Vec<TableBuild> = Vec::new();
    let mut paragraph = String::new();
    let mut in_text = false;
    let mut in_run = false;
    let mut run_hidden = false;
    let mut skipped = 0usize;
    let mut cells = 0usize;
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf)?;
        if skipped > 0 {
            match event {
                Event::Start(_) => skipped += 1,
                Event::End(_) => skipped -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                name if is_skipped(name) => skipped = 1,
                "p" => paragraph.clear(),
                "r" => {
                    in_run = true;
                    run_hidden = false;
                }
                "t" => in_text = true,
                "tbl" => {
                    if tables.len() >= MAX_NESTING {
                        return Err(Failure::Limit(Unreadable::TooLarge(format!(
                            "表格嵌套超过 {MAX_NESTING} 层"
                        ))));
                    }
                    tables.push(TableBuild::default());
                }
                "tc" => {
                    if let Some(t) = tables.last_mut() {
                        t.cell = Some(CellBuild::new());
                    }
                }
                other => property(other, &e, &mut tables, in_run, &mut run_hidden),
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" if in_run && !run_hidden => paragraph.push('\t'),
                "br" | "cr" if in_run && !run_hidden => paragraph.push('\n'),
                "noBreakHyphen" if in_run && !run_hidden => paragraph.push('-'),
                "p" => end_paragraph("", &mut tables, &mut doc),
                "tc" => {
                    if let Some(t) = tables.last_mut() {
                        t.cell = Some(CellBuild::new());
                    }
                    close_cell(&mut tables, &mut cells, limits)?;
                }
                "tr" => end_row(&mut tables),
                other => property(other, &e, &mut tables, in_run, &mut run_hidden),
            },
            Event::Text(t) if in_text && !run_hidden => paragraph.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text && !run_hidden => push_entity(&r, &mut paragraph),
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "r" => in_run = false,
                "p" => {
                    end_paragraph(&paragraph, &mut tables, &mut doc);
                    paragraph.clear();
                }
                "tc" => close_cell(&mut tables, &mut cells, limits)?,
                "tr" => end_row(&mut tables),
                "tbl" => {
                    let Some(done) = tables.pop() else { continue };
                    if tables.is_empty() {
                        doc.blocks.push(Block::Table(done.rows));
                    } else if let Some(cell) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        done.into_lines().iter().for_each(|l| cell.push_line(l));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(doc)
}

/// A cell ends (`</w:tc>` or `<w:tc/>`): counted against the cell limit, added to its row.
fn close_cell(
    tables: &mut [TableBuild],
    cells: &mut usize,
    limits: &Limits,
) -> Result<(), Failure> {
    *cells += 1;
    limits::check_cell_count(*cells, limits).map_err(Failure::Limit)?;
    if let Some(t) = tables.last_mut() {
        if let Some(cell) = t.cell.take() {
            t.row.push(cell);
        }
    }
    Ok(())
}

fn end_row(tables: &mut [TableBuild]) {
    if let Some(t) = tables.last_mut() {
        t.end_row();
    }
}

/// A property element: a cell's span or merge, a row's skipped grid columns, a run's hidden flag.
fn property(
    name: &str,
    e: &BytesStart,
    tables: &mut [TableBuild],
    in_run: bool,
    run_hidden: &mut bool,
) {
    match name {
        "vanish" if in_run => *run_hidden = toggle_on(e),
        "gridSpan" => {
            if let Some(cell) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                cell.span = val_number(e).unwrap_or(1).clamp(1, MAX_COLUMNS);
            }
        }
        "vMerge" | "hMerge" => {
            if let Some(cell) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                // No value means `continue`.
                cell.continued = attr(e, "val").is_none_or(|v| v != "restart");
            }
        }
        "gridBefore" => {
            if let Some(t) = tables.last_mut().filter(|t| t.cell.is_none()) {
                t.grid_before = val_number(e).unwrap_or(0).min(MAX_COLUMNS);
            }
        }
        _ => {}
    }
}

/// A paragraph ends: a line of the open cell, or a paragraph of the body.
fn end_paragraph(text: &str, tables: &mut [TableBuild], doc: &mut Document) {
    match tables.last_mut() {
        Some(t) => {
            if let Some(cell) = t.cell.as_mut() {
                cell.push_line(text);
            }
        }
        None => doc.blocks.push(Block::Paragraph(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body_xml: &str) -> Document {
        let xml = format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body>{body_xml}</w:body></w:document>"#
        );
        let Ok(doc) = body(quick_xml::Reader::from_str(&xml), &Limits::default()) else {
            panic!("not parsed");
        };
        doc
    }

    #[test]
    fn spans_and_vertical_merges_place_cells_in_the_grid() {
        let doc = parse(
            r#"<w:tbl>
              <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>预算规模及资金用途</w:t></w:r></w:p></w:tc>
                    <w:tc><w:p><w:r><w:t>预算数</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1.80</w:t></w:r></w:p></w:tc></w:tr>
              <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>预算规模及资金用途</w:t></w:r></w:p></w:tc>
                    <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>电梯维保经费</w:t></w:r></w:p></w:tc></w:tr>
              <w:tr><w:trPr><w:gridBefore w:val="2"/></w:trPr><w:tc><w:p><w:r><w:t>末列</w:t></w:r></w:p></w:tc></w:tr>
            </w:tbl>"#,
        );
        assert_eq!(
            doc.blocks,
            vec![Block::Table(vec![
                vec![
                    (0, "预算规模及资金用途".into()),
                    (1, "预算数".into()),
                    (2, "1.80".into())
                ],
                vec![(1, "电梯维保经费".into())],
                vec![(2, "末列".into())],
            ])]
        );
    }

    #[test]
    fn text_is_read_as_word_shows_it() {
        let doc = parse(
            r#"<w:p><w:r><w:t xml:space="preserve">其中：财政 </w:t></w:r><w:r><w:tab/><w:t>资金</w:t></w:r>
                 <w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>
                 <w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:ins><w:r><w:t>&amp;插入</w:t></w:r></w:ins>
                 <w:sdt><w:sdtContent><w:r><w:br/><w:t>控件</w:t></w:r></w:sdtContent></w:sdt></w:p>
               <w:p/>
               <w:tbl><w:tr><w:tc><w:p><w:r><w:t>一</w:t></w:r></w:p><w:p><w:r><w:t>二</w:t></w:r></w:p>
                 <w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>表</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
               </w:tc></w:tr></w:tbl>"#,
        );
        assert_eq!(
            doc.blocks,
            vec![
                Block::Paragraph("其中：财政 \t资金&插入\n控件".into()),
                Block::Paragraph(String::new()),
                Block::Table(vec![vec![(0, "一\n二\n内 表".into())]]),
            ]
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = "<w:tbl><w:tr><w:tc>".repeat(40) + &"</w:tc></w:tr></w:tbl>".repeat(40);
        let xml = format!(r#"<w:document xmlns:w="w"><w:body>{deep}</w:body></w:document>"#);
        let r = body(quick_xml::Reader::from_str(&xml), &Limits::default());
        assert!(matches!(r, Err(Failure::Limit(Unreadable::TooLarge(m))) if m.contains("嵌套")));
    }
}
