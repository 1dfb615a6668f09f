//! Every rule's identity: its typed code (`Code::JX204`) and its name, in one list.
//!
//! A leaf module: it knows no rule, no model and no config, so anything may name a rule
//! (`jxmb.toml`, the reader's file-level findings, tests) without a string that a typo would turn
//! into "no such rule". The rules themselves live in the family files under `check/`; each sets
//! `code: Code::JX…` and a test checks that every code here has exactly one rule there.

use serde::{Serialize, Serializer};
use std::fmt;

macro_rules! codes {
    ($($code:ident $name:literal $title:literal,)*) => {
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

            /// What people call it, in Chinese (`成本与预算不符`): 问题清单's 名称.
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$code => $title,)*
                }
            }
        }
    };
}

codes! {
    JX001 "unreadable-file" "文件无法读取",
    JX002 "no-table-found" "没有找到表格",
    JX003 "missing-field" "缺少必填项",
    JX004 "bad-number" "数字无法读取",
    JX005 "empty-indicator-cell" "指标缺项",
    JX006 "hidden-content" "隐藏内容",
    JX007 "formula-not-calculated" "公式未计算",
    JX008 "unit-not-declared" "未写金额单位",
    JX101 "funds-sum-mismatch" "资金合计不符",
    JX102 "plan-decreasing" "支出计划倒退",
    JX103 "plan-not-100" "支出计划未到100%",
    JX104 "percent-out-of-range" "百分比越界",
    JX105 "nonpositive-budget" "预算数不为正",
    JX201 "missing-output-indicator" "产出指标不全",
    JX202 "missing-level1" "缺少一级指标",
    JX203 "nonstandard-level-name" "指标名称不规范",
    JX204 "cost-vs-budget" "成本与预算不符",
    JX205 "unit-cost-cross-check" "单价测算不符",
    JX206 "not-quantified" "指标未量化",
    JX207 "impossible-rate" "比率不可能",
    JX208 "missing-comparator" "缺少比较符",
    JX209 "low-satisfaction" "满意度偏低",
    JX210 "copied-text" "文字照抄",
    JX211 "nonstandard-basis" "依据不规范",
    JX212 "unit-mismatch" "单位矛盾",
    JX213 "no-output-count" "产出没有数量",
    JX214 "vague-target" "指标值是口号",
    JX215 "management-metric" "资金管理指标",
    JX216 "compliance-below-100" "应为100%",
    JX217 "purpose-not-covered" "用途未覆盖",
    JX218 "thin-goal" "目标空泛",
    JX219 "boilerplate" "套话",
    JX301 "stray-whitespace" "多余空白",
    JX302 "reversed-quotes" "引号反向",
    JX303 "nonstandard-comparator" "比较符不规范",
    JX304 "fullwidth-digits" "全角数字",
    JX305 "trailing-period" "名称带句号",
    JX401 "bad-project-code" "项目编码不规范",
    JX402 "duplicate-project" "项目重复",
    JX403 "code-year-mismatch" "编码区划年度不符",
    JX501 "budget-amount-mismatch" "与部门预算不符",
    JX502 "missing-table" "缺少绩效目标表",
    JX503 "unbudgeted-project" "不在部门预算中",
    JX504 "department-total-mismatch" "部门合计不符",
    JX505 "overall-item-without-table" "分项没有表",
    JX506 "table-not-in-overall" "表不在部门整体中",
    JX507 "overall-indicator-mismatch" "分项指标与表不符",
    JX601 "evaluation-funds-mismatch" "自评资金合计不符",
    JX602 "evaluation-rate-score" "执行率或其得分不符",
    JX603 "evaluation-total" "自评总分不符",
    JX604 "evaluation-row-score" "指标得分不符",
    JX605 "evaluation-target-changed" "指标值与目标表不同",
    JX606 "deviation-reason-missing" "缺少偏差原因",
    JX607 "unsupported-full-marks" "满分无实绩",
    JX608 "evaluation-budget-differs" "年初预算与目标表不同",
    JX609 "target-too-low" "指标值定得偏低",
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
            b'5' => Family::Reconciliation,
            _ => Family::Evaluation,
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
    Evaluation,
}

impl Family {
    pub const ALL: [Family; 7] = [
        Family::Fields,
        Family::Funds,
        Family::Indicators,
        Family::Text,
        Family::Codes,
        Family::Reconciliation,
        Family::Evaluation,
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
            Family::Evaluation => "绩效自评",
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
