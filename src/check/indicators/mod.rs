//! Indicator rules (JX201–JX219): the required 一级/二级 structure, standard names, cost against
//! 预算数, quantified values, rates and satisfaction, copied text, 依据 and units.

use super::{Check, Code, Findings, Fixable, RuleDoc, RuleInfo};
use crate::diag::Severity;
use crate::model::amount::number_text;
use crate::model::levels;
use crate::model::target::{Kind, Op};
use crate::model::text::{is_placeholder, key_is_empty, same_key};
use crate::model::{Column, Field, Framework, Indicator, Project};
use rust_decimal::Decimal;

mod cost;
mod review;

/// `“三级指标”的指标值“≥95%”`: how the messages name an indicator and its target.
pub(super) fn named_target(i: &Indicator) -> String {
    format!("“{}”的指标值“{}”", i.level3.trim(), i.target.text.trim())
}

/// This family's rules, in code order.
pub(super) const RULES: &[RuleInfo] = &[
    MISSING_OUTPUT_INDICATOR,
    MISSING_LEVEL1,
    NONSTANDARD_LEVEL_NAME,
    cost::COST_VS_BUDGET,
    cost::UNIT_COST_CROSS_CHECK,
    NOT_QUANTIFIED,
    IMPOSSIBLE_RATE,
    MISSING_COMPARATOR,
    LOW_SATISFACTION,
    COPIED_TEXT,
    NONSTANDARD_BASIS,
    UNIT_MISMATCH,
    review::NO_OUTPUT_COUNT,
    review::VAGUE_TARGET,
    review::MANAGEMENT_METRIC,
    review::COMPLIANCE_BELOW_100,
    review::PURPOSE_NOT_COVERED,
    review::THIN_GOAL,
    review::BOILERPLATE,
];

pub const MISSING_OUTPUT_INDICATOR: RuleInfo = RuleInfo {
    code: Code::JX201,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "产出指标缺少数量、质量或时效指标，或表中没有成本指标",
    doc: RuleDoc {
        what: "产出指标下应有数量指标、质量指标、时效指标；表中应有成本指标（88号框架为产出指标下的二级指标，101号框架为一级指标）。",
        why: "财预〔2015〕88号与财预〔2021〕101号都要求产出指标覆盖数量、质量、时效，并设置成本指标。",
        fires: "产出指标下只有数量指标和质量指标，没有时效指标。",
        quiet: "产出指标下有数量、质量、时效、成本指标各一行（种子表的 8 张表都是如此）。",
    },
    checks: &[Check::Project(missing_output_indicator)],
};

pub const MISSING_LEVEL1: RuleInfo = RuleInfo {
    code: Code::JX202,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "缺少产出指标或效益指标（错误）；缺少满意度指标（警告）",
    doc: RuleDoc {
        what: "指标表应有一级指标产出指标和效益指标，缺少时报错误；没有满意度指标时报警告。",
        why: "财预〔2015〕88号：产出、效益是必设一级指标；面向服务对象的项目应设满意度指标。",
        fires: "指标表只有产出指标和满意度指标，没有效益指标。",
        quiet: "产出指标、效益指标、满意度指标都有。",
    },
    checks: &[Check::Project(missing_level1)],
};

pub const NONSTANDARD_LEVEL_NAME: RuleInfo = RuleInfo {
    code: Code::JX203,
    severity: Severity::Warning,
    fixable: Fixable::Sometimes("只缺“指标”二字的名称（`数量` → `数量指标`）"),
    summary: "一级或二级指标名称不是标准名称",
    doc: RuleDoc {
        what: "一级指标应为产出指标、效益指标、满意度指标（101号框架另有成本指标）；二级指标应为所属一级下的标准名称，\
               如数量指标、质量指标、时效指标、成本指标、经济效益指标、社会效益指标、生态效益指标、可持续影响指标、服务对象满意度指标。",
        why: "标准名称便于汇总和比较（财预〔2015〕88号、财预〔2021〕101号附件1）。只少了“指标”二字的写法会自动补全。",
        fires: "二级指标写成 `数量`（建议 `数量指标`）；一级指标写成 `投入指标`。",
        quiet: "`产出指标 | 数量指标`，`效益指标 | 可持续影响指标`。",
    },
    checks: &[Check::Project(nonstandard_level_name)],
};

pub const NOT_QUANTIFIED: RuleInfo = RuleInfo {
    code: Code::JX206,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "数量指标或成本指标的指标值没有数字",
    doc: RuleDoc {
        what: "数量指标和成本指标的指标值应是带数字的量（`24人`、`≥3个`、`17.92万元`），而不是一句话。",
        why: "财预〔2021〕101号要求指标细化量化；数量和成本天然可以量化。",
        fires: "`数量指标 | 项目完成情况 | … | 按时完成`；`数量指标 | … | 按时间节点发布信息数量`。",
        quiet: "`数量指标 | 发放人数 | … | 24人`。",
    },
    checks: &[Check::Project(not_quantified)],
};

pub const IMPOSSIBLE_RATE: RuleInfo = RuleInfo {
    code: Code::JX207,
    severity: Severity::Warning,
    fixable: Fixable::Sometimes("`≥100%` 改为 `=100%`"),
    summary: "比率超过 100%，或写成 ≥100% / >100%",
    doc: RuleDoc {
        what: "百分比指标值大于 100（增长率、增幅除外），或写成 `≥100%`、`>100%`。",
        why:
            "完成率、专款专用率等比率不可能超过 100%；`≥100%` 实际只能是 `=100%`（一体化系统指标值的计算符号：正向指标用 ≥/>，反向用 ≤/<；这是审核实践，文件未逐条规定）。",
        fires: "`专款专用率 | … | ≥100%`（建议 `=100%`）；`完成率 | … | 120%`。",
        quiet: "`专款专用率 | … | =100%`；`≥95%`。",
    },
    checks: &[Check::Project(impossible_rate)],
};

pub const MISSING_COMPARATOR: RuleInfo = RuleInfo {
    code: Code::JX208,
    severity: Severity::Info,
    fixable: Fixable::No,
    summary: "比率没有比较符（如 `90%`），按“=”理解",
    doc: RuleDoc {
        what: "百分比指标值没有写 ≥、≤、= 等比较符。jxmb 按“=”理解，但填报人通常想写的是下限“≥”。",
        why: "比较符决定考核口径：`90%` 与 `≥90%` 在自评打分时结果不同（预算管理一体化系统的计算符号）。",
        fires: "`专款专用率 | … | 90%`。",
        quiet: "`≥90%`、`=100%`。",
    },
    checks: &[Check::Project(missing_comparator)],
};

pub const LOW_SATISFACTION: RuleInfo = RuleInfo {
    code: Code::JX209,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "满意度目标低于 85%",
    doc: RuleDoc {
        what: "满意度指标的百分比目标低于 satisfaction_floor（默认 85%，可在 jxmb.toml 设置）。",
        why: "常见的满意度目标在 85%–95% 之间（种子表为 ≥90%/≥95%）；过低的目标不能反映服务质量。没有核实到全国统一标准，故只作警告（审核实践，不是文件条文）。",
        fires: "`服务对象满意度 | … | ≥80%`。",
        quiet: "`服务对象满意度 | … | ≥90%`。",
    },
    checks: &[Check::Project(low_satisfaction)],
};

pub const COPIED_TEXT: RuleInfo = RuleInfo {
    code: Code::JX210,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "三级指标、绩效指标描述、指标值互相重复",
    doc: RuleDoc {
        what: "同一行的三级指标、绩效指标描述、指标值中有两个完全相同（忽略空白）。",
        why: "复制粘贴的描述或指标值没有说明如何考核（财预〔2015〕88号要求绩效指标细化、量化、可衡量；照抄名称不能衡量任何东西）。",
        fires: "`服务对象满意度 | 服务对象满意度 | ≥95%`；`… | 提高工作效率、提升工作质量 | 提高工作效率、提升工作质量`。",
        quiet: "`服务对象满意度 | 为办事群众提供方便 | ≥95%`。",
    },
    checks: &[Check::Project(copied_text)],
};

pub const NONSTANDARD_BASIS: RuleInfo = RuleInfo {
    code: Code::JX211,
    severity: Severity::Info,
    fixable: Fixable::No,
    summary: "指标值确定依据不是计划标准、行业标准、历史标准或其他标准",
    doc: RuleDoc {
        what: "指标值确定依据应取自 allowed_basis（默认：计划标准、行业标准、历史标准、其他标准，可在 jxmb.toml 设置）。",
        why: "财预〔2020〕10号与财预〔2021〕101号列出的依据只有这四类，一体化系统中是下拉选项。`部门职责` 不在其中，建议改为计划标准或其他标准。",
        fires: "`… | 指标值确定依据 | 部门职责`。",
        quiet: "`… | 指标值确定依据 | 计划标准`。",
    },
    checks: &[Check::Project(nonstandard_basis)],
};

pub const UNIT_MISMATCH: RuleInfo = RuleInfo {
    code: Code::JX212,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "指标值中的单位与计量单位栏或指标名称矛盾",
    doc: RuleDoc {
        what: "指标值自带的单位与计量单位栏不同（`28.8万元` 而计量单位为 `%`）；或三级指标名称带 `%`/`（%）`，指标值却不是百分比。",
        why: "单位矛盾时无法判断指标值的含义（财预〔2015〕88号：绩效指标应清晰、可衡量；单位自相矛盾的指标无法衡量）。",
        fires: "`经济效益提升值% | … | 拉动经济效益`；`指标值 28.8万元 | 计量单位 %`。",
        quiet: "`项目按期完成率（%） | … | ≥90%`。",
    },
    checks: &[Check::Project(unit_mismatch)],
};

fn output_rows(p: &Project) -> impl Iterator<Item = &Indicator> {
    p.indicators.iter().filter(|i| i.level1_is("产出"))
}

fn missing_output_indicator(p: &Project, f: &mut Findings) {
    let Some(last_output) = output_rows(p).last() else {
        return;
    };
    let cell = last_output
        .source
        .cells
        .level2
        .or(p.source.cells.indicator_header);
    for need in ["数量", "质量", "时效"] {
        if !output_rows(p).any(|i| i.level2_is(need)) {
            f.at(p, cell, format!("产出指标下缺少{need}指标"));
        }
    }
    if !p.indicators.iter().any(Indicator::is_cost) {
        let place = match p.framework {
            Framework::F88 => "88号框架：产出指标下的二级指标",
            Framework::F101 => "101号框架：一级指标",
        };
        f.at(p, cell, format!("缺少成本指标（{place}）"));
    }
}

fn missing_level1(p: &Project, f: &mut Findings) {
    if p.indicators.is_empty() {
        return;
    }
    let cell = p.source.cells.indicator_header;
    for need in ["产出", "效益"] {
        if !p.indicators.iter().any(|i| i.level1_is(need)) {
            f.at(p, cell, format!("指标表缺少一级指标“{need}指标”"));
        }
    }
    if !p.indicators.iter().any(|i| i.level1_is("满意度")) {
        let graded = f.default_severity();
        let d = f.at(p, cell, "指标表没有一级指标“满意度指标”".into());
        if graded {
            d.severity = Severity::Warning;
        }
    }
}

fn nonstandard_level_name(p: &Project, f: &mut Findings) {
    // Each distinct name is judged once (a 一级 is repeated on every row of its group).
    let mut seen1: Vec<&str> = Vec::new();
    let mut seen2: Vec<(&str, &str)> = Vec::new();
    for (n, i) in p.indicators.iter().enumerate() {
        if !i.level1.trim().is_empty() && !seen1.iter().any(|s| same_key(s, &i.level1)) {
            seen1.push(&i.level1);
            match levels::standard_level1(&i.level1) {
                None => {
                    let message = format!(
                        "一级指标“{}”不是标准名称（产出指标、效益指标、满意度指标、成本指标）",
                        i.level1.trim()
                    );
                    f.at(p, i.source.cells.level1, message);
                }
                Some(std) if !same_key(&i.level1, std) => {
                    let message = format!("一级指标“{}”不是标准写法", i.level1.trim());
                    f.fix(p, Field::Indicator(n, Column::Level1), message, std.into());
                }
                Some(_) => {}
            }
        }
        let seen = seen2
            .iter()
            .any(|(a, b)| same_key(a, &i.level1) && same_key(b, &i.level2));
        if i.level2.trim().is_empty() || seen || levels::standard_level1(&i.level1).is_none() {
            continue;
        }
        seen2.push((&i.level1, &i.level2));
        match levels::standard_level2(&i.level1, &i.level2) {
            None => {
                let message = format!(
                    "二级指标“{}”不是“{}”下的标准名称",
                    i.level2.trim(),
                    i.level1.trim()
                );
                f.at(p, i.source.cells.level2, message);
            }
            Some(std) if !same_key(&i.level2, std) => {
                let message = format!("二级指标“{}”不是标准写法", i.level2.trim());
                f.fix(p, Field::Indicator(n, Column::Level2), message, std.into());
            }
            Some(_) => {}
        }
    }
}

fn not_quantified(p: &Project, f: &mut Findings) {
    for i in p
        .indicators
        .iter()
        .filter(|i| i.is_quantity() || i.is_cost())
    {
        if i.target.kind != Kind::Quantitative && !is_placeholder(&i.target.text) {
            let level = if i.is_cost() {
                "成本指标"
            } else {
                "数量指标"
            };
            f.at(
                p,
                i.source.cells.target,
                format!(
                    "{level}{}没有数字，应量化（如“≥N个”“N万元”）",
                    named_target(i)
                ),
            );
        }
    }
}

fn impossible_rate(p: &Project, f: &mut Findings) {
    let rates = p
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, i)| i.target.is_percent());
    for (n, i) in rates {
        let Some(v) = i.target.value else { continue };
        let growth = ["增长", "增幅", "同比", "提升"]
            .iter()
            .any(|w| i.level3.contains(w));
        if v == Decimal::ONE_HUNDRED && matches!(i.target.op, Op::Ge | Op::Gt) {
            let message = format!("{}不可能：比率最高为 100%", named_target(i));
            f.fix(
                p,
                Field::Indicator(n, Column::Target),
                message,
                "=100%".into(),
            );
        } else if v > Decimal::ONE_HUNDRED && !growth {
            f.at(
                p,
                i.source.cells.target,
                format!("{}超过 100%", named_target(i)),
            );
        }
    }
}

fn missing_comparator(p: &Project, f: &mut Findings) {
    for i in p
        .indicators
        .iter()
        .filter(|i| i.target.is_percent() && !i.target.explicit_op)
    {
        let Some(v) = i.target.value else { continue };
        let hint = if v == Decimal::ONE_HUNDRED {
            "建议写明“=100%”".to_string()
        } else if v.is_sign_negative() {
            // A fall (`-5%`): at least that much is `≤`.
            format!(
                "如要求至少下降 {}%，请写“≤{}%”",
                number_text(&-v),
                number_text(&v)
            )
        } else {
            format!("如为下限请写“≥{}%”", number_text(&v))
        };
        f.at(
            p,
            i.source.cells.target,
            format!("{}没有比较符，按“=”理解；{hint}", named_target(i)),
        );
    }
}

fn low_satisfaction(p: &Project, f: &mut Findings) {
    let floor = f.config.satisfaction_floor;
    for i in p
        .indicators
        .iter()
        .filter(|i| i.is_satisfaction() && i.target.is_percent())
    {
        if let Some(v) = i.target.value.filter(|v| *v < floor) {
            f.at(
                p,
                i.source.cells.target,
                format!(
                    "满意度目标 {}% 低于 {}%",
                    number_text(&v),
                    number_text(&floor)
                ),
            );
        }
    }
}

fn copied_text(p: &Project, f: &mut Findings) {
    for i in &p.indicators {
        let (name, desc, value) = (&i.level3, &i.description, &i.target.text);
        let cells = &i.source.cells;
        let (cell, what, text) = if !key_is_empty(name) && same_key(name, desc) {
            (cells.description, "三级指标与绩效指标描述相同", desc)
        } else if !key_is_empty(desc) && same_key(desc, value) {
            (cells.target, "绩效指标描述与指标值相同", value)
        } else if !key_is_empty(name) && same_key(name, value) {
            (cells.target, "三级指标与指标值相同", value)
        } else {
            continue;
        };
        f.at(
            p,
            cell,
            format!("{what}（“{}”），没有说明如何考核", text.trim()),
        );
    }
}

/// One finding per 依据 text per table (SPEC §4: a message repeated down a table is said once),
/// at its first cell, listing the others.
fn nonstandard_basis(p: &Project, f: &mut Findings) {
    let allowed = &f.config.allowed_basis;
    let mut groups: Vec<(&str, Vec<crate::model::CellRef>, &str)> = Vec::new();
    for i in &p.indicators {
        let basis = i.basis.trim();
        if allowed.iter().any(|a| same_key(a, basis)) {
            continue;
        }
        let Some(cell) = i.source.cells.basis.or(i.source.cells.target) else {
            continue;
        };
        match groups.iter_mut().find(|(b, _, _)| *b == basis) {
            Some((_, cells, _)) => cells.push(cell),
            None => groups.push((basis, vec![cell], i.level3.trim())),
        }
    }
    if groups.is_empty() {
        return;
    }
    let list = allowed.join("、");
    for (basis, cells, first_name) in groups {
        let many = cells.len() > 1;
        let message = match (basis.is_empty(), many) {
            (true, false) => {
                format!("“{first_name}”没有填写指标值确定依据（应为{list}之一）")
            }
            (true, true) => format!(
                "{} 个指标没有填写指标值确定依据（应为{list}之一）：{}",
                cells.len(),
                super::cells_listed(&cells)
            ),
            (false, false) => format!("指标值确定依据“{basis}”不是{list}之一"),
            (false, true) => format!(
                "{} 个指标的指标值确定依据都是“{basis}”，不是{list}之一：{}",
                cells.len(),
                super::cells_listed(&cells)
            ),
        };
        f.at(p, Some(cells[0]), message);
    }
}

fn unit_mismatch(p: &Project, f: &mut Findings) {
    for i in &p.indicators {
        let t = &i.target;
        if let Some(column) = i.unit_column.as_deref() {
            if t.kind == Kind::Quantitative && !t.unit.is_empty() && t.unit != column {
                f.at(
                    p,
                    i.source.cells.target,
                    format!(
                        "指标值“{}”的单位“{}”与计量单位“{column}”矛盾",
                        t.text.trim(),
                        t.unit
                    ),
                );
                continue;
            }
        }
        let name_says_percent = i.level3.contains('%') || i.level3.contains('％');
        if name_says_percent && !(t.kind == Kind::Quantitative && t.is_percent()) {
            f.at(
                p,
                i.source.cells.target,
                format!(
                    "三级指标“{}”带“%”，指标值“{}”却不是百分比",
                    i.level3.trim(),
                    t.text.trim()
                ),
            );
        }
    }
}
