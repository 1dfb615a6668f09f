//! Cell positions: zero-based inside the program, A1 text (`E10`, `Sheet1!E10`) for users.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A zero-based cell position that displays as Excel's A1 (`(9, 4)` → `E10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(row: u32, col: u32) -> Self {
        CellRef { row, col }
    }
}

/// Excel's column letters for a zero-based column: 0 → `A`, 26 → `AA`.
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", column_letters(self.col), self.row as u64 + 1)
    }
}

impl Serialize for CellRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl std::str::FromStr for CellRef {
    type Err = String;

    /// Parses `E10` (and `$E$10`).
    fn from_str(s: &str) -> Result<CellRef, String> {
        let s = s.trim().replace('$', "");
        let letters = s.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        let (col, row) = s.split_at(letters);
        let bad = || format!("“{s}”不是单元格地址");
        if letters == 0 || letters > 3 {
            return Err(bad());
        }
        let col = col
            .to_ascii_uppercase()
            .bytes()
            .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1))
            - 1;
        let row: u32 = row.parse().map_err(|_| bad())?;
        if row == 0 {
            return Err(bad());
        }
        Ok(CellRef::new(row - 1, col))
    }
}

impl<'de> Deserialize<'de> for CellRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CellRef, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A rectangular block of cells, displayed as `A1:G17`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CellRange {
    pub start: CellRef,
    pub end: CellRef,
}

impl fmt::Display for CellRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}:{}", self.start, self.end)
        }
    }
}

impl Serialize for CellRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CellRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CellRange, D::Error> {
        let text = String::deserialize(d)?;
        let (a, b) = text.split_once(':').unwrap_or((&text, &text));
        let start = a.parse().map_err(serde::de::Error::custom)?;
        let end = b.parse().map_err(serde::de::Error::custom)?;
        Ok(CellRange { start, end })
    }
}

/// Quotes a sheet name the way Excel's Name Box expects when it is not a plain word:
/// `Sheet 1` → `'Sheet 1'`, `it's` → `'it''s'`. Chinese names need no quotes.
pub fn quote_sheet_name(name: &str) -> std::borrow::Cow<'_, str> {
    let plain = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| {
            (c.is_alphanumeric() || c == '_' || c == '.' || !c.is_ascii())
                && !c.is_whitespace()
                && !matches!(c, '\'' | '!' | '-' | '(' | ')' | '（' | '）')
        });
    if plain {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(format!("'{}'", name.replace('\'', "''")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(CellRef::new(0, 0).to_string(), "A1");
        assert_eq!(CellRef::new(9, 4).to_string(), "E10");
        assert_eq!(CellRef::new(0, 25).to_string(), "Z1");
        assert_eq!(CellRef::new(0, 26).to_string(), "AA1");
        assert_eq!(CellRef::new(1_048_575, 16_383).to_string(), "XFD1048576");
    }

    #[test]
    fn a1_parses_back() {
        for (text, cell) in [
            ("A1", CellRef::new(0, 0)),
            ("E10", CellRef::new(9, 4)),
            ("AA1", CellRef::new(0, 26)),
            ("$XFD$1048576", CellRef::new(1_048_575, 16_383)),
        ] {
            assert_eq!(text.parse::<CellRef>(), Ok(cell));
        }
        for bad in ["", "10", "E0", "E", "ABCD1", "E1x"] {
            assert!(bad.parse::<CellRef>().is_err(), "{bad}");
        }
    }

    #[test]
    fn sheet_quoting() {
        assert_eq!(quote_sheet_name("电梯维保费"), "电梯维保费");
        assert_eq!(quote_sheet_name("Sheet1"), "Sheet1");
        assert_eq!(quote_sheet_name("Sheet 1"), "'Sheet 1'");
        assert_eq!(quote_sheet_name("it's"), "'it''s'");
        assert_eq!(quote_sheet_name("2025"), "'2025'");
    }
}
