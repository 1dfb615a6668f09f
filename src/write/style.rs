//! Cell formats and column widths shared by every sheet jxmb writes.

use crate::diag::Severity;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

/// The font Chinese government tables use; Excel, WPS and LibreOffice all map it.
pub const FONT: &str = "宋体";

/// What a cell is, which decides its look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Title,
    /// Text outside the table's grid (the unit line).
    Plain,
    PlainRight,
    /// A label cell (项目编码, 一级指标…).
    Label,
    /// A text value in the grid, wrapped.
    Value,
    /// A text value in a list sheet: one line per row, never wrapped.
    Cell,
    /// A list sheet's column of long text, wrapped at its width (a column format: no border,
    /// which would run down the whole column).
    CellWrap,
    /// A list sheet's title row.
    SheetTitle,
    /// A centred short value (plan checkpoints, 一级/二级 names).
    Centered,
    /// A money amount in 万元.
    Amount,
    /// A whole number.
    Count,
}

/// Highlights by severity: light red for errors, light yellow for warnings. Infos only get a
/// note: 56 blue cells in a column would hide what matters.
fn fill(severity: Option<Severity>) -> Option<Color> {
    match severity? {
        Severity::Error => Some(Color::RGB(0xFFC7CE)),
        Severity::Warning => Some(Color::RGB(0xFFEB9C)),
        Severity::Info => None,
    }
}

pub fn format(style: Style, severity: Option<Severity>) -> Format {
    let base = Format::new()
        .set_font_name(FONT)
        .set_font_size(10.5)
        .set_align(FormatAlign::VerticalCenter);
    let grid = base.clone().set_border(FormatBorder::Thin).set_text_wrap();
    let f = match style {
        Style::Title => base
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center),
        Style::Plain => base,
        Style::PlainRight => base.set_align(FormatAlign::Right),
        Style::Label => grid.set_bold().set_align(FormatAlign::Center),
        Style::Value => grid,
        Style::Cell => base.set_border(FormatBorder::Thin),
        // Bottom-aligned like the plain cells beside it, which carry no format.
        Style::CellWrap => base.set_text_wrap().set_align(FormatAlign::Bottom),
        Style::SheetTitle => base
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Left),
        Style::Centered => grid.set_align(FormatAlign::Center),
        Style::Amount => grid.set_num_format("0.00##").set_align(FormatAlign::Right),
        Style::Count => grid.set_num_format("0").set_align(FormatAlign::Center),
    };
    match fill(severity) {
        Some(color) => f.set_background_color(color),
        None => f,
    }
}

/// Every (style, severity) format, built once: rust_xlsxwriter finds a format's index by
/// comparing it with the ones it has seen, so building one per cell costs more than writing
/// the cell.
pub struct Formats {
    all: Vec<Format>,
}

const STYLES: [Style; 11] = [
    Style::Title,
    Style::CellWrap,
    Style::SheetTitle,
    Style::Plain,
    Style::PlainRight,
    Style::Label,
    Style::Value,
    Style::Cell,
    Style::Centered,
    Style::Amount,
    Style::Count,
];
const SEVERITIES: [Option<Severity>; 4] = [
    None,
    Some(Severity::Info),
    Some(Severity::Warning),
    Some(Severity::Error),
];

impl Formats {
    pub fn new() -> Formats {
        let all = STYLES
            .iter()
            .flat_map(|st| SEVERITIES.iter().map(move |sev| format(*st, *sev)))
            .collect();
        Formats { all }
    }

    pub fn get(&self, style: Style, severity: Option<Severity>) -> &Format {
        let s = STYLES.iter().position(|x| *x == style).unwrap_or(0);
        let v = SEVERITIES.iter().position(|x| *x == severity).unwrap_or(0);
        &self.all[s * SEVERITIES.len() + v]
    }
}

/// How wide a text shows, in Excel's column units: CJK and full-width characters take about
/// two, others one. (rust_xlsxwriter's autofit counts every character as one, so Chinese
/// columns come out half as wide as they need.)
pub fn text_width(text: &str) -> f64 {
    text.lines()
        .map(|line| {
            line.chars()
                .map(|c| if is_wide(c) { 2.1 } else { 1.1 })
                .sum::<f64>()
        })
        .fold(0.0, f64::max)
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
        || "“”‘’—…≥≤".contains(c)
}

/// The height of one line of the 10.5 pt text jxmb writes, in points.
pub const LINE_HEIGHT: f64 = 14.0;

/// How many lines `text` takes wrapped in a column `width` wide (generous: a row a little
/// too tall is better than text cut off; not every spreadsheet program fits row heights to
/// wrapped text when it opens a file).
pub fn lines_of(text: &str, width: f64) -> f64 {
    text.lines()
        .map(|line| (text_width(line) / (width - 1.0)).ceil().max(1.0))
        .sum::<f64>()
        .max(1.0)
}

/// Tracks the widest text per column and sets widths within bounds (longer text wraps).
#[derive(Debug, Default)]
pub struct Widths {
    widest: Vec<f64>,
}

impl Widths {
    pub fn see(&mut self, col: u16, text: &str) {
        let col = col as usize;
        if self.widest.len() <= col {
            self.widest.resize(col + 1, 0.0);
        }
        self.widest[col] = self.widest[col].max(text_width(text));
    }

    pub fn apply(&self, ws: &mut Worksheet, min: f64, max: f64) -> Result<(), XlsxError> {
        self.apply_capped(ws, min, max, &[])
    }

    /// The width `apply` gives column `col`.
    pub fn width(&self, col: u16, min: f64, max: f64) -> f64 {
        let w = self.widest.get(usize::from(col)).copied().unwrap_or(0.0);
        (w + 2.0).clamp(min, max)
    }

    /// `apply`, with some columns given their own widest (`caps`: column, width).
    pub fn apply_capped(
        &self,
        ws: &mut Worksheet,
        min: f64,
        max: f64,
        caps: &[(u16, f64)],
    ) -> Result<(), XlsxError> {
        for (col, w) in self.widest.iter().enumerate() {
            let cap = caps
                .iter()
                .find(|(c, _)| usize::from(*c) == col)
                .map_or(max, |(_, cap)| *cap);
            ws.set_column_width(col as u16, (w + 2.0).clamp(min.min(cap), cap))?;
        }
        Ok(())
    }
}

/// A4 landscape, fitted to one page wide, centred, with narrow margins.
pub fn print_setup(ws: &mut Worksheet) {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_twice_as_wide() {
        assert!((text_width("电梯维保费") - 10.5).abs() < 1e-9);
        assert!((text_width("E10") - 3.3).abs() < 1e-9);
        assert!((text_width("短\n最长的一行") - 10.5).abs() < 1e-9);
    }
}
