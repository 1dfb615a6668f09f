//! File- and field-level rules (JX001–JX005): the file can be read, holds a table, and the
//! table's required fields and indicator cells are present and numeric where they must be.

use super::{Check, Code, Findings, Fixable, RuleDoc, RuleInfo};
use crate::diag::Severity;
use crate::model::text::is_placeholder;
use crate::model::{AmountField, BudgetLine, Project};

/// JX002's message: the reader found no table in the workbook.
pub const NO_TABLE_MESSAGE: &str =
    "工作簿中没有找到绩效目标表或项目支出预算表（没有“项目编码”“项目名称”“一级指标”等标签）";

/// This family's rules, in code order.
pub(super) const RULES: &[RuleInfo] = &[
    UNREADABLE_FILE,
    NO_TABLE_FOUND,
    MISSING_FIELD,
    BAD_NUMBER,
    EMPTY_INDICATOR_CELL,
];

pub const UNREADABLE_FILE: RuleInfo = RuleInfo {
    code: Code::JX001,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "文件无法作为工作簿读取：空文件、不是工作簿、被截断/损坏或设有密码",
    doc: RuleDoc {
        what: "文件无法作为 Excel/WPS/LibreOffice 工作簿打开。诊断会说明是哪一种：0 字节的空文件；\
               不是工作簿（文本、网页、PDF 改了扩展名）；文件被截断或已损坏；设有打开密码。",
        why: "无法读取的文件里的项目不会进入汇总和对账，必须先换成可读的文件，否则汇总金额会少算。",
        fires: "一个 0 字节的 `劳务费.xlsx`；一个改名为 `.xlsx` 的文本文件；复制到一半的工作簿；加密的工作簿。",
        quiet: "Excel、WPS 或 LibreOffice 正常保存的 .xlsx/.xlsm/.xls/.xlsb/.ods 文件。Excel 的锁文件 `~$*.xlsx` 会被跳过，不报告。",
    },
    checks: &[Check::Reader],
};

pub const NO_TABLE_FOUND: RuleInfo = RuleInfo {
    code: Code::JX002,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "工作簿里没有可识别的绩效目标表或预算表",
    doc: RuleDoc {
        what:
            "工作簿可以打开，但任何工作表上都找不到项目支出绩效目标表（项目编码/项目名称等标签）、\
               项目支出预算表（项目编码 + 合计/金额 表头）或部门整体支出绩效目标表。",
        why: "放错文件夹的无关表格不应悄悄被忽略：提交者可能交错了文件。",
        fires: "一张只有“姓名 | 电话”的通讯录工作簿。",
        quiet: "表格从任意位置开始、夹在目录页之后、或多个表上下堆叠的绩效目标表。",
    },
    checks: &[Check::Reader],
};

pub const MISSING_FIELD: RuleInfo = RuleInfo {
    code: Code::JX003,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "缺少项目编码、项目名称、预算数、绩效目标或指标表",
    doc: RuleDoc {
        what: "项目支出绩效目标表缺少必填内容：项目编码、项目名称、预算数、绩效目标，或整个指标表（一级指标…指标值）为空。",
        why: "财预〔2015〕88号要求绩效目标与预算同步编报；缺少这些字段的表无法与部门预算对账，也无法审核。",
        fires: "`项目编码 | （空） | 项目名称 | 电梯维保费`。",
        quiet: "`项目编码 | 13020225P000039100011 | 项目名称 | 电梯维保费`，下方有预算数、绩效目标和至少一行指标。",
    },
    checks: &[Check::Project(missing_field)],
};

pub const BAD_NUMBER: RuleInfo = RuleInfo {
    code: Code::JX004,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "金额或百分比单元格不是数字（如“约2万”、#REF!），不会按 0 处理",
    doc: RuleDoc {
        what: "预算数、财政资金、其他资金、资金支出计划或预算表金额单元格的内容不能读成数字，\
               例如 `约2万`、`#REF!`、在万元栏里写 `2000万`。",
        why: "把读不出的金额当 0 会让合计和对账悄悄出错；这些单元格必须由填报人改正。",
        fires: "`预算数 | 约2万`；`预算数 | #REF!`；单位为万元的表里 `预算数 | 2000万`。",
        quiet: "`预算数 | 1.80`、`预算数 | 1.8万元`（与表的单位一致）、`资金支出计划 | 25%`。",
    },
    checks: &[Check::Project(bad_number), Check::Line(bad_line_number)],
};

pub const EMPTY_INDICATOR_CELL: RuleInfo = RuleInfo {
    code: Code::JX005,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "指标行缺少三级指标或指标值",
    doc: RuleDoc {
        what: "指标表中的一行没有三级指标名称，或没有指标值（空白或只有 `—`、`/`、`**` 之类的占位符）。",
        why: "财预〔2021〕101号要求指标细化量化；没有名称或取值的指标无法考核。",
        fires: "`产出指标 | 数量指标 | （空） | … | 24人`；`… | 发放人数 | … | **`。",
        quiet: "`产出指标 | 数量指标 | 发放人数 | 保障经费的人员数量 | 24人 | 部门职责`。",
    },
    checks: &[Check::Project(empty_indicator_cell)],
};

fn missing_field(p: &Project, f: &mut Findings) {
    let cells = &p.source.cells;
    let name = if p.name.trim().is_empty() {
        "（无名称）"
    } else {
        p.name.trim()
    };
    if p.code.is_empty() {
        f.at(p, cells.code, format!("项目“{name}”缺少项目编码"));
    }
    if p.name.trim().is_empty() {
        f.at(p, cells.name, "项目缺少项目名称".to_string());
    }
    let total_unreadable = p.unreadable.iter().any(|u| u.field == AmountField::Total);
    if p.budget.total.is_none() && !total_unreadable {
        f.at(p, cells.total, format!("项目“{name}”缺少预算数"));
    }
    if p.goals.is_empty() {
        f.at(p, cells.goals, format!("项目“{name}”缺少绩效目标"));
    }
    if p.indicators.is_empty() {
        let cell = cells.indicator_header.or(Some(p.source.range.end));
        f.at(
            p,
            cell,
            format!("项目“{name}”没有绩效指标表（一级指标…指标值）或指标表为空"),
        );
    }
}

fn bad_number(p: &Project, f: &mut Findings) {
    for u in &p.unreadable {
        let unit = if u.field.is_percent() {
            "%"
        } else {
            p.money_unit.label()
        };
        f.at(
            p,
            Some(u.cell),
            format!(
                "{}“{}”不是数字（单位：{unit}），不会按 0 计算，请改为数字",
                u.field, u.text
            ),
        );
    }
}

fn bad_line_number(line: &BudgetLine, f: &mut Findings) {
    for u in &line.unreadable {
        let message = format!(
            "预算表“{}”的{}“{}”不是数字，不会按 0 计算，请改为数字",
            line.name, u.field, u.text
        );
        let src = crate::model::LineSource {
            cell: u.cell,
            ..line.source.clone()
        };
        f.at_line(&src, Some(&line.code), message);
    }
}

fn empty_indicator_cell(p: &Project, f: &mut Findings) {
    for ind in &p.indicators {
        let place = format!("{}/{}", ind.level1.trim(), ind.level2.trim());
        if ind.level3.trim().is_empty() {
            f.at(
                p,
                ind.source.cells.level3,
                format!("{place} 下有一行指标缺少三级指标名称"),
            );
        }
        if is_placeholder(&ind.target.text) {
            let what = if ind.target.text.trim().is_empty() {
                "为空".to_string()
            } else {
                format!("只有占位符“{}”", ind.target.text.trim())
            };
            f.at(
                p,
                ind.source.cells.target,
                format!("指标“{}”的指标值{what}", ind.level3.trim()),
            );
        }
    }
}
