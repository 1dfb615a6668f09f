//! Reconciliation rules (JX501–JX504): project tables against the department budget
//! (a 项目支出预算表 among the inputs, `--budget FILE`, or the 部门整体 table's total).

use super::{Check, Code, Findings, Fixable, RuleDoc, RuleInfo};
use crate::diag::Severity;
use crate::model::amount::money_text;
use crate::reconcile;
use crate::reconcile::BatchView;

/// This family's rules, in code order.
pub(super) const RULES: &[RuleInfo] = &[
    BUDGET_AMOUNT_MISMATCH,
    MISSING_TABLE,
    UNBUDGETED_PROJECT,
    DEPARTMENT_TOTAL_MISMATCH,
];

pub const BUDGET_AMOUNT_MISMATCH: RuleInfo = RuleInfo {
    code: Code::JX501,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "绩效目标表的预算数与部门预算不一致",
    doc: RuleDoc {
        what: "按项目编码（缺编码时按完全相同的项目名称）把绩效目标表与部门预算（项目支出预算表）配对，比较预算数。\
               两边都换算为万元后精确比较，不设容差：1 元之差也会报告。",
        why: "绩效目标与预算同步编报、同步审核（财预〔2015〕88号）；金额不一致说明其中一方不是最终数。",
        fires: "绩效目标表预算数 20.00万元，项目支出预算表同一编码为 25.00万元。",
        quiet: "两边都是 20.00（或 200000 元）。",
    },
    checks: &[Check::Batch(budget_amount_mismatch)],
};

pub const MISSING_TABLE: RuleInfo = RuleInfo {
    code: Code::JX502,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "部门预算中的项目没有绩效目标表",
    doc: RuleDoc {
        what: "项目支出预算表中的一行，在本批文件中找不到对应的绩效目标表。",
        why: "预算项目都应编报绩效目标（财预〔2015〕88号）；漏交的表要补齐。",
        fires: "预算表有“邮递专项经费”，文件夹里没有它的绩效目标表。",
        quiet: "预算表的每个项目都有绩效目标表。",
    },
    checks: &[Check::Batch(missing_table)],
};

pub const UNBUDGETED_PROJECT: RuleInfo = RuleInfo {
    code: Code::JX503,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "绩效目标表的项目不在部门预算中",
    doc: RuleDoc {
        what: "有部门预算（项目支出预算表）时，一张绩效目标表的项目在其中找不到（编码和名称都对不上）。没有部门预算时不检查。",
        why: "没有预算的项目不应编报绩效目标；常见原因是编码抄错或交了别的单位的表。",
        fires: "绩效目标表的项目编码是 `13020225P000099100011`，预算表中没有这个编码。",
        quiet: "每张表的编码都在预算表中。",
    },
    checks: &[Check::Batch(unbudgeted_project)],
};

pub const DEPARTMENT_TOTAL_MISMATCH: RuleInfo = RuleInfo {
    code: Code::JX504,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "各项目预算数之和 ≠ 部门整体表中的项目支出合计",
    doc: RuleDoc {
        what: "部门整体支出绩效目标表写有项目支出合计时，与本单位各绩效目标表预算数之和精确比较（万元，不设容差）。",
        why: "部门整体目标与项目目标应对应同一预算（财预〔2015〕88号：绩效目标与部门预算同步编报、同步审核）。",
        fires: "部门整体表：其中项目支出 300.00万元；8 张项目表合计 273.52万元。",
        quiet: "部门整体表的项目支出为 273.52万元。",
    },
    checks: &[Check::Batch(department_total_mismatch)],
};

fn budget_amount_mismatch(model: &BatchView, f: &mut Findings) {
    for dept in &model.departments {
        for pair in reconcile::pairs(dept) {
            let (Some(p), Some(line), Some(diff)) = (pair.project, pair.line, pair.difference())
            else {
                continue;
            };
            if diff.is_zero() {
                continue;
            }
            let (mine, theirs) = (p.total.unwrap_or_default(), line.total.unwrap_or_default());
            let at = format!(
                "{}:{}!{}",
                line.source.file,
                crate::model::cell::quote_sheet_name(&line.source.sheet),
                line.source.cell
            );
            let side = if diff > rust_decimal::Decimal::ZERO {
                "多"
            } else {
                "少"
            };
            let message = format!(
                "预算数 {}万元 与部门预算 {}万元 不一致（绩效表{side} {}万元；预算表 {at}）",
                money_text(&mine),
                money_text(&theirs),
                money_text(&diff.abs())
            );
            f.at_ref(p, p.at.total_cell, message);
        }
    }
}

fn missing_table(model: &BatchView, f: &mut Findings) {
    for dept in &model.departments {
        for line in reconcile::pairs(dept)
            .iter()
            .filter(|p| p.project.is_none())
            .filter_map(|p| p.line)
        {
            let code = if line.code.is_empty() {
                String::new()
            } else {
                format!("（{}）", line.code)
            };
            let amount = line
                .total
                .map(|t| format!("，预算 {}万元", money_text(&t)))
                .unwrap_or_default();
            f.at_line(
                &line.source,
                Some(&line.code),
                format!(
                    "部门预算中的项目“{}”{code}没有对应的绩效目标表{amount}",
                    line.name.trim()
                ),
            );
        }
    }
}

fn unbudgeted_project(model: &BatchView, f: &mut Findings) {
    for dept in model
        .departments
        .iter()
        .filter(|d| !d.budget_lines.is_empty())
    {
        // A code (or, without one, a name) in the budget is budgeted, however many tables
        // carry it: a second table under one code is JX402's finding, not this one.
        let codes: std::collections::HashSet<&str> = dept
            .budget_lines
            .iter()
            .map(|l| l.code.as_str())
            .filter(|c| !c.is_empty())
            .collect();
        let names: std::collections::HashSet<String> = dept
            .budget_lines
            .iter()
            .filter(|l| !l.name.trim().is_empty())
            .map(|l| crate::model::text::label_key(&l.name))
            .collect();
        let budgeted = |p: &crate::reconcile::ProjectRef| {
            if p.code.is_empty() {
                names.contains(&crate::model::text::label_key(&p.name))
            } else {
                codes.contains(&*p.code)
            }
        };
        for p in reconcile::pairs(dept)
            .iter()
            .filter(|p| p.line.is_none())
            .filter_map(|p| p.project)
            .filter(|p| !budgeted(p))
        {
            let key = if p.code.is_empty() {
                format!("项目名称“{}”", p.name.trim())
            } else {
                format!("项目编码 {}", p.code)
            };
            f.at_ref(
                p,
                p.at.code_cell.or(p.at.name_cell),
                format!(
                    "项目“{}”不在部门预算中（项目支出预算表里找不到{key}）",
                    p.name.trim()
                ),
            );
        }
    }
}

fn department_total_mismatch(model: &BatchView, f: &mut Findings) {
    for dept in &model.departments {
        let Some(overall) = &dept.overall else {
            continue;
        };
        let Some(stated) = overall.project_spending else {
            continue;
        };
        let sum = reconcile::project_total(dept);
        if sum != stated {
            let message = format!(
                "{} 张项目表预算数合计 {}万元 与部门整体表中的项目支出 {}万元 不一致（项目表合计{} {}万元）",
                dept.projects.len(),
                money_text(&sum),
                money_text(&stated),
                if sum > stated { "多" } else { "少" },
                money_text(&(sum - stated).abs())
            );
            f.at_line(&overall.source, None, message);
        }
    }
}
