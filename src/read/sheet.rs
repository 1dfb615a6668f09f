//! One worksheet as read from any format: its cells as the user sees them, and what the user
//! does not see (hidden rows, columns, the sheet itself) or what was never calculated.

use calamine::{Data, Range};

/// A worksheet's cells plus what the reader knows about how they are shown.
#[derive(Debug, Default)]
pub struct Sheet {
    /// Values with number formats applied where the format changes what a cell says
    /// (dates, percents, words around numbers: `Data::String` of the shown text).
    pub cells: Range<Data>,
    /// Hidden (or `veryHidden`) in the workbook.
    pub hidden: bool,
    /// Hidden or zero-height rows, sorted.
    pub hidden_rows: Vec<u32>,
    /// Hidden or zero-width columns, sorted.
    pub hidden_cols: Vec<u32>,
    /// Formula cells whose stored result cannot be trusted — none stored, or 0 while the cells
    /// it adds up are not — with the formula, sorted by position.
    pub uncalculated: Vec<((u32, u32), String)>,
}

impl Sheet {
    pub fn new(cells: Range<Data>) -> Sheet {
        Sheet {
            cells,
            ..Sheet::default()
        }
    }

    pub fn is_row_hidden(&self, row: u32) -> bool {
        self.hidden_rows.binary_search(&row).is_ok()
    }

    pub fn is_col_hidden(&self, col: u32) -> bool {
        self.hidden_cols.binary_search(&col).is_ok()
    }

    /// The formula of a cell whose result was never calculated.
    pub fn uncalculated(&self, row: u32, col: u32) -> Option<&str> {
        self.uncalculated
            .binary_search_by(|(p, _)| p.cmp(&(row, col)))
            .ok()
            .map(|i| self.uncalculated[i].1.as_str())
    }

    /// calamine's cells with what a pass of our own over the file found beside them (.xls, .ods).
    pub fn with_extras(mut cells: Range<Data>, extras: Extras) -> Sheet {
        let (top, left) = cells.start().unwrap_or((0, 0));
        let (bottom, right) = cells.end().unwrap_or((0, 0));
        for ((r, c), text) in extras.shown {
            if !cells.is_empty() && (top..=bottom).contains(&r) && (left..=right).contains(&c) {
                cells.set_value((r, c), Data::String(text));
            }
        }
        let mut sheet = Sheet::new(cells);
        sheet.hidden_rows = extras.hidden_rows;
        sheet.hidden_cols = extras.hidden_cols;
        sheet.hidden_rows.sort_unstable();
        sheet.hidden_rows.dedup();
        sheet.hidden_cols.sort_unstable();
        sheet.hidden_cols.dedup();
        let mut stored_zero = Vec::new();
        for (pos, formula, zero) in extras.formulas {
            if zero {
                stored_zero.push(pos);
            }
            sheet.uncalculated.push((pos, formula));
        }
        sheet.uncalculated.sort_by_key(|(p, _)| *p);
        sheet.uncalculated.dedup_by_key(|(p, _)| *p);
        stored_zero.sort_unstable();
        sheet.settle_zero_results(&stored_zero);
        sheet
    }

    /// Drops formulas whose stored 0 is right: `=E4+G4` holding 0 is only suspect when E4 or G4
    /// holds a number that is not 0.
    pub fn settle_zero_results(&mut self, stored_zero: &[(u32, u32)]) {
        let cells = &self.cells;
        self.uncalculated.retain(|(pos, formula)| {
            !stored_zero.contains(pos) || references_nonzero(cells, formula)
        });
    }
}

/// True when a formula refers (on its own sheet) to a cell holding a non-zero number.
fn references_nonzero(cells: &Range<Data>, formula: &str) -> bool {
    let nonzero = |r: u32, c: u32| match cells.get_value((r, c)) {
        Some(Data::Float(f)) => *f != 0.0,
        Some(Data::Int(i)) => *i != 0,
        _ => false,
    };
    // Other sheets' cells (`Sheet2!A1`) are not known here: not suspect.
    if formula.contains('!') {
        return false;
    }
    let refs = cell_refs(formula);
    refs.iter().any(|(from, to)| {
        let rows = from.0.min(to.0)..=from.0.max(to.0).min(from.0.min(to.0) + 10_000);
        rows.into_iter().any(|r| {
            let cols = from.1.min(to.1)..=from.1.max(to.1).min(from.1.min(to.1) + 100);
            cols.into_iter().any(|c| nonzero(r, c))
        })
    })
}

/// The A1 references and ranges in a formula, as (start, end) zero-based positions.
fn cell_refs(formula: &str) -> Vec<((u32, u32), (u32, u32))> {
    let mut out = Vec::new();
    let bytes = formula.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' {
            in_string = !in_string;
            i += 1;
            continue;
        }
        let starts_token =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        // A reference is ASCII: only a character's first byte may start one (the fuzzer found
        // `E4+G4一级指标`).
        if in_string || !starts_token || !formula.is_char_boundary(i) {
            i += 1;
            continue;
        }
        if let Some((from, len)) = parse_ref(&formula[i..]) {
            i += len;
            let mut to = from;
            if bytes.get(i) == Some(&b':') {
                if let Some((end, more)) = parse_ref(&formula[i + 1..]) {
                    to = end;
                    i += 1 + more;
                }
            }
            out.push((from, to));
        } else {
            i += 1;
        }
    }
    out
}

/// `$E$4` at the start of `s` → ((3, 4), length) when a name or function does not follow.
fn parse_ref(s: &str) -> Option<((u32, u32), usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'$') {
        i += 1;
    }
    let letters = b[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !(1..=3).contains(&letters) {
        return None;
    }
    let col = b[i..i + letters]
        .iter()
        .fold(0u32, |acc, c| acc * 26 + u32::from(c - b'A' + 1))
        - 1;
    i += letters;
    if b.get(i) == Some(&b'$') {
        i += 1;
    }
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 7 {
        return None;
    }
    let row: u32 = s[i..i + digits].parse().ok()?;
    i += digits;
    if b.get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'(' || *c == b'_')
    {
        return None;
    }
    Some(((row.checked_sub(1)?, col), i))
}

/// What a format's own pass over a sheet found that calamine does not give (.xls, .ods).
#[derive(Debug, Default)]
pub struct Extras {
    pub hidden_rows: Vec<u32>,
    pub hidden_cols: Vec<u32>,
    /// Number cells whose format shows something else: (position, the shown text).
    pub shown: Vec<((u32, u32), String)>,
    /// Formula cells with nothing or 0 stored: (position, formula, whether 0 was stored).
    pub formulas: Vec<((u32, u32), String, bool)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Cell;

    #[test]
    fn references_in_formulas() {
        assert_eq!(cell_refs("E4+G4"), vec![((3, 4), (3, 4)), ((3, 6), (3, 6))]);
        assert_eq!(cell_refs("SUM($B$2:C3)*2"), vec![((1, 1), (2, 2))]);
        assert_eq!(cell_refs("LOG10(2)"), vec![]);
        assert_eq!(cell_refs("\"A1\"&B1"), vec![((0, 1), (0, 1))]);
        assert_eq!(
            cell_refs("E4+G4一级指标"),
            vec![((3, 4), (3, 4)), ((3, 6), (3, 6))]
        );
        assert_eq!(cell_refs("一A1"), vec![((0, 0), (0, 0))]);
    }

    #[test]
    fn a_stored_zero_is_suspect_only_when_its_inputs_are_not_zero() {
        let cells = Range::from_sparse(vec![
            Cell::new((3, 4), Data::Float(1.2)),
            Cell::new((3, 6), Data::Float(0.6)),
            Cell::new((4, 4), Data::Float(0.0)),
        ]);
        let mut sheet = Sheet::new(cells);
        sheet.uncalculated = vec![
            ((3, 1), "E4+G4".to_string()),
            ((4, 1), "E5+G5".to_string()),
            ((5, 1), "E4".to_string()),
        ];
        // Row 6's formula stored nothing at all: it stays whatever it refers to.
        sheet.settle_zero_results(&[(3, 1), (4, 1)]);
        let left: Vec<_> = sheet.uncalculated.iter().map(|(p, _)| *p).collect();
        assert_eq!(left, vec![(3, 1), (5, 1)]);
    }
}
