//! Text hygiene (JX301–JX305): stray white space, reversed quotes, comparator spellings,
//! full-width digits, a trailing 。 — each with the corrected text as its fix.

use super::{Check, Code, Findings, Fixable, RuleDoc, RuleInfo};
use crate::diag::Severity;
use crate::model::text::fold_char;
use crate::model::{Column, Field, Project};

/// This family's rules, in code order.
pub(super) const RULES: &[RuleInfo] = &[
    STRAY_WHITESPACE,
    REVERSED_QUOTES,
    NONSTANDARD_COMPARATOR,
    FULLWIDTH_DIGITS,
    TRAILING_PERIOD,
];

pub const STRAY_WHITESPACE: RuleInfo = RuleInfo {
    code: Code::JX301,
    severity: Severity::Warning,
    fixable: Fixable::Yes,
    summary: "制表符、首尾空白、连续空格、全角标点前的空格",
    doc: RuleDoc {
        what: "单元格文字里有制表符（Tab）、首尾空白或换行、连续空格，或全角标点（，。；：、）前多了空格。",
        why: "这些字符是从别处粘贴来的残留，会让查找、汇总和比对失败（文字规范是公开文件的基本要求，属审核实践）。convert 会自动清除。",
        fires: "`按招标进度完成⇥`（结尾有 Tab）；`按照项目时限 ，按时完成`（逗号前有空格）。",
        quiet: "`按招标进度完成`；`按照项目时限，按时完成`。",
    },
    checks: &[Check::Project(stray_whitespace)],
};

pub const REVERSED_QUOTES: RuleInfo = RuleInfo {
    code: Code::JX302,
    severity: Severity::Warning,
    fixable: Fixable::Yes,
    summary: "中文引号方向反了：”…“ → “…”",
    doc: RuleDoc {
        what: "中文双引号成对出现时应先左后右（“…”），写成 ”…“ 时报告。",
        why: "反向引号是输入法切换造成的错字，公开文件中应改正。convert 会自动改正。",
        fires: "`企业档案容”e“查经费`；`审批服务事项”最多跑一次“`。",
        quiet: "`“互联网+政务服务”`。",
    },
    checks: &[Check::Project(reversed_quotes)],
};

pub const NONSTANDARD_COMPARATOR: RuleInfo = RuleInfo {
    code: Code::JX303,
    severity: Severity::Warning,
    fixable: Fixable::Yes,
    summary: "比较符写法不规范：>=、≧、不低于… → ≥",
    doc: RuleDoc {
        what: "指标值的比较符用了 `>=`、`≧`、`＞＝`、`不低于`、`大于等于`、`…以上` 等写法，统一为 ≥、>、=、≤、<。",
        why: "一体化系统的指标值由“计算符号 + 数值 + 单位”组成（预算管理一体化系统的填报规范，财办〔2020〕13号《预算管理一体化规范（试行）》），统一写法便于汇总和比对。convert 会自动改正。",
        fires: "`不低于95%`（建议 `≥95%`）；`>=90%`；`95%以上`。",
        quiet: "`≥95%`。",
    },
    checks: &[Check::Project(nonstandard_comparator)],
};

pub const FULLWIDTH_DIGITS: RuleInfo = RuleInfo {
    code: Code::JX304,
    severity: Severity::Warning,
    fixable: Fixable::Yes,
    summary: "全角数字或全角％：９５％ → 95%",
    doc: RuleDoc {
        what: "文字中有全角数字（０–９）、全角百分号（％）或全角小数点。",
        why: "全角数字在汇总时不能当作数字；统一为半角（审核实践）。convert 会自动改正。",
        fires: "`≥９５％`（建议 `≥95%`）。",
        quiet: "`≥95%`。",
    },
    checks: &[Check::Project(fullwidth_digits)],
};

pub const TRAILING_PERIOD: RuleInfo = RuleInfo {
    code: Code::JX305,
    severity: Severity::Info,
    fixable: Fixable::Yes,
    summary: "指标名称以“。”结尾",
    doc: RuleDoc {
        what: "三级指标名称以句号“。”结尾。",
        why: "指标名称是名词短语，不是句子（审核实践）。convert 会去掉句号。",
        fires: "`服务对象满意。`（建议 `服务对象满意`）。",
        quiet: "`服务对象满意度`。",
    },
    checks: &[Check::Project(trailing_period)],
};

/// Every text cell of a project that a user typed: (what it is, the text, its cell).
fn text_cells(p: &Project) -> Vec<(&'static str, &str, Field)> {
    let mut out = vec![
        ("项目名称", p.name.as_str(), Field::Name),
        ("资金用途", p.purpose.as_str(), Field::Purpose),
    ];
    out.extend(
        p.goals
            .iter()
            .enumerate()
            .map(|(n, g)| ("绩效目标", g.as_str(), Field::Goal(n))),
    );
    let mut previous: Option<&crate::model::Indicator> = None;
    for (n, i) in p.indicators.iter().enumerate() {
        // A 一级/二级 name merged down its group is one cell: look at it once, on its first row.
        let new_level1 = previous.is_none_or(|prev| prev.level1 != i.level1);
        let new_level2 = new_level1 || previous.is_some_and(|prev| prev.level2 != i.level2);
        for column in Column::ALL {
            let first_of_group = match column {
                Column::Level1 => new_level1,
                Column::Level2 => new_level2,
                _ => true,
            };
            if first_of_group {
                out.push((column.label(), i.text(column), Field::Indicator(n, column)));
            }
        }
        previous = Some(i);
    }
    out
}

/// Shows invisible characters so the message says what is there.
fn visible(text: &str) -> String {
    text.replace('\t', "⇥").replace('\n', "↵").replace('\r', "")
}

const FULLWIDTH_PUNCTUATION: &str = "，。；：、！？）》」』”";

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || c == '\u{a0}'
}

/// The text without tabs, surrounding white space, repeated spaces or a space before a
/// full-width punctuation mark; line breaks inside the text are kept.
pub fn clean_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars().filter(|c| *c != '\t' && *c != '\r') {
        if is_space(c) && out.ends_with(is_space) {
            continue;
        }
        if FULLWIDTH_PUNCTUATION.contains(c) {
            while out.ends_with(is_space) {
                out.pop();
            }
        }
        out.push(c);
    }
    out
}

fn whitespace_problems(text: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    if text.contains('\t') {
        problems.push("含制表符");
    }
    if text.trim() != text {
        problems.push("首尾有空白或换行");
    }
    let chars: Vec<char> = text.trim().chars().collect();
    if chars.windows(2).any(|w| is_space(w[0]) && is_space(w[1])) {
        problems.push("有连续空格");
    }
    if chars
        .windows(2)
        .any(|w| is_space(w[0]) && FULLWIDTH_PUNCTUATION.contains(w[1]))
    {
        problems.push("全角标点前有空格");
    }
    problems
}

/// A quick look before building a cleaned copy: most cells have nothing to clean.
fn may_need_cleaning(text: &str) -> bool {
    text.contains(['\t', '\r', '\u{a0}', '\u{3000}', ' '])
        || text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace)
}

fn stray_whitespace(p: &Project, f: &mut Findings) {
    for (what, text, field) in text_cells(p) {
        if !may_need_cleaning(text) {
            continue;
        }
        let fixed = clean_whitespace(text);
        if fixed != text && !text.trim().is_empty() {
            let problems = whitespace_problems(text).join("、");
            f.fix(
                p,
                field,
                format!("{what}“{}”{problems}", visible(text)),
                fixed,
            );
        }
    }
}

/// Pairs Chinese double quotes left-then-right: `”e“` → `“e”`.
pub fn fix_quotes(text: &str) -> String {
    let mut open = false;
    text.chars()
        .map(|c| match c {
            '“' | '”' => {
                open = !open;
                if open {
                    '“'
                } else {
                    '”'
                }
            }
            other => other,
        })
        .collect()
}

fn reversed_quotes(p: &Project, f: &mut Findings) {
    for (what, text, field) in text_cells(p) {
        if !text.contains('”') {
            continue;
        }
        let fixed = fix_quotes(text);
        if fixed != text {
            f.fix(
                p,
                field,
                format!("{what}“{}”中的引号方向反了", visible(text.trim())),
                fixed,
            );
        }
    }
}

fn nonstandard_comparator(p: &Project, f: &mut Findings) {
    for (n, i) in p.indicators.iter().enumerate() {
        let t = &i.target;
        // A range (`95%-100%`, `不低于95%且不高于100%`) has no one comparator to standardise.
        if !t.explicit_op || t.op == crate::model::Op::Between {
            continue;
        }
        let written = t.text.trim();
        let symbol = t.op.symbol();
        let suffix = ["以上", "以下", "以内", "之内"]
            .iter()
            .any(|s| written.ends_with(s));
        if written.starts_with(symbol) && !suffix {
            continue;
        }
        let Some(value) = t.value else { continue };
        let fixed = format!(
            "{symbol}{}{}",
            crate::model::amount::number_text(&value),
            t.unit
        );
        f.fix(
            p,
            Field::Indicator(n, Column::Target),
            format!("指标值“{written}”的比较符写法不规范"),
            fixed,
        );
    }
}

fn fullwidth_digits(p: &Project, f: &mut Findings) {
    let is_wide = |c: char| ('０'..='９').contains(&c) || c == '％' || c == '．';
    for (what, text, field) in text_cells(p) {
        if text.chars().any(is_wide) {
            let fixed: String = text
                .chars()
                .map(|c| if is_wide(c) { fold_char(c) } else { c })
                .collect();
            f.fix(
                p,
                field,
                format!("{what}“{}”含全角数字或符号", text.trim()),
                fixed,
            );
        }
    }
}

fn trailing_period(p: &Project, f: &mut Findings) {
    for (n, i) in p.indicators.iter().enumerate() {
        let name = i.level3.trim_end();
        if let Some(fixed) = name.strip_suffix('。') {
            f.fix(
                p,
                Field::Indicator(n, Column::Level3),
                format!("三级指标“{name}”以句号结尾"),
                fixed.to_string(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_cleaned() {
        assert_eq!(clean_whitespace("按招标进度完成\t"), "按招标进度完成");
        assert_eq!(
            clean_whitespace("按照项目时限 ，按时完成"),
            "按照项目时限，按时完成"
        );
        assert_eq!(clean_whitespace("专款专用率\n"), "专款专用率");
        assert_eq!(clean_whitespace("a  b\u{3000}\u{3000}c"), "a b\u{3000}c");
        assert_eq!(clean_whitespace("1.第一\n2.第二"), "1.第一\n2.第二");
    }

    #[test]
    fn quotes_are_paired() {
        assert_eq!(fix_quotes("企业档案容”e“查经费"), "企业档案容“e”查经费");
        assert_eq!(fix_quotes("“互联网+政务服务”"), "“互联网+政务服务”");
    }
}
