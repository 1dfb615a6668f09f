//! 指标值 parsing (SPEC §2.3): comparator, number, unit and kind from the text as written.
//!
//! `≥95%`, `不低于95%`, `９５％以上`, `3860元/月/人`, `每月15日前`, `保障工作顺利开展` all parse;
//! the original text is kept untouched beside the parse.

use crate::model::amount::{parse_decimal, serialize_number};
use crate::model::text::fold_char;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A comparator, in its standard spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = "≥")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "≤")]
    Le,
    #[serde(rename = "<")]
    Lt,
    /// A range, `95%-100%` or `≥95%且≤100%`: `value` is the lower bound, `value_max` the upper.
    #[serde(rename = "between")]
    Between,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Eq => "=",
            Op::Le => "≤",
            Op::Lt => "<",
            Op::Between => "~",
        }
    }
}

/// What kind of value a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `≥95%`, `24人`, `1.8万元`
    Quantitative,
    /// `每月15日前`, `12月底前`, `2025年12月31日前`
    Deadline,
    /// `保障工作顺利开展`, `优/良`, `按时完成`
    Qualitative,
}

/// A parsed 指标值. Deserializing reads only `text` and parses it again, so a model JSON edited
/// by hand (`"text": "≥98%"`) never carries a stale comparator or value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The text exactly as written (after folding a separate 计算符号/计量单位 column in).
    pub text: String,
    /// The comparator; `=` when none is written.
    pub op: Op,
    /// True when the text spelled out a comparator (so `100%` is `=` by default, not by choice).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub explicit_op: bool,
    #[serde(
        serialize_with = "serialize_number",
        deserialize_with = "crate::model::amount::deserialize_amount",
        default
    )]
    pub value: Option<Decimal>,
    /// The upper bound of a range (`op` is `between`).
    #[serde(
        serialize_with = "serialize_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub value_max: Option<Decimal>,
    /// The unit as written (`%`, `万元`, `元/月/人`, `人`…); empty when none.
    pub unit: String,
    pub kind: Kind,
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Target, D::Error> {
        #[derive(Deserialize)]
        struct Written {
            text: String,
        }
        Written::deserialize(d).map(|w| Target::parse(&w.text))
    }
}

/// Prefix spellings, longest first within each meaning so `大于等于` wins over `大于`.
const PREFIXES: &[(&str, Op)] = &[
    ("大于或等于", Op::Ge),
    ("大于等于", Op::Ge),
    ("小于或等于", Op::Le),
    ("小于等于", Op::Le),
    ("不低于", Op::Ge),
    ("不少于", Op::Ge),
    ("不小于", Op::Ge),
    ("至少", Op::Ge),
    ("达到", Op::Ge),
    ("不超过", Op::Le),
    ("不高于", Op::Le),
    ("不大于", Op::Le),
    ("不多于", Op::Le),
    ("控制在", Op::Le),
    ("大于", Op::Gt),
    ("高于", Op::Gt),
    ("超过", Op::Gt),
    ("多于", Op::Gt),
    ("小于", Op::Lt),
    ("低于", Op::Lt),
    ("少于", Op::Lt),
    ("等于", Op::Eq),
    (">=", Op::Ge),
    ("=>", Op::Ge),
    ("<=", Op::Le),
    ("=<", Op::Le),
    ("≥", Op::Ge),
    ("≧", Op::Ge),
    ("⩾", Op::Ge),
    ("≤", Op::Le),
    ("≦", Op::Le),
    ("⩽", Op::Le),
    (">", Op::Gt),
    ("<", Op::Lt),
    ("=", Op::Eq),
];

/// Suffix spellings: `95%以上`, `20万元以内`.
const SUFFIXES: &[(&str, Op)] = &[
    ("及以上", Op::Ge),
    ("以上", Op::Ge),
    ("及以下", Op::Le),
    ("以下", Op::Le),
    ("以内", Op::Le),
    ("之内", Op::Le),
];

/// Folds full-width characters (`＞＝９５％` → `>=95%`) and trims.
fn fold(text: &str) -> String {
    text.trim().chars().map(fold_char).collect()
}

/// Splits a leading comparator off the folded text.
fn strip_prefix_op(s: &str) -> (Option<Op>, &str) {
    // A byte compared first: most targets start with a digit, and every indicator's target is
    // parsed.
    let first = s.as_bytes().first();
    for (spelling, op) in PREFIXES {
        if spelling.as_bytes().first() != first {
            continue;
        }
        if let Some(rest) = s.strip_prefix(spelling) {
            return (Some(*op), rest.trim_start());
        }
    }
    (None, s)
}

fn strip_suffix_op(s: &str) -> (Option<Op>, &str) {
    let last = s.as_bytes().last();
    for (spelling, op) in SUFFIXES {
        if spelling.as_bytes().last() != last {
            continue;
        }
        if let Some(rest) = s.strip_suffix(spelling) {
            return (Some(*op), rest.trim_end());
        }
    }
    (None, s)
}

/// Splits `95%` into (`95`, `%`) and `-5%` into (`-5`, `%`); the number must start the text.
/// `下降5%`, `降低5%`, `减少5%` are negative.
fn split_number(s: &str) -> Option<(Decimal, &str)> {
    let (negative, body) = match ["下降", "降低", "减少", "-", "−"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
    {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s),
    };
    let end = body
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map(|(i, _)| i)
        .unwrap_or(body.len());
    let number = parse_decimal(&body[..end])?;
    Some((if negative { -number } else { number }, body[end..].trim()))
}

/// Range separators: `95%-100%`, `95%～100%`, `95%至100%`.
const RANGE_SEPARATORS: &[&str] = &["～", "~", "—", "–", "-", "至", "到"];

/// `95%-100%`, `95-100%`, `≥95%且≤100%`, `不低于95%且不高于100%` → (lower, upper, unit).
fn range(folded: &str) -> Option<(Decimal, Decimal, String)> {
    if folded.is_empty() || is_deadline(folded) {
        return None;
    }
    for joint in ["并且", "且", "，", ",", "；"] {
        if let Some((a, b)) = folded.split_once(joint) {
            let (a, b) = (bound(a.trim())?, bound(b.trim())?);
            let (low, high) = match (a.0, b.0) {
                (Op::Ge | Op::Gt, Op::Le | Op::Lt) => (a, b),
                (Op::Le | Op::Lt, Op::Ge | Op::Gt) => (b, a),
                _ => return None,
            };
            let unit = if low.2.is_empty() { high.2 } else { low.2 };
            return (low.1 <= high.1).then_some((low.1, high.1, unit));
        }
    }
    // `95%-100%`: the separator must follow a digit or unit, not start the text (`-5%`).
    for sep in RANGE_SEPARATORS {
        let first = folded.chars().next().map_or(0, char::len_utf8);
        let Some(at) = folded[first..].find(sep).map(|i| i + first) else {
            continue;
        };
        let (a, b) = (&folded[..at], &folded[at + sep.len()..]);
        let (low, unit_a) = split_number(a.trim())?;
        let (high, unit_b) = split_number(b.trim())?;
        let unit = if unit_b.is_empty() { unit_a } else { unit_b };
        let same_unit = unit_a.is_empty() || unit_a == unit_b;
        if same_unit && is_unit(unit) && !unit.is_empty()
            || (unit_a.is_empty() && unit_b.is_empty())
        {
            return (low <= high).then(|| (low, high, unit.to_string()));
        }
        return None;
    }
    None
}

/// One side of `≥95%且≤100%`: its comparator, number and unit.
fn bound(s: &str) -> Option<(Op, Decimal, String)> {
    let (prefix, rest) = strip_prefix_op(s);
    let (suffix, rest) = strip_suffix_op(rest);
    let (value, unit) = split_number(rest)?;
    let op = prefix.or(suffix)?;
    is_unit(unit).then(|| (op, value, unit.to_string()))
}

/// `百分之九十五` → 95. Handles the numerals people write for rates (0–100).
fn chinese_percent(s: &str) -> Option<Decimal> {
    let rest = s.strip_prefix("百分之")?;
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c);
    let chars: Vec<char> = rest.chars().collect();
    let value = match chars.as_slice() {
        ['一', '百'] | ['百'] => 100,
        ['十'] => 10,
        ['十', u] => 10 + digit(*u)?,
        [t, '十'] => digit(*t)? * 10,
        [t, '十', u] => digit(*t)? * 10 + digit(*u)?,
        [u] => digit(*u)?,
        _ => return None,
    };
    Some(Decimal::from(value as u32))
}

/// Deadlines: `每月15日前`, `12月底前`, `2025年12月31日前`, `次年3月底`.
fn is_deadline(s: &str) -> bool {
    // `2025年12月31日`: a date cell shown as the user sees it.
    let full_date = s.ends_with('日') && s.contains('年') && s.contains('月');
    let has_date_word = s.contains('月') || s.contains('日') || s.contains("年底");
    let ends_like_deadline = full_date
        || ["前", "底", "之前", "以前", "完成", "内"]
            .iter()
            .any(|e| s.ends_with(e));
    has_date_word
        && ends_like_deadline
        && s.chars()
            .any(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
}

impl Target {
    /// Parses a 指标值 as written.
    pub fn parse(text: &str) -> Target {
        let folded = fold(text);
        if let Some((low, high, unit)) = range(&folded) {
            return Target {
                text: text.to_string(),
                op: Op::Between,
                explicit_op: true,
                value: Some(low),
                value_max: Some(high),
                unit,
                kind: Kind::Quantitative,
            };
        }
        let (prefix_op, rest) = strip_prefix_op(&folded);
        let (suffix_op, rest) = strip_suffix_op(rest);
        let op = prefix_op.or(suffix_op);
        let qualitative = |kind| Target {
            text: text.to_string(),
            op: Op::Eq,
            explicit_op: false,
            value: None,
            value_max: None,
            unit: String::new(),
            kind,
        };
        if let Some(v) = chinese_percent(rest) {
            return Target {
                text: text.to_string(),
                op: op.unwrap_or(Op::Eq),
                explicit_op: op.is_some(),
                value: Some(v),
                value_max: None,
                unit: "%".into(),
                kind: Kind::Quantitative,
            };
        }
        if op.is_none() && is_deadline(rest) {
            return qualitative(Kind::Deadline);
        }
        match split_number(rest) {
            Some((value, unit)) if is_unit(unit) => Target {
                text: text.to_string(),
                op: op.unwrap_or(Op::Eq),
                explicit_op: op.is_some(),
                value: Some(value),
                value_max: None,
                unit: unit.to_string(),
                kind: Kind::Quantitative,
            },
            _ if is_deadline(rest) => qualitative(Kind::Deadline),
            _ => qualitative(Kind::Qualitative),
        }
    }

    /// True when the target states a number or a deadline (not `保障工作顺利开展`).
    pub fn is_measured(&self) -> bool {
        self.kind != Kind::Qualitative
    }

    /// True when the target is a percentage.
    pub fn is_percent(&self) -> bool {
        self.unit == "%"
    }
}

/// A unit is short and carries no sentence: `%`, `万元`, `元/月/人`, `人次`, `个`. `24人次完成培训`
/// is a phrase, not a number with a unit.
fn is_unit(unit: &str) -> bool {
    unit.chars().count() <= 8
        && !unit.contains(['，', ',', '。', ';', '；'])
        && !unit.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> (Op, Option<String>, String, Kind) {
        let t = Target::parse(text);
        (
            t.op,
            t.value.map(|v| v.normalize().to_string()),
            t.unit,
            t.kind,
        )
    }

    fn q(op: Op, v: &str, unit: &str) -> (Op, Option<String>, String, Kind) {
        (
            op,
            Some(v.to_string()),
            unit.to_string(),
            Kind::Quantitative,
        )
    }

    #[test]
    fn every_ge_spelling() {
        for s in [
            "≥95%",
            "≧95%",
            ">=95%",
            "＞＝95%",
            "大于等于95%",
            "不低于95%",
            "不少于95%",
            "至少95%",
            "达到95%",
            "95%以上",
            "９５％以上",
            "≥ 95 %",
            "≥95％",
        ] {
            assert_eq!(parsed(s), q(Op::Ge, "95", "%"), "{s}");
        }
    }

    #[test]
    fn every_other_spelling() {
        for s in [">90%", "＞90%", "大于90%", "高于90%", "超过90%"] {
            assert_eq!(parsed(s), q(Op::Gt, "90", "%"), "{s}");
        }
        for s in [
            "≤20万元",
            "≦20万元",
            "<=20万元",
            "＜＝20万元",
            "不超过20万元",
            "不高于20万元",
            "小于等于20万元",
            "20万元以内",
            "20万元以下",
            "控制在20万元以内",
        ] {
            assert_eq!(parsed(s), q(Op::Le, "20", "万元"), "{s}");
        }
        for s in ["<5%", "＜5%", "小于5%", "低于5%"] {
            assert_eq!(parsed(s), q(Op::Lt, "5", "%"), "{s}");
        }
        for s in ["=100%", "＝100%", "等于100%", "100%"] {
            assert_eq!(parsed(s), q(Op::Eq, "100", "%"), "{s}");
        }
    }

    #[test]
    fn implicit_equals_is_remembered() {
        assert!(!Target::parse("100%").explicit_op);
        assert!(Target::parse("=100%").explicit_op);
    }

    #[test]
    fn seed_values() {
        assert_eq!(parsed("1.8万元"), q(Op::Eq, "1.8", "万元"));
        assert_eq!(parsed("17.92万元"), q(Op::Eq, "17.92", "万元"));
        assert_eq!(parsed("24人"), q(Op::Eq, "24", "人"));
        assert_eq!(parsed("3860元/月/人"), q(Op::Eq, "3860", "元/月/人"));
        assert_eq!(parsed("226,145,100.00"), q(Op::Eq, "226145100", ""));
        assert_eq!(parsed("百分之九十五"), q(Op::Eq, "95", "%"));
        assert_eq!(parsed("不低于百分之九十"), q(Op::Ge, "90", "%"));
    }

    #[test]
    fn deadlines() {
        for s in [
            "每月15日前",
            "12月底前",
            "2025年12月31日前",
            "次年3月底前",
            "１２月底前",
        ] {
            assert_eq!(Target::parse(s).kind, Kind::Deadline, "{s}");
        }
    }

    #[test]
    fn qualitative() {
        for s in [
            "保障工作顺利开展",
            "按时完成",
            "优/良",
            "合同进度支付费用",
            "按时间进度完成",
            "按合同期限完成",
            "**",
            "",
            "24人次完成培训，提升能力",
        ] {
            let t = Target::parse(s);
            assert_eq!(t.kind, Kind::Qualitative, "{s}");
            assert_eq!(t.value, None, "{s}");
        }
    }

    #[test]
    fn ranges_parse_to_between() {
        for s in [
            "95%-100%",
            "95-100%",
            "95%～100%",
            "95%~100%",
            "95%至100%",
            "≥95%且≤100%",
            "不低于95%且不高于100%",
            "≤100%且≥95%",
        ] {
            let t = Target::parse(s);
            assert_eq!(t.op, Op::Between, "{s}");
            assert_eq!(t.value, Some(Decimal::from(95)), "{s}");
            assert_eq!(t.value_max, Some(Decimal::from(100)), "{s}");
            assert_eq!(t.unit, "%", "{s}");
            assert_eq!(t.kind, Kind::Quantitative, "{s}");
        }
        // Not ranges: a date, a code-like text, a descending pair.
        for s in ["2025-12-31", "100%-95%", "3860元/月/人"] {
            assert_ne!(Target::parse(s).op, Op::Between, "{s}");
        }
    }

    #[test]
    fn negatives_are_quantitative() {
        assert_eq!(parsed("-5%"), q(Op::Eq, "-5", "%"));
        assert_eq!(parsed("下降5%"), q(Op::Eq, "-5", "%"));
        assert_eq!(parsed("≤-5%"), q(Op::Le, "-5", "%"));
        assert_eq!(Target::parse("降低能耗").kind, Kind::Qualitative);
    }

    #[test]
    fn a_date_is_a_deadline() {
        assert_eq!(Target::parse("2025年12月31日").kind, Kind::Deadline);
    }

    #[test]
    fn text_is_kept_as_written() {
        assert_eq!(Target::parse("按招标进度完成\t").text, "按招标进度完成\t");
        assert_eq!(Target::parse(" ≥95% ").text, " ≥95% ");
    }
}

/// An indicator written as one sentence (`正常使用率占比大于90%`, `培训人数50人`,
/// `每月15日前完成支付`) split into what is measured and its target: the target starts at the
/// first comparator or number from which the rest reads as a number or a deadline. A sentence
/// with neither is all name, its target qualitative.
pub fn split_statement(text: &str) -> (&str, Target) {
    let text = text.trim();
    for (i, c) in text.char_indices() {
        let rest = &text[i..];
        let starts = c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || rest.starts_with("百分之")
            || PREFIXES.iter().any(|(p, _)| rest.starts_with(p))
            || ["下降", "降低", "减少"].iter().any(|p| rest.starts_with(p));
        if !starts {
            continue;
        }
        let target = Target::parse(rest);
        if target.kind == Kind::Quantitative || (target.kind == Kind::Deadline && i > 0) {
            return (text[..i].trim_end(), target);
        }
    }
    (text, Target::parse(""))
}

#[cfg(test)]
mod statement_tests {
    use super::*;

    #[test]
    fn a_sentence_splits_at_its_target() {
        let (name, t) = split_statement("正常使用率占比大于90%");
        assert_eq!(
            (name, t.text.as_str(), t.op),
            ("正常使用率占比", "大于90%", Op::Gt)
        );
        assert_eq!(t.value, Some(Decimal::from(90)));
        let (name, t) = split_statement("鉴定优秀等级项目数量占结项总数量的比例（百分比）大于90%");
        assert_eq!(name, "鉴定优秀等级项目数量占结项总数量的比例（百分比）");
        assert_eq!(t.text, "大于90%");
        let (name, t) = split_statement("培训人数50人");
        assert_eq!((name, t.unit.as_str()), ("培训人数", "人"));
        let (name, t) = split_statement("保障工作顺利开展");
        assert_eq!((name, t.kind), ("保障工作顺利开展", Kind::Qualitative));
    }
}
