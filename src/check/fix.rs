//! Applying the fixes the rules propose: what `convert` does to the model before writing it.
//!
//! Fixes can build on each other (`不低于９５％` needs JX303, then JX304), so fixing runs in
//! rounds: apply one fix per field, check again, until nothing fixable is left.

use super::run;
use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::model::{CellRef, Column, Field, Model, Project};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// More rounds than any chain of fixes needs; a safety stop, never reached in practice.
const MAX_ROUNDS: usize = 8;

/// What fixing did.
#[derive(Debug, Default)]
pub struct Fixed {
    /// The findings before fixing, `fixed` set on those the fixes removed, then any finding
    /// that appeared only after fixing: `report.json`'s list.
    pub report: Vec<Diagnostic>,
    /// The findings left after fixing (see [`Fixed::remaining`]), most of them the report's
    /// own entries: a batch's findings are held once, not twice.
    left: Vec<Left>,
    /// How many fixes were applied.
    pub applied: usize,
}

/// A finding left after fixing.
#[derive(Debug)]
enum Left {
    /// The report's entry at this place, which fixing left exactly as it was.
    Reported(usize),
    /// A finding whose wording fixing changed (a sum a fix moved), or that the report has not.
    Reworded(Diagnostic),
}

impl Fixed {
    /// Every finding's file shown as `name` gives it (outputs show paths relative to the
    /// input folder).
    pub fn rename_files(&mut self, name: impl Fn(&str) -> Option<String>) {
        let reworded = self.left.iter_mut().filter_map(|l| match l {
            Left::Reworded(d) => Some(d),
            Left::Reported(_) => None,
        });
        for d in self.report.iter_mut().chain(reworded) {
            if let Some(new) = name(&d.file) {
                d.file = new;
            }
        }
    }

    /// The findings left after fixing, in `diag::sort` order: the notes of the corrected
    /// workbooks.
    pub fn remaining(&self) -> impl Iterator<Item = &Diagnostic> + Clone {
        self.left.iter().map(|left| match left {
            Left::Reported(at) => &self.report[*at],
            Left::Reworded(d) => d,
        })
    }

    /// The report's findings and those left, taken apart.
    pub fn into_lists(self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let left = self
            .left
            .into_iter()
            .map(|left| match left {
                Left::Reported(at) => self.report[at].clone(),
                Left::Reworded(d) => d,
            })
            .collect();
        (self.report, left)
    }
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
        let (Some((field, text)), Some(key)) = (project_fix(d), table_of(d)) else {
            continue;
        };
        let Some(&(di, pi)) = index.get(&key) else {
            continue;
        };
        if !done.insert((di, pi, field)) {
            continue;
        }
        if set_field(&mut model.departments[di].projects[pi], field, text).is_ok() {
            changed.insert((di, pi));
        }
    }
    changed
}

/// A project field's fix: the field and its new text.
fn project_fix(d: &Diagnostic) -> Option<(Field, &str)> {
    let fix = d.fix.as_ref()?;
    Some((fix.field?, fix.text.as_str()))
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

/// Where two or more findings propose a text for the same field (`>=９５％ ` gets JX301, JX303
/// and JX304), each proposal becomes what convert writes there: the result of all the fixes,
/// found by fixing a copy of the project in rounds. A cell gets one proposed text.
pub(crate) fn combine_proposals(p: &Project, config: &Config, diags: &mut [Diagnostic]) {
    let mut proposals: BTreeMap<Field, usize> = BTreeMap::new();
    for (field, _) in diags.iter().filter_map(project_fix) {
        *proposals.entry(field).or_default() += 1;
    }
    let shared: BTreeSet<Field> = proposals
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(f, _)| f)
        .collect();
    if shared.is_empty() {
        return;
    }
    let mut fixed = p.clone();
    let mut current: Vec<Diagnostic> = diags.to_vec();
    for _ in 0..MAX_ROUNDS {
        let mut done = BTreeSet::new();
        let mut changed = false;
        for (field, text) in current.iter().filter_map(project_fix) {
            if done.insert(field) && fixed_text(&fixed, field) != Some(text) {
                changed |= set_field(&mut fixed, field, text).is_ok();
            }
        }
        if !changed {
            break;
        }
        current = super::rule_findings(&fixed, config);
    }
    for fix in diags.iter_mut().filter_map(|d| d.fix.as_mut()) {
        let Some(field) = fix.field.filter(|f| shared.contains(f)) else {
            continue;
        };
        if let Some(text) = fixed_text(&fixed, field) {
            fix.text = text.to_string();
        }
    }
}

/// A text field's current text (amounts are not proposals that combine).
fn fixed_text(p: &Project, field: Field) -> Option<&str> {
    match field {
        Field::Name => Some(&p.name),
        Field::Purpose => Some(&p.purpose),
        Field::Goal(i) => p.goals.get(i).map(String::as_str),
        Field::Indicator(i, column) => p.indicators.get(i).map(|ind| ind.text(column)),
        _ => None,
    }
}

/// The findings after a round of fixes: the project rules run again only on the projects a fix
/// changed (the others' findings cannot have moved); the rules that look across projects run
/// again in full, as a fix may change a 预算数 they compare.
fn recheck(
    model: &Model,
    config: &Config,
    file_findings: &[Diagnostic],
    before: &[Diagnostic],
    changed: &BTreeSet<(usize, usize)>,
    scope: Scope,
) -> Vec<Diagnostic> {
    let keys: BTreeSet<TableKey> = changed
        .iter()
        .map(|&(d, p)| {
            let src = &model.departments[d].projects[p].source;
            (src.file.clone(), src.sheet.clone(), src.range.start)
        })
        .collect();
    let mut out: Vec<Diagnostic> = before
        .iter()
        .filter(|d| is_table_rule(d.code) && table_of(d).is_none_or(|k| !keys.contains(&k)))
        .cloned()
        .collect();
    out.extend(file_findings.iter().cloned());
    config.apply(&mut out);
    // The changed projects are checked again on all cores, as `run_file` does.
    let again: Vec<Vec<Diagnostic>> = changed
        .par_iter()
        .map(|&(d, p)| super::project_findings(&model.departments[d].projects[p], config))
        .collect();
    out.extend(again.into_iter().flatten());
    if scope == Scope::Batch {
        super::run_batch(&crate::reconcile::BatchView::of(model), config, &mut out);
    }
    diag::sort(&mut out);
    out
}

/// A rule that looks at one 自评表 at a time.
fn is_evaluation_rule(code: super::Code) -> bool {
    super::rule(code)
        .checks
        .iter()
        .all(|c| matches!(c, super::Check::Evaluation(_)))
}

/// Applies the 自评表 fixes arithmetic alone decides (a fix with no field, on the 执行率 or 总分
/// cell); returns how many were applied.
fn fix_evaluations(model: &mut Model, diags: &[Diagnostic]) -> usize {
    let mut applied = 0;
    for e in model
        .departments
        .iter_mut()
        .flat_map(|d| &mut d.evaluations)
    {
        for d in diags.iter().filter(|d| {
            d.file == e.source.file && d.sheet.as_deref() == Some(e.source.sheet.as_str())
        }) {
            let Some(fix) = d.fix.as_ref().filter(|f| f.field.is_none()) else {
                continue;
            };
            let value = crate::model::amount::parse_decimal(fix.text.trim_end_matches('%'));
            if value.is_none() || d.cell.is_none() {
                continue;
            }
            if d.cell == e.funds.cells.rate {
                e.funds.rate = value;
            } else if d.cell == e.total.cell {
                e.total.score = value;
            } else {
                continue;
            }
            applied += 1;
        }
    }
    applied
}

/// A rule that looks at one table at a time (a project, a budget line, a 自评表): its findings
/// on tables no fix changed stay. Fixes change only project tables.
fn is_table_rule(code: super::Code) -> bool {
    super::rule(code).checks.iter().any(|c| {
        matches!(
            c,
            super::Check::Project(_) | super::Check::Line(_) | super::Check::Evaluation(_)
        )
    })
}

/// What makes a finding the same finding before and after fixing: rule, file, sheet, cell.
fn identity(d: &Diagnostic) -> (super::Code, &str, Option<&str>, Option<CellRef>) {
    (d.code, d.file.as_str(), d.sheet.as_deref(), d.cell)
}

/// For each finding of `list`, where `other` has it (`same`, which must hold only for findings
/// of one `identity`). Both are in `diag::sort` order, so one walk down both does it: the same
/// finding has the same sort key, and only the few findings that share a key are compared.
fn places_in(
    list: &[Diagnostic],
    other: &[Diagnostic],
    same: impl Fn(&Diagnostic, &Diagnostic) -> bool,
) -> Vec<Option<usize>> {
    let sorted = |l: &[Diagnostic]| l.windows(2).all(|w| w[0].sort_key() <= w[1].sort_key());
    debug_assert!(
        sorted(list) && sorted(other),
        "places_in needs diag::sort order"
    );
    let mut found = vec![None; list.len()];
    let (mut i, mut j) = (0, 0);
    while i < list.len() && j < other.len() {
        let key = list[i].sort_key();
        match key.cmp(&other[j].sort_key()) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                let run = |l: &[Diagnostic], from: usize| {
                    from + l[from..].iter().take_while(|d| d.sort_key() == key).count()
                };
                let (i_end, j_end) = (run(list, i), run(other, j));
                for (k, d) in list[i..i_end].iter().enumerate() {
                    found[i + k] = (j..j_end).find(|&at| same(d, &other[at]));
                }
                (i, j) = (i_end, j_end);
            }
        }
    }
    found
}

/// For each finding of `list`, whether `other` has the same finding (same `identity`).
fn found_in(list: &[Diagnostic], other: &[Diagnostic]) -> Vec<bool> {
    let same = |a: &Diagnostic, b: &Diagnostic| identity(a) == identity(b);
    places_in(list, other, same)
        .into_iter()
        .map(|at| at.is_some())
        .collect()
}

/// The findings left after fixing (`current`) as places in the final `report` where the report
/// has them exactly, or as themselves (reworded by a fix): what is left is, but for a few, in
/// the report already, and is kept once.
fn left_of(report: &[Diagnostic], current: Vec<Diagnostic>) -> Vec<Left> {
    let places = places_in(&current, report, |a, b| a == b);
    current
        .into_iter()
        .zip(places)
        .map(|(d, at)| match at {
            Some(at) => Left::Reported(at),
            None => Left::Reworded(d),
        })
        .collect()
}

/// Which rules fixing runs: all of them on a batch, or those that look at one table at a time
/// on one file of a streamed batch (no fix comes from a batch-wide rule: their findings are
/// found again on the fixed batch's compact view; see `pipeline::streamed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Batch,
    File,
}

/// Fixes the model in rounds until no fixable finding is left. `file_findings` are the
/// reader's (JX001/JX002), carried into every round.
pub fn fix_until_stable(model: &mut Model, config: &Config, file_findings: &[Diagnostic]) -> Fixed {
    fix_in_rounds(model, config, file_findings, Scope::Batch)
}

/// [`fix_until_stable`] on one file's model with the rules that look at one table at a time.
pub fn fix_file(model: &mut Model, config: &Config) -> Fixed {
    fix_in_rounds(model, config, &[], Scope::File)
}

fn fix_in_rounds(
    model: &mut Model,
    config: &Config,
    file_findings: &[Diagnostic],
    scope: Scope,
) -> Fixed {
    let mut original = file_findings.to_vec();
    match scope {
        Scope::Batch => run(model, config, &mut original),
        Scope::File => super::run_file(model, config, &mut original),
    }
    diag::sort(&mut original);
    // The findings after the last round; none yet: the original ones.
    let mut current: Option<Vec<Diagnostic>> = None;
    // 自评表 fixes first (nothing else changes a 自评表); their findings are found again.
    let mut applied = fix_evaluations(model, &original);
    if applied > 0 {
        let mut again: Vec<Diagnostic> = original
            .iter()
            .filter(|d| !is_evaluation_rule(d.code))
            .cloned()
            .collect();
        let mut fresh = Vec::new();
        super::run_evaluations(
            model.departments.iter().flat_map(|d| &d.evaluations),
            config,
            &mut fresh,
        );
        config.apply(&mut fresh);
        again.extend(fresh);
        diag::sort(&mut again);
        current = Some(again);
    }
    for _ in 0..MAX_ROUNDS {
        let now = current.as_deref().unwrap_or(&original);
        let changed = apply_round(model, now);
        if changed.is_empty() {
            break;
        }
        applied += changed.len();
        current = Some(recheck(model, config, file_findings, now, &changed, scope));
    }
    let Some(current) = current else {
        let left = (0..original.len()).map(Left::Reported).collect();
        return Fixed {
            report: original,
            left,
            applied,
        };
    };
    let report = reported(original, &current);
    let left = left_of(&report, current);
    Fixed {
        report,
        left,
        applied,
    }
}

/// A streamed batch's batch-wide findings (JX402, JX403, JX501–JX507, the 自评表 pairing),
/// found before fixing (`original`) and on the fixed batch (`current`), both sorted, as
/// [`fix_until_stable`] lists them: the report's (none of them has a fix; those that appeared
/// after fixing added) and those left.
pub fn batch_lists(
    original: Vec<Diagnostic>,
    current: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    (reported(original, &current), current)
}

/// The report's findings: those before fixing (`original`), `fixed` set where a fix removed
/// them, then those that appeared only after fixing (`current`'s that `original` lacks); both
/// lists sorted.
fn reported(mut original: Vec<Diagnostic>, current: &[Diagnostic]) -> Vec<Diagnostic> {
    let still = found_in(&original, current);
    let before = found_in(current, &original);
    let appeared: Vec<Diagnostic> = current
        .iter()
        .zip(before)
        .filter(|(_, seen)| !seen)
        .map(|(d, _)| d.clone())
        .collect();
    for (d, still) in original.iter_mut().zip(still) {
        d.fixed = d.fix.is_some() && !still;
    }
    original.extend(appeared);
    diag::sort(&mut original);
    original
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Code;
    use crate::diag::Severity;

    fn d(file: &str, cell: Option<(u32, u32)>, code: &'static str) -> Diagnostic {
        let code = crate::check::Code::parse(code).expect("a code");
        Diagnostic {
            code,
            name: "",
            severity: Severity::Info,
            file: file.into(),
            sheet: Some("表1".into()),
            cell: cell.map(|(r, c)| CellRef::new(r, c)),
            project: None,
            message: String::new(),
            fix: None,
            fixed: false,
            sheet_index: 0,
            table: None,
        }
    }

    #[test]
    fn found_in_matches_identities_across_both_sorted_lists() {
        // No cell and A1 share a sort key but are different findings; so are two rules on
        // one cell.
        let mut before = vec![
            d("a.xlsx", None, "JX301"),
            d("a.xlsx", Some((0, 0)), "JX301"),
            d("a.xlsx", Some((4, 1)), "JX204"),
            d("a.xlsx", Some((4, 1)), "JX301"),
            d("b.xlsx", Some((2, 3)), "JX211"),
        ];
        let mut after = vec![
            d("a.xlsx", Some((0, 0)), "JX301"),
            d("a.xlsx", Some((4, 1)), "JX301"),
            d("b.xlsx", Some((2, 3)), "JX211"),
            d("b.xlsx", Some((9, 3)), "JX208"),
        ];
        diag::sort(&mut before);
        diag::sort(&mut after);
        let still = found_in(&before, &after);
        let kept: Vec<_> = before.iter().zip(&still).filter(|(_, s)| **s).collect();
        assert_eq!(kept.len(), 3);
        let gone: Vec<_> = before
            .iter()
            .zip(&still)
            .filter(|(_, s)| !**s)
            .map(|(d, _)| (d.code, d.cell))
            .collect();
        assert_eq!(
            gone,
            [(Code::JX301, None), (Code::JX204, Some(CellRef::new(4, 1)))]
        );
        let new: Vec<_> = after
            .iter()
            .zip(found_in(&after, &before))
            .filter(|(_, s)| !s)
            .map(|(d, _)| d.code)
            .collect();
        assert_eq!(new, ["JX208"]);
    }

    #[test]
    fn findings_left_as_reported_are_kept_once_and_reworded_ones_as_they_are() {
        let mut report = vec![
            d("a.xlsx", Some((2, 4)), "JX206"),
            d("a.xlsx", Some((2, 4)), "JX301"),
            d("a.xlsx", Some((5, 4)), "JX204"),
        ];
        report[0].message = "“按时完成 ”没有数字".into();
        report[1].fixed = true;
        let mut current = vec![
            d("a.xlsx", Some((2, 4)), "JX206"),
            d("a.xlsx", Some((5, 4)), "JX204"),
        ];
        current[0].message = "“按时完成”没有数字".into();
        let fixed = Fixed {
            left: left_of(&report, current.clone()),
            report,
            applied: 1,
        };
        assert!(matches!(
            fixed.left[..],
            [Left::Reworded(_), Left::Reported(2)]
        ));
        let remaining: Vec<Diagnostic> = fixed.remaining().cloned().collect();
        assert_eq!(remaining, current);
    }
}
