//! The rule catalog (SPEC §4): one table of every rule, and `run` to apply them to a model.
//!
//! A rule is a plain function over the model that pushes findings; its code, name, default
//! severity, fixability and documentation sit beside it in `RULES`, the one list `jxmb rules`
//! prints and `check` runs.

pub mod codes;
mod evaluation;
mod fields;
pub mod fix;
mod funds;
mod indicators;
mod overall;
mod reconciliation;
pub mod registry;
mod text;

pub use fields::NO_TABLE_MESSAGE;
pub use registry::{Code, Family};

use crate::config::Config;
use crate::diag::{Diagnostic, Fix, Severity};
use crate::model::{
    BudgetLine, CellRef, Evaluation, Field, LineSource, Model, ParagraphSource, Project,
};
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

/// How a rule runs. Each kind has one meaning in every command: a rule sees one table at a
/// time, or the whole batch through its compact view — never "whatever model it is given".
#[derive(Clone, Copy)]
pub enum Check {
    /// Found while reading a file (unreadable, no table); the batch reports these.
    Reader,
    /// Looks at one project table at a time.
    Project(fn(&Project, &mut Findings)),
    /// Looks at one line of a 项目支出预算表 at a time.
    Line(fn(&BudgetLine, &mut Findings)),
    /// Looks at one 自评表 at a time.
    Evaluation(fn(&Evaluation, &mut Findings)),
    /// Needs the whole batch, seen through its compact view (JX402, JX403, JX501–JX504).
    Batch(fn(&BatchView, &mut Findings)),
}

pub struct RuleInfo {
    pub code: Code,
    pub severity: Severity,
    pub fixable: Fixable,
    pub summary: &'static str,
    pub doc: RuleDoc,
    /// How it runs: most rules one way; JX004 looks at project tables and budget lines alike.
    pub checks: &'static [Check],
}

impl RuleInfo {
    pub fn name(&self) -> &'static str {
        self.code.name()
    }

    pub fn family(&self) -> Family {
        self.code.family()
    }

    /// Found by the reader, not by a check over the model (JX001, JX002).
    pub fn is_reader(&self) -> bool {
        self.checks.iter().all(|c| matches!(c, Check::Reader))
    }

    fn project_checks(&self) -> impl Iterator<Item = fn(&Project, &mut Findings)> {
        self.checks.iter().filter_map(|c| match c {
            Check::Project(f) => Some(*f),
            _ => None,
        })
    }

    fn line_checks(&self) -> impl Iterator<Item = fn(&BudgetLine, &mut Findings)> {
        self.checks.iter().filter_map(|c| match c {
            Check::Line(f) => Some(*f),
            _ => None,
        })
    }

    fn evaluation_checks(&self) -> impl Iterator<Item = fn(&Evaluation, &mut Findings)> {
        self.checks.iter().filter_map(|c| match c {
            Check::Evaluation(f) => Some(*f),
            _ => None,
        })
    }

    fn batch_checks(&self) -> impl Iterator<Item = fn(&BatchView, &mut Findings)> {
        self.checks.iter().filter_map(|c| match c {
            Check::Batch(f) => Some(*f),
            _ => None,
        })
    }
}

/// Every family's rules (each family file lists its own).
const FAMILIES: [&[RuleInfo]; 8] = [
    fields::RULES,
    funds::RULES,
    indicators::RULES,
    text::RULES,
    codes::RULES,
    reconciliation::RULES,
    overall::RULES,
    evaluation::RULES,
];

/// Every rule, in code order, indexed by [`Code::index`].
static CATALOG: std::sync::LazyLock<Vec<&'static RuleInfo>> = std::sync::LazyLock::new(|| {
    let mut all: Vec<&'static RuleInfo> = FAMILIES.iter().flat_map(|f| f.iter()).collect();
    all.sort_by_key(|r| r.code);
    all
});

/// Every rule, in code order.
pub fn rules() -> &'static [&'static RuleInfo] {
    &CATALOG
}

/// The rule of a code. Every code has one (a test checks it).
pub fn rule(code: Code) -> &'static RuleInfo {
    CATALOG[code.index()]
}

/// Looks a rule up by the code a user typed (`JX204`, case-insensitive).
pub fn rule_named(code: &str) -> Option<&'static RuleInfo> {
    Code::parse(code).map(rule)
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
            name: self.rule.name(),
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
            field: Some(field),
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
        let table = (
            &at.file[..],
            &at.sheet[..],
            at.sheet_index as usize,
            at.table,
        );
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

    /// A finding on a cell of a 自评表 (its first cell when `cell` is unknown).
    pub fn at_evaluation(
        &mut self,
        e: &Evaluation,
        cell: Option<CellRef>,
        message: String,
    ) -> &mut Diagnostic {
        let src = &e.source;
        let mut d = self.diagnostic(
            &src.file,
            Some(&src.sheet),
            src.sheet_index,
            cell.or(Some(src.cell)),
            message,
        );
        d.project = Some(e.code.clone()).filter(|c| !c.is_empty());
        self.push(d)
    }

    /// A finding on a paragraph of a Word document (`文件.docx:第12段`).
    pub fn at_paragraph(
        &mut self,
        src: &ParagraphSource,
        project: Option<&str>,
        message: String,
    ) -> &mut Diagnostic {
        let mut d = self.diagnostic(&src.file, Some(&src.shown()), src.position, None, message);
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
        !self.config.severities.contains_key(&self.rule.code)
    }

    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.out.push(d);
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

/// Findings of one rule (by code) with its configured severity; `None` when it is turned off.
pub fn findings<'a>(
    code: Code,
    config: &'a Config,
    out: &'a mut Vec<Diagnostic>,
) -> Option<Findings<'a>> {
    let rule = rule(code);
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

/// Every rule that looks at one table at a time (all but the batch-wide ones), on each table
/// of `model`: a whole batch's or, streamed, one file's — the same findings either way.
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
    for line in model.departments.iter().flat_map(|d| &d.budget_lines) {
        run_each(config, out, |rule, f| {
            rule.line_checks().for_each(|check| check(line, f))
        });
    }
    run_evaluations(
        model.departments.iter().flat_map(|d| &d.evaluations),
        config,
        out,
    );
}

/// The rules that look at one 自评表 at a time, on each of `evaluations`.
pub(crate) fn run_evaluations<'e>(
    evaluations: impl Iterator<Item = &'e Evaluation>,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) {
    for e in evaluations {
        run_each(config, out, |rule, f| {
            rule.evaluation_checks().for_each(|check| check(e, f))
        });
    }
}

/// Calls `run` with each rule that is not turned off and a place for its findings.
fn run_each(
    config: &Config,
    out: &mut Vec<Diagnostic>,
    mut run: impl FnMut(&'static RuleInfo, &mut Findings),
) {
    for &rule in rules() {
        let Some(severity) = config.severity(rule.code, rule.severity) else {
            continue;
        };
        run(
            rule,
            &mut Findings {
                rule,
                severity,
                config,
                out: &mut *out,
            },
        );
    }
}

/// The batch-wide rules, on the batch's view.
pub fn run_batch(view: &BatchView, config: &Config, out: &mut Vec<Diagnostic>) {
    run_each(config, out, |rule, f| {
        rule.batch_checks().for_each(|check| check(view, f))
    });
}

/// The findings of every (kept) project rule on one project.
pub(crate) fn project_findings(project: &Project, config: &Config) -> Vec<Diagnostic> {
    let mut out = rule_findings(project, config);
    fix::combine_proposals(project, config, &mut out);
    out
}

/// Another table named in a message: its sheet (`表1`, `表3、4`) when it is in the file the
/// finding is in (`from`), else `文件.xlsx:表1`.
pub(super) fn place(file: &str, sheet: &str, from: &str) -> String {
    if file == from {
        sheet.to_string()
    } else {
        format!("{file}:{}", crate::model::cell::quote_sheet_name(sheet))
    }
}

/// `E10、E11、E12` — the cells (or anything shown) a finding is about, shortened after six.
pub fn listed<T: std::fmt::Display>(items: impl Iterator<Item = T>) -> String {
    let all: Vec<String> = items.map(|i| i.to_string()).collect();
    match all.len() {
        0..=6 => all.join("、"),
        n => format!("{} 等 {n} 处", all[..6].join("、")),
    }
}

/// `F10:F16、E12` — cells, runs down a column as ranges (each pasteable into the Name Box).
pub(crate) fn cells_listed(cells: &[crate::model::CellRef]) -> String {
    let mut runs: Vec<(crate::model::CellRef, crate::model::CellRef)> = Vec::new();
    for &c in cells {
        match runs.last_mut() {
            Some((_, end)) if end.col == c.col && end.row + 1 == c.row => *end = c,
            _ => runs.push((c, c)),
        }
    }
    listed(runs.iter().map(|(a, b)| {
        if a == b {
            a.to_string()
        } else {
            format!("{a}:{b}")
        }
    }))
}

/// Every per-table rule's findings on one project, each proposing its own fix.
fn rule_findings(project: &Project, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    run_each(config, &mut out, |rule, f| {
        rule.project_checks().for_each(|check| check(project, f))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_exactly_one_rule() {
        let all: Vec<Code> = FAMILIES
            .iter()
            .flat_map(|f| f.iter())
            .map(|r| r.code)
            .collect();
        let mut sorted = all.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), all.len(), "a code defined twice");
        assert_eq!(sorted, Code::ALL, "a code without its rule");
        for (i, r) in rules().iter().enumerate() {
            assert_eq!(r.code.index(), i);
            assert!(!r.checks.is_empty(), "{} never runs", r.code);
        }
    }

    #[test]
    fn each_family_file_holds_its_familys_rules() {
        for family in FAMILIES {
            let first = family[0].family();
            assert!(family.iter().all(|r| r.family() == first));
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for r in rules() {
            for part in [r.summary, r.doc.what, r.doc.why, r.doc.fires, r.doc.quiet] {
                assert!(!part.trim().is_empty(), "{} has an empty doc part", r.code);
            }
        }
    }
}
