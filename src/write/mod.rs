//! Writing workbooks: the only module that touches rust_xlsxwriter.
//!
//! `form` lays a project table out in the seed's standard form (and the budget and department
//! tables beside it); `corrected` puts one source file's tables into one workbook with the
//! remaining findings as notes; `rollup` writes the department roll-up `汇总.xlsx`.

pub mod corrected;
mod form;
pub mod rollup;
mod style;

pub use form::Remark;

use crate::diag::{Diagnostic, Severity};
use crate::error::Error;
use crate::model::{Department, Model, Project};
use corrected::FileTables;
use indexmap::IndexMap;
use rust_xlsxwriter::{DocProperties, Workbook, XlsxError};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::ops::Range;
use std::path::Path;

/// A finding read back from where it waits, or the error reading it.
pub type Reported<'a> = io::Result<Cow<'a, Diagnostic>>;

/// A project read back whole, with its department's place in the model.
pub type Placed<'a> = io::Result<(usize, Cow<'a, Project>)>;

/// What the outputs are written from: a batch held whole in memory ([`Whole`]), or a batch
/// streamed through spill files (`pipeline::streamed`), whose model holds its departments
/// without their projects. The writers ask both the same questions, so both write the same
/// bytes.
pub trait Source: Sync {
    /// The batch's departments with their budget lines, 部门整体 tables and 自评表 (and, held
    /// whole, their projects: read them through [`Source::projects`]).
    fn model(&self) -> &Model;
    /// Every project whole, in the model's order (department by department).
    fn projects(&self) -> Box<dyn Iterator<Item = Placed<'_>> + '_>;
    /// Each file's tables, by file name: the corrected workbooks' list. A streamed batch's
    /// projects are not in it: [`Source::projects_of`] reads them.
    fn files(&self) -> IndexMap<&str, FileTables<'_>>;
    /// One file's projects whole, with their departments.
    fn projects_of<'a>(
        &'a self,
        file: &str,
        tables: &FileTables<'a>,
    ) -> io::Result<Vec<(&'a Department, Cow<'a, Project>)>>;
    /// A project table's unfixed (errors, warnings).
    fn table_counts(&self, p: &Project) -> io::Result<(usize, usize)>;
    /// The findings left after fixing in one file, in order: its corrected workbook's notes.
    fn remaining(&self, file: &str) -> io::Result<Cow<'_, [Diagnostic]>>;
    /// The report's findings in order (report.json's list); with `only`, those that are (or
    /// are not) fixed and of one severity.
    fn reported(
        &self,
        only: Option<(bool, Severity)>,
    ) -> Box<dyn Iterator<Item = Reported<'_>> + Send + '_>;
}

/// A batch held whole in memory: the model, the report's findings and those left after
/// fixing, both in `diag::sort` order.
pub struct Whole<'a> {
    model: &'a Model,
    report: &'a [Diagnostic],
    remaining: Vec<Diagnostic>,
    /// Where each file's findings sit in `remaining` (sorted by file first, so together).
    by_file: HashMap<String, Range<usize>>,
    /// The report's unfixed errors and warnings per project table, counted when first asked.
    tables: std::sync::OnceLock<TableCounts>,
}

impl<'a> Whole<'a> {
    pub fn new<'d>(
        model: &'a Model,
        report: &'a [Diagnostic],
        remaining: impl IntoIterator<Item = &'d Diagnostic>,
    ) -> Whole<'a> {
        let remaining: Vec<Diagnostic> = remaining.into_iter().cloned().collect();
        let mut by_file: HashMap<String, Range<usize>> = HashMap::new();
        for (i, d) in remaining.iter().enumerate() {
            by_file
                .entry(d.file.clone())
                .and_modify(|r| r.end = i + 1)
                .or_insert(i..i + 1);
        }
        Whole {
            model,
            report,
            remaining,
            by_file,
            tables: std::sync::OnceLock::new(),
        }
    }
}

impl Source for Whole<'_> {
    fn model(&self) -> &Model {
        self.model
    }

    fn projects(&self) -> Box<dyn Iterator<Item = Placed<'_>> + '_> {
        Box::new(
            self.model
                .departments
                .iter()
                .enumerate()
                .flat_map(|(d, dept)| dept.projects.iter().map(move |p| Ok((d, Cow::Borrowed(p))))),
        )
    }

    fn files(&self) -> IndexMap<&str, FileTables<'_>> {
        corrected::by_file(self.model)
    }

    fn projects_of<'a>(
        &'a self,
        _file: &str,
        tables: &FileTables<'a>,
    ) -> io::Result<Vec<(&'a Department, Cow<'a, Project>)>> {
        Ok(tables
            .projects
            .iter()
            .map(|(d, p)| (*d, Cow::Borrowed(*p)))
            .collect())
    }

    fn table_counts(&self, p: &Project) -> io::Result<(usize, usize)> {
        let tables = self.tables.get_or_init(|| {
            let mut t = TableCounts::default();
            self.report.iter().for_each(|d| t.add(d));
            t
        });
        Ok(tables.of(p))
    }

    fn remaining(&self, file: &str) -> io::Result<Cow<'_, [Diagnostic]>> {
        let range = self.by_file.get(file).cloned().unwrap_or_default();
        Ok(Cow::Borrowed(&self.remaining[range]))
    }

    fn reported(
        &self,
        only: Option<(bool, Severity)>,
    ) -> Box<dyn Iterator<Item = Reported<'_>> + Send + '_> {
        Box::new(
            self.report
                .iter()
                .filter(move |d| only.is_none_or(|(fixed, s)| d.fixed == fixed && d.severity == s))
                .map(|d| Ok(Cow::Borrowed(d))),
        )
    }
}

/// Unfixed errors and warnings per project table, counted once (not once per project).
#[derive(Default)]
pub struct TableCounts(HashMap<(String, String, crate::model::CellRef), (usize, usize)>);

impl TableCounts {
    /// Counts a finding, when it is an unfixed error or warning on a project table.
    pub fn add(&mut self, d: &Diagnostic) {
        let (Some(sheet), Some(table)) = (d.sheet.as_deref(), d.table) else {
            return;
        };
        if d.fixed || d.severity == Severity::Info {
            return;
        }
        let e = self
            .0
            .entry((d.file.clone(), sheet.to_string(), table))
            .or_default();
        match d.severity {
            Severity::Error => e.0 += 1,
            _ => e.1 += 1,
        }
    }

    /// A project table's (errors, warnings).
    pub fn of(&self, p: &Project) -> (usize, usize) {
        let key = (
            p.source.file.clone(),
            p.source.sheet.clone(),
            p.source.range.start,
        );
        self.0.get(&key).copied().unwrap_or_default()
    }
}

/// Custom document properties naming the tool and model versions that wrote the file.
fn properties() -> DocProperties {
    DocProperties::new()
        .set_custom_property("jxmb 版本", env!("CARGO_PKG_VERSION"))
        .set_custom_property("jxmb 模型版本", crate::model::MODEL_VERSION as i32)
        .set_comment("由 jxmb 生成")
}

/// rust_xlsxwriter's error, with the file it was writing.
pub fn xlsx_error(path: &Path, source: XlsxError) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// How hard the zip package is compressed: writing is mostly compression, and a light level
/// saves a workbook several times faster for a somewhat larger file (rust_xlsxwriter's own
/// performance notes suggest the same trade).
#[derive(Debug, Clone, Copy)]
pub enum Packing {
    /// The many small corrected workbooks: speed first.
    Fast,
    /// The one roll-up, which is mailed around: a balance.
    Balanced,
}

/// Saves a workbook atomically (temporary file, then rename).
pub fn save(mut wb: Workbook, path: &Path, packing: Packing) -> Result<(), Error> {
    wb.set_properties(&properties());
    wb.set_zip_compression_level(match packing {
        Packing::Fast => 1,
        Packing::Balanced => 3,
    });
    // Straight into the file: a province's roll-up is hundreds of megabytes.
    crate::output::write_atomically_to(path, |file| {
        wb.save_to_writer(file).map_err(|e| match e {
            XlsxError::IoError(e) => e,
            e => std::io::Error::other(e.to_string()),
        })
    })
}
