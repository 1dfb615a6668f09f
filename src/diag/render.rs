//! Renders findings for people (one line each, Excel-pasteable locations) and for machines
//! (the `check --format json` report document, or JSON Lines).

use super::{Counts, Diagnostic, Severity};
use crate::model::cell::quote_sheet_name;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;

/// `劳务费.xlsx:劳务费!E12: 错误[JX204] 成本指标…` — sheet and cell as Excel's Name Box takes them.
pub fn line(d: &Diagnostic, color: bool) -> String {
    // Put together piece by piece: `check` prints a line per finding, hundreds of thousands
    // in a province's batch (room for the newline the caller adds, and the colors).
    let fix = d.fix.as_ref().map_or(0, |f| f.text.len() + 24);
    let mut out = String::with_capacity(d.file.len() + d.message.len() + fix + 64);
    out.push_str(&d.file);
    if let Some(sheet) = &d.sheet {
        out.push(':');
        out.push_str(&quote_sheet_name(sheet));
        if let Some(cell) = d.cell {
            let _ = write!(out, "!{cell}");
        }
    }
    // 错误 / 警告 / 提示, as the summary line and 问题清单 say them (JSON keeps `error`…).
    let severity = d.severity.chinese();
    let code = d.code.as_str();
    if color {
        let tint = match d.severity {
            Severity::Error => "31",
            Severity::Warning => "33",
            Severity::Info => "36",
        };
        for piece in [
            ": \x1b[1;",
            tint,
            "m",
            severity,
            "\x1b[0m[\x1b[1m",
            code,
            "\x1b[0m] ",
        ] {
            out.push_str(piece);
        }
    } else {
        for piece in [": ", severity, "[", code, "] "] {
            out.push_str(piece);
        }
    }
    out.push_str(&d.message);
    if let Some(fix) = &d.fix {
        out.push_str("（建议改为“");
        out.push_str(&fix.text);
        out.push_str("”）");
    }
    out
}

/// `8 个文件 · 16 个项目 · 0 错误 · 23 警告 · 56 提示`
pub fn summary_line(files: usize, projects: usize, counts: Counts) -> String {
    format!(
        "{files} 个文件 · {projects} 个项目 · {} 错误 · {} 警告 · {} 提示",
        counts.errors, counts.warnings, counts.infos
    )
}

/// Writes the report document, a finding per line inside `diagnostics` (as `check --format
/// json` streams it): readable, and a tenth the size of pretty-printing every finding. Written
/// as it goes, so the document is never one string in memory.
pub fn write_report_json(report: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    let files = report.files.iter().map(file_json);
    let diagnostics = report.diagnostics.iter().map(Ok);
    write_report_parts(w, diagnostics, files, &report.summary)
}

/// The report document from its parts as they come: the findings in order, each file's line
/// as [`file_json`] writes it (a streamed batch keeps them in spill files), the summary.
pub fn write_report_parts<D: std::ops::Deref<Target = Diagnostic>>(
    w: &mut dyn Write,
    diagnostics: impl Iterator<Item = std::io::Result<D>>,
    files: impl Iterator<Item = std::io::Result<String>>,
    summary: &Summary,
) -> std::io::Result<()> {
    w.write_all(b"{\n  \"diagnostics\": [")?;
    for (n, d) in diagnostics.enumerate() {
        w.write_all(if n == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut *w, &*d?)?;
    }
    w.write_all(b"\n  ],\n  \"files\": [")?;
    let mut any = false;
    for (n, file) in files.enumerate() {
        if n > 0 {
            w.write_all(b",")?;
        }
        w.write_all(file?.as_bytes())?;
        any = true;
    }
    if any {
        w.write_all(b"\n  ")?;
    }
    let summary = serde_json::to_string_pretty(summary)?.replace('\n', "\n  ");
    write!(w, "],\n  \"summary\": {summary}\n}}\n")
}

/// One file's entry in the report's `files` list, indented as the list's pretty print has it.
pub fn file_json(file: &FileEntry) -> std::io::Result<String> {
    let one = serde_json::to_string_pretty(std::slice::from_ref(file))?;
    // `[\n  {…}\n]` less its brackets: the entry as the list holds it.
    let inner = one
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix("\n]"))
        .unwrap_or(&one);
    Ok(inner.replace('\n', "\n  "))
}

/// The report document of SPEC §5 (`check --format json`, `report.json`).
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub summary: Summary,
    pub files: &'a [FileEntry],
    pub diagnostics: &'a [Diagnostic],
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Summary {
    pub files: usize,
    pub tables: usize,
    pub projects: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// One input file and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileEntry {
    pub path: String,
    pub status: FileStatus,
    pub projects: Vec<String>,
    #[serde(skip)]
    pub tables: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileStatus {
    Ok,
    Unreadable,
    NoTable,
    Skipped,
}

impl Summary {
    pub fn new(files: &[FileEntry], projects: usize, counts: Counts) -> Summary {
        Summary {
            files: files
                .iter()
                .filter(|f| f.status != FileStatus::Skipped)
                .count(),
            tables: files.iter().map(|f| f.tables).sum(),
            projects,
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CellRef;

    fn diag(sheet: Option<&str>, cell: Option<CellRef>) -> Diagnostic {
        Diagnostic {
            code: crate::check::Code::JX204,
            name: "cost-vs-budget",
            severity: Severity::Error,
            file: "lunan/劳务费.xlsx".into(),
            sheet: sheet.map(str::to_string),
            cell,
            project: None,
            message: "成本指标 19.92万元 与预算数 17.92万元 不一致".into(),
            fix: None,
            fixed: false,
            sheet_index: 0,
            table: None,
        }
    }

    #[test]
    fn plain_line() {
        let d = diag(Some("劳务费"), Some(CellRef::new(11, 4)));
        assert_eq!(line(&d, false), "lunan/劳务费.xlsx:劳务费!E12: 错误[JX204] 成本指标 19.92万元 与预算数 17.92万元 不一致");
    }

    #[test]
    fn quoted_sheet_and_file_level() {
        let d = diag(Some("Sheet 1"), Some(CellRef::new(0, 0)));
        assert!(line(&d, false).starts_with("lunan/劳务费.xlsx:'Sheet 1'!A1: 错误[JX204]"));
        let d = diag(None, None);
        assert!(line(&d, false).starts_with("lunan/劳务费.xlsx: 错误[JX204]"));
    }

    #[test]
    fn colored_line_with_a_fix_and_a_sheet_without_a_cell() {
        let mut d = diag(Some("劳务费"), None);
        d.severity = Severity::Warning;
        d.fix = Some(crate::diag::Fix {
            field: None,
            text: "17.92万元".into(),
        });
        assert_eq!(
            line(&d, true),
            "lunan/劳务费.xlsx:劳务费: \x1b[1;33m警告\x1b[0m[\x1b[1mJX204\x1b[0m] \
             成本指标 19.92万元 与预算数 17.92万元 不一致（建议改为“17.92万元”）"
        );
    }

    #[test]
    fn summary_text() {
        let c = Counts {
            errors: 0,
            warnings: 23,
            infos: 56,
        };
        assert_eq!(
            summary_line(8, 16, c),
            "8 个文件 · 16 个项目 · 0 错误 · 23 警告 · 56 提示"
        );
    }
}
