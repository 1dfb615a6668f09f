//! Exact numbers: money in 万元 and percents as `rust_decimal::Decimal`, never `f64` arithmetic.
//!
//! A float from a spreadsheet cell is converted exactly once, here, and rounded to six decimal
//! places so that Excel's binary noise (`7.0000000000000009`) disappears.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serializer};

/// The money unit a table states (`单位：万元` / `单位：元`); the model always holds 万元.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MoneyUnit {
    #[default]
    Wan,
    Yuan,
}

impl MoneyUnit {
    pub fn label(self) -> &'static str {
        match self {
            MoneyUnit::Wan => "万元",
            MoneyUnit::Yuan => "元",
        }
    }

    /// Converts an amount written in this unit to 万元, exactly.
    pub fn to_wan(self, amount: Decimal) -> Decimal {
        match self {
            MoneyUnit::Wan => amount,
            MoneyUnit::Yuan => (amount / Decimal::from(10_000)).normalize(),
        }
    }
}

/// An amount written with a money unit (`1.8万元`, `18000元`, `0.5亿元`) in 万元; `None` when the
/// unit is not money.
pub fn wan_from(value: Decimal, unit: &str) -> Option<Decimal> {
    let ten_thousand = Decimal::from(10_000);
    match unit.trim() {
        "万元" | "万" => Some(value),
        "元" => Some(value / ten_thousand),
        "千元" => Some(value / Decimal::TEN),
        "亿元" => Some(value * ten_thousand),
        _ => None,
    }
}

/// The one conversion from a spreadsheet float: the shortest decimal that reads back as the
/// same double (what Excel shows, and what Rust's `{}` prints), rounded to 6 places so binary
/// noise such as `7.0000000000000009` disappears. Starting from the shortest form, not the
/// double's exact binary value, keeps large amounts exact (`9710052808.2`, not `…8.200001`).
pub fn decimal_from_cell_float(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    let shortest = format!("{value}");
    shortest
        .parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_f64_retain(value))
        .map(|d| d.round_dp(6).normalize())
}

/// Parses a number as people type it in a cell: ASCII or full-width digits, thousands
/// separators, a leading sign. Keeps the written scale (`1.80` stays `1.80`).
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let folded: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .map(crate::model::text::fold_char)
        .collect();
    if folded.is_empty() || folded.len() > 40 {
        return None;
    }
    let body = folded.strip_prefix(['+', '-']).unwrap_or(&folded);
    let ok = body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().filter(|c| *c == '.').count() <= 1
        && body.chars().any(|c| c.is_ascii_digit());
    if !ok {
        return None;
    }
    folded.parse::<Decimal>().ok()
}

/// Money for people: at least two decimal places (`1.8` → `1.80`), more when the value has them.
pub fn money_text(d: &Decimal) -> String {
    let mut d = d.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d.to_string()
}

/// A plain number for people: no trailing zeros (`25.00` → `25`).
pub fn number_text(d: &Decimal) -> String {
    d.normalize().to_string()
}

pub fn serialize_money<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => s.serialize_str(&money_text(d)),
        None => s.serialize_none(),
    }
}

pub fn serialize_number<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => s.serialize_str(&number_text(d)),
        None => s.serialize_none(),
    }
}

/// Reads an amount written as a decimal string (`"1.80"`), a JSON number, or null. A number is
/// converted once, like a spreadsheet float.
pub fn deserialize_amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Text(String),
        Number(f64),
    }
    match Option::<Written>::deserialize(d)? {
        None => Ok(None),
        Some(Written::Text(t)) => parse_decimal(&t)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("“{t}”不是数字"))),
        Some(Written::Number(n)) => decimal_from_cell_float(n)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("不是有限的数字")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn float_noise_is_removed_once() {
        assert_eq!(decimal_from_cell_float(7.000_000_000_000_001), Some(d("7")));
        assert_eq!(decimal_from_cell_float(0.1 + 0.2), Some(d("0.3")));
        assert_eq!(decimal_from_cell_float(17.92), Some(d("17.92")));
        assert_eq!(
            decimal_from_cell_float(9_710_052_808.2),
            Some(d("9710052808.2"))
        );
        assert_eq!(
            decimal_from_cell_float(1e20),
            Some(d("100000000000000000000"))
        );
        assert_eq!(decimal_from_cell_float(1e-9), Some(d("0")));
        assert_eq!(
            decimal_from_cell_float(1e300),
            None,
            "beyond Decimal's range"
        );
        assert_eq!(decimal_from_cell_float(f64::NAN), None);
        assert_eq!(decimal_from_cell_float(f64::INFINITY), None);
    }

    #[test]
    fn typed_numbers() {
        assert_eq!(
            parse_decimal("1.80").map(|x| x.to_string()),
            Some("1.80".into())
        );
        assert_eq!(parse_decimal("226,145,100.00"), Some(d("226145100.00")));
        assert_eq!(parse_decimal("１７．９２"), Some(d("17.92")));
        assert_eq!(parse_decimal(" 20 "), Some(d("20")));
        assert_eq!(parse_decimal("约2万"), None);
        assert_eq!(parse_decimal("#REF!"), None);
        assert_eq!(parse_decimal("1.2.3"), None);
        assert_eq!(parse_decimal(""), None);
        assert_eq!(parse_decimal("-"), None);
    }

    #[test]
    fn yuan_to_wan_is_exact() {
        assert_eq!(MoneyUnit::Yuan.to_wan(d("1111680")), d("111.168"));
        assert_eq!(MoneyUnit::Yuan.to_wan(d("18000.00")), d("1.8"));
        assert_eq!(MoneyUnit::Wan.to_wan(d("1.80")), d("1.80"));
    }

    #[test]
    fn money_display() {
        assert_eq!(money_text(&d("1.8")), "1.80");
        assert_eq!(money_text(&d("112")), "112.00");
        assert_eq!(money_text(&d("111.168")), "111.168");
        assert_eq!(number_text(&d("25.00")), "25");
    }
}
