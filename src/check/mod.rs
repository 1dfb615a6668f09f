//! The rule catalog (SPEC §4): one table of every rule, and `run` to apply them to a model.
//!
//! A rule is a plain function over the model that pushes findings; its code, name, default
//! severity, fixability and documentation sit beside it in `RULES`, the one list `jxmb rules`
//! prints and `check` runs.

pub mod codes;
mod fields;
pub mod fix;
mod funds;
mod indicators;
mod reconciliation;
mod text;

use crate::config::Config;
use crate::diag::{Diagnostic, Fix, Severity};
use crate::model::{CellRef, Field, LineSource, Model, Project};
use crate::reconcile::{BatchView, ProjectRef};
use rayon::prelude::*;

/// Whether `convert` can fix what a rule finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixable {
    No,
    Yes,
    /// Fixable in the cases the text says.
    Sometimes(&'static str),
}

/// A rule's documentation in three parts, as `jxmb rules JX204` prints it.
#[derive(Debug, Clone, Copy)]
pub struct RuleDoc {
    pub what: &'static str,
    pub why: &'static str,
    pub fires: &'static str,
    pub quiet: &'static str,
}

/// How a rule runs.
#[derive(Clone, Copy)]
pub enum Check {
    /// Found while reading a file (unreadable, no table); the batch reports these.
    Reader,
    /// Looks at one project table at a time.
    Project(fn(&Project, &mut Findings)),
    /// Looks across the whole model (or, streamed, one file's).
    Model(fn(&Model, &mut Findings)),
    /// Needs the whole batch, seen through its compact view (JX403, JX501–JX504).
    Batch(fn(&BatchView, &mut Findings)),
}

pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fixable: Fixable,
    pub summary: &'static str,
    pub doc: RuleDoc,
    pub check: Check,
}

/// Every rule, in code order.
pub const RULES: &[RuleInfo] = &[
    fields::UNREADABLE_FILE,
    fields::NO_TABLE_FOUND,
    fields::MISSING_FIELD,
    fields::BAD_NUMBER,
    fields::EMPTY_INDICATOR_CELL,
    funds::FUNDS_SUM_MISMATCH,
    funds::PLAN_DECREASING,
    funds::PLAN_NOT_100,
    funds::PERCENT_OUT_OF_RANGE,
    funds::NONPOSITIVE_BUDGET,
    indicators::MISSING_OUTPUT_INDICATOR,
    indicators::MISSING_LEVEL1,
    indicators::NONSTANDARD_LEVEL_NAME,
    indicators::COST_VS_BUDGET,
    indicators::UNIT_COST_CROSS_CHECK,
    indicators::NOT_QUANTIFIED,
    indicators::IMPOSSIBLE_RATE,
    indicators::MISSING_COMPARATOR,
    indicators::LOW_SATISFACTION,
    indicators::COPIED_TEXT,
    indicators::NONSTANDARD_BASIS,
    indicators::UNIT_MISMATCH,
    text::STRAY_WHITESPACE,
    text::REVERSED_QUOTES,
    text::NONSTANDARD_COMPARATOR,
    text::FULLWIDTH_DIGITS,
    text::TRAILING_PERIOD,
    codes::BAD_PROJECT_CODE,
    codes::DUPLICATE_PROJECT,
    codes::CODE_YEAR_MISMATCH,
    reconciliation::BUDGET_AMOUNT_MISMATCH,
    reconciliation::MISSING_TABLE,
    reconciliation::UNBUDGETED_PROJECT,
    reconciliation::DEPARTMENT_TOTAL_MISMATCH,
];

/// Looks a rule up by its code (`JX204`, case-insensitive).
pub fn rule(code: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// Where a rule's findings go; fills in the rule's code, name and configured severity.
pub struct Findings<'a> {
    rule: &'static RuleInfo,
    severity: Severity,
    /// The thresholds the rule reads.
    pub config: &'a Config,
    out: &'a mut Vec<Diagnostic>,
}

impl Findings<'_> {
    fn diagnostic(
        &self,
        file: &str,
        sheet: Option<&str>,
        sheet_index: usize,
        cell: Option<CellRef>,
        message: String,
    ) -> Diagnostic {
        Diagnostic {
            code: self.rule.code,
            name: self.rule.name,
            severity: self.severity,
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            cell,
            project: None,
            message,
            fix: None,
            fixed: false,
            sheet_index,
            table: None,
        }
    }

    /// A finding on a cell of a project table (its first cell when `cell` is unknown).
    pub fn at(
        &mut self,
        project: &Project,
        cell: Option<CellRef>,
        message: String,
    ) -> &mut Diagnostic {
        let src = &project.source;
        let table = (
            &src.file[..],
            &src.sheet[..],
            src.sheet_index,
            src.range.start,
        );
        self.on_table(table, &project.code, cell, message)
    }

    /// A finding on a table at (file, sheet, sheet index, first cell), of project `code`.
    fn on_table(
        &mut self,
        (file, sheet, sheet_index, table): (&str, &str, usize, CellRef),
        code: &str,
        cell: Option<CellRef>,
        message: String,
    ) -> &mut Diagnostic {
        let mut d = self.diagnostic(
            file,
            Some(sheet),
            sheet_index,
            cell.or(Some(table)),
            message,
        );
        d.project = Some(code.to_string()).filter(|c| !c.is_empty());
        d.table = Some(table);
        self.push(d)
    }

    /// A finding on one field of a project table.
    pub fn on(&mut self, project: &Project, field: Field, message: String) -> &mut Diagnostic {
        self.at(project, project.cell_of(field), message)
    }

    /// A fixable finding: the field, the message, and the text that should replace the field's.
    pub fn fix(&mut self, project: &Project, field: Field, message: String, replacement: String) {
        self.on(project, field, message).fix = Some(Fix {
            field,
            text: replacement,
        });
    }

    /// A finding on a project seen through the batch view.
    pub fn at_ref(
        &mut self,
        project: &ProjectRef,
        cell: Option<CellRef>,
        message: String,
    ) -> &mut Diagnostic {
        let at = &project.at;
        let table = (&at.file[..], &at.sheet[..], at.sheet_index, at.table);
        self.on_table(table, &project.code, cell, message)
    }

    /// A finding on a budget line or a department table.
    pub fn at_line(
        &mut self,
        src: &LineSource,
        project: Option<&str>,
        message: String,
    ) -> &mut Diagnostic {
        let mut d = self.diagnostic(
            &src.file,
            Some(&src.sheet),
            src.sheet_index,
            Some(src.cell),
            message,
        );
        d.project = project.filter(|c| !c.is_empty()).map(str::to_string);
        self.push(d)
    }

    /// A finding about a whole file (JX001, JX002).
    pub fn file(&mut self, file: &str, message: String) -> &mut Diagnostic {
        let d = self.diagnostic(file, None, 0, None, message);
        self.push(d)
    }

    /// True when the rule's severity was left as the catalog has it (for rules that grade
    /// their own findings, such as JX202).
    pub fn default_severity(&self) -> bool {
        !self.config.severities.contains_key(self.rule.code)
    }

    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.out.push(d);
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

/// Findings of one rule (by code) with its configured severity; `None` when it is turned off.
pub fn findings<'a>(
    code: &str,
    config: &'a Config,
    out: &'a mut Vec<Diagnostic>,
) -> Option<Findings<'a>> {
    let rule = rule(code)?;
    let severity = config.severity(rule.code, rule.severity)?;
    Some(Findings {
        rule,
        severity,
        config,
        out,
    })
}

/// Runs every rule that is not turned off, then applies the configured severities to
/// everything in `out` (including the reader's findings).
pub fn run(model: &Model, config: &Config, out: &mut Vec<Diagnostic>) {
    run_file(model, config, out);
    run_batch(&BatchView::of(model), config, out);
}

/// Every rule that needs no more than the tables given (all but the batch-wide ones): on a
/// whole model, or, streamed, on one file's.
pub fn run_file(model: &Model, config: &Config, out: &mut Vec<Diagnostic>) {
    config.apply(out);
    let projects: Vec<&Project> = model.projects().map(|(_, p)| p).collect();
    let per_project: Vec<Vec<Diagnostic>> = if projects.len() > 1 {
        projects
            .par_iter()
            .map(|p| project_findings(p, config))
            .collect()
    } else {
        projects
            .iter()
            .map(|p| project_findings(p, config))
            .collect()
    };
    out.extend(per_project.into_iter().flatten());
    run_model_rules(model, config, out);
}

/// The rules that look across the projects of a model (JX004, JX402).
pub(crate) fn run_model_rules(model: &Model, config: &Config, out: &mut Vec<Diagnostic>) {
    for rule in RULES {
        let Some(severity) = config.severity(rule.code, rule.severity) else {
            continue;
        };
        if let Check::Model(check) = rule.check {
            check(
                model,
                &mut Findings {
                    rule,
                    severity,
                    config,
                    out: &mut *out,
                },
            );
        }
    }
}

/// The batch-wide rules, on the batch's view.
pub fn run_batch(view: &BatchView, config: &Config, out: &mut Vec<Diagnostic>) {
    for rule in RULES {
        let Some(severity) = config.severity(rule.code, rule.severity) else {
            continue;
        };
        if let Check::Batch(check) = rule.check {
            check(
                view,
                &mut Findings {
                    rule,
                    severity,
                    config,
                    out: &mut *out,
                },
            );
        }
    }
}

/// The findings of every (kept) project rule on one project.
pub(crate) fn project_findings(project: &Project, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in RULES {
        let Some(severity) = config.severity(rule.code, rule.severity) else {
            continue;
        };
        if let Check::Project(check) = rule.check {
            check(
                project,
                &mut Findings {
                    rule,
                    severity,
                    config,
                    out: &mut out,
                },
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_in_code_order_and_unique() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for r in RULES {
            assert!(r.code.starts_with("JX") && r.code.len() == 5, "{}", r.code);
            for part in [r.summary, r.doc.what, r.doc.why, r.doc.fires, r.doc.quiet] {
                assert!(!part.trim().is_empty(), "{} has an empty doc part", r.code);
            }
        }
    }
}
