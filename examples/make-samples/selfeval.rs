//! Year-end 项目支出绩效自评表 (财预〔2020〕10号 附件2) for the sample projects: the form as
//! the template lays it out, filled with invented results (the seed has none). Used by
//! `sample-workbooks/lunan-2025-selfeval/`, the 自评 rule cases and the evaluation tests.
//!
//! The form (Excel rows): 1 title, 2 year, 3 项目名称, 4 项目编码, 5 主管部门/实施单位, 6 the
//! 项目资金 header (C 年初预算数, D 全年预算数, E 全年执行数, F 分值, G 执行率, H 得分), 7 年度资金总额,
//! 8 当年财政拨款, 9 上年结转资金, 10 其他资金, 11–12 年度总体目标, 13 the indicator header (B 一级,
//! C 二级, D 三级, E 年度指标值, F 实际完成值, G 分值, H 得分, I 偏差原因分析及改进措施), 14–20 the
//! seven indicators, 21 总分.

#![allow(dead_code)] // the generator and the tests each use a different part

use super::seed::{SeedProject, PROJECTS};
use super::sheet::{t, Sheet, C};
use jxmb::model::evaluation::{FUNDS_HEADER, INDICATOR_HEADER};

/// One indicator's result: 实际完成值, claimed 得分 (None: full marks), 偏差原因.
#[derive(Clone, Copy)]
pub struct Result {
    pub actual: &'static str,
    pub score: Option<f64>,
    pub reason: &'static str,
}

/// What the department reports for one project.
pub struct Report {
    pub executed: f64,
    /// 执行率 as written (`94.64%`) and its 得分.
    pub rate: &'static str,
    pub rate_score: f64,
    /// Per indicator, in the table's order; `None` keeps the target met (see [`met`]).
    pub results: [Option<Result>; 7],
    pub achieved: &'static str,
}

/// The weight of each of the seven rows: 产出 50 over four, 效益 30 over two, 满意度 10.
pub const WEIGHTS: [f64; 7] = [12.5, 12.5, 12.5, 12.5, 15.0, 15.0, 10.0];

/// An 实际完成值 that meets `target` exactly: its number and unit without the comparator, a
/// deadline kept, words for a qualitative target.
pub fn met(target: &str) -> String {
    let parsed = jxmb::model::Target::parse(target);
    match parsed.kind {
        jxmb::model::Kind::Quantitative => match (parsed.value, parsed.value_max) {
            (Some(v), _) => format!("{}{}", v.normalize(), parsed.unit),
            _ => target.to_string(),
        },
        jxmb::model::Kind::Deadline => format!("{}完成", target.trim()),
        jxmb::model::Kind::Qualitative => "已完成".to_string(),
    }
}

/// The 自评表 of `p` as reported.
pub fn sheet(p: &SeedProject, r: &Report, code: &str, unit: &str) -> Sheet {
    let mut s = Sheet::new("自评表");
    let total: f64 = p.total.parse().expect("amount");
    s.row(0, &[t("项目支出绩效自评表")]);
    s.row(1, &[t("（2025年度）")]);
    s.row(2, &[t("项目名称"), t(p.name)]);
    s.row(3, &[t("项目编码"), t(code)]);
    s.row(
        4,
        &[
            t("主管部门"),
            t("唐山市路南区数据和行政审批局"),
            None,
            None,
            t("实施单位"),
            t(unit),
        ],
    );
    let mut funds = vec![t("项目资金（万元）"), None];
    funds.extend(FUNDS_HEADER.map(t));
    s.row(5, &funds);
    s.row(
        6,
        &[
            None,
            t("年度资金总额"),
            Some(C::N(total)),
            Some(C::N(total)),
            Some(C::N(r.executed)),
            Some(C::N(10.0)),
            t(r.rate),
            Some(C::N(r.rate_score)),
        ],
    );
    s.row(
        7,
        &[
            None,
            t("其中：当年财政拨款"),
            Some(C::N(total)),
            Some(C::N(total)),
            Some(C::N(r.executed)),
            t("—"),
            t("—"),
            t("—"),
        ],
    );
    s.row(
        8,
        &[
            None,
            t("上年结转资金"),
            None,
            None,
            None,
            t("—"),
            t("—"),
            t("—"),
        ],
    );
    s.row(
        9,
        &[
            None,
            t("其他资金"),
            None,
            None,
            None,
            t("—"),
            t("—"),
            t("—"),
        ],
    );
    s.row(
        10,
        &[
            t("年度总体目标"),
            t("预期目标"),
            None,
            None,
            t("实际完成情况"),
        ],
    );
    s.row(11, &[None, t(p.goal), None, None, t(r.achieved)]);
    let mut header = vec![t("绩效指标")];
    header.extend(INDICATOR_HEADER.map(t));
    s.row(12, &header);
    let mut sum = r.rate_score;
    let mut previous = "";
    for (i, ind) in p.indicators.iter().enumerate() {
        let result = r.results[i].unwrap_or(Result {
            actual: "",
            score: None,
            reason: "",
        });
        let actual = if result.actual.is_empty() {
            met(ind[4])
        } else {
            result.actual.to_string()
        };
        let score = result.score.unwrap_or(WEIGHTS[i]);
        sum += score;
        let level1 = if ind[0] == previous { None } else { t(ind[0]) };
        previous = ind[0];
        s.row(
            13 + i,
            &[
                None,
                level1,
                t(ind[1]),
                t(ind[2]),
                t(ind[4]),
                t(&actual),
                Some(C::N(WEIGHTS[i])),
                Some(C::N(score)),
                if result.reason.is_empty() {
                    None
                } else {
                    t(result.reason)
                },
            ],
        );
    }
    s.row(
        20,
        &[
            t("总分"),
            None,
            None,
            None,
            None,
            None,
            Some(C::N(100.0)),
            Some(C::N((sum * 100.0).round() / 100.0)),
        ],
    );
    s
}

const MET: [Option<Result>; 7] = [None; 7];

/// The department's reports for the seed's eight projects (invented: the seed has no results).
/// 劳务费 paid 22 of 24 people and 系统维护费 finished 93% of its items on time, each with its
/// reason; 劳务费 and 系统维护费 spent less than budgeted; the rest met every target.
pub fn lunan_reports() -> Vec<(&'static SeedProject, Report)> {
    PROJECTS
        .iter()
        .map(|p| {
            let total: f64 = p.total.parse().expect("amount");
            let report = match p.name {
                "劳务费" => Report {
                    executed: 106.0,
                    rate: "94.64%",
                    rate_score: 9.46,
                    results: {
                        let mut r = MET;
                        // 24人 (=): 12.5 × (1 − 2/24) = 11.46
                        r[0] = Some(Result {
                            actual: "22人",
                            score: Some(11.46),
                            reason: "2人年中离职，已于11月补充招聘",
                        });
                        r
                    },
                    achieved: "全年按月发放24个岗位的劳务费，年中2人离职",
                },
                "系统维护费" => Report {
                    executed: 17.5,
                    rate: "97.66%",
                    rate_score: 9.77,
                    results: {
                        let mut r = MET;
                        // ≥95%: 12.5 × 93/95 = 12.24
                        r[2] = Some(Result {
                            actual: "93%",
                            score: Some(12.24),
                            reason: "2项审批事项因上级系统升级延后，已列入次年计划",
                        });
                        r
                    },
                    achieved: "系统全年运行，个别事项延后完成",
                },
                _ => Report {
                    executed: total,
                    rate: "100%",
                    rate_score: 10.0,
                    results: MET,
                    achieved: "已完成年度目标",
                },
            };
            (p, report)
        })
        .collect()
}
