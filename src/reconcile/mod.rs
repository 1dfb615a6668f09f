//! Reconciliation: each project table paired with its department budget line (by 项目编码,
//! falling back to the exact name when a code is missing), and the department totals.
//!
//! Pure functions over the model: the rules JX501–JX504 and the roll-up's 预算对账 sheet both
//! read the same pairing, so they can never disagree.

use crate::model::text::label_key;
use crate::model::{BudgetLine, Department, Project};
use rust_decimal::Decimal;

/// One row of the reconciliation: a project table, its budget line, or both.
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    pub project: Option<&'a Project>,
    pub line: Option<&'a BudgetLine>,
}

impl Pair<'_> {
    /// 绩效表预算数 − 部门预算数, when both are known.
    pub fn difference(&self) -> Option<Decimal> {
        Some(self.project?.budget.total? - self.line?.total?)
    }
}

/// Pairs a department's projects with its budget lines, in project order, then the lines no
/// table claimed. A line is used once: a second table with the same code stays unpaired.
pub fn pairs(dept: &Department) -> Vec<Pair<'_>> {
    let mut used = vec![false; dept.budget_lines.len()];
    let mut out = Vec::with_capacity(dept.projects.len() + dept.budget_lines.len());
    for project in &dept.projects {
        let by_code = |l: &BudgetLine| !project.code.is_empty() && l.code == project.code;
        let by_name = |l: &BudgetLine| {
            (project.code.is_empty() || l.code.is_empty())
                && !l.name.trim().is_empty()
                && label_key(&l.name) == label_key(&project.name)
        };
        let found = (0..dept.budget_lines.len())
            .find(|i| !used[*i] && by_code(&dept.budget_lines[*i]))
            .or_else(|| {
                (0..dept.budget_lines.len()).find(|i| !used[*i] && by_name(&dept.budget_lines[*i]))
            });
        if let Some(i) = found {
            used[i] = true;
        }
        out.push(Pair {
            project: Some(project),
            line: found.map(|i| &dept.budget_lines[i]),
        });
    }
    for (line, _) in dept.budget_lines.iter().zip(&used).filter(|(_, u)| !**u) {
        out.push(Pair {
            project: None,
            line: Some(line),
        });
    }
    out
}

/// The sum of the projects' 预算数 (blank counts as 0).
pub fn project_total(dept: &Department) -> Decimal {
    dept.projects.iter().filter_map(|p| p.budget.total).sum()
}

/// The sum of the department budget lines.
pub fn budget_total(dept: &Department) -> Decimal {
    dept.budget_lines.iter().filter_map(|l| l.total).sum()
}
