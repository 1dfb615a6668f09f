//! The cost rules of the indicator family: the total-cost indicator against 预算数 (JX204) and
//! unit cost × count × period against 预算数 (JX205).

use super::super::{Check, Code, Findings, Fixable, RuleDoc, RuleInfo};
use crate::diag::Severity;
use crate::model::amount::{money_text, number_text, wan_from};
use crate::model::target::Kind;
use crate::model::{Indicator, Project};
use rust_decimal::Decimal;

pub const COST_VS_BUDGET: RuleInfo = RuleInfo {
    code: Code::JX204,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "总成本指标与预算数不一致（相差超过 0.005万元）",
    doc: RuleDoc {
        what: "成本指标中以金额表示、且不是单价（单位不含 `/`）的指标值，换算成万元后与预算数比较；\
               有多项时比较其合计。相差超过 cost_tolerance（默认 0.005万元，即 50 元，可在 jxmb.toml 设置）时报告。",
        why: "成本指标反映项目的预算成本，应与预算数一致（财预〔2021〕101号对成本指标的要求）。写成 `1.8万元` 与 `1.80` 是一致的。",
        fires: "`成本指标 | 项目总成本 | … | 19.92万元`，而预算数为 17.92。",
        quiet: "`成本指标 | 项目总成本 | … | 17.92万元`，预算数 17.92；或 `179200元`。",
    },
    checks: &[Check::Project(cost_vs_budget)],
};

pub const UNIT_COST_CROSS_CHECK: RuleInfo = RuleInfo {
    code: Code::JX205,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "单价 × 数量 × 期间 与预算数相差超过 0.5%",
    doc: RuleDoc {
        what: "成本指标是单价（如 `3860元/月/人`）时，用表中数量指标的数量（`24人`）和期间（`/月` 按 12 个月，\
               表中有“N个月”数量指标时用它）相乘，与预算数比较；相差超过 unit_cost_tolerance（默认 0.5%）时报告。找不到对应数量时不检查。",
        why: "单价测算与预算不一致，说明测算口径遗漏了费用（如管理费）或预算多列。财预〔2021〕101号把成本指标定为对预算资金的约束，单价测算是其常见写法；按测算复核预算是审核中的通行做法，不是文件条文，故只作警告。",
        fires: "劳务费：3860元/月/人 × 24人 × 12月 = 111.168万元，预算数 112.00万元，相差 0.74%。",
        quiet: "3888.89元/月/人 × 24人 × 12月 = 112.0000万元，预算数 112.00万元。",
    },
    checks: &[Check::Project(unit_cost_cross_check)],
};

/// A cost indicator's amount in 万元, when it is a total (a money unit without `/`).
fn total_cost_wan(i: &Indicator) -> Option<Decimal> {
    if !i.is_cost() || i.target.kind != Kind::Quantitative || i.target.unit.contains('/') {
        return None;
    }
    wan_from(i.target.value?, &i.target.unit)
}

fn cost_vs_budget(p: &Project, f: &mut Findings) {
    let Some(total) = p.budget.total else { return };
    let costs: Vec<(&Indicator, Decimal)> = p
        .indicators
        .iter()
        .filter_map(|i| total_cost_wan(i).map(|w| (i, w)))
        .collect();
    let Some((first, _)) = costs.first() else {
        return;
    };
    let sum: Decimal = costs.iter().map(|(_, w)| *w).sum();
    if (sum - total).abs() <= f.config.cost_tolerance {
        return;
    }
    let what = if costs.len() == 1 {
        "成本指标".to_string()
    } else {
        format!("成本指标合计（{} 项）", costs.len())
    };
    f.at(
        p,
        first.source.cells.target,
        format!(
            "{what} {}万元 与预算数 {}万元 不一致",
            money_text(&sum),
            money_text(&total)
        ),
    );
}

/// One factor of a unit-cost product: the number and how it reads (`24人`, `12月`).
fn factor(p: &Project, denominator: &str) -> Option<(Decimal, String)> {
    let is_count_of = |i: &&Indicator, unit: &[&str]| {
        i.target.kind == Kind::Quantitative && !i.is_cost() && unit.contains(&i.target.unit.trim())
    };
    match denominator {
        "月" | "个月" => {
            let months = p
                .indicators
                .iter()
                .find(|i| is_count_of(i, &["月", "个月"]))
                .and_then(|i| i.target.value);
            let m = months.unwrap_or(Decimal::from(12));
            Some((m, format!("{}月", number_text(&m))))
        }
        "年" => Some((Decimal::ONE, "1年".into())),
        d => {
            let rows = || p.indicators.iter().filter(|i| is_count_of(i, &[d]));
            let i = rows().find(|i| i.is_quantity()).or_else(|| rows().next())?;
            let v = i.target.value?;
            Some((v, format!("{}{d}", number_text(&v))))
        }
    }
}

fn unit_cost_cross_check(p: &Project, f: &mut Findings) {
    let Some(total) = p.budget.total.filter(|t| !t.is_zero()) else {
        return;
    };
    for i in p
        .indicators
        .iter()
        .filter(|i| i.is_cost() && i.target.kind == Kind::Quantitative)
    {
        let mut parts = i.target.unit.split(['/', '·', '*', '×']).map(str::trim);
        let Some(price) = i
            .target
            .value
            .and_then(|v| wan_from(v, parts.next().unwrap_or("")))
        else {
            continue;
        };
        let denominators: Vec<&str> = parts.filter(|d| !d.is_empty()).collect();
        if denominators.is_empty() {
            continue;
        }
        let Some(factors) = denominators
            .iter()
            .map(|d| factor(p, d))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let product = factors.iter().fold(price, |acc, (v, _)| acc * v);
        let diff = (product - total).abs();
        let percent = (diff / total * Decimal::ONE_HUNDRED).round_dp(2);
        if percent <= f.config.unit_cost_tolerance {
            continue;
        }
        let shown: Vec<&str> = factors.iter().map(|(_, s)| s.as_str()).collect();
        f.at(
            p,
            i.source.cells.target,
            format!(
                "成本指标测算 {} × {} = {}万元，与预算数 {}万元 相差 {}万元（{}%）",
                i.target.text.trim(),
                shown.join(" × "),
                money_text(&product),
                money_text(&total),
                money_text(&diff),
                number_text(&percent)
            ),
        );
    }
}
