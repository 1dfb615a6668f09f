//! The Chinese labels the reader anchors on, in one table, referred to by English names.
//!
//! Every label is compared after `text::label_key` (no white space, full-width folded), so
//! `其中：财政    资金` and `其中:财政资金` are the same label.

use crate::model::text::label_key;

/// A label that marks a field or a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    ProjectCode,
    ProjectName,
    Total,
    Fiscal,
    Other,
    Purpose,
    /// `预算规模及资金用途`: a section heading with no value of its own.
    BudgetSection,
    Plan,
    Goals,
    UnitName,
    DepartmentName,
    DepartmentBudget,
    ProjectSpending,
    Level1,
    Level2,
    Level3,
    Description,
    TargetValue,
    /// 年初指标值: the target before adjustment, kept beside the adjusted one.
    InitialTarget,
    /// A 自评表's own labels (全年执行数, 实际完成值…): the table is a self-evaluation.
    Evaluation,
    Basis,
    UnitColumn,
    Comparator,
    /// Columns an indicator table may carry that the model does not need (序号, 分值, 备注…).
    IgnoredColumn,
    /// A budget table's amount column: 合计 / 金额.
    AmountColumn,
    UnitCode,
}

/// Exact label spellings (after `label_key`), and what they mark.
const LABELS: &[(&str, Label)] = &[
    ("项目编码", Label::ProjectCode),
    ("项目代码", Label::ProjectCode),
    ("项目编号", Label::ProjectCode),
    ("项目名称", Label::ProjectName),
    ("预算数", Label::Total),
    ("年度预算数", Label::Total),
    ("项目预算数", Label::Total),
    ("预算金额", Label::Total),
    ("年度资金总额", Label::Total),
    ("年度资金申请总额", Label::Total),
    ("其中:财政资金", Label::Fiscal),
    ("财政资金", Label::Fiscal),
    ("其中:财政拨款", Label::Fiscal),
    ("财政拨款", Label::Fiscal),
    ("其中:当年财政拨款", Label::Fiscal),
    ("当年财政拨款", Label::Fiscal),
    ("其他资金", Label::Other),
    ("资金用途", Label::Purpose),
    ("预算规模及资金用途", Label::BudgetSection),
    ("预算规模及用途", Label::BudgetSection),
    ("项目资金", Label::BudgetSection),
    ("绩效目标", Label::Goals),
    ("年度绩效目标", Label::Goals),
    ("项目绩效目标", Label::Goals),
    ("年度总体目标", Label::Goals),
    ("年度总体绩效目标", Label::Goals),
    ("总体目标", Label::Goals),
    ("单位名称", Label::UnitName),
    ("预算单位", Label::UnitName),
    ("实施单位", Label::UnitName),
    ("部门(单位)名称", Label::DepartmentName),
    ("部门名称", Label::DepartmentName),
    ("年度预算", Label::DepartmentBudget),
    ("部门预算", Label::DepartmentBudget),
    ("年度预算总额", Label::DepartmentBudget),
    ("其中:项目支出", Label::ProjectSpending),
    ("项目支出", Label::ProjectSpending),
    ("一级指标", Label::Level1),
    ("二级指标", Label::Level2),
    ("三级指标", Label::Level3),
    ("指标名称", Label::Level3),
    ("三级指标名称", Label::Level3),
    ("绩效指标描述", Label::Description),
    ("指标描述", Label::Description),
    ("指标内容", Label::Description),
    ("指标解释", Label::Description),
    ("指标值", Label::TargetValue),
    ("年度指标值", Label::TargetValue),
    ("目标值", Label::TargetValue),
    ("指标目标值", Label::TargetValue),
    ("调整后指标值", Label::TargetValue),
    ("调整后年度指标值", Label::TargetValue),
    ("调整后目标值", Label::TargetValue),
    ("年初指标值", Label::InitialTarget),
    ("年初目标值", Label::InitialTarget),
    ("原指标值", Label::InitialTarget),
    ("全年预算数", Label::Evaluation),
    ("全年执行数", Label::Evaluation),
    ("年初预算数", Label::Evaluation),
    ("实际完成值", Label::Evaluation),
    ("全年实际完成值", Label::Evaluation),
    ("偏差原因分析及改进措施", Label::Evaluation),
    ("实际完成情况", Label::Evaluation),
    ("指标值确定依据", Label::Basis),
    ("指标值设定依据", Label::Basis),
    ("确定依据", Label::Basis),
    ("计量单位", Label::UnitColumn),
    ("度量单位", Label::UnitColumn),
    ("计算符号", Label::Comparator),
    ("指标方向", Label::Comparator),
    ("序号", Label::IgnoredColumn),
    ("分值", Label::IgnoredColumn),
    ("权重", Label::IgnoredColumn),
    ("备注", Label::IgnoredColumn),
    ("指标值类型", Label::IgnoredColumn),
    ("评(扣)分标准", Label::IgnoredColumn),
    ("合计", Label::AmountColumn),
    ("金额", Label::AmountColumn),
    ("总计", Label::AmountColumn),
    ("单位编码", Label::UnitCode),
    ("单位代码", Label::UnitCode),
];

/// [`LABELS`] looked up by spelling (every cell of a likely first character is looked up; the
/// first spelling of a label wins, as in the list).
static BY_SPELLING: std::sync::LazyLock<std::collections::HashMap<&str, Label>> =
    std::sync::LazyLock::new(|| {
        let mut map = std::collections::HashMap::new();
        for (spelling, label) in LABELS {
            map.entry(*spelling).or_insert(*label);
        }
        map
    });

/// The characters labels start with (a test keeps this in step with `LABELS`): a cell starting
/// with anything else is a value, and not worth normalizing.
/// Sorted, to be searched by halves: a cell's first character is looked up for every cell.
const FIRST_CHARS: &[char] = &[
    '一', '三', '二', '偏', '全', '其', '分', '单', '原', '合', '备', '实', '年', '序', '度', '当',
    '总', '执', '指', '支', '权', '目', '确', '绩', '计', '评', '调', '财', '资', '部', '金', '项',
    '预',
];

/// Labels are short; a longer cell is a value, and not worth normalizing.
const MAX_LABEL_CHARS: usize = 24;

/// What label a cell's text is, if any.
pub fn classify(text: &str) -> Option<Label> {
    inspect(text).0
}

/// A cell's text, normalized once: the label it is, and whether it states a money unit the
/// way a unit line does (`单位：万元`, not a bare `万元` in a 计量单位 column).
pub fn inspect(text: &str) -> (Option<Label>, bool) {
    if text.len() > 4 * UNIT_LINE_CHARS {
        return (None, false);
    }
    let chars = text.chars().count();
    if chars > UNIT_LINE_CHARS {
        return (None, false);
    }
    // Most cells are values: skip the normalizing unless the text could be a label (its first
    // character starts one) or a unit statement (it mentions 单位).
    let first = text
        .chars()
        .map(crate::model::text::fold_char)
        .find(|c| !c.is_whitespace() && *c != '*' && *c != '★');
    let may_label =
        chars <= MAX_LABEL_CHARS && first.is_some_and(|c| FIRST_CHARS.binary_search(&c).is_ok());
    let may_state_unit = text.contains('单') && text.contains('元');
    if !may_label && !may_state_unit {
        return (None, false);
    }
    let key = label_key(text);
    let states_unit = may_state_unit && key.contains("单位:") && money_unit_of_key(&key).is_some();
    if !may_label {
        return (None, states_unit);
    }
    // `合计（万元）`, `预算数(元)`: the unit is read separately by `money_unit_of`.
    let bare = key
        .strip_suffix("(万元)")
        .or_else(|| key.strip_suffix("(元)"))
        .unwrap_or(&key);
    if bare.starts_with("资金支出计划") || bare.starts_with("支出计划") {
        return (Some(Label::Plan), states_unit);
    }
    (BY_SPELLING.get(bare).copied(), states_unit)
}

impl Label {
    /// True for the labels of a project table's head (not the indicator columns).
    pub fn is_field(self) -> bool {
        !self.is_indicator_column()
            && !matches!(
                self,
                Label::AmountColumn | Label::UnitCode | Label::Evaluation
            )
    }

    pub fn is_indicator_column(self) -> bool {
        matches!(
            self,
            Label::Level1
                | Label::Level2
                | Label::Level3
                | Label::Description
                | Label::TargetValue
                | Label::InitialTarget
                | Label::Basis
                | Label::UnitColumn
                | Label::Comparator
                | Label::IgnoredColumn
        )
    }
}

/// Unit lines are short; a longer cell is text, not a unit statement.
const UNIT_LINE_CHARS: usize = 40;

/// The money unit a heading states: `单位：万元`, `（万元）`, `金额单位：元`.
pub fn money_unit_of(text: &str) -> Option<crate::model::MoneyUnit> {
    if text.chars().count() > UNIT_LINE_CHARS {
        return None;
    }
    money_unit_of_key(&label_key(text))
}

fn money_unit_of_key(key: &str) -> Option<crate::model::MoneyUnit> {
    use crate::model::MoneyUnit;
    if key.contains("单位:万元") || key.ends_with("(万元)") || key == "万元" {
        Some(MoneyUnit::Wan)
    } else if key.contains("单位:元") || key.ends_with("(元)") || key == "元" {
        Some(MoneyUnit::Yuan)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MoneyUnit;

    #[test]
    fn seed_labels() {
        assert_eq!(classify("其中：财政    资金"), Some(Label::Fiscal));
        assert_eq!(classify("资金支出计划（%）"), Some(Label::Plan));
        assert_eq!(classify("预算规模及资金用途"), Some(Label::BudgetSection));
        assert_eq!(classify("项目 编码"), Some(Label::ProjectCode));
        assert_eq!(classify("*指标值"), Some(Label::TargetValue));
        assert_eq!(classify("电梯维保费"), None);
        assert_eq!(classify("指标值类型"), Some(Label::IgnoredColumn));
        assert_eq!(classify("合计（万元）"), Some(Label::AmountColumn));
        assert_eq!(classify("预算数(元)"), Some(Label::Total));
    }

    #[test]
    fn first_chars_cover_every_label() {
        assert!(FIRST_CHARS.windows(2).all(|w| w[0] < w[1]), "sorted");
        for (spelling, _) in LABELS {
            let first = spelling.chars().next().unwrap_or(' ');
            assert!(FIRST_CHARS.binary_search(&first).is_ok(), "{spelling}");
        }
        assert!(
            FIRST_CHARS.binary_search(&'资').is_ok() && FIRST_CHARS.binary_search(&'支').is_ok(),
            "资金支出计划, 支出计划"
        );
    }

    #[test]
    fn money_units() {
        assert_eq!(money_unit_of("单位：万元"), Some(MoneyUnit::Wan));
        assert_eq!(money_unit_of("金额单位：元"), Some(MoneyUnit::Yuan));
        assert_eq!(money_unit_of("项目资金（元）"), Some(MoneyUnit::Yuan));
        assert_eq!(
            money_unit_of("单位：万元（保留两位小数）"),
            Some(MoneyUnit::Wan)
        );
        assert_eq!(money_unit_of("电梯维保经费"), None);
    }
}
