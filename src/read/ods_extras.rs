//! What calamine does not give for `.ods`, taken from `content.xml` in the same walk that
//! checks its limits (`limits::check_ods`): hidden rows and columns (`table:visibility`),
//! what a formatted number shows (the cell's own text for percentages, dates, times and
//! numbers shown with words, `24人`, `≥95%`), and formulas whose stored result is 0 or absent.

use super::sheet::Extras;
use quick_xml::events::BytesStart;

/// Collects each sheet's extras as `content.xml` is walked.
#[derive(Default)]
pub struct OdsExtras {
    pub sheets: Vec<Extras>,
    /// The cell being read: its position, whether its text is what counts, and its formula.
    cell: Option<Cell>,
}

struct Cell {
    pos: (u32, u32),
    shows_text: Option<bool>,
    formula: Option<(String, bool)>,
    /// A date as jxmb writes every date (`2025年12月31日`), whatever the cell's date style.
    date: Option<String>,
    text: String,
    paragraphs: usize,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    match e.try_get_attribute(name) {
        Ok(Some(a)) => Some(a.value.into_owned()),
        _ => None,
    }
}

fn hidden(e: &BytesStart) -> bool {
    matches!(
        attr(e, "table:visibility").as_deref(),
        Some("collapse" | "filter")
    )
}

/// `of:=[.E4]+[.G4]` → `E4+G4`.
fn plain_formula(f: &str) -> String {
    let f = f.strip_prefix("of:").unwrap_or(f);
    let f = f.strip_prefix('=').unwrap_or(f);
    f.replace("[.", "")
        .replace(":.", ":")
        .replace([']', '$'], "")
}

/// A number's text that says more than the number: words, comparators, a percent sign.
fn says_more(text: &str) -> bool {
    text.chars()
        .any(|c| !(c.is_ascii_digit() || " ,.-+".contains(c) || c == 'E' || c == 'e'))
}

impl OdsExtras {
    pub fn sheet(&mut self) {
        self.sheets.push(Extras::default());
        self.cell = None;
    }

    fn current(&mut self) -> Option<&mut Extras> {
        self.sheets.last_mut()
    }

    /// A `<table:table-column>` covering columns `first..first + count`.
    pub fn column(&mut self, e: &BytesStart, first: u64, count: u64) {
        if hidden(e) {
            if let Some(s) = self.current() {
                let end = (first + count).min(16_384);
                s.hidden_cols.extend((first..end).map(|c| c as u32));
            }
        }
    }

    /// A `<table:table-row>` starting at row `first`, repeated `count` times.
    pub fn row(&mut self, e: &BytesStart, first: u64, count: u64) {
        if hidden(e) {
            if let Some(s) = self.current() {
                let end = (first + count.min(1_000)).min(1_048_576);
                s.hidden_rows.extend((first..end).map(|r| r as u32));
            }
        }
    }

    /// A cell at (`row`, `col`) opens; `has_children` when its text follows.
    pub fn cell_start(&mut self, e: &BytesStart, row: u64, col: u64, has_children: bool) {
        let kind = attr(e, "office:value-type");
        // A formula is suspect when it stored 0 (judged later against the cells it adds up)
        // or nothing at all.
        let stored_zero = attr(e, "office:value").is_some_and(|v| v.trim().parse() == Ok(0.0));
        let formula = attr(e, "table:formula")
            .filter(|_| stored_zero || kind.is_none())
            .map(|f| (plain_formula(&f), stored_zero));
        let shows_text = match kind.as_deref() {
            Some("percentage" | "date" | "time") => Some(true),
            Some("float") => None, // decided by its text
            _ => Some(false),
        };
        let date = attr(e, "office:date-value")
            .and_then(|d| super::number_format::date_of(&calamine::Data::DateTimeIso(d)));
        let cell = Cell {
            pos: (
                row.min(u64::from(u32::MAX)) as u32,
                col.min(u64::from(u32::MAX)) as u32,
            ),
            shows_text,
            formula,
            date,
            text: String::new(),
            paragraphs: 0,
        };
        if has_children {
            self.cell = Some(cell);
        } else {
            self.finish(cell);
        }
    }

    pub fn paragraph(&mut self) {
        if let Some(c) = &mut self.cell {
            c.paragraphs += 1;
            if c.paragraphs > 1 {
                c.text.push('\n');
            }
        }
    }

    pub fn text(&mut self, t: &str) {
        if let Some(c) = &mut self.cell {
            if c.text.len() < 256 {
                c.text.push_str(t);
            }
        }
    }

    pub fn cell_end(&mut self) {
        if let Some(cell) = self.cell.take() {
            self.finish(cell);
        }
    }

    fn finish(&mut self, cell: Cell) {
        let Some(s) = self.sheets.last_mut() else {
            return;
        };
        if let Some((formula, stored_zero)) = cell.formula {
            s.formulas.push((cell.pos, formula, stored_zero));
            return;
        }
        if let Some(date) = cell.date {
            s.shown.push((cell.pos, date));
            return;
        }
        let text = cell.text.trim();
        let shows = cell.shows_text.unwrap_or_else(|| says_more(text));
        if shows && !text.is_empty() {
            s.shown.push((cell.pos, text.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_and_texts() {
        assert_eq!(plain_formula("of:=[.E4]+[.G4]"), "E4+G4");
        assert_eq!(plain_formula("of:=SUM([.$B$2:.C3])"), "SUM(B2:C3)");
        assert!(says_more("24人") && says_more("≥95%") && says_more("95%"));
        assert!(!says_more("1,234.50") && !says_more("-5") && !says_more("1E+05"));
    }
}
