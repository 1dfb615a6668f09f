//! The pipeline under every command: load (read the inputs) → check (run the rules) → fix →
//! write (corrected workbooks, 汇总.xlsx, report.json).
//!
//! It takes plain, resolved options ([`Inputs`]), never the command line: `cli` turns the
//! arguments into these once, the way ripgrep turns its low-level arguments into high-level
//! ones, and `cmd/` is a short script over what is here.

use crate::batch::{self, Batch, Checked, InputFile, Render};
use crate::check::{self, fix::fix_until_stable, fix::Fixed};
use crate::config::Config;
use crate::diag::render::{self, FileEntry, FileStatus, Report, Summary};
use crate::diag::{self, Counts};
use crate::error::Error;
use crate::model::{BudgetLine, Unit};
use crate::output::{self, input_file_set, safe_relative_xlsx};
use crate::progress::Progress;
use crate::read;
use crate::reconcile::BatchView;
use crate::write::{self, corrected::Written};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub mod streamed;

/// Where `convert` (and `watch`, and `apply`) put the corrected workbooks, inside the output.
pub const CORRECTED: &str = "corrected";
/// The roll-up's file name.
pub const ROLLUP: &str = "汇总.xlsx";
/// The report's file name.
pub const REPORT: &str = "report.json";

/// What a reading command reads, resolved: the paths, the settings, the department budget.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Workbooks and folders, as given.
    pub paths: Vec<PathBuf>,
    /// `--budget FILE`: a 项目支出预算表 that replaces any found among the inputs.
    pub budget: Option<PathBuf>,
    /// `jxmb.toml`: given, found in an input folder, or the defaults.
    pub config: Config,
    /// `-q`: no progress bar.
    pub quiet: bool,
}

impl Inputs {
    /// The inputs with the config given by `config_file`, else a `jxmb.toml` in the first
    /// input folder that has one, else the defaults.
    pub fn new(
        paths: Vec<PathBuf>,
        budget: Option<PathBuf>,
        config_file: Option<&Path>,
        quiet: bool,
    ) -> Result<Inputs, Error> {
        let config = Config::for_inputs(config_file, &paths)?;
        Ok(Inputs {
            paths,
            budget,
            config,
            quiet,
        })
    }

    /// The lines of `--budget FILE`, if given.
    pub fn budget_lines(&self) -> Result<Option<Vec<(Unit, BudgetLine)>>, Error> {
        let Some(path) = &self.budget else {
            return Ok(None);
        };
        read::read_budget_file(path)
            .map(Some)
            .map_err(|why| Error::Usage(format!("无法读取预算文件“{}”：{why}", path.display())))
    }

    /// A progress bar for `total` files, unless `-q`.
    pub fn progress(&self, total: usize, doing: &'static str) -> Progress {
        Progress::new(total, doing, self.quiet)
    }
}

/// Reads the input files and `--budget` into a batch, without running the rules.
pub fn read(inputs: &Inputs) -> Result<Batch, Error> {
    let files = workbooks(&inputs.paths)?;
    let progress = inputs.progress(files.len(), "读取");
    let mut batch = batch::read(&files, &inputs.config.limits, &progress);
    progress.done();
    if let Some(lines) = inputs.budget_lines()? {
        batch.model.replace_budget_lines(lines);
    }
    Ok(batch)
}

/// Reads the inputs and runs every rule; the batch's findings are sorted and carry their
/// configured severities.
pub fn load(inputs: &Inputs) -> Result<Batch, Error> {
    let mut batch = read(inputs)?;
    check::run(&batch.model, &inputs.config, &mut batch.diagnostics);
    diag::sort(&mut batch.diagnostics);
    Ok(batch)
}

/// What a streamed check found in all.
pub struct CheckRun {
    /// Every file's report line, when asked for (only the JSON report prints them).
    pub files: Vec<FileEntry>,
    pub summary: Summary,
    pub counts: Counts,
}

/// Checks the inputs file by file (streamed: memory stays flat however many files), handing
/// each file's rendered findings to `emit` in input order, then the batch-wide findings
/// (JX402, JX403, JX501–JX504), which need every file first.
pub fn check_streamed(
    inputs: &Inputs,
    keep_files: bool,
    render: &Render,
    mut emit: impl FnMut(&[String]) -> Result<(), Error>,
) -> Result<CheckRun, Error> {
    let files = workbooks(&inputs.paths)?;
    let budget = inputs.budget_lines()?;
    let progress = inputs.progress(files.len(), "检查");
    let mut view = BatchView::default();
    let mut entries: Vec<FileEntry> = Vec::new();
    let (mut file_count, mut table_count) = (0, 0);
    let mut counts = Counts::default();
    let mut failure = Ok(());
    batch::stream(&files, &inputs.config, render, |file: Checked| {
        counts.add(&file.findings);
        if failure.is_ok() {
            failure = progress.suspend(|| emit(&file.rendered));
        }
        progress.tick();
        // Only what the batch-wide rules need is kept.
        view.add_file(&file.compact);
        file_count += usize::from(file.entry.status != FileStatus::Skipped);
        table_count += file.entry.tables;
        if keep_files {
            entries.push(file.entry);
        }
    });
    progress.done();
    failure?;
    view.finish();
    if let Some(lines) = budget {
        view.replace_budget_lines(lines);
    }
    fill_measures(&mut view, &files, &inputs.config);
    let mut batch_findings = Vec::new();
    check::run_batch(&view, &inputs.config, &mut batch_findings);
    diag::sort(&mut batch_findings);
    counts.add(&batch_findings);
    let lines: Vec<String> = batch_findings.iter().map(render).collect();
    emit(&lines)?;
    let summary = Summary {
        files: file_count,
        tables: table_count,
        projects: view.project_count(),
        errors: counts.errors,
        warnings: counts.warnings,
        infos: counts.infos,
    };
    Ok(CheckRun {
        files: entries,
        summary,
        counts,
    })
}

/// Reads again the few files whose projects a 部门整体 item or a 自评表 is compared with
/// (JX507, JX605), and gives those projects their indicators' measures: the streamed view
/// keeps none (a few hundred bytes a project, which a province's batch would hold for nothing).
/// A file that cannot be read the second time leaves its projects without: nothing is compared.
pub(crate) fn fill_measures(view: &mut BatchView, files: &[InputFile], config: &Config) {
    let reread = |f: &InputFile| -> std::io::Result<Vec<crate::model::Project>> {
        Ok(read::read_file_within(&f.path, &f.shown(), &config.limits)
            .map(|c| c.projects.into_iter().map(|(_, p)| p).collect())
            .unwrap_or_default())
    };
    // Reading a file again cannot fail here: an unreadable one gives no projects.
    let _ = fill_measures_from(view, files, reread);
}

/// Gives the projects of `view` that need their measures ([`BatchView::needing_measures`])
/// the measures of the same table (sheet, first cell) among `projects_of` their file.
pub(crate) fn fill_measures_from(
    view: &mut BatchView,
    files: &[InputFile],
    mut projects_of: impl FnMut(&InputFile) -> std::io::Result<Vec<crate::model::Project>>,
) -> std::io::Result<()> {
    let mut by_file: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (d, p) in view.needing_measures() {
        let file = view.departments[d].projects[p].at.file.to_string();
        by_file.entry(file).or_default().push((d, p));
    }
    if by_file.is_empty() {
        return Ok(());
    }
    for input in files {
        let Some(places) = by_file.get(&input.shown()) else {
            continue;
        };
        for project in projects_of(input)? {
            for &(d, p) in places {
                let dept = &mut view.departments[d];
                let at = &dept.projects[p].at;
                if *at.sheet == *project.source.sheet && at.table == project.source.range.start {
                    dept.measures.insert(p, project.measures());
                }
            }
        }
    }
    Ok(())
}

/// What writing a batch's outputs did.
pub struct Converted {
    pub written: Vec<Written>,
    pub fixed: Fixed,
    /// The findings left after fixing.
    pub counts: Counts,
    pub summary: Summary,
}

/// Fixes the batch and writes its outputs into `out`: `corrected/` (each input at its relative
/// place), `汇总.xlsx` and `report.json`, each atomically. What `convert` and `watch` share.
pub fn convert(
    batch: &mut Batch,
    config: &Config,
    out: &Path,
    quiet: bool,
) -> Result<Converted, Error> {
    output::remove_stale_temps(out);
    let fixing = Progress::working(batch.files.len(), "检查并修正", quiet);
    let mut fixed = fix_until_stable(&mut batch.model, config, &batch.diagnostics);
    fixing.done();
    // The outputs name each file as it sits under its input folder (`2025/劳务费.xlsx`), not
    // by the path it was reached through (`/home/…/收件箱/2025/劳务费.xlsx`).
    let relative: BTreeMap<String, String> = batch
        .inputs
        .iter()
        .map(|f| (f.shown(), f.relative().to_string_lossy().into_owned()))
        .collect();
    let rename = |file: &str| relative.get(file).cloned();
    fixed.rename_files(rename);
    batch.model.rename_files(rename);
    for f in &mut batch.files {
        if let Some(new) = rename(&f.path) {
            f.path = new;
        }
    }
    let inputs = input_file_set(batch.inputs.iter().map(|f| f.path.as_path()));
    let places: BTreeMap<String, PathBuf> = batch
        .inputs
        .iter()
        .map(|f: &InputFile| {
            let relative = f.relative().to_string_lossy().into_owned();
            let place = safe_relative_xlsx(&relative);
            (relative, place)
        })
        .collect();
    let place = |source: &str| {
        places
            .get(source)
            .cloned()
            .unwrap_or_else(|| safe_relative_xlsx(source))
    };
    let counts = Counts::of(fixed.remaining());
    let summary = Summary::new(&batch.files, batch.model.projects().count(), counts);
    let written = write_outputs(
        &Outputs {
            model: &batch.model,
            report: &fixed.report,
            files: &batch.files,
            summary,
            out,
            quiet,
        },
        fixed.remaining(),
        place,
        |p| output::is_input_file(p, &inputs),
    )?;
    Ok(Converted {
        written,
        fixed,
        counts,
        summary,
    })
}

/// What `convert` and `apply` write, and from what.
struct Outputs<'a> {
    model: &'a crate::model::Model,
    /// report.json's and 问题清单's findings.
    report: &'a [diag::Diagnostic],
    files: &'a [FileEntry],
    summary: Summary,
    out: &'a Path,
    quiet: bool,
}

/// Writes `OUT/corrected/…` (each source at `place(source)`, never over an input), `OUT/汇总.xlsx`
/// and `OUT/report.json`. The corrected workbooks (independent of each other) share the cores
/// and the roll-up is written alongside them; report.json comes last.
/// `remaining` are the findings left, which become the corrected workbooks' notes.
fn write_outputs<'d>(
    o: &Outputs,
    remaining: impl IntoIterator<Item = &'d diag::Diagnostic>,
    place: impl Fn(&str) -> PathBuf + Send + Sync,
    is_input: impl Fn(&Path) -> bool + Send + Sync,
) -> Result<Vec<Written>, Error> {
    let report = Report {
        summary: o.summary,
        files: o.files,
        diagnostics: o.report,
    };
    let rollup_path = o.out.join(ROLLUP);
    let progress = Progress::new(write::corrected::by_file(o.model).len(), "写出", o.quiet);
    let source = write::Whole::new(o.model, o.report, remaining);
    let (written, rollup) = rayon::join(
        || {
            write::corrected::write_all(&source, &o.out.join(CORRECTED), place, is_input, || {
                progress.tick()
            })
        },
        || write::rollup::save(&source, &rollup_path),
    );
    progress.done();
    let written = written?;
    rollup?;
    // Last: when report.json changes (watch's consumers look at it), the rest is current.
    output::write_atomically_with(&o.out.join(REPORT), |w| {
        render::write_report_json(&report, w)
    })?;
    Ok(written)
}

/// The files under the inputs; an error when none of them is a workbook (a folder of Word
/// documents, an empty folder): nothing would be checked, and nothing is written.
pub(crate) fn workbooks(paths: &[PathBuf]) -> Result<Vec<InputFile>, Error> {
    let files = batch::collect(paths)?;
    if files.iter().any(|f| !f.skipped) {
        return Ok(files);
    }
    let given: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let skipped: Vec<String> = files
        .iter()
        .filter_map(|f| f.path.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    let others = if skipped.is_empty() {
        String::new()
    } else {
        format!(
            "；跳过了 {} 个其他文件：{}",
            skipped.len(),
            crate::check::listed(skipped.iter())
        )
    };
    Err(Error::Usage(format!(
        "在 {} 中没有找到工作簿或 Word 文档（.{}）{others}；未写出任何文件",
        given.join("、"),
        read::INPUT_EXTENSIONS.join("、.")
    )))
}

/// What `apply` did.
pub struct Applied {
    /// The edits made, in order.
    pub changes: Vec<crate::rollup::apply::Change>,
    /// The corrected workbooks written.
    pub written: Vec<Written>,
    /// The findings in what was written, and the summary `convert` would print.
    pub counts: Counts,
    pub summary: Summary,
}

/// Reads the edits made in a roll-up, makes them, checks the result with `config` (nothing is
/// fixed: an edit is written as it was typed) and writes what `convert` writes into `out`:
/// `corrected/`, a new 汇总.xlsx and report.json. An edit that cannot be carried out writes
/// nothing.
pub fn apply(rollup: &Path, config: &Config, out: &Path, quiet: bool) -> Result<Applied, Error> {
    let edited = crate::rollup::apply::read_edits(rollup)?;
    let model = &edited.model;
    let mut diags = Vec::new();
    check::run(model, config, &mut diags);
    diag::sort(&mut diags);
    let root = crate::rollup::apply::common_folder(model);
    let place = |source: &str| {
        safe_relative_xlsx(
            &Path::new(source)
                .strip_prefix(&root)
                .unwrap_or(Path::new(source))
                .to_string_lossy(),
        )
    };
    if output::is_input_file(&out.join(ROLLUP), &input_file_set(std::iter::once(rollup))) {
        return Err(Error::Usage(format!(
            "不会覆盖输入文件“{}”：请用 -o 指定别的文件夹",
            rollup.display()
        )));
    }
    output::remove_stale_temps(out);
    // One line per source file, as convert's report lists them.
    let mut files: Vec<FileEntry> = Vec::new();
    for (_, p) in model.projects() {
        match files.iter_mut().find(|f| f.path == p.source.file) {
            Some(f) => {
                f.projects.push(p.code.clone());
                f.tables += 1;
            }
            None => files.push(FileEntry {
                path: p.source.file.clone(),
                status: FileStatus::Ok,
                projects: vec![p.code.clone()],
                tables: 1,
            }),
        }
    }
    for line in model.departments.iter().flat_map(|d| &d.budget_lines) {
        if !files.iter().any(|f| f.path == line.source.file) {
            files.push(FileEntry {
                path: line.source.file.clone(),
                status: FileStatus::Ok,
                projects: Vec::new(),
                tables: 1,
            });
        }
    }
    let counts = Counts::of(&diags);
    let summary = Summary::new(&files, model.projects().count(), counts);
    let written = write_outputs(
        &Outputs {
            model,
            report: &diags,
            files: &files,
            summary,
            out,
            quiet,
        },
        &diags,
        place,
        |p| p == rollup,
    )?;
    Ok(Applied {
        changes: edited.changes,
        written,
        counts,
        summary,
    })
}
