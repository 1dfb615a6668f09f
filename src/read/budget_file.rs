//! `--budget FILE`: a 项目支出预算表 given on its own, as a workbook or a CSV (UTF-8 or GBK, as
//! Excel saves it on Chinese Windows). A CSV is laid out as a sheet and read by the same
//! label-anchored reader as workbooks, so its header, unit and 合计 row are handled alike.

use super::{grid::Grid, layout, read_file, Unreadable};
use crate::model::{BudgetLine, Unit};
use calamine::{Data, Range};
use std::path::Path;

/// Reads the budget lines of a workbook or CSV file.
pub fn read_budget_file(path: &Path) -> Result<Vec<(Unit, BudgetLine)>, Unreadable> {
    let shown = path.display().to_string();
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let contents = if is_csv {
        let bytes = std::fs::read(path).map_err(|e| Unreadable::Io(e.to_string()))?;
        let text = decode(&bytes);
        let sheet = super::sheet::Sheet::new(sheet_of(&parse_csv(&text)));
        let mut contents = crate::model::WorkbookContents::default();
        layout::read_sheet(
            &Grid::new(&sheet),
            &layout::SheetInfo {
                file: &shown,
                sheet: "CSV",
                index: 0,
            },
            &mut contents,
        );
        contents
    } else {
        read_file(path, &shown)?
    };
    if contents.budget_lines.is_empty() {
        return Err(Unreadable::NotAWorkbook(
            "没有找到项目支出预算表：需要有“项目编码”或“项目名称”以及“合计/金额/预算数”的表头行",
        ));
    }
    Ok(contents.budget_lines)
}

/// UTF-8 (with or without BOM), else GBK.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GBK.decode(bytes).0.into_owned(),
    }
}

/// RFC 4180 fields: commas, quoted fields with `""` escapes and line breaks.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The CSV as a sheet: numbers where a field is a plain number, text otherwise.
fn sheet_of(rows: &[Vec<String>]) -> Range<Data> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    if rows.is_empty() || width == 0 {
        return Range::empty();
    }
    let mut range = Range::new((0, 0), (rows.len() as u32 - 1, width as u32 - 1));
    for (r, row) in rows.iter().enumerate() {
        for (c, field) in row.iter().enumerate() {
            let value = match field.trim() {
                "" => Data::Empty,
                t => match t.parse::<f64>() {
                    Ok(n)
                        if t.chars()
                            .all(|ch| ch.is_ascii_digit() || ch == '.' || ch == '-') =>
                    {
                        Data::Float(n)
                    }
                    _ => Data::String(field.clone()),
                },
            };
            range.set_value((r as u32, c as u32), value);
        }
    }
    range
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields() {
        let rows = parse_csv(
            "项目编码,项目名称,合计\r\n\"A,1\",\"say \"\"hi\"\"\",1.80\nB,\"two\nlines\",2\n",
        );
        assert_eq!(
            rows,
            vec![
                vec!["项目编码", "项目名称", "合计"],
                vec!["A,1", "say \"hi\"", "1.80"],
                vec!["B", "two\nlines", "2"],
            ]
        );
    }

    #[test]
    fn gbk_is_decoded() {
        let (bytes, _, _) = encoding_rs::GBK.encode("项目编码,合计\n");
        assert_eq!(decode(&bytes), "项目编码,合计\n");
    }
}
