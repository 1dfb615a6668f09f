//! Reviewer-grade rules (JX213–JX219): what a finance-bureau reviewer sends back when reading a
//! table for 完整性, 相关性, 适当性 and 可行性 — outputs without a count, slogans as targets,
//! fund-management measures posing as outputs, compliance set below whole, spending items no
//! indicator covers, goals that say nothing. Each is a heuristic written down in its doc, quiet
//! on a table written the way the guidance asks (`sample-workbooks/good/`).

use super::super::{Check, Code, Findings, Fixable, RuleDoc, RuleInfo};
use crate::diag::Severity;
use crate::model::target::{Kind, Op};
use crate::model::text::label_key;
use crate::model::{Indicator, Project};
use rust_decimal::Decimal;

/// Units that count something delivered: people, things, times, places, pages, areas.
const COUNT_UNITS: &[&str] = &[
    "人次",
    "台次",
    "户次",
    "人",
    "个",
    "次",
    "件",
    "套",
    "项",
    "台",
    "场",
    "份",
    "户",
    "家",
    "条",
    "篇",
    "册",
    "本",
    "批",
    "期",
    "张",
    "所",
    "座",
    "辆",
    "部",
    "名",
    "位",
    "处",
    "间",
    "株",
    "棵",
    "亩",
    "公顷",
    "平方米",
    "平米",
    "立方米",
    "公里",
    "千米",
    "米",
    "吨",
    "门",
    "课时",
    "学时",
    "天次",
    "班",
    "栋",
    "块",
    "宗",
    "单",
    "起",
    "例",
    "组",
    "类",
    "种",
    "节",
];

/// True when a target counts something delivered: a number with one of [`COUNT_UNITS`].
fn counts_something(i: &Indicator) -> bool {
    let t = &i.target;
    t.kind == Kind::Quantitative
        && t.value.is_some_and(|v| v > Decimal::ZERO)
        && COUNT_UNITS
            .iter()
            .any(|u| t.unit.trim_start_matches(['≥', '≤']).starts_with(u))
}

pub const NO_OUTPUT_COUNT: RuleInfo = RuleInfo {
    code: Code::JX213,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "产出没有一个说明交付多少的数量指标（只有比率或文字）",
    doc: RuleDoc {
        what: "产出指标的数量指标里，没有一个指标值是“数字 + 计数单位”：人、个、次、件、套、项、台、场、份、户、家、条、篇、册、\
               平方米、公里等（人次、台次也算）。`完成率 ≥90%` 这样的比率、`按时完成` 这样的文字都不算：它们不说明花这笔钱交付了多少。",
        why: "财预〔2021〕101号附件1：绩效目标是项目“预期达到的产出和效果以及相应的成本控制要求”，“通过具体绩效指标予以细化、量化描述”；\
              产出首先是数量。审核时以“有没有可考核的产出数量”判断目标是否完整（审核实践）。",
        fires: "`数量指标 | 完成率 | ≥90%`（政府投资项目评审费没有说评审多少个项目）。",
        quiet: "`数量指标 | 发放人数 | 24人`；`数量指标 | 评审项目数量 | ≥40个`。",
    },
    checks: &[Check::Project(no_output_count)],
};

pub const VAGUE_TARGET: RuleInfo = RuleInfo {
    code: Code::JX214,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "质量、时效或效益指标的指标值是口号：没有数字、日期、期限或等级",
    doc: RuleDoc {
        what: "质量指标、时效指标和效益指标的指标值既没有数字（`≥95%`、`≤15个工作日`），也不是日期或期限（`每月25日前`、`12月底前`），\
               也不是分级（`优/良/中/差`、`一级`、`A级`）——只是一句口号，如“保障工作顺利开展”“提高工作效率”“持续提升社会影响力”。",
        why: "财预〔2015〕88号要求绩效指标“细化、量化、可衡量”，财预〔2021〕101号要求定性指标也要分级分档；口号无法在年底考核是否达到。",
        fires: "`社会效益指标 | 业务保障 | 保障工作顺利有序开展`；`时效指标 | 按时支出 | 合同进度支付费用`。",
        quiet: "`时效指标 | 报修响应 | ≤24小时`；`社会效益指标 | 办件群众跑动次数 | ≤1次`；`可持续影响 | 系统可用等级 | 优`。",
    },
    checks: &[Check::Project(vague_target)],
};

pub const MANAGEMENT_METRIC: RuleInfo = RuleInfo {
    code: Code::JX215,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "把资金管理指标（专款专用率、资金到位率、预算执行率…）当作产出或效益",
    doc: RuleDoc {
        what: "产出或效益指标的三级指标是资金管理的度量：名称在 jxmb.toml 的 `management_metrics` 列表中（默认：专款专用率、资金到位率、\
               预算执行率、资金拨付率、财政拨款保障率、经费发放率、资金使用率、资金支付率），\
               或者名称以“率”结尾、而名称或描述说的是资金、预算、经费、拨款或金额（如“发放率：发放金额占预算金额比例”）。",
        why: "财预〔2021〕101号附件1：绩效目标是项目“预期达到的产出和效果以及相应的成本控制要求”；资金是否到位、是否专款专用属于\
              预算执行和财务管理，不是这笔钱换来的产出或效果（审核实践）。",
        fires: "`数量指标 | 专款专用率 | ≥100%`；`质量指标 | 发放率 | 全年发放人员经费金额占预算金额比例 | ≥95%`。",
        quiet: "`质量指标 | 设备完好率 | 维保后设备完好的比例 | ≥98%`。",
    },
    checks: &[Check::Project(management_metric)],
};

pub const COMPLIANCE_BELOW_100: RuleInfo = RuleInfo {
    code: Code::JX216,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "必须全部做到的事（专款专用、合规、按合同、资金到位、工资发放）目标低于 100%",
    doc: RuleDoc {
        what: "指标名称或描述说的是专款专用、合规、按合同、资金到位、工资/经费发放，而指标值是低于 100% 的百分比（`90%`、`≥95%`）。",
        why: "专款专用率 90% 等于允许一成资金挪用；工资发放率 95% 与 12月底支出 100% 的支出计划自相矛盾。这些事项依法依规必须全部做到\
              （《中华人民共和国预算法》要求预算资金按规定用途使用），目标只能是 100%。属审核实践。",
        fires: "`质量指标 | 专款专用率 | 90%`；`发放率 | 全年发放人员经费… | ≥95%`。",
        quiet: "`专款专用率 | =100%`；`设备完好率 | ≥95%`（不是必须全部做到的事）。",
    },
    checks: &[Check::Project(compliance_below_100)],
};

pub const PURPOSE_NOT_COVERED: RuleInfo = RuleInfo {
    code: Code::JX217,
    severity: Severity::Info,
    fixable: Fixable::No,
    summary: "资金用途里列的开支事项，没有一个指标提到",
    doc: RuleDoc {
        what: "资金用途列出两项以上的开支（用“、”“及”“和”分开，如“保险、工资及管理费”），其中某项在所有指标的名称、描述和指标值里都没有出现\
               （按整项、去掉“费/经费/费用”后的词、或其最后两个字查找）。每张表一条，列出没有覆盖的事项。",
        why: "财预〔2015〕88号要求绩效目标与预算资金“相应匹配”：钱花在哪里，目标就应说明这部分钱换来什么。只作提示。",
        fires: "`资金用途：用于支付劳务派遣人员保险、工资及管理费`，指标里没有“保险”“管理费”。",
        quiet: "`资金用途：电梯维保经费`（只有一项）；各项都有指标提到。",
    },
    checks: &[Check::Project(purpose_not_covered)],
};

pub const THIN_GOAL: RuleInfo = RuleInfo {
    code: Code::JX218,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "绩效目标没有数字、没有说明产出，只是一句口号",
    doc: RuleDoc {
        what: "绩效目标的一条（去掉开头的“1.”编号后）没有任何数字——没有数量、金额、比例或时间，如“1.提高社会信用体系建设”。",
        why: "财预〔2015〕88号：绩效目标应“指向明确、细化量化、合理可行、相应匹配”，说明预期的产出和效果；没有数字的目标无法考核。",
        fires: "`绩效目标 | 1.保证工作正常开展，方便办事群众`。",
        quiet: "`绩效目标 | 1.全年维护保养电梯2台，报修24小时内到场，保障办事群众通行`。",
    },
    checks: &[Check::Project(thin_goal)],
};

pub const BOILERPLATE: RuleInfo = RuleInfo {
    code: Code::JX219,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "同一句绩效目标、指标描述或指标值用在同一单位的多个项目里（套话）",
    doc: RuleDoc {
        what: "一条绩效目标、绩效指标描述或指标值（8 个字以上；满意度指标除外，它们本来就相近）原样出现在同一单位两个以上的项目中。\
               每句话报告一次，在它第一次出现的单元格，列出用到它的项目。同一项目编码的两张表（重复提交，JX402）不算。",
        why: "财预〔2015〕88号要求绩效目标与项目“相应匹配”，指标体现项目特点；不同项目用同一句话，说明目标是套用的，考核不到这个项目。\
              属审核实践。",
        fires: "“保证工作顺利开展”既是工程建设项目联合审批系统运维费的质量指标值，又是优化营商环境项目经费的可持续影响指标值。",
        quiet: "两个项目各写各的；“服务对象满意度 ≥90%”在多个项目中相同（满意度指标除外）。",
    },
    checks: &[Check::Batch(boilerplate)],
};

fn boilerplate(view: &crate::reconcile::BatchView, f: &mut Findings) {
    for dept in &view.departments {
        for repeated in dept.texts.repeated() {
            let text = &repeated.text;
            let names: Vec<String> = repeated
                .projects
                .iter()
                .map(|&k| format!("“{}”", dept.projects[k].name.trim()))
                .collect();
            let more = if repeated.count > names.len() {
                format!(" 等 {} 个项目", repeated.count)
            } else {
                String::new()
            };
            let (first, cell) = repeated.first;
            f.at_ref(
                &dept.projects[first],
                cell,
                format!(
                    "“{text}”原样出现在 {} 个项目中：{}{more}；每个项目应写出自己的目标和指标",
                    repeated.count,
                    names.join("、")
                ),
            );
        }
    }
}

fn no_output_count(p: &Project, f: &mut Findings) {
    let quantities: Vec<&Indicator> = p
        .indicators
        .iter()
        .filter(|i| i.level1_is("产出") && i.is_quantity())
        .collect();
    // No 数量 row at all is JX201's finding.
    let Some(first) = quantities.first() else {
        return;
    };
    if quantities.iter().any(|i| counts_something(i)) {
        return;
    }
    let written: Vec<String> = quantities
        .iter()
        .map(|i| format!("“{} {}”", i.level3.trim(), i.target.text.trim()))
        .collect();
    f.at(
        p,
        first.source.cells.target,
        format!(
            "项目“{}”的数量指标没有说明交付多少（{}）：应写出产出的数量，如“≥40个”“=24人”",
            p.name.trim(),
            written.join("、")
        ),
    );
}

/// `优/良/中/差`, `一级`, `A级`, `三星`: a graded scale is a target a reviewer accepts.
fn is_graded(text: &str) -> bool {
    let t = text.trim();
    ["优", "良", "合格", "达标", "级", "星", "等次"]
        .iter()
        .any(|g| t.contains(g))
        && t.chars().count() <= 12
}

fn vague_target(p: &Project, f: &mut Findings) {
    for i in &p.indicators {
        let judged = i.level2_is("质量") || i.level2_is("时效") || i.level1_is("效益");
        let t = &i.target;
        if !judged || i.is_satisfaction() || t.text.trim().is_empty() {
            continue;
        }
        let has_number = t.value.is_some() || t.text.chars().any(|c| c.is_ascii_digit());
        if has_number || t.kind == Kind::Deadline || is_graded(&t.text) {
            continue;
        }
        f.at(
            p,
            i.source.cells.target,
            format!(
                "{}是一句口号，没有数字、期限或等级，年底无法考核",
                super::named_target(i)
            ),
        );
    }
}

const MONEY_WORDS: &[&str] = &["资金", "预算", "经费", "拨款", "金额"];

fn management_metric(p: &Project, f: &mut Findings) {
    let listed = &f.config.management_metrics;
    for i in &p.indicators {
        // Every measure meant here is a rate (…率).
        if !i.level3.contains('率') || !(i.level1_is("产出") || i.level1_is("效益")) || i.is_cost()
        {
            continue;
        }
        let name = label_key(&i.level3);
        let in_list = listed.iter().any(|m| name.contains(m.as_str()));
        let money_rate = name.ends_with('率')
            && MONEY_WORDS
                .iter()
                .any(|w| name.contains(w) || i.description.contains(w));
        if in_list || money_rate {
            f.at(
                p,
                i.source.cells.level3,
                format!(
                    "“{}”是资金管理的度量，不是这笔钱换来的产出或效益：请改为项目交付的数量、质量或带来的效果",
                    i.level3.trim()
                ),
            );
        }
    }
}

const WHOLE_WORDS: &[&str] = &[
    "专款专用",
    "合规",
    "按合同",
    "资金到位",
    "工资",
    "经费发放",
    "发放人员经费",
    "足额发放",
];

fn compliance_below_100(p: &Project, f: &mut Findings) {
    for i in &p.indicators {
        let t = &i.target;
        let Some(value) = t.value else { continue };
        if !t.is_percent() || value >= Decimal::ONE_HUNDRED || t.op == Op::Between {
            continue;
        }
        let Some(word) = WHOLE_WORDS
            .iter()
            .find(|w| i.level3.contains(*w) || i.description.contains(*w))
        else {
            continue;
        };
        f.at(
            p,
            i.source.cells.target,
            format!(
                "“{}”说的是{word}，必须全部做到，目标“{}”却低于 100%：应为“=100%”",
                i.level3.trim(),
                t.text.trim()
            ),
        );
    }
}

/// The spending items a 资金用途 lists: `用于支付劳务派遣人员保险、工资及管理费` → 劳务派遣人员保险,
/// 工资, 管理费.
fn purpose_items(purpose: &str) -> Vec<String> {
    let mut text = purpose.trim().to_string();
    for prefix in ["主要用于", "用于支付", "用于", "支付"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            text = rest.to_string();
            break;
        }
    }
    text.split(['、', '，', ',', '；', ';', '及', '和', '与'])
        .map(|s| s.trim().trim_end_matches(['。', '等']).to_string())
        .filter(|s| s.chars().count() >= 2)
        .collect()
}

/// The words an indicator might use for a spending item: itself, without 费/经费/费用, its
/// last two characters.
fn item_words(item: &str) -> Vec<String> {
    let mut words = vec![item.to_string()];
    let bare = item
        .trim_end_matches("费用")
        .trim_end_matches("经费")
        .trim_end_matches('费');
    if bare.chars().count() >= 2 {
        words.push(bare.to_string());
        let chars: Vec<char> = bare.chars().collect();
        words.push(chars[chars.len() - 2..].iter().collect());
    }
    words
}

fn purpose_not_covered(p: &Project, f: &mut Findings) {
    // One item (`电梯维保经费`) is the project itself: nothing to cover.
    if !p
        .purpose
        .contains(['、', '，', ',', '；', ';', '及', '和', '与'])
    {
        return;
    }
    let items = purpose_items(&p.purpose);
    if items.len() < 2 {
        return;
    }
    let said: String = p
        .indicators
        .iter()
        .map(|i| format!("{}|{}|{}|", i.level3, i.description, i.target.text))
        .collect();
    let missing: Vec<&String> = items
        .iter()
        .filter(|item| !item_words(item).iter().any(|w| said.contains(w.as_str())))
        .collect();
    if missing.is_empty() {
        return;
    }
    let listed: Vec<String> = missing.iter().map(|m| format!("“{m}”")).collect();
    f.at(
        p,
        p.source.cells.purpose,
        format!(
            "资金用途中的 {} 没有一个指标提到：这部分钱换来什么，目标里没有说明",
            listed.join("、")
        ),
    );
}

fn thin_goal(p: &Project, f: &mut Findings) {
    for goal in &p.goals {
        let body = goal
            .trim()
            .trim_start_matches(|c: char| c.is_ascii_digit() || "．.、)）（(".contains(c));
        if body.trim().is_empty() || body.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        f.at(
            p,
            p.source.cells.goals,
            format!(
                "绩效目标“{}”没有数字，没有说明要交付什么、做到多少：应写明产出的数量、质量和时限",
                goal.trim()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spending_items_and_their_words() {
        assert_eq!(
            purpose_items("用于支付劳务派遣人员保险、工资及管理费"),
            ["劳务派遣人员保险", "工资", "管理费"]
        );
        assert_eq!(purpose_items("电梯维保经费"), ["电梯维保经费"]);
        assert_eq!(item_words("管理费"), ["管理费", "管理", "管理"]);
        assert!(is_graded("优/良/中/差") && is_graded("一级") && !is_graded("提高工作效率"));
    }
}
