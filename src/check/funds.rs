//! Money and spending-plan rules (JX101–JX105): 预算数 = 财政资金 + 其他资金, and a cumulative
//! plan that never goes down, stays within 0–100 and ends at 100%.

use super::{Check, Code, Findings, Fixable, RuleDoc, RuleInfo};
use crate::diag::Severity;
use crate::model::amount::{money_text, number_text};
use crate::model::AmountField;
use crate::model::{Field, Project};
use rust_decimal::Decimal;

/// This family's rules, in code order.
pub(super) const RULES: &[RuleInfo] = &[
    FUNDS_SUM_MISMATCH,
    PLAN_DECREASING,
    PLAN_NOT_100,
    PERCENT_OUT_OF_RANGE,
    NONPOSITIVE_BUDGET,
];

pub const FUNDS_SUM_MISMATCH: RuleInfo = RuleInfo {
    code: Code::JX101,
    severity: Severity::Error,
    fixable: Fixable::Sometimes("预算数空白而财政资金、其他资金都已填写时，补上二者之和"),
    summary: "预算数 ≠ 财政资金 + 其他资金",
    doc: RuleDoc {
        what: "预算数应等于其中：财政资金与其他资金之和（空白按 0 计）。比较在万元下精确进行，不设容差。\
               只有预算数空白、两个分项都已填写时才自动补上预算数；预算数与分项不一致时，\
               由哪一个分项承担差额无法判断，不做修正，由填报人改正。",
        why: "财预〔2020〕10号附件2：年度资金总额 = 财政拨款 + 其他资金。三个数不一致时，无法判断哪一个才是预算。",
        fires: "`预算数 1.80 | 其中：财政资金 1.00 | 其他资金 （空）`：1.00 + 0 ≠ 1.80（不自动修正）；`预算数 （空）| 财政资金 1.20 | 其他资金 0.60`：补上预算数 1.80。",
        quiet: "`预算数 1.80 | 其中：财政资金 1.80 | 其他资金 （空）`。",
    },
    checks: &[Check::Project(funds_sum_mismatch)],
};

pub const PLAN_DECREASING: RuleInfo = RuleInfo {
    code: Code::JX102,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "累计资金支出计划出现下降",
    doc: RuleDoc {
        what:
            "资金支出计划是累计百分比（3月底、6月底、10月底、12月底），后一个节点不能小于前一个。",
        why: "累计支出进度只能增加；下降通常是把当期比例填成了累计比例。",
        fires: "`25% | 50% | 40% | 100%`：10月底 40% 低于 6月底 50%。",
        quiet: "`25% | 50% | 75% | 100%`。",
    },
    checks: &[Check::Project(plan_decreasing)],
};

pub const PLAN_NOT_100: RuleInfo = RuleInfo {
    code: Code::JX103,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "资金支出计划最后一个节点（12月底）不是 100%",
    doc: RuleDoc {
        what: "资金支出计划的最后一个节点（通常是 12月底）必须是 100%；没有填写支出计划也会报告。",
        why: "年度预算应在年内支出完毕；最后节点不到 100% 意味着计划本身不完整。",
        fires: "`25% | 50% | 75% | 90%`；或整个资金支出计划空白。",
        quiet: "`25% | 50% | 75% | 100%`。",
    },
    checks: &[Check::Project(plan_not_100)],
};

pub const PERCENT_OUT_OF_RANGE: RuleInfo = RuleInfo {
    code: Code::JX104,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "资金支出计划中有 0–100 以外的百分比",
    doc: RuleDoc {
        what: "资金支出计划的每个百分比都应在 0 到 100 之间。",
        why: "累计支出比例超过 100% 或为负数没有意义，多半是把金额填进了百分比栏。",
        fires: "`25% | 50% | 75% | 120%`；`-5%`。",
        quiet: "`0% | 30% | 60% | 100%`。",
    },
    checks: &[Check::Project(percent_out_of_range)],
};

pub const NONPOSITIVE_BUDGET: RuleInfo = RuleInfo {
    code: Code::JX105,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "预算数 ≤ 0",
    doc: RuleDoc {
        what: "项目的预算数必须大于 0。",
        why: "预算数为 0 或负数的项目不应编报绩效目标表，常见原因是金额漏填成 0 或单位写错。",
        fires: "`预算数 0.00`；`预算数 -1.80`。",
        quiet: "`预算数 1.80`。",
    },
    checks: &[Check::Project(nonpositive_budget)],
};

fn funds_sum_mismatch(p: &Project, f: &mut Findings) {
    // A field that is not a number, or a formula never calculated, is not blank: its value is
    // unknown (JX004, JX007), so the sum can be neither checked nor completed.
    let unknown = [AmountField::Total, AmountField::Fiscal, AmountField::Other];
    if p.unreadable.iter().any(|u| unknown.contains(&u.field)) {
        return;
    }
    let b = &p.budget;
    let cells = &p.source.cells;
    let blanks = [b.total, b.fiscal, b.other]
        .iter()
        .filter(|v| v.is_none())
        .count();
    let zero = Decimal::ZERO;
    let (total, fiscal, other) = (
        b.total.unwrap_or(zero),
        b.fiscal.unwrap_or(zero),
        b.other.unwrap_or(zero),
    );
    if b.total.is_none() && blanks > 1 || total == fiscal + other {
        return;
    }
    let message = match b.total {
        None => format!(
            "预算数空白，而财政资金 {}万元 + 其他资金 {}万元 = {}万元",
            money_text(&fiscal),
            money_text(&other),
            money_text(&(fiscal + other))
        ),
        Some(_) => format!(
            "预算数 {}万元 ≠ 财政资金 {}万元 + 其他资金 {}万元",
            money_text(&total),
            money_text(&fiscal),
            money_text(&other)
        ),
    };
    // Only a blank 预算数 is completed: which part would absorb a difference is a guess.
    match (b.total, b.fiscal, b.other) {
        (None, Some(fi), Some(ot)) => f.fix(p, Field::Total, message, money_text(&(fi + ot))),
        _ => {
            f.at(p, cells.total, message);
        }
    }
}

fn plan_decreasing(p: &Project, f: &mut Findings) {
    let mut previous: Option<(&str, Decimal)> = None;
    for point in &p.spending_plan {
        let Some(pct) = point.percent else { continue };
        if let Some((by, before)) = previous {
            if pct < before {
                let message = format!(
                    "累计支出计划下降：{} {}% 低于 {by} {}%",
                    point.by,
                    number_text(&pct),
                    number_text(&before)
                );
                f.at(p, point.cell, message);
            }
        }
        previous = Some((&point.by, pct));
    }
}

fn plan_not_100(p: &Project, f: &mut Findings) {
    match p.spending_plan.last() {
        None => {
            f.at(
                p,
                p.source.cells.plan,
                "没有填写资金支出计划（应有到 12月底 累计 100% 的节点）".into(),
            );
        }
        Some(last) if last.percent != Some(Decimal::ONE_HUNDRED) => {
            let shown = last
                .percent
                .map(|v| format!("{}%", number_text(&v)))
                .unwrap_or_else(|| "空白".into());
            f.at(
                p,
                last.cell,
                format!(
                    "资金支出计划最后一个节点（{}）为 {shown}，应为 100%",
                    last.by
                ),
            );
        }
        Some(_) => {}
    }
}

fn percent_out_of_range(p: &Project, f: &mut Findings) {
    for point in &p.spending_plan {
        if let Some(v) = point
            .percent
            .filter(|v| *v < Decimal::ZERO || *v > Decimal::ONE_HUNDRED)
        {
            f.at(
                p,
                point.cell,
                format!(
                    "资金支出计划（{}）{}% 超出 0–100% 范围",
                    point.by,
                    number_text(&v)
                ),
            );
        }
    }
}

fn nonpositive_budget(p: &Project, f: &mut Findings) {
    if let Some(t) = p.budget.total.filter(|t| *t <= Decimal::ZERO) {
        f.at(
            p,
            p.source.cells.total,
            format!("预算数为 {}万元，应大于 0", money_text(&t)),
        );
    }
}
