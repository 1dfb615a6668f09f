//! A number as the user sees it: a cell's number format applied the way Excel and WPS display
//! it (SPEC §1.2). Dates become `2025年12月31日`, `0.95` in `"≥"0%` becomes `≥95%`, `95` in
//! `0"%"` becomes `95%`. Plain number formats (`0.00`, `#,##0`, a currency sign) keep the
//! number: money is read exactly, not as its rounded display.

use crate::model::amount::decimal_from_cell_float;
use rust_decimal::{Decimal, RoundingStrategy};

/// What a cell's format does to its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// General, or a plain number format: read the number itself.
    Number,
    /// The format shows something else (a date, a percent, words around the number): read this.
    Text(String),
}

/// The built-in format codes Excel numbers 0–49 (the ones that matter: dates and percents).
pub fn builtin_code(id: u32) -> Option<&'static str> {
    Some(match id {
        9 => "0%",
        10 => "0.00%",
        14 => "yyyy/m/d",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "yyyy/m/d h:mm",
        // The Chinese (zh-CN) built-ins Excel and WPS write for dates.
        27..=31 | 50..=58 => "yyyy\"年\"m\"月\"d\"日\"",
        32..=36 => "h\"时\"mm\"分\"",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        _ => return None,
    })
}

/// What a cell style's number format does, decided once per style.
pub enum Format {
    /// General or a plain number format: the number is read as it is.
    Plain,
    /// A format that changes what the number says (a date, a percent, words), parsed once.
    Shown { parsed: Parsed, date: bool },
}

impl Format {
    /// The number as the user sees it through this format.
    pub fn apply(&self, value: f64) -> Shown {
        match self {
            Format::Plain => Shown::Number,
            Format::Shown { parsed, .. } => parsed.show(value),
        }
    }

    pub fn of(code: Option<&str>) -> Format {
        let Some(parsed) = code.and_then(Parsed::new) else {
            return Format::Plain;
        };
        // Tried on a number of each sign and zero: any section that shows more than the
        // number itself makes the format one to apply.
        let shows = |v: f64| matches!(parsed.show(v), Shown::Text(_));
        if shows(46_022.5) || shows(-1.5) || shows(0.0) {
            let date = matches!(parsed.show(46_022.0), Shown::Text(t) if t.ends_with('日'));
            Format::Shown { parsed, date }
        } else {
            Format::Plain
        }
    }
}

/// A number format split into its sections (`pos;neg;zero;text`) and tokenized, once.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    sections: Vec<Vec<Token>>,
}

impl Parsed {
    /// `None` for General and text (`@`): the number is shown as it is.
    pub fn new(code: &str) -> Option<Parsed> {
        if code.is_empty() || code.eq_ignore_ascii_case("general") || code == "@" {
            return None;
        }
        let sections = split_sections(code).into_iter().map(tokenize).collect();
        Some(Parsed { sections })
    }

    /// The section Excel uses for `value`, and whether it shows the magnitude (the negative
    /// section's own `-` or parentheses say the sign).
    fn section(&self, value: f64) -> (&[Token], bool) {
        let non_empty = |k: usize| self.sections.get(k).filter(|s| !s.is_empty());
        match (non_empty(1), non_empty(2)) {
            (Some(negative), _) if value < 0.0 => (negative, true),
            (_, Some(zero)) if value == 0.0 => (zero, false),
            _ => (self.sections.first().map_or(&[][..], Vec::as_slice), false),
        }
    }

    /// `value` through this format.
    pub fn show(&self, value: f64) -> Shown {
        let (tokens, absolute) = self.section(value);
        show_tokens(value, tokens, absolute)
    }
}

/// Applies `code` to `value` (the tests' shorthand; readers parse a code once, [`Format::of`]).
#[cfg(test)]
fn show(value: f64, code: &str) -> Shown {
    Parsed::new(code).map_or(Shown::Number, |p| p.show(value))
}

fn show_tokens(value: f64, tokens: &[Token], absolute: bool) -> Shown {
    if tokens.iter().any(|t| matches!(t, Token::Date(_))) {
        return date_text(value, tokens).map_or(Shown::Number, Shown::Text);
    }
    let percents = tokens
        .iter()
        .filter(|t| matches!(t, Token::Percent))
        .count();
    let has_words = tokens.iter().any(|t| match t {
        Token::Literal(s) => s.chars().any(|c| !is_decoration(c)),
        _ => false,
    });
    if percents == 0 && !has_words {
        return Shown::Number;
    }
    let Some(mut number) = decimal_from_cell_float(if absolute { value.abs() } else { value })
    else {
        return Shown::Number;
    };
    for _ in 0..percents.min(3) {
        number *= Decimal::from(100);
    }
    let decimals = decimals_of(tokens);
    let number = number.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let digits = format!("{:.*}", decimals as usize, number);
    let grouped = if tokens.iter().any(|t| matches!(t, Token::Comma)) {
        group_thousands(&digits)
    } else {
        digits
    };
    let mut out = String::new();
    let mut number_written = false;
    for t in tokens {
        match t {
            Token::Literal(s) => out.push_str(s),
            Token::Percent => out.push('%'),
            Token::Digit | Token::Comma | Token::Point if !number_written => {
                out.push_str(&grouped);
                number_written = true;
            }
            _ => {}
        }
    }
    // A format of words only (`"已完成"`) shows the words.
    Shown::Text(out)
}

/// Characters a plain number format shows around the number that do not change what it says.
fn is_decoration(c: char) -> bool {
    c.is_whitespace() || "$¥￥€£(),-+".contains(c)
}

/// `pos;neg;zero;text`: the sections of a format code (a `;` in quotes or escaped is text).
fn split_sections(code: &str) -> Vec<&str> {
    let mut sections = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in code.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                sections.push(&code[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    sections.push(&code[start..]);
    sections
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Literal(String),
    Digit,
    Comma,
    Point,
    /// Digits after the decimal point.
    Decimal,
    Percent,
    Date(char),
}

fn tokenize(code: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = code.chars().peekable();
    let mut after_point = false;
    let literal = |out: &mut Vec<Token>, s: &str| match out.last_mut() {
        Some(Token::Literal(l)) => l.push_str(s),
        _ => out.push(Token::Literal(s.to_string())),
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut s = String::new();
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    s.push(q);
                }
                literal(&mut out, &s);
            }
            '\\' => {
                if let Some(n) = chars.next() {
                    literal(&mut out, &n.to_string());
                }
            }
            // `_)` leaves the width of `)`; `*-` repeats `-` to fill the cell.
            '_' => {
                chars.next();
                literal(&mut out, " ");
            }
            '*' => {
                chars.next();
            }
            '[' => {
                let mut s = String::new();
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                    s.push(q);
                }
                // `[$¥-804]` shows `¥`; `[Red]`, `[$-804]`, `[DBNum1]` show nothing themselves;
                // `[h]` is elapsed hours.
                if let Some(currency) = s.strip_prefix('$') {
                    let symbol = currency.split('-').next().unwrap_or("");
                    literal(&mut out, symbol);
                } else if s
                    .chars()
                    .all(|c| matches!(c, 'h' | 'H' | 'm' | 'M' | 's' | 'S'))
                {
                    out.push(Token::Date('h'));
                }
            }
            '0' | '#' | '?' => out.push(if after_point {
                Token::Decimal
            } else {
                Token::Digit
            }),
            ',' => out.push(Token::Comma),
            '.' => {
                after_point = true;
                out.push(Token::Point);
            }
            '%' => out.push(Token::Percent),
            'y' | 'Y' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' | 'm' | 'M' => {
                out.push(Token::Date(c.to_ascii_lowercase()))
            }
            'e' | 'E' if matches!(chars.peek(), Some('+' | '-')) => {
                // Scientific notation: not a format people write targets in; read the number.
                return vec![Token::Literal(String::new())];
            }
            'A' | 'a' | 'P' | 'p' | 'G' | 'g' | 'B' | 'b' => {
                // AM/PM, General inside a section, Buddhist years: read as the number.
                if c.eq_ignore_ascii_case(&'g') {
                    return vec![Token::Digit];
                }
                literal(&mut out, &c.to_string());
            }
            other => literal(&mut out, &other.to_string()),
        }
    }
    out
}

fn decimals_of(tokens: &[Token]) -> u32 {
    tokens
        .iter()
        .filter(|t| matches!(t, Token::Decimal))
        .count()
        .min(10) as u32
}

fn group_thousands(digits: &str) -> String {
    let (sign, rest) = match digits.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", digits),
    };
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A date serial as people write a date: `2025年12月31日`, with the time when the format shows
/// only a time (`14:30`). The 1900 system (Excel's default); `date1904` workbooks are shifted
/// by the caller.
fn date_text(value: f64, tokens: &[Token]) -> Option<String> {
    if !value.is_finite() || !(0.0..2_958_466.0).contains(&value) {
        return None;
    }
    let has_day = tokens
        .iter()
        .any(|t| matches!(t, Token::Date('y') | Token::Date('d')));
    let has_time = tokens
        .iter()
        .any(|t| matches!(t, Token::Date('h') | Token::Date('s')));
    let days = value.floor() as i64;
    let seconds = ((value - value.floor()) * 86_400.0).round() as i64;
    if !has_day && has_time {
        return Some(format!("{}:{:02}", seconds / 3600, seconds % 3600 / 60));
    }
    let (y, m, d) = civil_from_serial(days)?;
    if has_day || !has_time {
        Some(format!("{y}年{m}月{d}日"))
    } else {
        None
    }
}

/// Excel's 1900 date serial to (year, month, day); serial 60 is the 29 February 1900 Excel
/// pretends existed.
fn civil_from_serial(serial: i64) -> Option<(i64, u32, u32)> {
    if serial < 1 {
        return None;
    }
    if serial == 60 {
        return Some((1900, 2, 29));
    }
    let days_since_1899_12_31 = if serial < 60 { serial } else { serial - 1 };
    // Days from 1970-01-01 to 1899-12-31 is -25568.
    let z = days_since_1899_12_31 - 25_568 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some((y, m, d))
}

/// A date cell calamine recognised (`.xls` date formats, `.ods` dates) as the user sees it.
pub fn date_of(data: &calamine::Data) -> Option<String> {
    match data {
        calamine::Data::DateTime(dt) if dt.is_datetime() => {
            date_text(dt.as_f64(), &[Token::Date('y')])
        }
        calamine::Data::DateTimeIso(iso) => {
            let date = iso.split('T').next()?;
            let mut parts = date.splitn(3, '-').map(|p| p.parse::<u32>().ok());
            match (parts.next()??, parts.next()??, parts.next()??) {
                (y, m, d) if (1..=12).contains(&m) && (1..=31).contains(&d) => {
                    Some(format!("{y}年{m}月{d}日"))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The days between the 1904 and the 1900 date systems.
pub const DATE_1904_OFFSET: f64 = 1462.0;

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: f64, code: &str) -> String {
        match show(v, code) {
            Shown::Text(t) => t,
            Shown::Number => format!("<number {v}>"),
        }
    }

    #[test]
    fn dates_read_as_dates_in_every_spelling() {
        assert_eq!(text(46022.0, "yyyy/m/d"), "2025年12月31日");
        assert_eq!(text(46022.0, "yyyy-mm-dd"), "2025年12月31日");
        assert_eq!(text(46022.0, r#"yyyy"年"m"月"d"日";@"#), "2025年12月31日");
        assert_eq!(text(46022.0, "[$-804]yyyy年m月d日"), "2025年12月31日");
        assert_eq!(text(46022.0, "m/d/yy"), "2025年12月31日");
        assert_eq!(text(45658.0, builtin_code(14).unwrap()), "2025年1月1日");
        assert_eq!(text(61.0, "yyyy/m/d"), "1900年3月1日");
        assert_eq!(text(0.5, "h:mm"), "12:00");
    }

    #[test]
    fn percents_and_words_around_numbers_are_shown() {
        assert_eq!(text(0.95, "0%"), "95%");
        assert_eq!(text(0.95, r#""≥"0%"#), "≥95%");
        assert_eq!(text(95.0, r#"0"%""#), "95%");
        assert_eq!(text(0.255, "0.0%"), "25.5%");
        assert_eq!(text(0.9, "0.00%"), "90.00%");
        assert_eq!(text(24.0, r#"0"人""#), "24人");
        assert_eq!(text(1.8, r#"0.00"万元""#), "1.80万元");
        assert_eq!(text(12.0, r#"\≥0"次""#), "≥12次");
        assert_eq!(text(-0.05, "0%;-0%"), "-5%");
        assert_eq!(text(1234567.0, r#"#,##0"元""#), "1,234,567元");
    }

    #[test]
    fn plain_number_formats_keep_the_number() {
        for code in [
            "General",
            "0.00",
            "#,##0.00",
            "0",
            "@",
            "¥#,##0.00",
            "[$¥-804]#,##0.00",
            "#,##0.00_);[Red](#,##0.00)",
            "0.00E+00",
        ] {
            assert_eq!(show(1.8, code), Shown::Number, "{code}");
        }
    }
}
