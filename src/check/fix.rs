//! Applying the fixes the rules propose: what `convert` does to the model before writing it.
//!
//! Fixes can build on each other (`不低于９５％` needs JX303, then JX304), so fixing runs in
//! rounds: apply one fix per field, check again, until nothing fixable is left.

use super::run;
use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::model::{CellRef, Column, Field, Model, Project};
use std::collections::{BTreeMap, BTreeSet};

/// More rounds than any chain of fixes needs; a safety stop, never reached in practice.
const MAX_ROUNDS: usize = 8;

/// What fixing did.
#[derive(Debug, Default)]
pub struct Fixed {
    /// The findings before fixing, `fixed` set on those the fixes removed, then any finding
    /// that appeared only after fixing: `report.json`'s list.
    pub report: Vec<Diagnostic>,
    /// The findings left after fixing: the notes of the corrected workbooks.
    pub remaining: Vec<Diagnostic>,
    /// How many fixes were applied.
    pub applied: usize,
}

/// A project table's identity: file, sheet, first cell.
type TableKey = (String, String, CellRef);

fn table_of(d: &Diagnostic) -> Option<TableKey> {
    Some((d.file.clone(), d.sheet.clone()?, d.table?))
}

/// Applies one fix per field of each project; returns how many were applied.
fn apply_round(model: &mut Model, diags: &[Diagnostic]) -> BTreeSet<(usize, usize)> {
    let mut index: BTreeMap<TableKey, (usize, usize)> = BTreeMap::new();
    for (di, dept) in model.departments.iter().enumerate() {
        for (pi, p) in dept.projects.iter().enumerate() {
            index.insert(
                (
                    p.source.file.clone(),
                    p.source.sheet.clone(),
                    p.source.range.start,
                ),
                (di, pi),
            );
        }
    }
    let mut done: BTreeSet<(usize, usize, Field)> = BTreeSet::new();
    let mut changed = BTreeSet::new();
    for d in diags {
        let (Some(fix), Some(key)) = (&d.fix, table_of(d)) else {
            continue;
        };
        let Some(&(di, pi)) = index.get(&key) else {
            continue;
        };
        if !done.insert((di, pi, fix.field)) {
            continue;
        }
        if set_field(
            &mut model.departments[di].projects[pi],
            fix.field,
            &fix.text,
        )
        .is_ok()
        {
            changed.insert((di, pi));
        }
    }
    changed
}

/// Sets a field; renaming a 一级/二级 name renames its whole group, as the merged cell is one.
fn set_field(p: &mut Project, field: Field, text: &str) -> Result<(), String> {
    if let Field::Indicator(i, column @ (Column::Level1 | Column::Level2)) = field {
        let Some(target) = p.indicators.get(i).cloned() else {
            return Err("no such indicator".into());
        };
        for ind in &mut p.indicators {
            let same = ind.level1 == target.level1
                && (column == Column::Level1 || ind.level2 == target.level2);
            if same {
                ind.set(column, text);
            }
        }
        return Ok(());
    }
    p.set(field, text)
}

/// The findings after a round of fixes: the project rules run again only on the projects a fix
/// changed (the others' findings cannot have moved); the rules that look across projects run
/// again in full, as a fix may change a 预算数 they compare.
fn recheck(
    model: &Model,
    config: &Config,
    file_findings: &[Diagnostic],
    before: Vec<Diagnostic>,
    changed: &BTreeSet<(usize, usize)>,
) -> Vec<Diagnostic> {
    let keys: BTreeSet<TableKey> = changed
        .iter()
        .map(|&(d, p)| {
            let src = &model.departments[d].projects[p].source;
            (src.file.clone(), src.sheet.clone(), src.range.start)
        })
        .collect();
    let mut out: Vec<Diagnostic> = before
        .into_iter()
        .filter(|d| is_project_rule(d.code) && table_of(d).is_none_or(|k| !keys.contains(&k)))
        .collect();
    out.extend(file_findings.iter().cloned());
    config.apply(&mut out);
    for &(d, p) in changed {
        out.extend(super::project_findings(
            &model.departments[d].projects[p],
            config,
        ));
    }
    super::run_model_rules(model, config, &mut out);
    super::run_batch(&crate::reconcile::BatchView::of(model), config, &mut out);
    diag::sort(&mut out);
    out
}

fn is_project_rule(code: &str) -> bool {
    super::rule(code).is_some_and(|r| matches!(r.check, super::Check::Project(_)))
}

fn identity(d: &Diagnostic) -> (&str, &str, Option<&String>, Option<CellRef>) {
    (d.code, d.file.as_str(), d.sheet.as_ref(), d.cell)
}

/// Fixes the model in rounds until no fixable finding is left. `file_findings` are the
/// reader's (JX001/JX002), carried into every round.
pub fn fix_until_stable(model: &mut Model, config: &Config, file_findings: &[Diagnostic]) -> Fixed {
    let mut original = file_findings.to_vec();
    run(model, config, &mut original);
    diag::sort(&mut original);
    let mut current = original.clone();
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let changed = apply_round(model, &current);
        if changed.is_empty() {
            break;
        }
        applied += changed.len();
        current = recheck(model, config, file_findings, current, &changed);
    }
    let still: BTreeSet<_> = current.iter().map(identity).collect();
    let before: BTreeSet<_> = original.iter().map(identity).collect();
    let mut report: Vec<Diagnostic> = original
        .iter()
        .cloned()
        .map(|mut d| {
            d.fixed = d.fix.is_some() && !still.contains(&identity(&d));
            d
        })
        .collect();
    report.extend(
        current
            .iter()
            .filter(|d| !before.contains(&identity(d)))
            .cloned(),
    );
    diag::sort(&mut report);
    Fixed {
        report,
        remaining: current,
        applied,
    }
}
