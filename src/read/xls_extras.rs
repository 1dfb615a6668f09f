//! What calamine does not give for `.xls`, taken from the BIFF8 records in the same walk that
//! checks them (`xls_guard`): hidden rows (ROW `fDyZero`) and columns (COLINFO `fHidden`),
//! number formats beyond dates (FORMAT and XF records, applied to NUMBER, RK, MULRK and
//! FORMULA cells), and formulas whose cached result is 0 — with the formula rebuilt from its
//! tokens, so JX007 can name it. Every read is bounds-checked: a damaged record gives nothing.

use super::number_format::{builtin_code, Format, Shown};
use super::sheet::Extras;
use std::collections::HashMap;

const FORMULA: u16 = 0x0006;
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MUL_RK: u16 = 0x00BD;
const ROW: u16 = 0x0208;
const COL_INFO: u16 = 0x007D;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;

/// The most columns a COLINFO may hide one by one.
const MAX_COLUMNS: u16 = 256;

/// Collects the extras of each sheet while the workbook stream is walked record by record.
#[derive(Default)]
pub struct XlsExtras {
    formats: HashMap<u16, String>,
    /// Per XF record, in order, what its number format does.
    xfs: Vec<Format>,
    /// The top-level BOF being read, and how deep into embedded substreams (charts).
    sheet: Option<usize>,
    depth: usize,
    seen_globals: bool,
    sheets: HashMap<usize, Extras>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}

fn f64_at(b: &[u8], at: usize) -> Option<f64> {
    let bytes: [u8; 8] = b.get(at..at + 8)?.try_into().ok()?;
    Some(f64::from_le_bytes(bytes))
}

/// An RK number: a 30-bit integer or the top of a double, maybe divided by 100.
fn rk_value(rk: u32) -> f64 {
    let value = if rk & 0x2 != 0 {
        f64::from((rk as i32) >> 2)
    } else {
        f64::from_bits(u64::from(rk & 0xFFFF_FFFC) << 32)
    };
    if rk & 0x1 != 0 {
        value / 100.0
    } else {
        value
    }
}

/// A FORMAT record's code: `ifmt`, then an XLUnicodeString.
fn format_record(r: &[u8]) -> Option<(u16, String)> {
    let id = u16_at(r, 0)?;
    let chars = usize::from(u16_at(r, 2)?);
    let wide = *r.get(4)? & 0x1 != 0;
    let body = r.get(5..)?;
    let code = if wide {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .take(chars)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        body.iter().take(chars).map(|b| char::from(*b)).collect()
    };
    Some((id, code))
}

impl XlsExtras {
    /// Sees one record (at stream offset `at`) before it is made safe for calamine.
    pub fn see(&mut self, typ: u16, r: &[u8], at: usize) {
        match typ {
            BOF => {
                if !self.seen_globals {
                    self.seen_globals = true;
                } else if self.sheet.is_some() {
                    self.depth += 1;
                } else {
                    self.sheet = Some(at);
                }
            }
            EOF => {
                if self.depth > 0 {
                    self.depth -= 1;
                } else {
                    self.sheet = None;
                }
            }
            FORMAT => {
                if let Some((id, code)) = format_record(r) {
                    self.formats.insert(id, code);
                }
            }
            XF => {
                let id = u16_at(r, 2).unwrap_or(0);
                let code = self
                    .formats
                    .get(&id)
                    .map(String::as_str)
                    .or(builtin_code(u32::from(id)));
                self.xfs.push(Format::of(code));
            }
            _ if self.depth == 0 => {
                if let Some(at) = self.sheet {
                    self.cell(typ, r, at);
                }
            }
            _ => {}
        }
    }

    fn cell(&mut self, typ: u16, r: &[u8], sheet: usize) {
        let Some((row, col)) = u16_at(r, 0).zip(u16_at(r, 2)) else {
            return;
        };
        let (row32, col32) = (u32::from(row), u32::from(col));
        let extras = self.sheets.entry(sheet).or_default();
        let xfs = &self.xfs;
        let mut show = |pos: (u32, u32), xf: Option<u16>, value: f64| {
            let format = xf.and_then(|x| xfs.get(usize::from(x)));
            if let Some(Shown::Text(text)) = format.map(|f| f.apply(value)) {
                extras.shown.push((pos, text));
            }
        };
        match typ {
            NUMBER => {
                if let Some(v) = f64_at(r, 6) {
                    show((row32, col32), u16_at(r, 4), v);
                }
            }
            RK => {
                if let Some(rk) = u32_at(r, 6) {
                    show((row32, col32), u16_at(r, 4), rk_value(rk));
                }
            }
            MUL_RK => {
                let count = r.len().saturating_sub(6) / 6;
                for i in 0..count {
                    let at = 4 + 6 * i;
                    if let Some((xf, rk)) = u16_at(r, at).zip(u32_at(r, at + 2)) {
                        show((row32, col32 + i as u32), Some(xf), rk_value(rk));
                    }
                }
            }
            FORMULA => {
                let cached_number = u16_at(r, 12).is_some_and(|tag| tag != 0xFFFF);
                let Some(value) = f64_at(r, 6).filter(|_| cached_number) else {
                    return;
                };
                show((row32, col32), u16_at(r, 4), value);
                if value == 0.0 {
                    let tokens = u16_at(r, 20)
                        .and_then(|cce| r.get(22..22 + usize::from(cce)))
                        .unwrap_or(&[]);
                    if let Some(formula) = formula_text(tokens) {
                        extras.formulas.push(((row32, col32), formula, true));
                    }
                }
            }
            ROW => {
                let flags = u16_at(r, 12).unwrap_or(0);
                if flags & 0x0020 != 0 {
                    extras.hidden_rows.push(row32);
                }
            }
            COL_INFO => {
                let flags = u16_at(r, 8).unwrap_or(0);
                if flags & 0x0001 != 0 {
                    let last = col.min(MAX_COLUMNS - 1);
                    let first = row.min(last);
                    extras.hidden_cols.extend((first..=last).map(u32::from));
                }
            }
            _ => {}
        }
    }

    /// The extras of each sheet, in the order of the sheets' BOF offsets given.
    pub fn into_sheets(mut self, starts: &[usize]) -> Vec<Extras> {
        starts
            .iter()
            .map(|at| self.sheets.remove(at).unwrap_or_default())
            .collect()
    }
}

/// A cell reference token's A1 text.
fn a1(row: u16, col: u16) -> String {
    format!(
        "{}{}",
        crate::model::cell::column_letters(u32::from(col & 0x3FFF)),
        u32::from(row) + 1
    )
}

/// Rebuilds a formula's text from its parsed tokens (RPN), for the ones a sum or a product of
/// cells is made of; `None` for anything else (then it is not judged).
fn formula_text(tokens: &[u8]) -> Option<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut i = 0;
    let binary = |stack: &mut Vec<String>, op: &str| -> Option<()> {
        let b = stack.pop()?;
        let a = stack.pop()?;
        stack.push(format!("{a}{op}{b}"));
        Some(())
    };
    while i < tokens.len() {
        let ptg = tokens[i];
        i += 1;
        match ptg {
            0x03 => binary(&mut stack, "+")?,
            0x04 => binary(&mut stack, "-")?,
            0x05 => binary(&mut stack, "*")?,
            0x06 => binary(&mut stack, "/")?,
            0x15 => {
                let inner = stack.pop()?;
                stack.push(format!("({inner})"));
            }
            0x1E => {
                stack.push(u16_at(tokens, i)?.to_string());
                i += 2;
            }
            0x1F => {
                stack.push(f64_at(tokens, i)?.to_string());
                i += 8;
            }
            0x19 => {
                // tAttr: a SUM of one argument (0x10) wraps it; spaces and volatility do not.
                let flags = *tokens.get(i)?;
                if flags & 0x10 != 0 {
                    let inner = stack.pop()?;
                    stack.push(format!("SUM({inner})"));
                } else if flags & 0x04 != 0 {
                    return None; // CHOOSE carries a jump table
                }
                i += 3;
            }
            0x24 | 0x44 | 0x64 => {
                stack.push(a1(u16_at(tokens, i)?, u16_at(tokens, i + 2)?));
                i += 4;
            }
            0x25 | 0x45 | 0x65 => {
                let (r1, r2) = (u16_at(tokens, i)?, u16_at(tokens, i + 2)?);
                let (c1, c2) = (u16_at(tokens, i + 4)?, u16_at(tokens, i + 6)?);
                stack.push(format!("{}:{}", a1(r1, c1), a1(r2, c2)));
                i += 8;
            }
            0x22 | 0x42 | 0x62 => {
                // A function with a variable number of arguments: SUM (4) only.
                let args = usize::from(*tokens.get(i)? & 0x7F);
                let function = u16_at(tokens, i + 1)? & 0x7FFF;
                i += 3;
                if function != 4 || args > stack.len() {
                    return None;
                }
                let list = stack.split_off(stack.len() - args).join(",");
                stack.push(format!("SUM({list})"));
            }
            _ => return None,
        }
    }
    (stack.len() == 1).then(|| stack.pop()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_rebuilt_from_tokens() {
        // E4+G4: ptgRef E4, ptgRef G4, ptgAdd.
        let tokens = [0x24, 3, 0, 4, 0xC0, 0x24, 3, 0, 6, 0xC0, 0x03];
        assert_eq!(formula_text(&tokens).as_deref(), Some("E4+G4"));
        // SUM(B2:C3) as Excel writes it: ptgArea then tAttrSum.
        let tokens = [0x25, 1, 0, 2, 0, 1, 0xC0, 2, 0xC0, 0x19, 0x10, 0, 0];
        assert_eq!(formula_text(&tokens).as_deref(), Some("SUM(B2:C3)"));
        assert_eq!(
            formula_text(&[0x17, 1, 0]),
            None,
            "a string token is not judged"
        );
        assert_eq!(formula_text(&[0x24, 3]), None, "a cut token gives nothing");
    }

    #[test]
    fn rk_numbers() {
        assert_eq!(rk_value((25 << 2) | 0x2), 25.0);
        assert_eq!(rk_value((95 << 2) | 0x3), 0.95);
        assert_eq!(rk_value((1.5f64.to_bits() >> 32) as u32), 1.5);
    }
}
