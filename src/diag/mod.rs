//! Findings about the input: what is wrong, where (file, sheet, A1 cell), and how bad.
//!
//! Rules produce `Diagnostic`s; only `render` turns them into text or JSON.

pub mod render;

use crate::check::registry::Code;
use crate::model::{CellRef, Field};
use serde::{Deserialize, Serialize, Serializer};

/// How much a finding matters. Ordered, so `--fail-on warning` is `>=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    pub code: Code,
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

/// A proposed fix: the field to change and its new text. `field` is `None` for a 自评表 cell
/// that arithmetic alone decides (its 执行率, its 总分): the finding's cell says which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub field: Option<Field>,
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
    pub fn sort_key(&self) -> (&str, usize, u32, u32, Code) {
        let (row, col) = self.cell.map(|c| (c.row, c.col)).unwrap_or((0, 0));
        (&self.file, self.sheet_index, row, col, self.code)
    }
}

/// A finding's place in the output: file rank, sheet order, row, column, rule.
type RankedKey = (usize, usize, u32, u32, Code);

/// Sorts findings into the order users read them in; stable for equal keys. File paths are
/// ranked once, so the sort compares numbers, not long paths that share their beginning.
pub fn sort(list: &mut [Diagnostic]) {
    let mut files: Vec<&str> = list.iter().map(|d| d.file.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    let rank = |file: &str| files.binary_search(&file).unwrap_or(0);
    let mut keyed: Vec<(RankedKey, usize)> = list
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let (_, sheet, row, col, code) = d.sort_key();
            ((rank(&d.file), sheet, row, col, code), i)
        })
        .collect();
    keyed.sort();
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    apply_order(list, order);
}

/// Rearranges `list` so that position k holds what was at `order[k]`.
fn apply_order(list: &mut [Diagnostic], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut k = start;
        while order[k] != start {
            let next = order[k];
            list.swap(k, next);
            order[k] = k;
            k = next;
        }
        order[k] = k;
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of<'d>(list: impl IntoIterator<Item = &'d Diagnostic>) -> Counts {
        let mut c = Counts::default();
        c.add(list);
        c
    }

    /// True when any finding is at or above `threshold` (`--fail-on`): the run exits 1.
    pub fn reach(&self, threshold: Severity) -> bool {
        self.errors > 0
            || (threshold <= Severity::Warning && self.warnings > 0)
            || (threshold <= Severity::Info && self.infos > 0)
    }

    pub fn add<'d>(&mut self, list: impl IntoIterator<Item = &'d Diagnostic>) {
        for d in list {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(file: &str, row: u32, code: Code) -> Diagnostic {
        Diagnostic {
            code,
            name: "",
            severity: Severity::Info,
            file: file.into(),
            sheet: None,
            cell: Some(CellRef::new(row, 0)),
            project: None,
            message: format!("{file}{row}{}", &code.as_str()[2..]),
            fix: None,
            fixed: false,
            sheet_index: 0,
            table: None,
        }
    }

    #[test]
    fn sorted_by_file_row_code_and_stable() {
        let mut list = vec![
            d("b", 1, Code::JX201),
            d("a", 5, Code::JX101),
            d("b", 0, Code::JX501),
            d("a", 5, Code::JX001),
            d("a", 1, Code::JX301),
        ];
        let mut twin = d("a", 1, Code::JX301);
        twin.message = "second".into();
        list.push(twin);
        sort(&mut list);
        let got: Vec<String> = list.iter().map(|x| x.message.clone()).collect();
        assert_eq!(got, ["a1301", "second", "a5001", "a5101", "b0501", "b1201"]);
    }
}
