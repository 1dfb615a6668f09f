//! Corrected workbooks: each input file's tables rewritten in the standard form, one table per
//! sheet, with every remaining finding as a note on its cell.

use super::form::{
    budget_sheet, evaluation_sheet, overall_sheet, project_sheet, unit_line, Remark,
};
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::model::{BudgetLine, Department, Evaluation, Model, OverallTable, Project};
use crate::output::{safe_relative_xlsx, safe_sheet_name, UniqueNames};
use indexmap::IndexMap;
use rust_xlsxwriter::{Workbook, XlsxError};
use std::path::{Path, PathBuf};

/// The tables one input file held, in the order they were read.
#[derive(Debug, Default)]
pub struct FileTables<'a> {
    pub projects: Vec<(&'a Department, &'a Project)>,
    pub budget_lines: Vec<(&'a Department, &'a BudgetLine)>,
    pub overall: Vec<(&'a Department, &'a OverallTable)>,
    pub evaluations: Vec<&'a Evaluation>,
}

/// The model's tables grouped by the file they came from, in input order.
pub fn by_file(model: &Model) -> IndexMap<&str, FileTables<'_>> {
    let mut out: IndexMap<&str, FileTables> = IndexMap::new();
    for d in &model.departments {
        for p in &d.projects {
            out.entry(p.source.file.as_str())
                .or_default()
                .projects
                .push((d, p));
        }
        for l in &d.budget_lines {
            out.entry(l.source.file.as_str())
                .or_default()
                .budget_lines
                .push((d, l));
        }
        for e in &d.evaluations {
            out.entry(e.source.file.as_str())
                .or_default()
                .evaluations
                .push(e);
        }
        // A section written as prose has no table to correct: the roll-up's 部门整体 sheet
        // shows it.
        if let Some(t) = d.overall.as_ref().filter(|t| !t.prose) {
            out.entry(t.source.file.as_str())
                .or_default()
                .overall
                .push((d, t));
        }
    }
    out.sort_by(|a, _, b, _| a.cmp(b));
    out
}

fn remark(d: &Diagnostic, field: Option<crate::model::Field>) -> Remark {
    Remark {
        field,
        at: None,
        severity: d.severity,
        text: format!("[{} {}] {}", d.code, d.severity.chinese(), d.message),
    }
}

/// The findings of one project table, each on the field it is about.
pub fn project_remarks(p: &Project, diags: &[&Diagnostic]) -> Vec<Remark> {
    diags
        .iter()
        .filter(|d| {
            d.file == p.source.file
                && d.sheet.as_deref() == Some(&p.source.sheet)
                && d.table == Some(p.source.range.start)
        })
        .map(|d| remark(d, d.cell.and_then(|c| p.field_at(c))))
        .collect()
}

/// Findings on a budget or department table (they go on its title).
fn sheet_remarks(file: &str, sheet: &str, diags: &[&Diagnostic]) -> Vec<Remark> {
    diags
        .iter()
        .filter(|d| d.file == file && d.sheet.as_deref() == Some(sheet) && d.table.is_none())
        .map(|d| remark(d, None))
        .collect()
}

fn unit_of(d: &Department) -> (&str, &str) {
    (
        d.unit_code.as_deref().unwrap_or(""),
        d.unit_name.as_deref().unwrap_or(""),
    )
}

/// One input file's tables as a workbook in the standard form; `diags` are that file's findings.
pub fn workbook(tables: &FileTables, diags: &[&Diagnostic]) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let mut names = UniqueNames::sheets();
    for (dept, p) in &tables.projects {
        let (code, name) = unit_of(dept);
        let ws = wb.add_worksheet();
        ws.set_name(names.claim(&safe_sheet_name(&p.name)))?;
        project_sheet(ws, p, &unit_line(code, name), &project_remarks(p, diags))?;
    }
    let mut lines_by_dept: IndexMap<(&str, &str), Vec<BudgetLine>> = IndexMap::new();
    let mut line_remarks = Vec::new();
    for (dept, line) in &tables.budget_lines {
        lines_by_dept
            .entry(unit_of(dept))
            .or_default()
            .push((*line).clone());
        for r in sheet_remarks(&line.source.file, &line.source.sheet, diags) {
            if !line_remarks.contains(&r) {
                line_remarks.push(r);
            }
        }
    }
    for (unit, lines) in &lines_by_dept {
        let ws = wb.add_worksheet();
        ws.set_name(names.claim("项目支出预算表"))?;
        budget_sheet(ws, lines, *unit, &line_remarks)?;
    }
    for (dept, table) in &tables.overall {
        let (code, name) = unit_of(dept);
        let ws = wb.add_worksheet();
        ws.set_name(names.claim("部门整体支出绩效目标表"))?;
        overall_sheet(
            ws,
            table,
            &unit_line(code, name),
            &sheet_remarks(&table.source.file, &table.source.sheet, diags),
        )?;
    }
    for e in &tables.evaluations {
        let ws = wb.add_worksheet();
        ws.set_name(names.claim(&safe_sheet_name(&format!("{}自评表", e.name))))?;
        evaluation_sheet(ws, e, &evaluation_remarks(e, diags))?;
    }
    Ok(wb)
}

/// The findings of one 自评表, each on its cell, and the computed total where it differs from
/// the claimed one.
fn evaluation_remarks(e: &Evaluation, diags: &[&Diagnostic]) -> Vec<Remark> {
    let mut out: Vec<Remark> = diags
        .iter()
        .filter(|d| {
            d.file == e.source.file
                && d.sheet.as_deref() == Some(&e.source.sheet)
                && d.project.as_deref().unwrap_or("") == e.code
        })
        .map(|d| Remark {
            at: d.cell,
            ..remark(d, None)
        })
        .collect();
    let c = &e.computed;
    if let (Some(claimed), Some(computed)) = (e.total.score, c.score) {
        if (claimed - computed).abs() > rust_decimal::Decimal::new(1, 2) {
            out.push(Remark {
                field: None,
                at: e.total.cell,
                severity: crate::diag::Severity::Info,
                text: format!(
                    "[jxmb 核算] 按规则核算的总分为 {}（{}），自评总分 {}",
                    computed.normalize(),
                    c.grade,
                    claimed.normalize()
                ),
            });
        }
    }
    out
}

/// One corrected workbook written: which input it came from, and where it went.
#[derive(Debug, Clone)]
pub struct Written {
    pub source: String,
    pub path: PathBuf,
}

/// Writes every source file's tables as a corrected workbook under `dir`, at the relative path
/// `place` gives for the source (sanitized and made unique, so never outside `dir`). `refuse`
/// stops a write over an input file; `done` is called after each workbook (a progress bar).
/// Each workbook gets its file's findings left after fixing as notes. What was written, in
/// input order.
pub fn write_all(
    source: &impl super::Source,
    dir: &Path,
    place: impl Fn(&str) -> PathBuf + Sync,
    refuse: impl Fn(&Path) -> bool,
    done: impl Fn() + Sync,
) -> Result<Vec<Written>, Error> {
    let written = std::sync::Mutex::new(Vec::new());
    write_each(source, dir, place, refuse, |i, w| {
        done();
        written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((i, w));
    })?;
    let mut written = written.into_inner().unwrap_or_else(|e| e.into_inner());
    // In input order, as they were claimed.
    written.sort_unstable_by_key(|(i, _)| *i);
    Ok(written.into_iter().map(|(_, w)| w).collect())
}

/// [`write_all`], handing each workbook written to `on_written` with its place in input order
/// (the workbooks are written in parallel) instead of keeping a list: how many were written.
pub fn write_each(
    source: &impl super::Source,
    dir: &Path,
    place: impl Fn(&str) -> PathBuf + Sync,
    refuse: impl Fn(&Path) -> bool,
    on_written: impl Fn(usize, Written) + Sync,
) -> Result<usize, Error> {
    // Names are claimed in input order, so they are the same every run; all are checked before
    // any workbook is written.
    let files = source.files();
    let path_of = |names: &mut UniqueNames, file: &str| {
        // Only plain, sanitized components: whatever `place` returns, the file lands inside `dir`.
        let relative = safe_relative_xlsx(&place(file).to_string_lossy());
        dir.join(names.claim(&relative.to_string_lossy()))
    };
    let mut names = UniqueNames::files();
    for file in files.keys() {
        let path = path_of(&mut names, file);
        if refuse(&path) {
            return Err(Error::Usage(format!(
                "不会覆盖输入文件“{}”：请用 -o 指定别的文件夹",
                path.display()
            )));
        }
    }
    // Then claimed again the same way, each as its workbook is taken up: the workbooks are
    // written in parallel (each is independent of the others), and no list of every path is
    // held for a province's batch.
    names = UniqueNames::files();
    let count = files.len();
    let jobs = files.into_iter().enumerate().map(|(i, (file, tables))| {
        let path = path_of(&mut names, file);
        (i, file, tables, path)
    });
    use rayon::prelude::*;
    jobs.par_bridge().try_for_each(|(i, file, tables, path)| {
        let read_back = |e: std::io::Error| super::xlsx_error(&path, XlsxError::IoError(e));
        // A streamed batch's projects are read back whole, one file's at a time.
        let projects = source.projects_of(file, &tables).map_err(read_back)?;
        let whole = FileTables {
            projects: projects.iter().map(|(d, p)| (*d, &**p)).collect(),
            ..tables
        };
        let left = source.remaining(file).map_err(read_back)?;
        let mine: Vec<&Diagnostic> = left.iter().collect();
        let wb = workbook(&whole, &mine).map_err(|e| super::xlsx_error(&path, e))?;
        super::save(wb, &path, super::Packing::Fast)?;
        on_written(
            i,
            Written {
                source: file.to_string(),
                path,
            },
        );
        Ok::<(), Error>(())
    })?;
    Ok(count)
}
