//! The 部门整体 section against the project tables (JX505–JX507): every 分项绩效目标 item
//! should have its table, every table its item, and the item's indicators should be the
//! table's. Run only for a department whose section lists items; matching as in
//! `reconcile::overall`.

use super::{Check, Code, Findings, Fixable, RuleDoc, RuleInfo};
use crate::diag::Severity;
use crate::model::OverallTable;
use crate::reconcile::overall::{compare, match_items, IndicatorCheck};
use crate::reconcile::{BatchView, DepartmentView};

/// This family file's rules, in code order.
pub(super) const RULES: &[RuleInfo] = &[
    OVERALL_ITEM_WITHOUT_TABLE,
    TABLE_NOT_IN_OVERALL,
    OVERALL_INDICATOR_MISMATCH,
];

pub const OVERALL_ITEM_WITHOUT_TABLE: RuleInfo = RuleInfo {
    code: Code::JX505,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "部门整体的分项绩效目标没有对应的项目绩效目标表",
    doc: RuleDoc {
        what: "部门整体绩效目标（Word 文档中的“分项绩效目标”）列出的一项，在本单位的项目绩效目标表中找不到。\
               配对：分项写有项目编码时按编码；否则按名称——名称相同，或一个包含另一个（较短的至少 3 个字），\
               比较前去掉空白、引号和“经费、费用、费、项目、专项、资金”这些可增可减的字。",
        why: "部门整体绩效目标要与项目绩效目标衔接，分项目标应落到具体项目（财预〔2015〕88号：部门整体绩效目标与项目\
              绩效目标同步编报；河北省省级部门预算绩效管理办法：绩效目标分部门整体、专项资金和项目三个层次）。\
              找不到表的分项，常是往年的项目没删，或漏交了表。",
        fires: "分项“5.邮递专项经费”，本单位 8 张表中没有邮递的项目。",
        quiet: "分项“4.政府投资项目评审”，有表“政府投资项目评审费”（去掉“项目”“费”后名称相同）。",
    },
    checks: &[Check::Batch(item_without_table)],
};

pub const TABLE_NOT_IN_OVERALL: RuleInfo = RuleInfo {
    code: Code::JX506,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "项目绩效目标表不在部门整体的分项绩效目标中",
    doc: RuleDoc {
        what: "本单位的部门整体绩效目标列有分项时，一张项目绩效目标表没有任何分项与之对应（配对方法同 JX505）。\
               部门整体部分没有分项时不检查。",
        why: "分项绩效目标应覆盖部门的每个预算项目（财预〔2015〕88号：部门整体绩效目标与项目绩效目标同步编报、\
              相互衔接）；漏列的项目在部门整体层面无人负责。",
        fires: "8 张表，分项只列 6 项：“电梯维保费”“劳务费”等 4 张表没有对应的分项。",
        quiet: "每张表都有分项（名称相同或包含）。",
    },
    checks: &[Check::Batch(table_not_in_overall)],
};

pub const OVERALL_INDICATOR_MISMATCH: RuleInfo = RuleInfo {
    code: Code::JX507,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "分项绩效目标的指标与其项目绩效目标表不一致",
    doc: RuleDoc {
        what: "分项的“绩效指标”逐条（按“；”分开）与配对的项目绩效目标表比较：按三级指标名称找（名称相同或包含，\
               比较前去掉“比例、占比、百分比、的”），找不到的报“表中没有”；找到而比较符、数值或单位不同的报\
               “指标值不同”。每个分项一条，列出所有不一致的指标。",
        why: "同一项目在部门整体和项目表中承诺的指标应一致（财预〔2015〕88号：绩效目标与预算同步编报、同步审核），\
              否则年底自评时无从对照。",
        fires: "分项“系统维护费”写“正常使用率占比大于90%”，系统维护费的表中没有正常使用率。",
        quiet: "分项写“电梯正常使用率≥95%”，表中三级指标“电梯正常使用率”，指标值“≥95%”。",
    },
    checks: &[Check::Batch(indicator_mismatch)],
};

/// The departments whose 部门整体 section lists items, with the section and each item's tables.
fn sections(
    view: &BatchView,
) -> impl Iterator<Item = (&DepartmentView, &OverallTable, Vec<Vec<usize>>)> {
    view.departments.iter().filter_map(|dept| {
        let overall = dept.overall.as_ref().filter(|o| !o.items.is_empty())?;
        Some((dept, overall, match_items(dept)))
    })
}

fn item_without_table(view: &BatchView, f: &mut Findings) {
    for (dept, overall, matched) in sections(view) {
        if dept.projects.is_empty() {
            // No table of the section's unit at all: one finding, not one per item.
            let message = format!(
                "部门整体绩效目标列出 {} 项分项，但本批文件中没有同一单位的项目绩效目标表（文档里没有表格，\
                 而本批有不止一个单位）：分项没有核对",
                overall.items.len()
            );
            f.at_paragraph(&overall.items[0].source, None, message);
            continue;
        }
        for (item, tables) in overall.items.iter().zip(&matched) {
            if !tables.is_empty() {
                continue;
            }
            let message = format!(
                "分项绩效目标“{}”在本单位的 {} 张项目绩效目标表中没有对应的表（编码、名称都对不上）：\
                 是漏交了表，还是往年的项目没有删去？",
                item.name,
                dept.projects.len()
            );
            f.at_paragraph(&item.source, item.code.as_deref(), message);
        }
    }
}

fn table_not_in_overall(view: &BatchView, f: &mut Findings) {
    for (dept, overall, matched) in sections(view) {
        let named: Vec<bool> = (0..dept.projects.len())
            .map(|i| matched.iter().any(|m| m.contains(&i)))
            .collect();
        for (p, _) in dept.projects.iter().zip(&named).filter(|(_, n)| !**n) {
            let message = format!(
                "项目“{}”不在部门整体绩效目标的分项绩效目标中（{}起列出的 {} 项都对不上）：\
                 分项应覆盖每个项目",
                p.name,
                super::place(&overall.source.file, &overall.source.sheet, &p.at.file),
                overall.items.len()
            );
            f.at_ref(p, p.at.name_cell, message);
        }
    }
}

fn indicator_mismatch(view: &BatchView, f: &mut Findings) {
    for (dept, overall, matched) in sections(view) {
        for (item, tables) in overall.items.iter().zip(&matched) {
            let Some(&first) = tables.first() else {
                continue;
            };
            let table = &dept.projects[first];
            let mut missing = Vec::new();
            let mut differs = Vec::new();
            for indicator in &item.indicators {
                match compare(indicator, dept.measures_of(first)) {
                    None | Some(IndicatorCheck::Same) => {}
                    Some(IndicatorCheck::Missing) => missing.push(format!("“{}”", indicator.text)),
                    Some(IndicatorCheck::Differs { level3, target }) => differs.push(format!(
                        "“{}”（表中“{}”为“{}”）",
                        indicator.text, level3, target
                    )),
                }
            }
            if missing.is_empty() && differs.is_empty() {
                continue;
            }
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("表中没有{}", super::listed(missing.iter())));
            }
            if !differs.is_empty() {
                parts.push(format!("指标值不同：{}", super::listed(differs.iter())));
            }
            let message = format!(
                "分项“{}”的绩效指标与项目绩效目标表“{}”（{}）不一致：{}",
                item.name,
                table.name,
                super::place(&table.at.file, &table.at.sheet, &item.source.file),
                parts.join("；")
            );
            f.at_paragraph(&item.source, Some(&table.code), message);
        }
    }
}
