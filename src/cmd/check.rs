//! `jxmb check PATH…`: read every workbook, run the rules, print the findings.
//!
//! The batch is streamed: each file is read and checked on its own (in parallel), its findings
//! are written as soon as the files before it are done, and only a compact copy of its tables
//! is kept for the rules that need the whole batch (JX403, JX501–JX504), whose findings follow
//! the last file's. Memory stays flat however many files there are.

use super::Outcome;
use crate::batch::{self, Checked, Progress};
use crate::check::{self, codes::SeenCodes};
use crate::cli::{CheckArgs, DiagnosticFormat, FailOn};
use crate::config::Config;
use crate::diag::render::{self, FileEntry, FileStatus, Summary};
use crate::diag::{self, Counts, Diagnostic, Severity};
use crate::error::Error;
use crate::reconcile::BatchView;
use std::io::{BufWriter, IsTerminal, Write};

pub fn run(args: &CheckArgs) -> Result<Outcome, Error> {
    batch::QUIET.store(args.quiet, std::sync::atomic::Ordering::Relaxed);
    let config = Config::for_inputs(args.input.config.as_deref(), &args.input.paths)?;
    let files = batch::collect(&args.input.paths)?;
    let budget = batch::budget_file(&args.input)?;
    let mut out = Output::new(args.format, std::io::stdout().is_terminal());
    out.begin()?;
    let (format, color) = (out.format, out.color);
    let render = move |d: &Diagnostic| rendered(format, color, d);
    let progress = Progress::new(files.len(), "检查");
    let mut seen = SeenCodes::default();
    let mut view = BatchView::default();
    // The file list is only printed in JSON; otherwise its counts are all the summary needs.
    let keep_entries = args.format == DiagnosticFormat::Json;
    let mut entries: Vec<FileEntry> = Vec::new();
    let (mut file_count, mut table_count) = (0, 0);
    let mut counts = Counts::default();
    let mut failure = Ok(());
    batch::stream(&files, &config, &render, |mut file: Checked| {
        let mut repeats = Vec::new();
        seen.check_file(
            file.compact.projects.iter().map(|(_, p)| p),
            &view,
            &config,
            &mut repeats,
        );
        if !repeats.is_empty() {
            file.findings.extend(repeats);
            diag::sort(&mut file.findings);
            file.rendered = file.findings.iter().map(&render).collect();
        }
        counts.add(&file.findings);
        if failure.is_ok() {
            failure = progress.suspend(|| out.lines(&file.rendered));
        }
        progress.tick();
        // Only what the batch-wide rules need is kept, copied here, packed with the rest.
        let placed = view.add_file(&file.compact);
        seen.remember(&view, &placed);
        file_count += usize::from(file.entry.status != FileStatus::Skipped);
        table_count += file.entry.tables;
        if keep_entries {
            entries.push(file.entry.clone());
        }
    });
    progress.done();
    failure?;
    view.finish();
    if let Some(lines) = budget {
        view.replace_budget_lines(lines);
    }
    let mut batch_findings = Vec::new();
    check::run_batch(&view, &config, &mut batch_findings);
    diag::sort(&mut batch_findings);
    counts.add(&batch_findings);
    let lines: Vec<String> = batch_findings.iter().map(&render).collect();
    out.lines(&lines)?;
    let summary = Summary {
        files: file_count,
        tables: table_count,
        projects: view.project_count(),
        errors: counts.errors,
        warnings: counts.warnings,
        infos: counts.infos,
    };
    out.finish(&entries, summary, counts, args.quiet)?;
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    let failed = counts.errors > 0 || (threshold == Severity::Warning && counts.warnings > 0);
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// One finding in the output format (worker threads call this).
fn rendered(format: DiagnosticFormat, color: bool, d: &Diagnostic) -> String {
    match format {
        DiagnosticFormat::Text => render::line(d, color) + "\n",
        DiagnosticFormat::Jsonl => serde_json::to_string(d).unwrap_or_default() + "\n",
        DiagnosticFormat::Json => serde_json::to_string(d).unwrap_or_default(),
    }
}

/// Where findings are written, in the chosen format, as they come.
struct Output {
    format: DiagnosticFormat,
    color: bool,
    w: BufWriter<std::io::Stdout>,
    written: usize,
}

impl Output {
    fn new(format: DiagnosticFormat, color: bool) -> Output {
        Output {
            format,
            color,
            w: BufWriter::with_capacity(1 << 16, std::io::stdout()),
            written: 0,
        }
    }

    /// A closed pipe (`jxmb check … | head`) ends the run quietly.
    fn write(&mut self, text: &str) -> Result<(), Error> {
        match self.w.write_all(text.as_bytes()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
            Err(source) => Err(Error::Output {
                path: "<stdout>".into(),
                source,
            }),
        }
    }

    fn begin(&mut self) -> Result<(), Error> {
        match self.format {
            DiagnosticFormat::Json => self.write("{\n  \"diagnostics\": ["),
            _ => Ok(()),
        }
    }

    /// Writes findings already rendered by `rendered`.
    fn lines(&mut self, rendered: &[String]) -> Result<(), Error> {
        for text in rendered {
            if self.format == DiagnosticFormat::Json {
                let sep = if self.written == 0 {
                    "\n    "
                } else {
                    ",\n    "
                };
                self.write(sep)?;
            }
            self.write(text)?;
            self.written += 1;
        }
        Ok(())
    }

    fn finish(
        &mut self,
        files: &[FileEntry],
        summary: Summary,
        counts: Counts,
        quiet: bool,
    ) -> Result<(), Error> {
        let projects = summary.projects;
        match self.format {
            DiagnosticFormat::Text if !quiet => {
                let line = render::summary_line(summary.files, projects, counts) + "\n";
                self.write(&line)?;
            }
            DiagnosticFormat::Json => {
                let files = serde_json::to_string_pretty(files)
                    .unwrap_or_default()
                    .replace('\n', "\n  ");
                let summary = serde_json::to_string_pretty(&summary)
                    .unwrap_or_default()
                    .replace('\n', "\n  ");
                let tail = format!("\n  ],\n  \"files\": {files},\n  \"summary\": {summary}\n}}\n");
                self.write(&tail)?;
            }
            _ => {}
        }
        match self.w.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
            other => other.map_err(|source| Error::Output {
                path: "<stdout>".into(),
                source,
            }),
        }
    }
}
