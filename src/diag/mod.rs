//! Findings about the input: what is wrong, where (file, sheet, A1 cell), and how bad.
//!
//! Rules produce `Diagnostic`s; only `render` turns them into text or JSON.

pub mod render;

use crate::model::{CellRef, Field};
use serde::{Serialize, Serializer};

/// How much a finding matters. Ordered, so `--fail-on warning` is `>=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The word users read in Chinese summaries.
    pub fn chinese(self) -> &'static str {
        match self {
            Severity::Info => "提示",
            Severity::Warning => "警告",
            Severity::Error => "错误",
        }
    }
}

/// One finding about the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<CellRef>,
    /// The 项目编码 the finding belongs to; `None` for file-level findings.
    pub project: Option<String>,
    /// One Chinese sentence: what is wrong and what the numbers are.
    pub message: String,
    /// The proposed replacement, for fixable findings (JSON shows its text).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "fix_text")]
    pub fix: Option<Fix>,
    /// True when `convert` applied the fix.
    pub fixed: bool,
    /// The sheet's position in its workbook, for sorting in tab order.
    #[serde(skip)]
    pub sheet_index: usize,
    /// The first cell of the table the finding belongs to: with file and sheet, it names the
    /// project table, so `convert` can apply the fix and place a note on the rewritten sheet.
    #[serde(skip)]
    pub table: Option<CellRef>,
}

/// A proposed fix: the field to change and its new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub field: Field,
    pub text: String,
}

fn fix_text<S: Serializer>(fix: &Option<Fix>, s: S) -> Result<S::Ok, S::Error> {
    match fix {
        Some(f) => s.serialize_str(&f.text),
        None => s.serialize_none(),
    }
}

impl Diagnostic {
    /// The order findings are shown in: file, sheet order, row, column, rule.
    pub fn sort_key(&self) -> (&str, usize, u32, u32, &str) {
        let (row, col) = self.cell.map(|c| (c.row, c.col)).unwrap_or((0, 0));
        (&self.file, self.sheet_index, row, col, self.code)
    }
}

/// Sorts findings into the order users read them in; stable for equal keys.
pub fn sort(list: &mut [Diagnostic]) {
    list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(list: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in list {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}
