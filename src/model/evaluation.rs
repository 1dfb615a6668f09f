//! 项目支出绩效自评表 (财预〔2020〕10号 附件2, SPEC §2.5): what a department claims at year end,
//! and its score computed again exactly as the rules say (`Evaluation::score`).
//!
//! Scoring: weights from the 分值 column (default 预算执行率 10, 产出 50, 效益 30, 满意度 10, split
//! evenly across a group's rows); 执行率 = 全年执行数 / 全年预算数, its score min(执行率, 1) × 分值;
//! a `≥`/`>` row full when met, else 分值 × 实际 / 指标; `≤`/`<` full when met, else 分值 × 指标 /
//! 实际 (a 成本指标 without a comparator is a ceiling); `=` full when equal, else
//! 分值 × max(0, 1 − |实际 − 指标| / 指标); a range full inside it; a deadline full when met, else 0;
//! a qualitative row keeps its claimed score, capped at its 分值. Scores round to 2 decimals;
//! 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差.

use super::amount::{number_text, serialize_money, serialize_number};
use super::{CellRef, Kind, Op, Target};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The template's 项目资金 header, left to right (after the row labels).
pub const FUNDS_HEADER: [&str; 6] = [
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "分值",
    "执行率",
    "得分",
];

/// The template's indicator header, left to right (after its 绩效指标 label).
pub const INDICATOR_HEADER: [&str; 8] = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
];

/// One 自评表.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Evaluation {
    pub code: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub year: Option<u32>,
    /// 主管部门 and 实施单位 as written.
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub unit: String,
    pub funds: Funds,
    pub goals: Goals,
    pub indicators: Vec<EvaluatedIndicator>,
    pub total: Claimed,
    /// Filled by [`Evaluation::score`].
    #[serde(default)]
    pub computed: Computed,
    /// Number cells that hold something else (`约2万`, `#REF!`, a formula never calculated):
    /// (cell, what it holds). Never read as 0 or blank; JX004 says so.
    #[serde(skip)]
    pub unreadable: Vec<(CellRef, String)>,
    /// Cells read from hidden rows or columns (JX006), and whether the sheet is hidden.
    #[serde(skip)]
    pub hidden: Vec<CellRef>,
    #[serde(skip)]
    pub sheet_hidden: bool,
    pub source: EvaluationSource,
}

/// The 项目资金 block: the 年度资金总额 row's amounts and its 分值, 执行率 and 得分, and the rows
/// that should add up to it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Funds {
    #[serde(
        serialize_with = "serialize_money",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub initial: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_money",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub annual: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_money",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub executed: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_number",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub weight: Option<Decimal>,
    /// 执行率 as written, in percent (`97.22%` → 97.22; `0.9722` in a percent cell → 97.22).
    #[serde(
        serialize_with = "serialize_number",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub rate: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_number",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub score: Option<Decimal>,
    /// 当年财政拨款 / 上年结转资金 / 其他资金, as (label, 年初, 全年预算, 全年执行).
    #[serde(default)]
    pub parts: Vec<FundsPart>,
    #[serde(skip)]
    pub cells: FundsCells,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FundsPart {
    pub label: String,
    #[serde(
        serialize_with = "serialize_money",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub initial: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_money",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub annual: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_money",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub executed: Option<Decimal>,
}

/// Where the 年度资金总额 row's cells are.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FundsCells {
    pub initial: Option<CellRef>,
    pub annual: Option<CellRef>,
    pub executed: Option<CellRef>,
    pub rate: Option<CellRef>,
    pub score: Option<CellRef>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Goals {
    pub expected: String,
    pub actual: String,
}

/// The 总分 row as claimed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Claimed {
    #[serde(
        serialize_with = "serialize_number",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub weight: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_number",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub score: Option<Decimal>,
    #[serde(skip)]
    pub cell: Option<CellRef>,
}

/// One indicator row: the year's target beside what was achieved, its points and score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluatedIndicator {
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub target: Target,
    pub actual: Target,
    #[serde(
        serialize_with = "serialize_number",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub weight: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_number",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub score: Option<Decimal>,
    pub deviation: String,
    pub source: EvaluatedCells,
}

/// Where a row's cells are.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct EvaluatedCells {
    pub target: Option<CellRef>,
    pub actual: Option<CellRef>,
    pub weight: Option<CellRef>,
    pub score: Option<CellRef>,
    pub deviation: Option<CellRef>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EvaluationSource {
    pub file: String,
    pub sheet: String,
    #[serde(skip, default)]
    pub sheet_index: usize,
    /// The table's first cell.
    pub cell: CellRef,
    #[serde(skip, default)]
    pub name_cell: Option<CellRef>,
}

/// The score computed again: per row (`None` where it cannot be computed), the total and the
/// grade.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Computed {
    #[serde(
        serialize_with = "serialize_number",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub rate: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_number",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub funds_score: Option<Decimal>,
    #[serde(
        serialize_with = "serialize_number",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub score: Option<Decimal>,
    pub grade: String,
    pub rows: Vec<RowScore>,
}

/// A row's computed score and how it was reached (`实际 22人 < 指标 24人：10 × 22/24 = 9.17`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RowScore {
    #[serde(
        serialize_with = "serialize_number",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub score: Option<Decimal>,
    /// The weight used (the row's 分值, or its share of the group's default).
    #[serde(
        serialize_with = "serialize_number",
        default,
        deserialize_with = "super::amount::deserialize_amount"
    )]
    pub weight: Option<Decimal>,
    pub why: String,
    /// False when the score is the claimed one kept (a qualitative row) or none could be
    /// computed: the row cannot be checked by arithmetic.
    pub computed: bool,
}

/// Rounds to 2 decimals, half away from zero.
pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn show(d: Decimal) -> String {
    number_text(&round2(d).normalize())
}

/// The default weight of a 一级 group (R14), split evenly over its rows.
fn default_group_weight(level1: &str) -> Decimal {
    let key: String = level1.chars().filter(|c| !c.is_whitespace()).collect();
    if key.starts_with("产出") || key.starts_with("成本") {
        Decimal::from(50)
    } else if key.starts_with("效益") {
        Decimal::from(30)
    } else if key.starts_with("满意") {
        Decimal::from(10)
    } else {
        Decimal::ZERO
    }
}

/// 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差.
pub fn grade(score: Decimal) -> &'static str {
    if score >= Decimal::from(90) {
        "优"
    } else if score >= Decimal::from(80) {
        "良"
    } else if score >= Decimal::from(60) {
        "中"
    } else {
        "差"
    }
}

/// Words in an 实际完成值 that say a deadline was missed.
const MISSED: &[&str] = &["未", "没有", "延期", "滞后", "逾期", "推迟", "超期"];

impl EvaluatedIndicator {
    /// True when the target states a number (or deadline) but the 实际完成值 does not
    /// (`达成预期指标`, `已完成`).
    pub fn actual_unquantified(&self) -> bool {
        self.target.kind == Kind::Quantitative && self.actual.kind != Kind::Quantitative
    }

    /// A 成本指标 written without a comparator is a ceiling.
    fn op(&self) -> Op {
        let cost = self.level2.contains("成本") || self.level1.contains("成本");
        if cost && !self.target.explicit_op && self.target.op == Op::Eq {
            Op::Le
        } else {
            self.target.op
        }
    }

    /// The row's score with `weight`, and how it was reached.
    pub fn score_with(&self, weight: Decimal) -> RowScore {
        let w = show(weight);
        let claimed = self.score;
        let keep = |why: String| RowScore {
            score: claimed.map(|c| round2(c.min(weight))),
            weight: Some(weight),
            why,
            computed: false,
        };
        let done = |score: Decimal, why: String| RowScore {
            score: Some(round2(score)),
            weight: Some(weight),
            why,
            computed: true,
        };
        let (target, actual) = (&self.target, &self.actual);
        match target.kind {
            Kind::Qualitative => keep(format!("定性指标，保留自评得分（不超过分值 {w}）")),
            Kind::Deadline => {
                let text = actual.text.trim();
                if text.is_empty() {
                    keep("实际完成值为空，无法核算".into())
                } else if MISSED.iter().any(|m| text.contains(m)) {
                    done(
                        Decimal::ZERO,
                        format!("时限“{}”未达到（“{text}”）：0", target.text.trim()),
                    )
                } else {
                    done(
                        weight,
                        format!("时限“{}”已达到（“{text}”）：{w}", target.text.trim()),
                    )
                }
            }
            Kind::Quantitative => {
                let (Some(t), Some(a)) = (target.value, actual.value) else {
                    return keep(format!(
                        "实际完成值“{}”不是数字，无法与指标“{}”比较",
                        actual.text.trim(),
                        target.text.trim()
                    ));
                };
                if actual.kind != Kind::Quantitative
                    || (!actual.unit.is_empty()
                        && !target.unit.is_empty()
                        && actual.unit != target.unit)
                {
                    return keep(format!(
                        "实际完成值“{}”与指标“{}”单位不同，无法比较",
                        actual.text.trim(),
                        target.text.trim()
                    ));
                }
                let (ts, as_) = (
                    format!("{}{}", number_text(&t), target.unit),
                    format!("{}{}", number_text(&a), actual.unit_or(&target.unit)),
                );
                match self.op() {
                    Op::Ge | Op::Gt => {
                        if a >= t || t.is_zero() {
                            done(weight, format!("实际 {as_} 达到指标 {ts}：{w}"))
                        } else {
                            let s = weight * a / t;
                            done(
                                s,
                                format!(
                                    "实际 {as_} < 指标 {ts}：{w} × {}/{} = {}",
                                    number_text(&a),
                                    number_text(&t),
                                    show(s)
                                ),
                            )
                        }
                    }
                    Op::Le | Op::Lt => {
                        if a <= t {
                            done(weight, format!("实际 {as_} 未超过指标 {ts}：{w}"))
                        } else {
                            let s = weight * t / a;
                            done(
                                s,
                                format!(
                                    "实际 {as_} > 指标 {ts}：{w} × {}/{} = {}",
                                    number_text(&t),
                                    number_text(&a),
                                    show(s)
                                ),
                            )
                        }
                    }
                    Op::Eq => {
                        if a == t {
                            done(weight, format!("实际 {as_} 等于指标 {ts}：{w}"))
                        } else if t.is_zero() {
                            done(Decimal::ZERO, format!("实际 {as_} ≠ 指标 {ts}：0"))
                        } else {
                            let off = ((a - t).abs() / t).min(Decimal::ONE);
                            let s = weight * (Decimal::ONE - off);
                            done(
                                s,
                                format!(
                                    "实际 {as_} ≠ 指标 {ts}：{w} × (1 − |{} − {}|/{}) = {}",
                                    number_text(&a),
                                    number_text(&t),
                                    number_text(&t),
                                    show(s)
                                ),
                            )
                        }
                    }
                    Op::Between => {
                        let high = target.value_max.unwrap_or(t);
                        if a >= t && a <= high {
                            done(
                                weight,
                                format!("实际 {as_} 在指标 {} 范围内：{w}", target.text.trim()),
                            )
                        } else if a < t {
                            let s = weight * a / t;
                            done(
                                s,
                                format!(
                                    "实际 {as_} 低于下限 {ts}：{w} × {}/{} = {}",
                                    number_text(&a),
                                    number_text(&t),
                                    show(s)
                                ),
                            )
                        } else {
                            let s = weight * high / a;
                            done(
                                s,
                                format!(
                                    "实际 {as_} 高于上限：{w} × {}/{} = {}",
                                    number_text(&high),
                                    number_text(&a),
                                    show(s)
                                ),
                            )
                        }
                    }
                }
            }
        }
    }
}

impl Target {
    /// The unit, or `other` when none is written (`22` against `24人` is 22人).
    fn unit_or<'a>(&'a self, other: &'a str) -> &'a str {
        if self.unit.is_empty() {
            other
        } else {
            &self.unit
        }
    }
}

impl Evaluation {
    /// What the batch-wide rules need: no goals, deviation texts or computed rows.
    pub fn compact(&self) -> Evaluation {
        Evaluation {
            goals: Goals::default(),
            computed: Computed::default(),
            indicators: self
                .indicators
                .iter()
                .map(|i| EvaluatedIndicator {
                    deviation: String::new(),
                    ..i.clone()
                })
                .collect(),
            ..self.clone()
        }
    }

    /// The weight of each row: its 分值, or its group's default split evenly over the group's
    /// rows without one.
    pub fn weights(&self) -> Vec<Decimal> {
        let mut out = Vec::with_capacity(self.indicators.len());
        for i in &self.indicators {
            let weight = i.weight.unwrap_or_else(|| {
                let group: Vec<&EvaluatedIndicator> = self
                    .indicators
                    .iter()
                    .filter(|o| o.level1 == i.level1)
                    .collect();
                let given: Decimal = group.iter().filter_map(|o| o.weight).sum();
                let blank = group.iter().filter(|o| o.weight.is_none()).count();
                let rest = (default_group_weight(&i.level1) - given).max(Decimal::ZERO);
                if blank == 0 {
                    Decimal::ZERO
                } else {
                    rest / Decimal::from(blank as u64)
                }
            });
            out.push(weight);
        }
        out
    }

    /// 执行率 in percent, from its two amounts.
    pub fn rate(&self) -> Option<Decimal> {
        let (annual, executed) = (self.funds.annual?, self.funds.executed?);
        (!annual.is_zero()).then(|| executed / annual * Decimal::from(100))
    }

    /// Computes the score again (fills `computed`).
    pub fn score(&mut self) {
        let weights = self.weights();
        let rows: Vec<RowScore> = self
            .indicators
            .iter()
            .zip(weights)
            .map(|(i, w)| i.score_with(w))
            .collect();
        let rate = self.rate();
        let funds_weight = self.funds.weight.unwrap_or(Decimal::from(10));
        let funds_score =
            rate.map(|r| round2((r / Decimal::from(100)).min(Decimal::ONE) * funds_weight));
        let rows_total: Decimal = rows.iter().filter_map(|r| r.score).sum();
        let total = funds_score.map(|f| round2(f + rows_total));
        self.computed = Computed {
            rate: rate.map(round2),
            funds_score,
            score: total,
            grade: total.map(|t| grade(t).to_string()).unwrap_or_default(),
            rows,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn row(level2: &str, target: &str, actual: &str, claimed: &str) -> EvaluatedIndicator {
        EvaluatedIndicator {
            level1: "产出指标".into(),
            level2: level2.into(),
            level3: "指标".into(),
            target: Target::parse(target),
            actual: Target::parse(actual),
            weight: Some(d("10")),
            score: Decimal::from_str(claimed).ok(),
            deviation: String::new(),
            source: EvaluatedCells::default(),
        }
    }

    fn scored(r: &EvaluatedIndicator) -> (Option<Decimal>, bool) {
        let s = r.score_with(d("10"));
        (s.score, s.computed)
    }

    #[test]
    fn at_least_short_of_target_10_x_22_over_24_is_9_17() {
        let r = row("数量指标", "≥24人", "22人", "10");
        let s = r.score_with(d("10"));
        assert_eq!(s.score, Some(d("9.17")));
        assert_eq!(s.why, "实际 22人 < 指标 24人：10 × 22/24 = 9.17");
        assert_eq!(
            scored(&row("数量指标", "≥24人", "24人", "10")).0,
            Some(d("10"))
        );
    }

    #[test]
    fn at_most_over_the_ceiling_10_x_1_8_over_2_is_9() {
        assert_eq!(
            scored(&row("成本指标", "≤1.8万元", "2万元", "10")).0,
            Some(d("9"))
        );
        // A 成本指标 written without a comparator is a ceiling: 1.7 ≤ 1.8 is full marks.
        assert_eq!(
            scored(&row("成本指标", "1.8万元", "1.7万元", "8")).0,
            Some(d("10"))
        );
    }

    #[test]
    fn equal_off_by_5_percent_10_x_0_95_is_9_5() {
        assert_eq!(
            scored(&row("数量指标", "=100%", "95%", "10")).0,
            Some(d("9.5"))
        );
        assert_eq!(
            scored(&row("数量指标", "=100%", "100%", "0")).0,
            Some(d("10"))
        );
    }

    #[test]
    fn between_full_inside_the_range_and_proportional_below_it() {
        assert_eq!(
            scored(&row("质量指标", "95%-100%", "97%", "10")).0,
            Some(d("10"))
        );
        // 10 × 90/95 = 9.47
        assert_eq!(
            scored(&row("质量指标", "95%-100%", "90%", "10")).0,
            Some(d("9.47"))
        );
    }

    #[test]
    fn a_deadline_is_full_when_met_and_zero_when_missed() {
        assert_eq!(
            scored(&row("时效指标", "每月15日前", "每月15日前完成", "10")),
            (Some(d("10")), true)
        );
        assert_eq!(
            scored(&row("时效指标", "12月底前", "延期至次年1月", "10")),
            (Some(d("0")), true)
        );
    }

    #[test]
    fn a_qualitative_row_keeps_its_claimed_score_capped_at_its_weight() {
        assert_eq!(
            scored(&row("社会效益指标", "保障工作顺利开展", "已完成", "8")),
            (Some(d("8")), false)
        );
        assert_eq!(
            scored(&row("社会效益指标", "保障工作顺利开展", "已完成", "12")),
            (Some(d("10")), false)
        );
    }

    #[test]
    fn over_achievement_scores_full_marks_not_more() {
        // 30 against ≥24: full 10, never 12.5.
        assert_eq!(
            scored(&row("数量指标", "≥24人", "30人", "10")).0,
            Some(d("10"))
        );
    }

    #[test]
    fn an_unquantified_actual_cannot_be_scored_against_a_number() {
        let r = row("数量指标", "≥24人", "达成预期指标", "10");
        assert!(r.actual_unquantified());
        assert_eq!(scored(&r), (Some(d("10")), false));
    }

    #[test]
    fn the_total_is_the_funds_score_plus_the_rows_and_graded() {
        let mut e = Evaluation {
            funds: Funds {
                annual: Some(d("1.8")),
                executed: Some(d("1.75")),
                weight: Some(d("10")),
                ..Funds::default()
            },
            indicators: vec![
                row("数量指标", "≥24人", "22人", "10"),
                row("质量指标", "≥95%", "96%", "10"),
            ],
            ..Evaluation::default()
        };
        e.score();
        // 执行率 1.75/1.8 = 97.22%, 10 × 0.9722 = 9.72; rows 9.17 + 10; total 28.89.
        assert_eq!(e.computed.rate, Some(d("97.22")));
        assert_eq!(e.computed.funds_score, Some(d("9.72")));
        assert_eq!(e.computed.score, Some(d("28.89")));
        assert_eq!(e.computed.grade, "差");
    }

    #[test]
    fn missing_weights_share_the_groups_default() {
        let mut a = row("数量指标", "≥1个", "1个", "");
        a.weight = None;
        let mut b = a.clone();
        b.level2 = "质量指标".into();
        let e = Evaluation {
            indicators: vec![a, b],
            ..Evaluation::default()
        };
        // 产出 50 over two rows without 分值.
        assert_eq!(e.weights(), vec![d("25"), d("25")]);
    }
}
