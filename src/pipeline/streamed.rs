//! `convert` streamed: a batch of any size converted in flat memory, writing the same bytes
//! as the in-memory path (`pipeline::convert`, which `watch` uses).
//!
//! One pass reads, checks and fixes each file on the worker threads (in input order, a few
//! files in flight); what the outputs need later goes to spill files ([`crate::spill`]):
//! each project's body (purpose, goals, indicators) and each file's findings. Memory keeps,
//! per file, its tables without the bodies (the roll-up's per-project sheets), the compact
//! views the batch-wide rules need before and after fixing, and where its records sit. Then
//! the batch-wide findings are found on the views, and the outputs are written, reading the
//! spill files back one file or one project at a time: the corrected workbooks (on all
//! cores), 汇总.xlsx beside them (its long sheets in constant memory) and report.json.

use super::{fill_measures, workbooks, Inputs, CORRECTED, REPORT, ROLLUP};
use crate::batch::{self, FileRead, InputFile};
use crate::check::{self, fix};
use crate::config::Config;
use crate::diag::render::{self, FileStatus, Summary};
use crate::diag::{self, Counts, Diagnostic, Fix, Severity};
use crate::error::Error;
use crate::model::{CellRef, Indicator, Model, ModelBuilder, Project, WorkbookContents};
use crate::output::{self, input_file_set, safe_relative_xlsx};
use crate::progress::Progress;
use crate::reconcile::BatchView;
use crate::spill::{self, Span, Spill};
use crate::write::{self, corrected::Written, Reported, Source};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

/// A project's body as a spill record: what the batch's model in memory leaves out of it.
#[derive(Serialize, Deserialize)]
struct Body<'a> {
    purpose: Cow<'a, str>,
    goals: Cow<'a, [String]>,
    indicators: Cow<'a, [Indicator]>,
}

/// A finding as a spill record. A fix keeps its text (what the outputs show); which field it
/// was for mattered only while fixing, which is done when findings are spilled.
#[derive(Serialize, Deserialize)]
struct Finding<'a> {
    code: Cow<'a, str>,
    severity: Severity,
    file: Cow<'a, str>,
    sheet: Option<Cow<'a, str>>,
    cell: Option<CellRef>,
    project: Option<Cow<'a, str>>,
    message: Cow<'a, str>,
    fix: Option<Cow<'a, str>>,
    fixed: bool,
    sheet_index: usize,
    table: Option<CellRef>,
}

impl Finding<'_> {
    fn of(d: &Diagnostic) -> Finding<'_> {
        Finding {
            code: Cow::Borrowed(d.code.as_str()),
            severity: d.severity,
            file: Cow::Borrowed(&d.file),
            sheet: d.sheet.as_deref().map(Cow::Borrowed),
            cell: d.cell,
            project: d.project.as_deref().map(Cow::Borrowed),
            message: Cow::Borrowed(&d.message),
            fix: d.fix.as_ref().map(|f| Cow::Borrowed(f.text.as_str())),
            fixed: d.fixed,
            sheet_index: d.sheet_index,
            table: d.table,
        }
    }

    fn into_diagnostic(self) -> io::Result<Diagnostic> {
        let code = check::Code::parse(&self.code)
            .ok_or_else(|| io::Error::other(format!("spill: unknown rule {}", self.code)))?;
        Ok(Diagnostic {
            code,
            name: code.name(),
            severity: self.severity,
            file: self.file.into_owned(),
            sheet: self.sheet.map(Cow::into_owned),
            cell: self.cell,
            project: self.project.map(Cow::into_owned),
            message: self.message.into_owned(),
            fix: self.fix.map(|text| Fix {
                field: None,
                text: text.into_owned(),
            }),
            fixed: self.fixed,
            sheet_index: self.sheet_index,
            table: self.table,
        })
    }
}

fn findings_record(list: &[Diagnostic]) -> io::Result<Vec<u8>> {
    let records: Vec<Finding> = list.iter().map(Finding::of).collect();
    spill::to_bytes(&records)
}

fn read_findings(spill: &Spill, span: Span) -> io::Result<Vec<Diagnostic>> {
    let records: Vec<Finding> = spill.get(span)?;
    records.into_iter().map(Finding::into_diagnostic).collect()
}

/// The 问题清单 group a finding is in (fixed or not, severity), as a bit.
fn group_bit(fixed: bool, severity: Severity) -> u8 {
    1 << (usize::from(fixed) * 3 + severity as usize)
}

/// One file read, checked and fixed on a worker thread.
struct Prepared {
    /// The file as the outputs name it.
    name: String,
    /// Its line in the report's JSON (path as the outputs show it), and whether it was read.
    entry_json: Vec<u8>,
    skipped: bool,
    tables: usize,
    /// The compact views' share of it, before and after fixing (named as found: the
    /// batch-wide findings' messages name files so).
    before: WorkbookContents,
    after: WorkbookContents,
    /// Its tables, fixed, without the projects' bodies, with the units as read.
    light: WorkbookContents,
    /// Each project's body (in `light.projects` order) and its number of indicators.
    bodies: Vec<(Vec<u8>, usize)>,
    /// Its findings as the report lists them, and those left after fixing.
    report: Vec<u8>,
    left: Vec<u8>,
    groups: u8,
    fixes: usize,
    left_counts: Counts,
}

/// Reads, checks and fixes one file.
fn prepare(file: &InputFile, config: &Config) -> io::Result<Prepared> {
    let FileRead {
        mut entry,
        finding,
        contents,
    } = batch::read_one(file, config);
    let relative = file.relative().to_string_lossy().into_owned();
    let mut report: Vec<Diagnostic> = finding.iter().cloned().collect();
    let mut left: Vec<Diagnostic> = finding.into_iter().collect();
    let (mut before, mut after, mut light) = Default::default();
    let mut bodies = Vec::new();
    if let Some(contents) = contents {
        // The units as read: the batch's departments are found from these, not from this
        // file's alone. Budget lines and department tables are not fixed: kept as read.
        let units: Vec<_> = contents
            .projects
            .iter()
            .map(|(u, p)| (u.clone(), (p.source.sheet.clone(), p.source.range.start)))
            .collect();
        let evaluation_units: Vec<_> = contents
            .evaluations
            .iter()
            .map(|(u, e)| (u.clone(), (e.source.sheet.clone(), e.source.cell)))
            .collect();
        let mut kept = WorkbookContents {
            budget_lines: contents.budget_lines.clone(),
            overall: contents.overall.clone(),
            ..WorkbookContents::default()
        };
        let mut model = Model::from_workbooks(vec![contents]);
        before = model.compact_contents();
        let fixed = fix::fix_file(&mut model, config);
        after = model.compact_contents();
        (report, left) = fixed.into_lists();
        let mut projects = HashMap::new();
        let mut evaluations = HashMap::new();
        for d in model.departments {
            for p in d.projects {
                projects.insert((p.source.sheet.clone(), p.source.range.start), p);
            }
            for e in d.evaluations {
                evaluations.insert((e.source.sheet.clone(), e.source.cell), e);
            }
        }
        for (unit, k) in units {
            let Some(p) = projects.remove(&k) else {
                continue;
            };
            let body = Body {
                purpose: Cow::Borrowed(&p.purpose),
                goals: Cow::Borrowed(&p.goals),
                indicators: Cow::Borrowed(&p.indicators),
            };
            bodies.push((spill::to_bytes(&body)?, p.indicators.len()));
            kept.projects.push((unit, p.without_body()));
        }
        for (unit, k) in evaluation_units {
            kept.evaluations
                .extend(evaluations.remove(&k).map(|e| (unit, e)));
        }
        kept.rename_files(&relative);
        light = kept;
    }
    for d in report.iter_mut().chain(left.iter_mut()) {
        d.file.clone_from(&relative);
    }
    entry.path = relative;
    Ok(Prepared {
        name: entry.path.clone(),
        entry_json: render::file_json(&entry)?.into_bytes(),
        skipped: entry.status == FileStatus::Skipped,
        tables: entry.tables,
        before,
        after,
        light,
        bodies,
        groups: report
            .iter()
            .fold(0, |g, d| g | group_bit(d.fixed, d.severity)),
        fixes: report.iter().filter(|d| d.fixed).count(),
        left_counts: Counts::of(&left),
        report: findings_record(&report)?,
        left: findings_record(&left)?,
    })
}

/// Where one file's records sit.
struct FileRecord {
    /// The file as the outputs name it (`2025/劳务费.xlsx`).
    name: String,
    entry: Span,
    report: Span,
    left: Span,
    /// Which 问题清单 groups its report has findings in ([`group_bit`]).
    groups: u8,
    skipped: bool,
    fixes: usize,
}

/// A streamed batch, ready to be written: the model without the projects' bodies, the spill
/// file, and the batch-wide findings.
struct Streamed {
    model: Model,
    spill: Spill,
    /// Per department, per project: its body's record and its number of indicators.
    bodies: Vec<Vec<(Span, usize)>>,
    files: Vec<FileRecord>,
    /// Every file name the report lists, sorted: an input's (its records), or a file only
    /// batch-wide findings name (`--budget FILE`).
    order: Vec<(String, Option<usize>)>,
    batch_report: BTreeMap<String, Vec<Diagnostic>>,
    batch_left: BTreeMap<String, Vec<Diagnostic>>,
}

impl Streamed {
    /// A project's body record, found by where the project sits in the model.
    fn body_of(&self, p: &Project) -> Option<(Span, usize)> {
        let at = p as *const Project as usize;
        let size = std::mem::size_of::<Project>().max(1);
        for (d, dept) in self.model.departments.iter().enumerate() {
            let range = dept.projects.as_ptr_range();
            if (range.start as usize..range.end as usize).contains(&at) {
                let i = (at - range.start as usize) / size;
                return self.bodies.get(d)?.get(i).copied();
            }
        }
        None
    }

    fn record(&self, file: &str) -> Option<&FileRecord> {
        let at = self
            .order
            .binary_search_by(|(name, _)| name.as_str().cmp(file))
            .ok()?;
        self.order[at].1.map(|i| &self.files[i])
    }

    /// A file's findings: its own (spilled) and the batch-wide ones, merged in report order.
    fn merged(
        &self,
        span: Option<Span>,
        batch: Option<&Vec<Diagnostic>>,
    ) -> io::Result<Vec<Diagnostic>> {
        let mut own = match span {
            Some(span) => read_findings(&self.spill, span)?,
            None => Vec::new(),
        };
        if let Some(batch) = batch.filter(|b| !b.is_empty()) {
            own.extend(batch.iter().cloned());
            // Stable: a file's own findings stay before batch-wide ones of the same place.
            own.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        }
        Ok(own)
    }
}

impl Source for Streamed {
    fn model(&self) -> &Model {
        &self.model
    }

    fn project<'a>(&'a self, p: &'a Project) -> io::Result<Cow<'a, Project>> {
        let Some((span, _)) = self.body_of(p) else {
            return Ok(Cow::Borrowed(p));
        };
        let body: Body = self.spill.get(span)?;
        Ok(Cow::Owned(Project {
            purpose: body.purpose.into_owned(),
            goals: body.goals.into_owned(),
            indicators: body.indicators.into_owned(),
            ..p.clone()
        }))
    }

    fn indicator_count(&self, p: &Project) -> usize {
        self.body_of(p).map_or(p.indicators.len(), |(_, n)| n)
    }

    fn remaining(&self, file: &str) -> io::Result<Cow<'_, [Diagnostic]>> {
        let span = self.record(file).map(|r| r.left);
        Ok(Cow::Owned(self.merged(span, self.batch_left.get(file))?))
    }

    fn reported(
        &self,
        only: Option<(bool, Severity)>,
    ) -> Box<dyn Iterator<Item = Reported<'_>> + Send + '_> {
        let wanted = only.map_or(u8::MAX, |(fixed, s)| group_bit(fixed, s));
        let files = self.order.iter().flat_map(move |(name, record)| {
            let record = record.map(|i| &self.files[i]);
            let batch = self.batch_report.get(name);
            let has = record.is_some_and(|r| r.groups & wanted != 0)
                || batch.is_some_and(|b| !b.is_empty());
            let list = if has {
                self.merged(record.map(|r| r.report), batch)
            } else {
                Ok(Vec::new())
            };
            let (list, failed) = match list {
                Ok(list) => (list, None),
                Err(e) => (Vec::new(), Some(Err(e))),
            };
            let kept = list
                .into_iter()
                .filter(move |d| only.is_none_or(|(fixed, s)| d.fixed == fixed && d.severity == s));
            failed.into_iter().chain(kept.map(|d| Ok(Cow::Owned(d))))
        });
        Box::new(files)
    }
}

/// What a streamed convert did, for the command's lines.
pub struct Done {
    pub written: Vec<Written>,
    /// Each file's outcome, in input order (only when asked for: a line per file).
    pub files: Vec<FileOutcome>,
    pub fixes: usize,
    /// The findings left after fixing.
    pub counts: Counts,
    pub summary: Summary,
}

/// What became of one input file.
pub struct FileOutcome {
    pub path: String,
    pub written: Option<PathBuf>,
    pub fixes: usize,
    pub left: usize,
    /// The first finding left (why a file was not written).
    pub first: Option<String>,
}

/// Converts the inputs into `out` streamed: `corrected/`, `汇总.xlsx`, `report.json`, byte for
/// byte what `pipeline::convert` writes. With `outcomes`, each file's outcome is gathered.
pub fn convert(inputs: &Inputs, out: &Path, outcomes: bool) -> Result<Done, Error> {
    let files = workbooks(&inputs.paths)?;
    let budget = inputs.budget_lines()?;
    let config = &inputs.config;
    output::remove_stale_temps(out);
    let spill_error = |source| Error::Output {
        path: out.to_path_buf(),
        source,
    };
    let mut spill = Spill::new_in(out).map_err(spill_error)?;
    let progress = inputs.progress(files.len(), "检查并修正");
    let (mut before, mut after) = (BatchView::default(), BatchView::default());
    let mut builder = ModelBuilder::default();
    let mut bodies: Vec<Vec<(Span, usize)>> = Vec::new();
    let mut records: Vec<FileRecord> = Vec::new();
    let (mut file_count, mut table_count) = (0, 0);
    let (mut counts, mut fixes) = (Counts::default(), 0);
    let mut failure: io::Result<()> = Ok(());
    batch::stream_with(
        &files,
        |f| prepare(f, config),
        |prepared| {
            progress.tick();
            let p = match prepared {
                Ok(p) if failure.is_ok() => p,
                Ok(_) => return,
                Err(e) => {
                    failure = Err(e);
                    return;
                }
            };
            let kept = (|| -> io::Result<()> {
                before.add_file(&p.before);
                after.add_file(&p.after);
                file_count += usize::from(!p.skipped);
                table_count += p.tables;
                fixes += p.fixes;
                counts.errors += p.left_counts.errors;
                counts.warnings += p.left_counts.warnings;
                counts.infos += p.left_counts.infos;
                let places = builder.add(p.light);
                for ((d, i), (body, n)) in places.into_iter().zip(p.bodies) {
                    if bodies.len() <= d {
                        bodies.resize_with(d + 1, Vec::new);
                    }
                    debug_assert_eq!(bodies[d].len(), i);
                    bodies[d].push((spill.push(&body)?, n));
                }
                records.push(FileRecord {
                    name: p.name,
                    entry: spill.push(&p.entry_json)?,
                    report: spill.push(&p.report)?,
                    left: spill.push(&p.left)?,
                    groups: p.groups,
                    skipped: p.skipped,
                    fixes: p.fixes,
                });
                Ok(())
            })();
            if let Err(e) = kept {
                failure = Err(e);
            }
        },
    );
    progress.done();
    failure.map_err(spill_error)?;
    spill.finish().map_err(spill_error)?;
    let mut model = builder.finish();
    before.finish();
    after.finish();
    if let Some(lines) = budget {
        before.replace_budget_lines(lines.clone());
        after.replace_budget_lines(lines.clone());
        model.replace_budget_lines(lines);
        // Named as the in-memory path names them: under its input folder when it is an input.
        let lines = model
            .departments
            .iter_mut()
            .flat_map(|d| &mut d.budget_lines);
        let named: Vec<&mut String> = lines.map(|l| &mut l.source.file).collect();
        rename_all(&files, named);
    }
    // The batch-wide findings, before fixing and on the fixed batch.
    fill_measures(&mut before, &files, config);
    let mut streamed = Streamed {
        model,
        spill,
        bodies,
        files: records,
        order: Vec::new(),
        batch_report: BTreeMap::new(),
        batch_left: BTreeMap::new(),
    };
    fill_fixed_measures(&mut after, &streamed, &files).map_err(spill_error)?;
    let mut original = Vec::new();
    check::run_batch(&before, config, &mut original);
    diag::sort(&mut original);
    let mut current = Vec::new();
    check::run_batch(&after, config, &mut current);
    diag::sort(&mut current);
    drop((before, after));
    let (mut batch_report, mut batch_left) = fix::batch_lists(original, current);
    rename(&files, batch_report.iter_mut().chain(batch_left.iter_mut()));
    for d in batch_report {
        streamed
            .batch_report
            .entry(d.file.clone())
            .or_default()
            .push(d);
    }
    for d in batch_left {
        streamed
            .batch_left
            .entry(d.file.clone())
            .or_default()
            .push(d);
    }
    let mut order: BTreeMap<&str, Option<usize>> = BTreeMap::new();
    for (i, r) in streamed.files.iter().enumerate() {
        order.insert(&r.name, Some(i));
    }
    for name in streamed.batch_report.keys() {
        order.entry(name).or_insert(None);
    }
    streamed.order = order
        .into_iter()
        .map(|(name, i)| (name.to_string(), i))
        .collect();
    // The findings left, for the summary: each file's, counted as it was read, and the
    // batch-wide ones.
    for list in streamed.batch_left.values() {
        counts.add(list);
    }
    let summary = Summary {
        files: file_count,
        tables: table_count,
        projects: streamed.model.projects().count(),
        errors: counts.errors,
        warnings: counts.warnings,
        infos: counts.infos,
    };
    let written = write(&streamed, &files, out, summary, inputs.quiet)?;
    let mut outcomes_out = Vec::new();
    if outcomes {
        let by_source: HashMap<&str, &Written> =
            written.iter().map(|w| (w.source.as_str(), w)).collect();
        for r in streamed.files.iter().filter(|r| !r.skipped) {
            let left = streamed.remaining(&r.name).map_err(spill_error)?;
            outcomes_out.push(FileOutcome {
                path: r.name.clone(),
                written: by_source.get(r.name.as_str()).map(|w| w.path.clone()),
                fixes: r.fixes,
                left: left.len(),
                first: left.first().map(|d| d.message.clone()),
            });
        }
    }
    Ok(Done {
        written,
        files: outcomes_out,
        fixes,
        counts,
        summary,
    })
}

/// Gives the fixed view's projects that a 部门整体 item or a 自评表 is compared with their
/// measures, from their bodies in the spill file (the fixed tables are not on disk).
fn fill_fixed_measures(
    view: &mut BatchView,
    streamed: &Streamed,
    files: &[InputFile],
) -> io::Result<()> {
    let needed = view.needing_measures();
    if needed.is_empty() {
        return Ok(());
    }
    let shown: HashSet<&str> = needed
        .iter()
        .map(|&(d, p)| &*view.departments[d].projects[p].at.file)
        .collect();
    let relative: HashMap<String, String> = files
        .iter()
        .map(|f| (f.shown(), f))
        .filter(|(s, _)| shown.contains(s.as_str()))
        .map(|(s, f)| (s, f.relative().to_string_lossy().into_owned()))
        .collect();
    let mut wanted: HashMap<(String, String, CellRef), Vec<(usize, usize)>> = HashMap::new();
    for &(d, p) in &needed {
        let r = &view.departments[d].projects[p];
        let Some(file) = relative.get(&*r.at.file) else {
            continue;
        };
        wanted
            .entry((file.clone(), r.at.sheet.to_string(), r.at.table))
            .or_default()
            .push((d, p));
    }
    for (_, p) in streamed.model.projects() {
        let k = (
            p.source.file.clone(),
            p.source.sheet.clone(),
            p.source.range.start,
        );
        if let Some(places) = wanted.get(&k) {
            let measures = streamed.project(p)?.measures();
            for &(d, i) in places {
                view.departments[d].projects[i].measures = Some(measures.clone());
            }
        }
    }
    Ok(())
}

/// Batch-wide findings name files as found; the outputs name them under their input folder.
fn rename<'d>(files: &[InputFile], diags: impl Iterator<Item = &'d mut Diagnostic>) {
    rename_all(files, diags.map(|d| &mut d.file).collect());
}

/// Each of `names` (a file as found) as the outputs name it, when it is an input.
fn rename_all(files: &[InputFile], mut names: Vec<&mut String>) {
    if names.is_empty() {
        return;
    }
    let named: HashSet<String> = names.iter().map(|n| n.to_string()).collect();
    let relative: HashMap<String, String> = files
        .iter()
        .map(|f| (f.shown(), f))
        .filter(|(s, _)| named.contains(s))
        .map(|(s, f)| (s, f.relative().to_string_lossy().into_owned()))
        .collect();
    for name in &mut names {
        if let Some(new) = relative.get(name.as_str()) {
            name.clone_from(new);
        }
    }
}

/// Writes the outputs of a streamed batch: the corrected workbooks and 汇总.xlsx side by side,
/// then report.json.
fn write(
    streamed: &Streamed,
    files: &[InputFile],
    out: &Path,
    summary: Summary,
    quiet: bool,
) -> Result<Vec<Written>, Error> {
    let inputs = input_file_set(files.iter().map(|f| f.path.as_path()));
    let places: HashMap<String, PathBuf> = files
        .iter()
        .map(|f| {
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
    let count = write::corrected::by_file(&streamed.model).len();
    let progress = Progress::new(count, "写出", quiet);
    let (written, rollup) = rayon::join(
        || {
            write::corrected::write_all(
                streamed,
                &out.join(CORRECTED),
                place,
                |p| output::is_input_file(p, &inputs),
                || progress.tick(),
            )
        },
        || write::rollup::save(streamed, &out.join(ROLLUP)),
    );
    progress.done();
    let written = written?;
    rollup?;
    output::write_atomically_with(&out.join(REPORT), |w| {
        let entries = streamed.files.iter().map(|r| {
            streamed
                .spill
                .bytes(r.entry)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        });
        render::write_report_parts(w, streamed.reported(None), entries, &summary)
    })?;
    Ok(written)
}
