//! Every rule's identity: its typed code (`Code::JX204`) and its name, in one list.
//!
//! A leaf module: it knows no rule, no model and no config, so anything may name a rule
//! (`jxmb.toml`, the reader's file-level findings, tests) without a string that a typo would turn
//! into "no such rule". The rules themselves live in the family files under `check/`; each sets
//! `code: Code::JX…` and a test checks that every code here has exactly one rule there.

use serde::{Serialize, Serializer};
use std::fmt;

macro_rules! codes {
    ($($code:ident $name:literal,)*) => {
        /// A rule's code, in catalog order (so sorting by it sorts by the code's text).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// Every code, in catalog order.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// `"JX204"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            /// The rule's name in the JSON report and `jxmb rules` (`cost-vs-budget`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$code => $name,)*
                }
            }
        }
    };
}

codes! {
    JX001 "unreadable-file",
    JX002 "no-table-found",
    JX003 "missing-field",
    JX004 "bad-number",
    JX005 "empty-indicator-cell",
    JX006 "hidden-content",
    JX007 "formula-not-calculated",
    JX008 "unit-not-declared",
    JX101 "funds-sum-mismatch",
    JX102 "plan-decreasing",
    JX103 "plan-not-100",
    JX104 "percent-out-of-range",
    JX105 "nonpositive-budget",
    JX201 "missing-output-indicator",
    JX202 "missing-level1",
    JX203 "nonstandard-level-name",
    JX204 "cost-vs-budget",
    JX205 "unit-cost-cross-check",
    JX206 "not-quantified",
    JX207 "impossible-rate",
    JX208 "missing-comparator",
    JX209 "low-satisfaction",
    JX210 "copied-text",
    JX211 "nonstandard-basis",
    JX212 "unit-mismatch",
    JX213 "no-output-count",
    JX214 "vague-target",
    JX215 "management-metric",
    JX216 "compliance-below-100",
    JX217 "purpose-not-covered",
    JX218 "thin-goal",
    JX219 "boilerplate",
    JX301 "stray-whitespace",
    JX302 "reversed-quotes",
    JX303 "nonstandard-comparator",
    JX304 "fullwidth-digits",
    JX305 "trailing-period",
    JX401 "bad-project-code",
    JX402 "duplicate-project",
    JX403 "code-year-mismatch",
    JX501 "budget-amount-mismatch",
    JX502 "missing-table",
    JX503 "unbudgeted-project",
    JX504 "department-total-mismatch",
}

impl Code {
    /// The code a user typed (`jx204`, `JX204`); `None` for anything else.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// The family the rule belongs to: the code's first digit.
    pub fn family(self) -> Family {
        match self.as_str().as_bytes()[2] {
            b'0' => Family::Fields,
            b'1' => Family::Funds,
            b'2' => Family::Indicators,
            b'3' => Family::Text,
            b'4' => Family::Codes,
            _ => Family::Reconciliation,
        }
    }

    /// The code's place in [`Code::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A family of rules: one file under `check/`, one workbook under `sample-workbooks/defects/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Fields,
    Funds,
    Indicators,
    Text,
    Codes,
    Reconciliation,
}

impl Family {
    pub const ALL: [Family; 6] = [
        Family::Fields,
        Family::Funds,
        Family::Indicators,
        Family::Text,
        Family::Codes,
        Family::Reconciliation,
    ];

    /// What users call it (the defects workbook's name).
    pub fn title(self) -> &'static str {
        match self {
            Family::Fields => "字段与数字",
            Family::Funds => "资金与支出计划",
            Family::Indicators => "绩效指标",
            Family::Text => "文字规范",
            Family::Codes => "项目编码",
            Family::Reconciliation => "预算对账",
        }
    }

    /// Its codes, in order.
    pub fn codes(self) -> impl Iterator<Item = Code> {
        Code::ALL
            .iter()
            .copied()
            .filter(move |c| c.family() == self)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Tests and callers may compare with the code's text.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_in_text_order_and_parse_back() {
        for pair in Code::ALL.windows(2) {
            assert!(pair[0].as_str() < pair[1].as_str(), "{:?}", pair);
        }
        for (i, &c) in Code::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(Code::parse(&c.as_str().to_lowercase()), Some(c));
            assert_eq!(c.as_str().len(), 5);
        }
        assert_eq!(Code::parse("JX0002"), None);
        assert_eq!(Code::parse("JX999"), None);
    }
}
