//! `convert` streamed: a batch of any size converted in flat memory, writing the same bytes
//! as the in-memory path (`pipeline::convert`, which `watch` uses).
//!
//! One pass reads, checks and fixes each file on the worker threads (in input order, a few
//! files in flight); what the outputs need later goes to a spill file ([`crate::spill`]):
//! each fixed project whole, its compact form for the fixed view, each file's findings and its
//! report line. Memory keeps, per file, where its records sit, its budget lines, 部门整体 tables
//! and 自评表 (the model's departments, held without their projects), and its share of the
//! compact view before fixing that the batch-wide rules read. Then the batch-wide findings are
//! found on that view, which is dropped before the fixed view is built from the spill and
//! checked in turn (so one view is held at a time), and the outputs are written through
//! [`write::Source`], reading the spill back one file or one project at a time: the corrected
//! workbooks (on all cores), 汇总.xlsx beside them (its long sheets in constant memory) and
//! report.json.

use super::{fill_measures, fill_measures_from, workbooks, Inputs, CORRECTED, REPORT, ROLLUP};
use crate::batch::{self, FileRead, InputFile};
use crate::check::{self, fix};
use crate::config::Config;
use crate::diag::render::{self, FileStatus, Summary};
use crate::diag::{self, Counts, Diagnostic, Fix, Severity};
use crate::error::Error;
use crate::model::{
    CellRef, Department, Model, ModelBuilder, Project, ProjectText, Unit, WorkbookContents,
};
use crate::output::{self, input_file_set, safe_relative_xlsx};
use crate::progress::Progress;
use crate::reconcile::{push_gently, BatchView};
use crate::spill::{self, Span, Spill};
use crate::write::corrected::{FileTables, Written};
use crate::write::{self, Placed, Reported, Source, TableCounts};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

/// A project as a spill record: the model's JSON of it, and what that JSON leaves out which
/// the outputs read again (the sheet's place, the plan's cells, whether the code was a
/// number). The reader's notes and the money unit stated are not kept: what they said was said
/// (JX006–JX008) before the project was spilled.
#[derive(Serialize, Deserialize)]
struct SpilledProject<'a> {
    project: Cow<'a, Project>,
    sheet_index: usize,
    plan_cells: Vec<Option<CellRef>>,
    code_stored_as_number: bool,
}

impl<'a> SpilledProject<'a> {
    fn of(p: &'a Project) -> SpilledProject<'a> {
        SpilledProject {
            project: Cow::Borrowed(p),
            sheet_index: p.source.sheet_index,
            plan_cells: p.spending_plan.iter().map(|pp| pp.cell).collect(),
            code_stored_as_number: p.code_stored_as_number,
        }
    }
}

fn project_record(p: &Project) -> io::Result<Vec<u8>> {
    spill::to_bytes(&SpilledProject::of(p))
}

fn read_project(spill: &Spill, span: Span) -> io::Result<Project> {
    Ok(spill.get::<SpilledProject>(span)?.into_project())
}

impl SpilledProject<'_> {
    fn into_project(self) -> Project {
        let mut p = self.project.into_owned();
        p.source.sheet_index = self.sheet_index;
        p.code_stored_as_number = self.code_stored_as_number;
        for (point, cell) in p.spending_plan.iter_mut().zip(self.plan_cells) {
            point.cell = cell;
        }
        p
    }
}

/// A file's projects as the fixed view reads them (compact: no body), with their units and
/// texts: one spill record per file, read back when the view is built after the view before
/// fixing is dropped (the two are never in memory together).
#[derive(Serialize, Deserialize)]
struct CompactProjects<'a> {
    projects: Vec<(Cow<'a, Unit>, SpilledProject<'a>)>,
    texts: Cow<'a, [Vec<ProjectText>]>,
}

/// Splits a file's compact contents: its projects as a [`CompactProjects`] record (none when
/// it has none), the rest (budget lines, 部门整体 tables, 自评表: few, and waiting in the view
/// until its end) kept.
fn compact_record(
    mut contents: WorkbookContents,
) -> io::Result<(Option<Vec<u8>>, WorkbookContents)> {
    if contents.projects.is_empty() {
        return Ok((None, contents));
    }
    let record = spill::to_bytes(&CompactProjects {
        projects: contents
            .projects
            .iter()
            .map(|(u, p)| (Cow::Borrowed(u), SpilledProject::of(p)))
            .collect(),
        texts: Cow::Borrowed(&contents.texts),
    })?;
    contents.projects = Vec::new();
    contents.texts = Vec::new();
    Ok((Some(record), contents))
}

fn read_compact(spill: &Spill, span: Span) -> io::Result<WorkbookContents> {
    let record: CompactProjects = spill.get(span)?;
    Ok(WorkbookContents {
        projects: record
            .projects
            .into_iter()
            .map(|(u, p)| (u.into_owned(), p.into_project()))
            .collect(),
        texts: record.texts.into_owned(),
        ..WorkbookContents::default()
    })
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

/// The 问题清单 group a finding is in (open or fixed, then its severity): 问题清单 lists the
/// groups one after the other, so a file's report is spilled as one record per group.
fn group(fixed: bool, severity: Severity) -> usize {
    usize::from(fixed) * 3 + severity as usize
}

const GROUPS: usize = 6;

/// A file's report as six records, one per [`group`], each finding with its place in the
/// report (to put the groups back together in order); the records and their lengths.
fn report_records(report: &[Diagnostic]) -> io::Result<(Vec<u8>, [u32; GROUPS])> {
    let mut groups: [(Vec<u32>, Vec<Finding>); GROUPS] = Default::default();
    for (at, d) in report.iter().enumerate() {
        let g = &mut groups[group(d.fixed, d.severity)];
        g.0.push(at as u32);
        g.1.push(Finding::of(d));
    }
    let (mut bytes, mut lens) = (Vec::new(), [0u32; GROUPS]);
    for (k, g) in groups.iter().enumerate() {
        if g.0.is_empty() {
            continue;
        }
        let record = spill::to_bytes(g)?;
        lens[k] = u32::try_from(record.len()).map_err(io::Error::other)?;
        bytes.extend(record);
    }
    Ok((bytes, lens))
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
    /// batch-wide findings' messages name files so); the fixed one's projects as a
    /// [`CompactProjects`] record.
    before: WorkbookContents,
    after: WorkbookContents,
    after_projects: Option<Vec<u8>>,
    /// Its budget lines, 部门整体 tables and 自评表 (fixed), with the units as read.
    light: WorkbookContents,
    /// Its projects (fixed) as spill records, and the units they were read with.
    projects: Vec<Vec<u8>>,
    units: Vec<Unit>,
    /// Its findings as the report lists them (a record per 问题清单 group, their lengths), and
    /// those left after fixing.
    report: Vec<u8>,
    report_lens: [u32; GROUPS],
    left: Vec<u8>,
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
    let mut after_projects = None;
    let (mut records, mut project_units) = (Vec::new(), Vec::new());
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
        (after_projects, after) = compact_record(model.compact_contents())?;
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
            let Some(mut p) = projects.remove(&k) else {
                continue;
            };
            p.source.file.clone_from(&relative);
            records.push(project_record(&p)?);
            project_units.push(unit);
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
    let (report_bytes, report_lens) = report_records(&report)?;
    Ok(Prepared {
        name: entry.path.clone(),
        entry_json: render::file_json(&entry)?.into_bytes(),
        skipped: entry.status == FileStatus::Skipped,
        tables: entry.tables,
        before,
        after,
        after_projects,
        light,
        projects: records,
        units: project_units,
        fixes: report.iter().filter(|d| d.fixed).count(),
        left_counts: Counts::of(&left),
        report: report_bytes,
        report_lens,
        left: findings_record(&left)?,
    })
}

/// Where one file's records sit: one after the other in the spill, its line in the report's
/// JSON, its report (a record per 问题清单 group), the findings left after fixing and, if it
/// has projects, its projects as the fixed view reads them ([`CompactProjects`]). Held for
/// every file to the end of the run: kept to a hundred bytes or so.
struct FileRecord {
    /// The file as the outputs name it (`2025/劳务费.xlsx`).
    name: Box<str>,
    records: Span,
    entry_len: u32,
    report_lens: [u32; GROUPS],
    left_len: u32,
    compact_len: u32,
    /// Its projects' places in the model (department, place), in the model's order.
    projects: Box<[(u32, u32)]>,
    skipped: bool,
    fixes: usize,
}

impl FileRecord {
    fn report_len(&self) -> u32 {
        self.report_lens.iter().sum()
    }

    fn entry(&self) -> Span {
        self.records.part(0, self.entry_len)
    }

    fn report(&self) -> Span {
        self.records.part(self.entry_len, self.report_len())
    }

    fn left(&self) -> Span {
        self.records
            .part(self.entry_len + self.report_len(), self.left_len)
    }

    fn compact(&self) -> Option<Span> {
        let from = self.entry_len + self.report_len() + self.left_len;
        (self.compact_len > 0).then(|| self.records.part(from, self.compact_len))
    }
}

/// A streamed batch, ready to be written: the model's departments without their projects,
/// the spill file (the projects, the findings), and the batch-wide findings.
struct Streamed {
    model: Model,
    spill: Spill,
    /// Per department, its projects' records in the model's order.
    projects: Vec<Vec<Span>>,
    files: Vec<FileRecord>,
    /// Every file the report lists, sorted by name: an input (its records' place), or a file
    /// only batch-wide findings name (`--budget FILE`; its place in `others`).
    order: Vec<Listed>,
    others: Vec<String>,
    /// The last file whose tables' findings 项目汇总 counted, and those counts (its rows come
    /// file by file).
    counted: std::sync::Mutex<Option<(String, TableCounts)>>,
    batch_report: BTreeMap<String, Vec<Diagnostic>>,
    batch_left: BTreeMap<String, Vec<Diagnostic>>,
}

/// A file the report lists.
#[derive(Clone, Copy)]
enum Listed {
    Input(usize),
    Other(usize),
}

impl Streamed {
    fn name(&self, listed: Listed) -> &str {
        match listed {
            Listed::Input(i) => &self.files[i].name,
            Listed::Other(i) => &self.others[i],
        }
    }

    fn record(&self, file: &str) -> Option<&FileRecord> {
        let at = self
            .order
            .binary_search_by(|&l| self.name(l).cmp(file))
            .ok()?;
        match self.order[at] {
            Listed::Input(i) => Some(&self.files[i]),
            Listed::Other(_) => None,
        }
    }

    /// Sorts the names the report lists: the inputs', and those only batch-wide findings name.
    fn index_names(&mut self) {
        let inputs: HashSet<&str> = self.files.iter().map(|r| &*r.name).collect();
        self.others = self
            .batch_report
            .keys()
            .filter(|name| !inputs.contains(name.as_str()))
            .cloned()
            .collect();
        let mut order: Vec<Listed> = (0..self.files.len()).map(Listed::Input).collect();
        order.extend((0..self.others.len()).map(Listed::Other));
        order.sort_by(|&a, &b| self.name(a).cmp(self.name(b)));
        self.order = order;
    }

    fn project_count(&self) -> usize {
        self.projects.iter().map(Vec::len).sum()
    }

    /// A file's findings: its own (in order) and the batch-wide ones (those `keep` keeps),
    /// merged in report order.
    fn merged(
        mut own: Vec<Diagnostic>,
        batch: Option<&Vec<Diagnostic>>,
        keep: impl Fn(&Diagnostic) -> bool,
    ) -> Vec<Diagnostic> {
        let batch = batch.map_or(&[][..], Vec::as_slice);
        let before = own.len();
        own.extend(batch.iter().filter(|d| keep(d)).cloned());
        if own.len() > before {
            // Stable: a file's own findings stay before batch-wide ones of the same place.
            own.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        }
        own
    }

    /// A file's own report findings: of one group, or all of them in order.
    fn own_report(&self, record: &FileRecord, only: Option<usize>) -> io::Result<Vec<Diagnostic>> {
        let mut placed: Vec<(u32, Diagnostic)> = Vec::new();
        let mut from = 0;
        for (k, &len) in record.report_lens.iter().enumerate() {
            if len > 0 && only.is_none_or(|g| g == k) {
                let span = record.report().part(from, len);
                let (at, found): (Vec<u32>, Vec<Finding>) = self.spill.get(span)?;
                for (at, f) in at.into_iter().zip(found) {
                    placed.push((at, f.into_diagnostic()?));
                }
            }
            from += len;
        }
        if only.is_none() {
            placed.sort_unstable_by_key(|(at, _)| *at);
        }
        Ok(placed.into_iter().map(|(_, d)| d).collect())
    }

    /// One file's projects, in the model's order.
    fn file_projects(&self, file: &str) -> io::Result<Vec<(usize, Project)>> {
        let Some(record) = self.record(file) else {
            return Ok(Vec::new());
        };
        record
            .projects
            .iter()
            .map(|&(d, i)| {
                let (d, i) = (d as usize, i as usize);
                Ok((d, read_project(&self.spill, self.projects[d][i])?))
            })
            .collect()
    }
}

impl Source for Streamed {
    fn model(&self) -> &Model {
        &self.model
    }

    fn projects(&self) -> Box<dyn Iterator<Item = Placed<'_>> + '_> {
        Box::new(
            self.projects
                .iter()
                .enumerate()
                .flat_map(move |(d, spans)| {
                    spans
                        .iter()
                        .map(move |&span| Ok((d, Cow::Owned(read_project(&self.spill, span)?))))
                }),
        )
    }

    fn files(&self) -> IndexMap<&str, FileTables<'_>> {
        let mut files = write::corrected::by_file(&self.model);
        // Made its full size at once: a province's batch lists 100,000 files.
        files.reserve(self.files.len());
        for r in self.files.iter().filter(|r| !r.projects.is_empty()) {
            files.entry(&*r.name).or_default();
        }
        files.sort_by(|a, _, b, _| a.cmp(b));
        files
    }

    fn projects_of<'a>(
        &'a self,
        file: &str,
        _tables: &FileTables<'a>,
    ) -> io::Result<Vec<(&'a Department, Cow<'a, Project>)>> {
        Ok(self
            .file_projects(file)?
            .into_iter()
            .map(|(d, p)| (&self.model.departments[d], Cow::Owned(p)))
            .collect())
    }

    fn table_counts(&self, p: &Project) -> io::Result<(usize, usize)> {
        let mut counted = self.counted.lock().unwrap_or_else(|e| e.into_inner());
        let file = &p.source.file;
        if counted.as_ref().is_none_or(|(f, _)| f != file) {
            let own = match self.record(file) {
                Some(r) => self.own_report(r, None)?,
                None => Vec::new(),
            };
            let mut counts = TableCounts::default();
            for d in Streamed::merged(own, self.batch_report.get(file), |_| true) {
                counts.add(&d);
            }
            *counted = Some((file.clone(), counts));
        }
        Ok(counted.as_ref().map_or((0, 0), |(_, c)| c.of(p)))
    }

    fn remaining(&self, file: &str) -> io::Result<Cow<'_, [Diagnostic]>> {
        let own = match self.record(file) {
            Some(r) => read_findings(&self.spill, r.left())?,
            None => Vec::new(),
        };
        Ok(Cow::Owned(Streamed::merged(
            own,
            self.batch_left.get(file),
            |_| true,
        )))
    }

    fn reported(
        &self,
        only: Option<(bool, Severity)>,
    ) -> Box<dyn Iterator<Item = Reported<'_>> + Send + '_> {
        let wanted = only.map(|(fixed, s)| group(fixed, s));
        let keep = move |d: &Diagnostic| wanted.is_none_or(|g| g == group(d.fixed, d.severity));
        let files = self.order.iter().flat_map(move |&listed| {
            let record = match listed {
                Listed::Input(i) => Some(&self.files[i]),
                Listed::Other(_) => None,
            };
            let batch = self.batch_report.get(self.name(listed));
            let own = match record {
                Some(r) => self.own_report(r, wanted),
                None => Ok(Vec::new()),
            };
            let (list, failed) = match own {
                Ok(own) => (Streamed::merged(own, batch, keep), None),
                Err(e) => (Vec::new(), Some(Err(e))),
            };
            failed
                .into_iter()
                .chain(list.into_iter().map(|d| Ok(Cow::Owned(d))))
        });
        Box::new(files)
    }
}

/// What a streamed convert did, for the command's lines.
pub struct Done {
    /// How many corrected workbooks were written.
    pub written: usize,
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
    let mut projects: Vec<Vec<Span>> = Vec::new();
    // A record per file, held to the end: made its full size at once (growing by doubling
    // would hold up to twice as much).
    let mut records: Vec<FileRecord> = Vec::with_capacity(files.len());
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
                // The fixed view's projects wait in the spill (`compact`): only the rest is
                // added now, to wait in the view until its end as the projects' would.
                after.add_file(&p.after);
                file_count += usize::from(!p.skipped);
                table_count += p.tables;
                fixes += p.fixes;
                counts.errors += p.left_counts.errors;
                counts.warnings += p.left_counts.warnings;
                counts.infos += p.left_counts.infos;
                let departments = builder.add_without_projects(&p.units, p.light);
                let mut places = Vec::with_capacity(departments.len());
                for (d, record) in departments.into_iter().zip(p.projects) {
                    if projects.len() <= d {
                        projects.resize_with(d + 1, Vec::new);
                    }
                    places.push((d as u32, projects[d].len() as u32));
                    push_gently(&mut projects[d], spill.push(&record)?);
                }
                places.sort_unstable();
                let compact = p.after_projects.as_deref().unwrap_or_default();
                let parts = [&p.entry_json[..], &p.report, &p.left, compact];
                records.push(FileRecord {
                    name: p.name.into_boxed_str(),
                    records: spill.push_all(&parts)?,
                    entry_len: parts[0].len() as u32,
                    report_lens: p.report_lens,
                    left_len: parts[2].len() as u32,
                    compact_len: compact.len() as u32,
                    skipped: p.skipped,
                    fixes: p.fixes,
                    projects: places.into_boxed_slice(),
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
    let mut model = finish_model(builder, &spill, &projects).map_err(spill_error)?;
    // The batch-wide findings before fixing, on the view read as the files were; the view is
    // dropped before the fixed one is built from the spill, so only one is ever held.
    before.finish();
    if let Some(lines) = &budget {
        before.replace_budget_lines(lines.clone());
    }
    fill_measures(&mut before, &files, config);
    let mut original = Vec::new();
    check::run_batch(&before, config, &mut original);
    diag::sort(&mut original);
    drop(before);
    for r in &records {
        if let Some(span) = r.compact() {
            let contents = read_compact(&spill, span).map_err(spill_error)?;
            after.add_file(&contents);
        }
    }
    after.finish();
    if let Some(lines) = budget {
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
    let mut streamed = Streamed {
        model,
        spill,
        projects,
        files: records,
        order: Vec::new(),
        others: Vec::new(),
        counted: std::sync::Mutex::new(None),
        batch_report: BTreeMap::new(),
        batch_left: BTreeMap::new(),
    };
    streamed.index_names();
    // The fixed tables are not on disk: their measures come from the spilled projects.
    fill_measures_from(&mut after, &files, |f| {
        let relative = f.relative().to_string_lossy().into_owned();
        let projects = streamed.file_projects(&relative)?;
        Ok(projects.into_iter().map(|(_, p)| p).collect())
    })
    .map_err(spill_error)?;
    let mut current = Vec::new();
    check::run_batch(&after, config, &mut current);
    diag::sort(&mut current);
    drop(after);
    // The views were this thread's: their pages go back to the system now, or the writers,
    // on other threads, would take new pages beside them.
    crate::memory::release();
    let (mut batch_report, mut batch_left) = fix::batch_lists(original, current);
    rename(&files, batch_report.iter_mut().chain(batch_left.iter_mut()));
    streamed.batch_report = by_file(batch_report);
    streamed.batch_left = by_file(batch_left);
    streamed.index_names();
    // The findings left, for the summary: each file's, counted as it was read, and the
    // batch-wide ones.
    for list in streamed.batch_left.values() {
        counts.add(list);
    }
    let summary = Summary {
        files: file_count,
        tables: table_count,
        projects: streamed.project_count(),
        errors: counts.errors,
        warnings: counts.warnings,
        infos: counts.infos,
    };
    // Where each workbook went is kept only for the outcomes: a province's batch writes 100,000.
    let kept = std::sync::Mutex::new(Vec::new());
    let written = write(&streamed, &files, out, summary, inputs.quiet, |w| {
        if outcomes {
            kept.lock().unwrap_or_else(|e| e.into_inner()).push(w);
        }
    })?;
    let kept = kept.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut outcomes_out = Vec::new();
    if outcomes {
        let by_source: HashMap<&str, &Written> =
            kept.iter().map(|w| (w.source.as_str(), w)).collect();
        for r in streamed.files.iter().filter(|r| !r.skipped) {
            let left = streamed.remaining(&r.name).map_err(spill_error)?;
            outcomes_out.push(FileOutcome {
                path: r.name.to_string(),
                written: by_source.get(&*r.name).map(|w| w.path.clone()),
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

/// The model's departments, each 自评表 placed with the department holding its project (by
/// 项目编码, then name) as `Model::from_workbooks` places it: the projects are read back for
/// that, when there are 自评表.
fn finish_model(builder: ModelBuilder, spill: &Spill, projects: &[Vec<Span>]) -> io::Result<Model> {
    let keys = builder.evaluation_keys();
    if keys.is_empty() {
        return Ok(builder.finish_placing(|_| None));
    }
    let (mut by_code, mut by_name) = (vec![None; keys.len()], vec![None; keys.len()]);
    for (d, spans) in projects.iter().enumerate() {
        for &span in spans {
            let p = read_project(spill, span)?;
            for (i, (code, name)) in keys.iter().enumerate() {
                if by_code[i].is_none() && !code.is_empty() && p.code.trim() == code {
                    by_code[i] = Some(d);
                }
                if by_name[i].is_none() && !name.is_empty() && p.name.trim() == name {
                    by_name[i] = Some(d);
                }
            }
        }
    }
    Ok(builder.finish_placing(|i| by_code[i].or(by_name[i])))
}

/// Findings grouped by their file, each file's in order.
fn by_file(list: Vec<Diagnostic>) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut out: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for d in list {
        out.entry(d.file.clone()).or_default().push(d);
    }
    out
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
/// then report.json. Each corrected workbook written goes to `on_written`; how many were.
fn write(
    streamed: &Streamed,
    files: &[InputFile],
    out: &Path,
    summary: Summary,
    quiet: bool,
    on_written: impl Fn(Written) + Sync,
) -> Result<usize, Error> {
    let inputs = input_file_set(files.iter().map(|f| f.path.as_path()));
    // Every file is named as it sits under its input folder already.
    let place = |source: &str| safe_relative_xlsx(source);
    let count = streamed.files().len();
    let progress = Progress::new(count, "写出", quiet);
    let (written, rollup) = rayon::join(
        || {
            write::corrected::write_each(
                streamed,
                &out.join(CORRECTED),
                place,
                |p| output::is_input_file(p, &inputs),
                |_, w| {
                    progress.tick();
                    on_written(w);
                },
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
                .bytes(r.entry())
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        });
        render::write_report_parts(w, streamed.reported(None), entries, &summary)
    })?;
    Ok(written)
}
