//! `jxmb check PATH…`: read every workbook, run the rules, print the findings.
//!
//! The batch is streamed: each file is read and checked on its own (in parallel), its findings
//! are written as soon as the files before it are done, and only a compact copy of its tables
//! is kept for the rules that need the whole batch (JX403, JX501–JX504), whose findings follow
//! the last file's. Memory stays flat however many files there are.

use super::Outcome;
use crate::cli::{CheckArgs, DiagnosticFormat};
use crate::diag::render::{self, FileEntry, Summary};
use crate::diag::{Counts, Diagnostic};
use crate::error::Error;
use crate::pipeline;
use std::io::{BufWriter, IsTerminal, Write};

pub fn run(args: &CheckArgs) -> Result<Outcome, Error> {
    let inputs = args.input.resolve(args.quiet)?;
    let mut out = Output::new(args.format, std::io::stdout().is_terminal());
    out.begin()?;
    let (format, color) = (out.format, out.color);
    let render = move |d: &Diagnostic| rendered(format, color, d);
    // The file list is only printed in JSON; otherwise its counts are all the summary needs.
    let keep_files = args.format == DiagnosticFormat::Json;
    let done = pipeline::check_streamed(&inputs, keep_files, &render, |lines| out.lines(lines))?;
    out.finish(&done.files, done.summary, done.counts, args.quiet)?;
    Ok(Outcome::of(done.counts, args.fail_on.severity()))
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
