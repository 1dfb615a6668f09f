//! 自评表 rules (JX601–JX609): the arithmetic of the table itself, the scores computed again
//! (SPEC §2.5, `model::evaluation`), and the comparison with the same project's 目标表 among
//! the inputs (paired by 项目编码, then 项目名称).

use super::{Check, Code, Findings, Fixable, RuleDoc, RuleInfo};
use crate::diag::{Fix, Severity};
use crate::model::amount::money_text;
use crate::model::evaluation::{round2, FundsPart};
use crate::model::text::label_key;
use crate::model::{measures_of, Evaluation, Kind, Op, Target};
use crate::reconcile::BatchView;
use rust_decimal::Decimal;

/// This family's rules, in code order.
pub(super) const RULES: &[RuleInfo] = &[
    FUNDS_MISMATCH,
    RATE_SCORE,
    TOTAL,
    ROW_SCORE,
    TARGET_CHANGED,
    DEVIATION_MISSING,
    UNSUPPORTED_FULL_MARKS,
    BUDGET_DIFFERS,
    TARGET_TOO_LOW,
];

pub const FUNDS_MISMATCH: RuleInfo = RuleInfo {
    code: Code::JX601,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "自评表的年度资金总额 ≠ 当年财政拨款 + 上年结转资金 + 其他资金",
    doc: RuleDoc {
        what: "自评表“项目资金”一栏，年初预算数、全年预算数、全年执行数各列分别核对：年度资金总额应等于其下各项之和（万元，精确比较）。",
        why: "年度资金总额由当年财政拨款、上年结转资金和其他资金组成（财预〔2020〕10号 附件2 项目支出绩效自评表）。",
        fires: "全年执行数：年度资金总额 20.00，当年财政拨款 18.00、上年结转资金 1.00。",
        quiet: "年度资金总额 20.00 = 当年财政拨款 19.00 + 上年结转资金 1.00。",
    },
    checks: &[Check::Evaluation(funds_mismatch)],
};

pub const RATE_SCORE: RuleInfo = RuleInfo {
    code: Code::JX602,
    severity: Severity::Error,
    fixable: Fixable::Sometimes("执行率写错时，按全年执行数 ÷ 全年预算数改正（得分不改）"),
    summary: "执行率 ≠ 全年执行数 / 全年预算数，或其得分 ≠ min(执行率, 1) × 分值",
    doc: RuleDoc {
        what: "执行率按全年执行数 ÷ 全年预算数重新计算，按表中写的小数位数比较；其得分按 min(执行率, 100%) × 分值（未写分值按 10）计算，相差超过 0.01 即报告。",
        why: "预算执行率及其得分的算法见财预〔2020〕10号 附件2；算错的执行率会让总分失真。",
        fires: "全年预算数 20.00，全年执行数 18.00，执行率写 95%（应为 90%）。",
        quiet: "执行率 90.00%，分值 10，得分 9.00。",
    },
    checks: &[Check::Evaluation(rate_score)],
};

pub const TOTAL: RuleInfo = RuleInfo {
    code: Code::JX603,
    severity: Severity::Error,
    fixable: Fixable::Sometimes("总分不等于各项得分之和时，改为其和（分值合计不是 100 不改）"),
    summary: "自评表的分值合计不是 100，或总分 ≠ 各项得分之和",
    doc: RuleDoc {
        what: "预算执行率的分值加各指标分值应为 100；总分行的得分应等于执行率得分与各指标得分之和（相差超过 0.01 即报告）。",
        why: "自评实行百分制（财预〔2020〕10号 附件2：预算执行率 10 分，产出 50 分，效益 30 分，满意度 10 分，可调整但合计 100）。",
        fires: "执行率 10 分，指标分值合计 95 分；或总分写 95，各项得分之和为 92.5。",
        quiet: "分值合计 100，总分 92.5 = 9.5 + 83。",
    },
    checks: &[Check::Evaluation(total)],
};

pub const ROW_SCORE: RuleInfo = RuleInfo {
    code: Code::JX604,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "指标的自评得分与按规则计算的得分不同",
    doc: RuleDoc {
        what: "每个定量指标按实际完成值重新计分，与自评得分相差超过 0.01 即报告，说明写出计算过程。\
               计分：“≥/>”的指标，达到得满分，否则 分值 × 实际 / 指标；“≤/<”的指标（成本指标未写比较符也按“≤”），\
               未超过得满分，否则 分值 × 指标 / 实际；“=”的指标，相等得满分，否则 分值 × max(0, 1 − |实际 − 指标| / 指标)；\
               区间内得满分；时限指标按时完成得满分，否则 0；定性指标保留自评得分（不超过分值），不核对。\
               例：指标“≥24人”，实际“22人”，分值 10：10 × 22/24 = 9.17；自评写 10 分，报告。",
        why: "完成指标值的得满分，未完成的按完成值与指标值的比例计分（财预〔2020〕10号 附件2 的计分说明）。",
        fires: "“发放人数”指标 ≥24人，实际 22人，分值 10，自评得分 10（应为 9.17）。",
        quiet: "实际 22人，自评得分 9.17。",
    },
    checks: &[Check::Evaluation(row_score)],
};

pub const TARGET_CHANGED: RuleInfo = RuleInfo {
    code: Code::JX605,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "自评表的年度指标值与同一项目年初的绩效目标表不同，或指标有增减",
    doc: RuleDoc {
        what: "按项目编码（没有时按项目名称）找到本批中同一项目的绩效目标表，按三级指标名称逐项比较年度指标值；\
               自评表多出或少了的指标也列出。本批没有绩效目标表时只说明一次无法比较。",
        why: "自评应以批复的绩效目标为依据（财预〔2020〕10号：绩效目标是绩效评价的依据），年底改动指标值会使自评失去意义。",
        fires: "目标表“发放人数 24人”，自评表写“发放人数 20人”。",
        quiet: "两表都是“24人”（写法可不同：“=24人”与“24人”相同）。",
    },
    checks: &[Check::Batch(target_changed)],
};

pub const DEVIATION_MISSING: RuleInfo = RuleInfo {
    code: Code::JX606,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "得分低于分值，却没有写偏差原因分析及改进措施",
    doc: RuleDoc {
        what: "指标得分 < 分值的行，“偏差原因分析及改进措施”为空。",
        why: "未完成绩效目标的，应说明偏差原因并提出改进措施（财预〔2020〕10号 附件2）。",
        fires: "得分 9.17，分值 10，偏差原因一栏空白。",
        quiet: "同一行写了“2人年中离职，已补充招聘”。",
    },
    checks: &[Check::Evaluation(deviation_missing)],
};

pub const UNSUPPORTED_FULL_MARKS: RuleInfo = RuleInfo {
    code: Code::JX607,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "定量指标给了满分，实际完成值却没有数字",
    doc: RuleDoc {
        what:
            "年度指标值是数字（如“≥95%”），实际完成值却写“达成预期指标”“已完成”之类，而得分为满分。",
        why:
            "定量指标应以实际数值对照指标值计分（财预〔2020〕10号 附件2）；没有数字的满分无从核实。",
        fires: "指标“≥95%”，实际完成值“达成预期指标”，得分 10（满分）。",
        quiet: "实际完成值“97%”，得分 10。",
    },
    checks: &[Check::Evaluation(unsupported_full_marks)],
};

pub const BUDGET_DIFFERS: RuleInfo = RuleInfo {
    code: Code::JX608,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "自评表的年初预算数与同一项目绩效目标表的预算数不同",
    doc: RuleDoc {
        what: "按项目编码（没有时按项目名称）找到本批中同一项目的绩效目标表，比较年初预算数与预算数（万元，精确比较）。",
        why: "年初预算数就是年初批复、随绩效目标一同编报的预算（财预〔2020〕10号 附件2）；两者不同说明其中一张不是最终数。",
        fires: "目标表预算数 112.00，自评表年初预算数 120.00。",
        quiet: "两者都是 112.00（全年预算数因调整不同不报告）。",
    },
    checks: &[Check::Batch(budget_differs)],
};

pub const TARGET_TOO_LOW: RuleInfo = RuleInfo {
    code: Code::JX609,
    severity: Severity::Info,
    fixable: Fixable::No,
    summary: "实际完成值远超指标值：指标值可能定得偏低",
    doc: RuleDoc {
        what: "“≥/>/=”的定量指标，实际完成值达到指标值的 1.2 倍以上（单位相同）。",
        why: "预算管理一体化系统对实际值 ≥ 1.2 × 指标值的指标作提示：大幅超额完成往往说明目标定得过低（审核实践）。",
        fires: "指标“≥40个”，实际完成“60个”。",
        quiet: "实际完成“45个”。",
    },
    checks: &[Check::Evaluation(target_too_low)],
};

/// One column of a 项目资金 row (年初预算数, 全年预算数 or 全年执行数).
type PartAmount = fn(&FundsPart) -> Option<Decimal>;

fn funds_mismatch(e: &Evaluation, f: &mut Findings) {
    let funds = &e.funds;
    if funds.parts.is_empty() {
        return;
    }
    let columns: [(&str, Option<Decimal>, PartAmount, _); 3] = [
        (
            "年初预算数",
            funds.initial,
            |p| p.initial,
            funds.cells.initial,
        ),
        ("全年预算数", funds.annual, |p| p.annual, funds.cells.annual),
        (
            "全年执行数",
            funds.executed,
            |p| p.executed,
            funds.cells.executed,
        ),
    ];
    for (name, total, of, cell) in columns {
        let Some(total) = total else { continue };
        if funds.parts.iter().all(|p| of(p).is_none()) {
            continue;
        }
        let sum: Decimal = funds.parts.iter().filter_map(of).sum();
        if sum != total {
            let parts: Vec<String> = funds
                .parts
                .iter()
                .filter_map(|p| of(p).map(|v| format!("{} {}", p.label, money_text(&v))))
                .collect();
            let message = format!(
                "{name}：年度资金总额 {} ≠ {}（合计 {}万元）",
                money_text(&total),
                parts.join(" + "),
                money_text(&sum)
            );
            f.at_evaluation(e, cell, message);
        }
    }
}

/// `d` rounded to as many decimals as `like` shows.
fn as_written(d: Decimal, like: Decimal) -> Decimal {
    d.round_dp_with_strategy(
        like.scale(),
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    )
}

fn rate_score(e: &Evaluation, f: &mut Findings) {
    let Some(rate) = e.rate() else { return };
    if let Some(claimed) = e.funds.rate {
        let right = as_written(rate, claimed);
        if right != claimed {
            let message = format!(
                "执行率写 {}%，全年执行数 {} ÷ 全年预算数 {} = {}%",
                claimed.normalize(),
                money_text(&e.funds.executed.unwrap_or_default()),
                money_text(&e.funds.annual.unwrap_or_default()),
                round2(rate).normalize()
            );
            // Arithmetic alone decides it: convert writes it from its two amounts, to 2 decimals.
            f.at_evaluation(e, e.funds.cells.rate, message).fix = Some(Fix {
                field: None,
                text: format!("{}%", round2(rate).normalize()),
            });
        }
    }
    if let (Some(claimed), Some(computed)) = (e.funds.score, e.computed.funds_score) {
        if (claimed - computed).abs() > Decimal::new(1, 2) {
            let weight = e.funds.weight.unwrap_or(Decimal::from(10));
            let message = format!(
                "执行率得分写 {}，应为 min({}%, 100%) × {} = {}",
                claimed.normalize(),
                round2(rate).normalize(),
                weight.normalize(),
                computed.normalize()
            );
            f.at_evaluation(e, e.funds.cells.score, message);
        }
    }
}

fn total(e: &Evaluation, f: &mut Findings) {
    let weights: Option<Vec<Decimal>> = e.indicators.iter().map(|i| i.weight).collect();
    if let (Some(weights), false) = (weights, e.indicators.is_empty()) {
        let funds = e.funds.weight.unwrap_or(Decimal::from(10));
        let sum = funds + weights.iter().sum::<Decimal>();
        if sum != Decimal::from(100) {
            let message = format!(
                "分值合计 {}（预算执行率 {} + 指标 {}），应为 100",
                sum.normalize(),
                funds.normalize(),
                (sum - funds).normalize()
            );
            f.at_evaluation(e, e.total.cell, message);
        }
    }
    let scores: Option<Vec<Decimal>> = e.indicators.iter().map(|i| i.score).collect();
    if let (Some(claimed), Some(scores), Some(funds)) = (e.total.score, scores, e.funds.score) {
        let sum = funds + scores.iter().sum::<Decimal>();
        if (claimed - sum).abs() > Decimal::new(1, 2) {
            let message = format!(
                "总分写 {}，执行率得分 {} 与各指标得分之和为 {}",
                claimed.normalize(),
                funds.normalize(),
                sum.normalize()
            );
            // The sum of the scores claimed: convert writes it (it judges no score).
            f.at_evaluation(e, e.total.cell, message).fix = Some(Fix {
                field: None,
                text: sum.normalize().to_string(),
            });
        }
    }
}

fn row_score(e: &Evaluation, f: &mut Findings) {
    for (i, computed) in e.indicators.iter().zip(&e.computed.rows) {
        let (Some(claimed), Some(score), true) = (i.score, computed.score, computed.computed)
        else {
            continue;
        };
        if (claimed - score).abs() > Decimal::new(1, 2) {
            let message = format!(
                "“{}”自评得分 {}，按规则应为 {}（{}）",
                i.level3,
                claimed.normalize(),
                score.normalize(),
                computed.why
            );
            f.at_evaluation(e, i.source.score, message);
        }
    }
}

fn deviation_missing(e: &Evaluation, f: &mut Findings) {
    for (i, w) in e.indicators.iter().zip(e.weights()) {
        let Some(score) = i.score else { continue };
        if score < w && i.deviation.trim().is_empty() {
            let message = format!(
                "“{}”得分 {} 低于分值 {}，却没有写偏差原因分析及改进措施",
                i.level3,
                score.normalize(),
                w.normalize()
            );
            f.at_evaluation(e, i.source.deviation.or(i.source.score), message);
        }
    }
}

fn unsupported_full_marks(e: &Evaluation, f: &mut Findings) {
    for (i, w) in e.indicators.iter().zip(e.weights()) {
        if i.actual_unquantified() && i.score.is_some_and(|s| s >= w && !w.is_zero()) {
            let message = format!(
                "“{}”的指标值“{}”是数字，实际完成值“{}”却没有数字，得分仍为满分 {}：请写出实际数值",
                i.level3,
                i.target.text.trim(),
                i.actual.text.trim(),
                w.normalize()
            );
            f.at_evaluation(e, i.source.actual, message);
        }
    }
}

fn target_too_low(e: &Evaluation, f: &mut Findings) {
    let factor = Decimal::new(12, 1);
    for i in &e.indicators {
        let (t, a) = (&i.target, &i.actual);
        let (Some(tv), Some(av)) = (t.value, a.value) else {
            continue;
        };
        let up = matches!(t.op, Op::Ge | Op::Gt | Op::Eq) && !i.level2.contains("成本");
        let same_unit = a.unit.is_empty() || a.unit == t.unit;
        if t.kind == Kind::Quantitative
            && a.kind == Kind::Quantitative
            && up
            && same_unit
            && tv > Decimal::ZERO
            && av >= tv * factor
        {
            let message = format!(
                "“{}”实际完成 {}，是指标值“{}”的 {} 倍：指标值可能定得偏低",
                i.level3,
                a.text.trim(),
                t.text.trim(),
                round2(av / tv).normalize()
            );
            f.at_evaluation(e, i.source.actual, message);
        }
    }
}

fn evaluations(view: &BatchView) -> impl Iterator<Item = &Evaluation> {
    view.departments.iter().flat_map(|d| &d.evaluations)
}

/// The same target: comparator, number and unit, or the same words. What `convert` fixes in
/// a 目标表 does not make it another target: `≥100%` is `=100%` (a rate cannot exceed 100,
/// JX207), spacing and full-width forms are folded.
fn same_target(a: &Target, b: &Target) -> bool {
    let op = |t: &Target| match t.op {
        Op::Ge if t.unit == "%" && t.value == Some(Decimal::from(100)) => Op::Eq,
        op => op,
    };
    if a.kind == Kind::Quantitative && b.kind == Kind::Quantitative {
        op(a) == op(b) && a.value == b.value && a.value_max == b.value_max && a.unit == b.unit
    } else {
        label_key(&a.text) == label_key(&b.text)
    }
}

/// An indicator's name as the two tables are compared: spacing folded, a trailing `。` (which
/// `convert` removes, JX305) dropped.
fn name_key(level3: &str) -> String {
    label_key(level3).trim_end_matches(['。', '.']).to_string()
}

fn target_changed(view: &BatchView, f: &mut Findings) {
    if evaluations(view).next().is_none() {
        return;
    }
    let pairing = crate::reconcile::Pairing::of(view);
    if pairing.is_empty() {
        // Said once for the batch, not per table or row.
        if let Some(first) = evaluations(view).next() {
            let count = evaluations(view).count();
            let message = format!(
                "本批没有绩效目标表：{count} 张自评表的年度指标值（JX605）和年初预算数（JX608）无法与年初的目标表核对；\
                 请把同一年度的绩效目标表一起放入"
            );
            f.at_evaluation(first, None, message);
        }
        return;
    }
    for e in evaluations(view) {
        let Some((d, k)) = pairing.place(e) else {
            let message = format!(
                "本批中没有项目“{}”（{}）的绩效目标表：年度指标值和年初预算数无法核对",
                e.name,
                if e.code.is_empty() {
                    "无编码"
                } else {
                    &e.code
                }
            );
            f.at_evaluation(e, e.source.name_cell, message);
            continue;
        };
        let (dept, p) = (&view.departments[d], &view.departments[d].projects[k]);
        // Not kept (a file that could not be read again): nothing to compare.
        let Some(measures) = dept.measures_of(k) else {
            continue;
        };
        let planned: Vec<(&str, &str)> = measures_of(measures).collect();
        let mut added = Vec::new();
        for i in &e.indicators {
            let key = name_key(&i.level3);
            match planned.iter().find(|(l3, _)| name_key(l3) == key) {
                None => added.push(format!("“{}”", i.level3)),
                Some((_, target)) => {
                    let spring = Target::parse(target);
                    if !same_target(&spring, &i.target) {
                        let message = format!(
                            "“{}”的年度指标值“{}”与年初绩效目标表（{}）的“{}”不同",
                            i.level3,
                            i.target.text.trim(),
                            super::place(&p.at.file, &p.at.sheet, &e.source.file),
                            target.trim()
                        );
                        f.at_evaluation(e, i.source.target, message);
                    }
                }
            }
        }
        let dropped: Vec<String> = planned
            .iter()
            .filter(|(l3, _)| {
                !e.indicators
                    .iter()
                    .any(|i| name_key(&i.level3) == name_key(l3))
            })
            .map(|(l3, _)| format!("“{l3}”"))
            .collect();
        if !added.is_empty() || !dropped.is_empty() {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("目标表中没有的 {}", super::listed(added.iter())));
            }
            if !dropped.is_empty() {
                parts.push(format!("自评表中少了 {}", super::listed(dropped.iter())));
            }
            let message = format!(
                "自评表的指标与年初绩效目标表（{}）不一致：{}",
                super::place(&p.at.file, &p.at.sheet, &e.source.file),
                parts.join("；")
            );
            f.at_evaluation(e, e.source.name_cell, message);
        }
    }
}

fn budget_differs(view: &BatchView, f: &mut Findings) {
    if evaluations(view).next().is_none() {
        return;
    }
    let pairing = crate::reconcile::Pairing::of(view);
    for e in evaluations(view) {
        let (Some(p), Some(initial)) = (pairing.project(view, e), e.funds.initial) else {
            continue;
        };
        let Some(total) = p.total else { continue };
        if total != initial {
            let message = format!(
                "年初预算数 {}万元 与绩效目标表（{}）的预算数 {}万元 不同",
                money_text(&initial),
                super::place(&p.at.file, &p.at.sheet, &e.source.file),
                money_text(&total)
            );
            f.at_evaluation(e, e.funds.cells.initial, message);
        }
    }
}
