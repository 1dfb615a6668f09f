//! `jxmb check PATH…`: read every workbook, run the rules, print the findings.

use super::{print, Outcome};
use crate::batch;
use crate::cli::{CheckArgs, DiagnosticFormat, FailOn};
use crate::diag::render::{self, Report, Summary};
use crate::diag::{Counts, Severity};
use crate::error::Error;
use rayon::prelude::*;
use std::io::IsTerminal;

pub fn run(args: &CheckArgs) -> Result<Outcome, Error> {
    let (batch, _) = batch::load(&args.input)?;
    let counts = Counts::of(&batch.diagnostics);
    let projects = batch.model.projects().count();
    let mut out = String::new();
    match args.format {
        DiagnosticFormat::Text => {
            let color = std::io::stdout().is_terminal();
            // Lines are rendered in parallel; they are independent and keep their order.
            let lines: Vec<String> = batch
                .diagnostics
                .par_iter()
                .map(|d| render::line(d, color) + "\n")
                .collect();
            out.extend(lines);
            if !args.quiet {
                let files = batch
                    .files
                    .iter()
                    .filter(|f| f.status != render::FileStatus::Skipped)
                    .count();
                out.push_str(&render::summary_line(files, projects, counts));
                out.push('\n');
            }
        }
        DiagnosticFormat::Json => {
            let report = Report {
                summary: Summary::new(&batch.files, projects, counts),
                files: &batch.files,
                diagnostics: &batch.diagnostics,
            };
            out = serde_json::to_string_pretty(&report).unwrap_or_default();
            out.push('\n');
        }
        DiagnosticFormat::Jsonl => {
            for d in &batch.diagnostics {
                out.push_str(&serde_json::to_string(d).unwrap_or_default());
                out.push('\n');
            }
        }
    }
    print(&out)?;
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    let failed = batch.diagnostics.iter().any(|d| d.severity >= threshold);
    // The process ends here: freeing a batch's worth of model and findings one by one only
    // costs time (ripgrep does the same).
    std::mem::forget(batch);
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
