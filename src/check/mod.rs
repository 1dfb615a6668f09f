//! The rule catalog (SPEC §4): one table of every rule, and `run` to apply them to a model.
//!
//! A rule is a plain function over the model that pushes findings; its code, name, default
//! severity, fixability and documentation sit beside it in `RULES`, the one list `jxmb rules`
//! prints and `check` runs.

mod fields;

use crate::diag::{Diagnostic, Severity};
use crate::model::{CellRef, Model, Project};

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
    /// Looks across the whole batch.
    Model(fn(&Model, &mut Findings)),
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
];

/// Looks a rule up by its code (`JX204`, case-insensitive).
pub fn rule(code: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// Where a rule's findings go; fills in the rule's code, name and severity.
pub struct Findings<'a> {
    rule: &'static RuleInfo,
    out: &'a mut Vec<Diagnostic>,
}

impl Findings<'_> {
    /// A finding on a cell of a project table.
    pub fn at(
        &mut self,
        project: &Project,
        cell: Option<CellRef>,
        message: String,
    ) -> &mut Diagnostic {
        let cell = cell.or(Some(project.source.range.start));
        self.push(Diagnostic {
            code: self.rule.code,
            name: self.rule.name,
            severity: self.rule.severity,
            file: project.source.file.clone(),
            sheet: Some(project.source.sheet.clone()),
            cell,
            project: Some(project.code.clone()).filter(|c| !c.is_empty()),
            message,
            fix: None,
            fixed: false,
            sheet_index: project.source.sheet_index,
        })
    }

    /// A finding at any location (budget lines, department tables).
    pub fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.out.push(d);
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// A finding about a whole file (JX001, JX002).
    pub fn file(&mut self, file: &str, message: String) -> &mut Diagnostic {
        self.push(Diagnostic {
            code: self.rule.code,
            name: self.rule.name,
            severity: self.rule.severity,
            file: file.to_string(),
            sheet: None,
            cell: None,
            project: None,
            message,
            fix: None,
            fixed: false,
            sheet_index: 0,
        })
    }
}

/// Findings of one rule, written into `out`.
pub fn findings<'a>(code: &str, out: &'a mut Vec<Diagnostic>) -> Findings<'a> {
    let rule = rule(code).unwrap_or(&RULES[0]);
    Findings { rule, out }
}

/// Runs every project and model rule over the model.
pub fn run(model: &Model, out: &mut Vec<Diagnostic>) {
    for rule in RULES {
        let mut f = Findings {
            rule,
            out: &mut *out,
        };
        match rule.check {
            Check::Reader => {}
            Check::Project(check) => {
                for (_, project) in model.projects() {
                    check(project, &mut f);
                }
            }
            Check::Model(check) => check(model, &mut f),
        }
    }
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
