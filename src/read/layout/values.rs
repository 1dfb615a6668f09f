//! Cell values to exact numbers: money (converted to 万元) and the spending plan's percents.
//! A cell that is not a number is returned as its text, never read as 0.

use super::super::grid::Value;
use crate::model::amount::{decimal_from_cell_float, parse_decimal};
use crate::model::text::is_placeholder;
use crate::model::MoneyUnit;
use rust_decimal::Decimal;

/// Reads a money cell: a number, or a number written as text with an optional 万元/元 suffix.
/// `Err` carries the text of a cell that is not a number (`约2万`, `#REF!`, `2000万`).
pub(super) fn money(v: Value, unit: MoneyUnit) -> Result<Option<Decimal>, String> {
    match v {
        Value::Empty => Ok(None),
        Value::Number(n) => decimal_from_cell_float(n)
            .map(|d| Some(unit.to_wan(d)))
            .ok_or_else(|| v.text().into_owned()),
        Value::Text(t) if is_placeholder(t) => Ok(None),
        Value::Text(t) => {
            let s = t.trim();
            let (body, unit) = if let Some(b) = s.strip_suffix("万元") {
                (b, MoneyUnit::Wan)
            } else if let Some(b) = s.strip_suffix('元') {
                (b, MoneyUnit::Yuan)
            } else {
                (s, unit)
            };
            parse_decimal(body)
                .map(|d| Some(unit.to_wan(d)))
                .ok_or_else(|| t.to_string())
        }
        Value::Error(e) => Err(e.to_string()),
        Value::Bool(_) => Err(v.text().into_owned()),
        Value::Formula(f) => Err(format!("={f}")),
    }
}

/// A percent cell of the spending plan: `25%`, `25％`, `25`, or `0.25` when `fraction` is set.
pub(super) fn percent(v: Value, fraction: bool) -> Result<Option<Decimal>, String> {
    let scale = if fraction {
        Decimal::from(100)
    } else {
        Decimal::ONE
    };
    match v {
        Value::Empty => Ok(None),
        Value::Number(n) => decimal_from_cell_float(n)
            .map(|d| Some((d * scale).normalize()))
            .ok_or_else(|| v.text().into_owned()),
        Value::Text(t) if is_placeholder(t) => Ok(None),
        Value::Text(t) => {
            let s = t.trim().trim_end_matches(['%', '％']);
            parse_decimal(s).map(Some).ok_or_else(|| t.to_string())
        }
        other => Err(other.text().into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).expect("decimal"))
    }

    #[test]
    fn money_numbers_are_exact_in_wan() {
        let wan = MoneyUnit::Wan;
        assert_eq!(money(Value::Number(1.8), wan), Ok(d("1.8")));
        assert_eq!(money(Value::Number(273.52), wan), Ok(d("273.52")));
        // Float noise from a formula is gone after the one rounding.
        assert_eq!(money(Value::Number(7.000000000000001), wan), Ok(d("7")));
        assert_eq!(money(Value::Number(0.1 + 0.2), wan), Ok(d("0.3")));
        // A table in 元: 18000元 is 1.8万元, 3860 × 24 × 12 = 1111680元 is 111.168万元.
        assert_eq!(money(Value::Number(18000.0), MoneyUnit::Yuan), Ok(d("1.8")));
        assert_eq!(
            money(Value::Number(1111680.0), MoneyUnit::Yuan),
            Ok(d("111.168"))
        );
    }

    #[test]
    fn money_text_may_carry_its_own_unit_and_full_width_digits() {
        let wan = MoneyUnit::Wan;
        assert_eq!(money(Value::Text(" 112.00 "), wan), Ok(d("112.00")));
        assert_eq!(money(Value::Text("1.8万元"), MoneyUnit::Yuan), Ok(d("1.8")));
        assert_eq!(money(Value::Text("18000元"), wan), Ok(d("1.8")));
        assert_eq!(money(Value::Text("１１２．５"), wan), Ok(d("112.5")));
        assert_eq!(money(Value::Text("1,120,000元"), wan), Ok(d("112")));
    }

    #[test]
    fn blanks_are_none_and_what_is_not_a_number_is_never_zero() {
        let wan = MoneyUnit::Wan;
        assert_eq!(money(Value::Empty, wan), Ok(None));
        assert_eq!(money(Value::Text("—"), wan), Ok(None));
        for text in ["约2万", "2000万", "1.8万元整", "1.2.3", "#REF!"] {
            assert_eq!(
                money(Value::Text(text), wan),
                Err(text.to_string()),
                "{text}"
            );
        }
        assert_eq!(money(Value::Error("#REF!"), wan), Err("#REF!".to_string()));
        assert!(money(Value::Bool(true), wan).is_err());
    }

    #[test]
    fn percents_as_written_or_as_fractions() {
        assert_eq!(percent(Value::Text("25%"), false), Ok(d("25")));
        assert_eq!(percent(Value::Text("25％"), false), Ok(d("25")));
        assert_eq!(percent(Value::Text("１００％"), false), Ok(d("100")));
        assert_eq!(percent(Value::Number(75.0), false), Ok(d("75")));
        // A plan row whose values are all ≤ 1 is read as fractions.
        assert_eq!(percent(Value::Number(0.25), true), Ok(d("25")));
        assert_eq!(percent(Value::Number(1.0), true), Ok(d("100")));
        assert_eq!(percent(Value::Number(1.0 / 3.0), true), Ok(d("33.3333")));
        assert_eq!(percent(Value::Empty, false), Ok(None));
        assert_eq!(percent(Value::Text("/"), false), Ok(None));
        assert_eq!(
            percent(Value::Text("约25%"), false),
            Err("约25%".to_string())
        );
        assert!(percent(Value::Error("#DIV/0!"), false).is_err());
    }
}
