//! File- and field-level rules (JX001–JX005): the file can be read, holds a table, and the
//! table's required fields and indicator cells are present and numeric where they must be.

use super::{Check, Code, Findings, Fixable, RuleDoc, RuleInfo};
use crate::diag::Severity;
use crate::model::cell::column_letters;
use crate::model::text::is_placeholder;
use crate::model::{AmountField, BudgetLine, CellRef, Project, ReadNote};
use rust_decimal::Decimal;

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
    HIDDEN_CONTENT,
    FORMULA_NOT_CALCULATED,
    UNIT_NOT_DECLARED,
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
        what: "预算数、财政资金、其他资金、资金支出计划、预算表金额或自评表的金额、分值、执行率、得分单元格的内容不能读成数字，\
               例如 `约2万`、`#REF!`、在万元栏里写 `2000万`。",
        why: "把读不出的金额当 0 会让合计和对账悄悄出错；这些单元格必须由填报人改正。",
        fires: "`预算数 | 约2万`；`预算数 | #REF!`；单位为万元的表里 `预算数 | 2000万`。",
        quiet: "`预算数 | 1.80`、`预算数 | 1.8万元`（与表的单位一致）、`资金支出计划 | 25%`。",
    },
    checks: &[
        Check::Project(bad_number),
        Check::Line(bad_line_number),
        Check::Evaluation(bad_evaluation_number),
    ],
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

pub const HIDDEN_CONTENT: RuleInfo = RuleInfo {
    code: Code::JX006,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "读取了隐藏的行、列或工作表中的内容；与可见列同名的隐藏列不读取",
    doc: RuleDoc {
        what: "表中被读取的单元格位于隐藏的行、列（含行高、列宽为 0）或隐藏的工作表中，审核人在屏幕上和打印稿上都看不到它们；\
               或者指标表有两列同名（如两列“指标值”），其中隐藏的一列（常是上年的数）没有读取，读的是可见的一列。",
        why: "报送的数字必须是审核人看得到的数字。隐藏列里的旧值、隐藏行里的指标会让汇总与纸面不一致；\
              财预〔2015〕88号要求绩效目标随预算一并公开，公开的只能是看得见的内容。",
        fires: "E 列隐藏着上年的“指标值 | 20人”，F 列是可见的“指标值 | 24人”：读 24人，并说明 E 列未读；隐藏的第 12 行里有一行指标。",
        quiet: "没有隐藏行列的表；隐藏的只是空列或表外的辅助列。",
    },
    checks: &[
        Check::Project(hidden_content),
        Check::Line(line_hidden),
        Check::Evaluation(evaluation_hidden),
    ],
};

pub const FORMULA_NOT_CALCULATED: RuleInfo = RuleInfo {
    code: Code::JX007,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "公式没有计算结果（或保存的结果不可能正确），请在 Excel/WPS 中打开并保存",
    doc: RuleDoc {
        what: "单元格里是公式，但文件中没有保存它的计算结果（由程序生成、从未在 Excel 中打开过的文件常见），\
               或保存的结果是 0 而公式引用的单元格并不为 0（如 `=E4+G4` 存为 0）。这样的值是未知的，不按空白或 0 处理。",
        why: "把未计算的公式读成空白会误报“缺少预算数”，读成 0 会误报金额不符；真实的值只有 Excel/WPS 重新计算后才知道。",
        fires: "预算数单元格为 `=E4+G4`，文件中没有保存结果；或保存的结果是 0，而 E4 = 1.2、G4 = 0.6。",
        quiet: "在 Excel、WPS 或 LibreOffice 中保存过的文件：公式带有计算结果。",
    },
    checks: &[Check::Project(formula_not_calculated), Check::Line(line_formula_not_calculated)],
};

pub const UNIT_NOT_DECLARED: RuleInfo = RuleInfo {
    code: Code::JX008,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "表格附近没有写金额单位，金额按万元读取",
    doc: RuleDoc {
        what: "绩效目标表或项目支出预算表的上方和表内都没有 `单位：万元`、`单位：元` 或 `（万元）` 之类的金额单位，金额按万元读取；\
               若金额超过 10000 万元，多半是按元填写的，提示会一并说明。预算表每张说一次，在它的第一行。",
        why: "同一个数按元和按万元相差一万倍；绩效目标表的金额单位应与部门预算一致（财预〔2015〕88号附件的表样标有“单位：万元”）。",
        fires: "表头没有单位行，预算数写着 `1120000`：按 1120000 万元（112 亿元）读取，并提示它像是以元为单位。",
        quiet: "表格上方有 `单位：万元`，或预算数单元格写作 `1.8万元`。",
    },
    checks: &[
        Check::Project(unit_not_declared),
        Check::Line(line_unit_not_declared),
    ],
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
    // A 预算数 that is not a number or a formula never calculated is said by JX004/JX007.
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
    for u in p.unreadable.iter().filter(|u| u.formula.is_none()) {
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
    for u in line.unreadable.iter().filter(|u| u.formula.is_none()) {
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

fn bad_evaluation_number(e: &crate::model::Evaluation, f: &mut Findings) {
    for (cell, text) in &e.unreadable {
        let message = format!(
            "自评表“{}”的单元格 {cell} 应为数字，写的是“{text}”：不会按 0 计算，核算时跳过，请改为数字",
            e.name
        );
        f.at_evaluation(e, Some(*cell), message);
    }
}

fn empty_indicator_cell(p: &Project, f: &mut Findings) {
    let uncalculated = |cell: Option<CellRef>| {
        p.notes
            .iter()
            .any(|n| matches!(n, ReadNote::Uncalculated { cell: c, .. } if Some(*c) == cell))
    };
    for ind in &p.indicators {
        let place = format!("{}/{}", ind.level1.trim(), ind.level2.trim());
        if ind.level3.trim().is_empty() {
            f.at(
                p,
                ind.source.cells.level3,
                format!("{place} 下有一行指标缺少三级指标名称"),
            );
        }
        if is_placeholder(&ind.target.text) && !uncalculated(ind.source.cells.target) {
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

fn evaluation_hidden(e: &crate::model::Evaluation, f: &mut Findings) {
    let name = e.name.trim();
    if e.sheet_hidden {
        let message = format!(
            "自评表“{name}”位于隐藏的工作表“{}”中，已读取；审核人看不到这张表，请取消隐藏或删除",
            e.source.sheet
        );
        f.at_evaluation(e, e.source.name_cell, message);
    } else if let Some(first) = e.hidden.first() {
        let message = format!(
            "自评表“{name}”有 {} 个单元格位于隐藏的行或列中（{}），已读取但屏幕和打印稿上看不到；请取消隐藏核对，或删除不用的内容",
            e.hidden.len(),
            super::cells_listed(&e.hidden)
        );
        f.at_evaluation(e, Some(*first), message);
    }
}

fn hidden_content(p: &Project, f: &mut Findings) {
    let name = p.name.trim();
    for note in &p.notes {
        match note {
            ReadNote::Hidden { sheet: true, .. } => {
                f.at(
                    p,
                    p.source.cells.code,
                    format!("项目“{name}”位于隐藏的工作表“{}”中，已读取；审核人看不到这张表，请取消隐藏或删除", p.source.sheet),
                );
            }
            ReadNote::Hidden { cells, .. } => {
                let mut rows: Vec<u32> = cells.iter().map(|c| c.row + 1).collect();
                rows.sort_unstable();
                rows.dedup();
                f.at(
                    p,
                    cells.first().copied(),
                    format!(
                        "项目“{name}”有 {} 个单元格位于隐藏的行或列中（{}），已读取但屏幕和打印稿上看不到；请取消隐藏核对，或删除不用的内容",
                        cells.len(),
                        super::cells_listed(cells)
                    ),
                );
            }
            ReadNote::Shadowed {
                header,
                hidden,
                visible,
            } => {
                f.at(
                    p,
                    Some(*hidden),
                    format!(
                        "指标表有两列“{header}”：隐藏的 {} 列未读取，读取的是可见的 {} 列；如隐藏列是旧数据，请删除",
                        column_letters(hidden.col),
                        column_letters(visible.col)
                    ),
                );
            }
            _ => {}
        }
    }
}

fn line_hidden(line: &BudgetLine, f: &mut Findings) {
    if line.hidden {
        f.at_line(
            &line.source,
            Some(&line.code),
            format!(
                "预算表中“{}”这一行位于隐藏的行、列或工作表中，已读取并参与对账，但审核人看不到；请取消隐藏核对，或删除不用的行",
                line.name.trim()
            ),
        );
    }
}

const RECALCULATE: &str = "请在 Excel 或 WPS 中打开、重新计算并保存后再提交";

fn formula_not_calculated(p: &Project, f: &mut Findings) {
    for u in &p.unreadable {
        if let Some(formula) = &u.formula {
            f.at(
                p,
                Some(u.cell),
                format!("{}是公式 ={formula}，文件中没有它的计算结果（或保存的 0 不可能正确），值未知，未按空白或 0 计算；{RECALCULATE}", u.field),
            );
        }
    }
    for note in &p.notes {
        if let ReadNote::Uncalculated { cell, formula } = note {
            f.at(
                p,
                Some(*cell),
                format!("单元格是公式 ={formula}，文件中没有它的计算结果，值未知；{RECALCULATE}"),
            );
        }
    }
}

fn line_formula_not_calculated(line: &BudgetLine, f: &mut Findings) {
    for u in &line.unreadable {
        if let Some(formula) = &u.formula {
            let src = crate::model::LineSource {
                cell: u.cell,
                ..line.source.clone()
            };
            f.at_line(
                &src,
                Some(&line.code),
                format!("预算表“{}”的{}是公式 ={formula}，文件中没有它的计算结果，值未知；{RECALCULATE}", line.name, u.field),
            );
        }
    }
}

/// 10,000万元 (a hundred million yuan): a project above it was likely filled in 元.
const LOOKS_LIKE_YUAN: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// `…金额按万元读取；请在表头写明“单位：万元”`, or the 元 hint when `largest` exceeds 1 亿元.
fn read_as_wan(what: String, largest: &Decimal) -> String {
    let mut message = format!("{what}附近没有写金额单位（如“单位：万元”），金额按万元读取");
    if *largest > LOOKS_LIKE_YUAN {
        message.push_str(&format!(
            "；其中 {} 万元超过 1 亿元，看起来是按元填写的，请在表头写明“单位：元”或改为万元",
            crate::model::amount::number_text(largest)
        ));
    } else {
        message.push_str("；请在表头写明“单位：万元”");
    }
    message
}

fn unit_not_declared(p: &Project, f: &mut Findings) {
    for note in &p.notes {
        if let ReadNote::UnitNotDeclared { cell, largest } = note {
            let what = format!("项目“{}”的表格", p.name.trim());
            f.at(p, Some(*cell), read_as_wan(what, largest));
        }
    }
}

/// Said once per 项目支出预算表, on its first line.
fn line_unit_not_declared(line: &BudgetLine, f: &mut Findings) {
    if let Some(largest) = &line.unit_not_declared {
        let message = read_as_wan("项目支出预算表".to_string(), largest);
        f.at_line(&line.source, Some(&line.code), message);
    }
}
