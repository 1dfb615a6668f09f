//! Tables written the way the guidance asks (财预〔2015〕88号, 财预〔2021〕101号): outputs counted
//! with units, dated or timed deadlines, quantified outcomes, goals that name their outputs and
//! numbers, cost items that add up to 预算数 — four projects of one department, one in the 101
//! framework (成本指标 as a 一级), with their 项目支出预算表. No rule raises a warning or an
//! error on them: `sample-workbooks/good/`, "what a table with no findings looks like".

#![allow(dead_code)] // the generator and the tests each use a different part

use super::seed::SeedProject;
use super::sheet::{budget_sheet, Sheet};

pub const UNIT: &str = "438001唐山市路南区数据和行政审批局本级";
pub const BASIS: &str = "计划标准";

const O: &str = "产出指标";
const B: &str = "效益指标";
const S: &str = "满意度指标";
const C: &str = "成本指标";

pub const PROJECTS: [SeedProject; 4] = [
    SeedProject {
        code: "13020225P000051100011",
        name: "电梯维保费",
        total: "1.80",
        purpose: "电梯维保经费",
        goal: "1.全年维护保养电梯2台，故障报修24小时内到场，全年因故障停运不超过72小时",
        indicators: [
            [O, "数量指标", "维保电梯数量", "全年维护保养的电梯台数", "=2台"],
            [O, "质量指标", "电梯正常使用率", "维保后电梯正常安全运行的比例", "≥95%"],
            [O, "时效指标", "报修响应时间", "故障报修后到场时间", "≤24小时"],
            [O, "成本指标", "项目总成本", "全年电梯维保费用", "≤1.8万元"],
            [B, "社会效益指标", "电梯停运时长", "全年因故障停运的累计时长", "≤72小时"],
            [B, "可持续影响指标", "电梯安全使用年限", "维保后电梯可继续安全使用的年限", "≥5年"],
            [S, "服务对象满意度指标", "办事群众满意度", "办事群众对电梯运行的满意程度", "≥90%"],
        ],
    },
    SeedProject {
        code: "13020225P000052100012",
        name: "劳务费",
        total: "112.00",
        purpose: "用于支付劳务派遣人员工资及保险",
        goal: "1.保障24名劳务派遣人员每月15日前足额领取工资，窗口岗位在岗率98%以上",
        indicators: [
            [O, "数量指标", "劳务派遣人员数量", "全年在岗的劳务派遣人员", "=24人"],
            [O, "质量指标", "窗口岗位在岗率", "窗口服务岗位有人在岗的时间比例", "≥98%"],
            [O, "时效指标", "工资发放时间", "每月发放劳务派遣人员工资的时间", "每月15日前"],
            [O, "成本指标", "人均劳务费用", "每人每月工资及保险费用", "≤3888.89元/月/人"],
            [B, "社会效益指标", "窗口日均办件量", "劳务派遣人员在窗口日均办理的事项", "≥300件"],
            [B, "可持续影响指标", "持证上岗人数", "取得窗口服务上岗证的派遣人员", "≥20人"],
            [S, "服务对象满意度指标", "窗口服务满意度", "办事群众对窗口服务的满意程度", "≥90%"],
        ],
    },
    SeedProject {
        code: "13020225P000053100013",
        name: "政府投资项目评审费",
        total: "70.00",
        purpose: "政府投资项目评审经费",
        goal: "1.全年完成政府投资项目评审40个以上，每个项目15个工作日内出具评审报告，审减不合理投资2000万元以上",
        indicators: [
            [O, "数量指标", "评审项目数量", "全年完成评审的政府投资项目", "≥40个"],
            [O, "质量指标", "评审报告一次通过率", "评审报告经复核一次通过的比例", "≥95%"],
            [O, "时效指标", "单个项目评审时间", "受理到出具评审报告的时间", "≤15个工作日"],
            [O, "成本指标", "项目总成本", "全年评审服务费用", "≤70万元"],
            [B, "经济效益指标", "审减投资额", "评审审减的不合理投资", "≥2000万元"],
            [B, "社会效益指标", "按评审意见调整的项目", "项目单位按评审意见调整方案的项目数", "≥30个"],
            [S, "服务对象满意度指标", "项目单位满意度", "项目单位对评审服务的满意程度", "≥90%"],
        ],
    },
    SeedProject {
        code: "13020225P000054100014",
        name: "社会信用体系建设工作经费",
        total: "20.00",
        purpose: "聘请第三方及宣传工作经费",
        goal: "1.全年归集公示信用信息5万条以上，7个工作日内公示行政许可信息，500家企业签订信用承诺",
        indicators: [
            [C, "经济成本指标", "第三方服务费", "聘请第三方归集、校核信用信息的费用", "≤12万元"],
            [C, "经济成本指标", "宣传材料费", "信用宣传工作材料印制费用", "≤8万元"],
            [O, "数量指标", "公示信用信息条数", "全年归集并公示的信用信息", "≥50000条"],
            [O, "质量指标", "公示信息准确率", "抽查公示信息准确的比例", "≥99%"],
            [O, "时效指标", "行政许可信息公示时限", "作出决定到公示的时间", "≤7个工作日"],
            [B, "社会效益指标", "信用承诺企业数", "签订信用承诺书的企业", "≥500家"],
            [S, "服务对象满意度指标", "市场主体满意度", "市场主体对信用服务的满意程度", "≥90%"],
        ],
    },
];

/// Each project as a workbook of its own (file name, sheet), and the 项目支出预算表.
pub fn workbooks() -> Vec<(String, Sheet)> {
    let mut out: Vec<(String, Sheet)> = PROJECTS
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut s = Sheet::project(p, BASIS, UNIT);
            s.named(p.name);
            (format!("{}.{}.xlsx", i + 1, p.name), s)
        })
        .collect();
    let lines: Vec<(&str, &str, f64)> = PROJECTS
        .iter()
        .map(|p| (p.code, p.name, p.total.parse().expect("amount")))
        .collect();
    out.push(("项目支出预算表.xlsx".into(), budget_sheet(UNIT, &lines)));
    out
}
