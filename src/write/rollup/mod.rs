//! The department roll-up `汇总.xlsx` (SPEC §5): 项目汇总, 指标明细 (the sheet users edit),
//! 资金计划, 预算对账, 自评汇总 (when 自评表 are among the inputs), 部门整体 (when a Word document's 部门整体 section lists items), 问题清单, a chart of budget by project, and the model itself in a hidden
//! sheet so `jxmb apply` can rebuild the corrected workbooks from this one file. The sheets'
//! names and columns are defined once, in [`crate::rollup`].

mod evaluations;
mod lists;
mod model_sheet;
mod out;
mod overall;
mod plan;
mod summary;

use super::Source;
use crate::diag::{Diagnostic, Severity};
use crate::rollup::{
    Detail, Titles, CHART, DETAILS, EVALUATIONS, ISSUES, MODEL, OVERALL, PLAN, RECONCILIATION,
    SUMMARY,
};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

/// Cells hold at most 32,767 characters; the model's JSON is split into pieces below that.
const CHUNK: usize = 30_000;
/// The rows a sheet has in Excel (and WPS, LibreOffice).
const EXCEL_ROWS: usize = 1_048_576;
/// The data rows a list sheet holds: Excel's rows less the title and header above them. A
/// longer list goes on in 问题清单（2）, 问题清单（3）… (see [`crate::read::rollup::continued`]).
const SHEET_ROWS: usize = EXCEL_ROWS - out::FIRST_ROW as usize;

/// The most projects a chart shows; beyond that a bar chart is unreadable.
const CHART_PROJECTS: usize = 60;

/// Writes the roll-up of a batch and its findings to `path` (atomically).
pub fn save(source: &impl Source, path: &std::path::Path) -> Result<(), crate::error::Error> {
    let wb = workbook(source).map_err(|e| super::xlsx_error(path, e))?;
    let saved = super::save(wb, path, super::Packing::Balanced);
    // The roll-up's thread goes on to write corrected workbooks: what the roll-up freed goes
    // back to the system first, not kept beside what they take.
    crate::memory::release();
    saved
}

/// The roll-up workbook of a batch and its findings (`fixed` ones are listed as fixed).
pub fn workbook(source: &impl Source) -> Result<Workbook, XlsxError> {
    workbook_in_sheets_of(source, SHEET_ROWS)
}

/// What the sheets need from the findings, gathered in one pass over them: the open findings
/// per severity and the fixed ones, and the findings on the paragraphs of 部门整体 sections.
struct Tallies {
    open: crate::diag::Counts,
    fixed: usize,
    on_paragraphs: Vec<Diagnostic>,
}

fn tallies(source: &impl Source) -> std::io::Result<Tallies> {
    let paragraphs = overall::paragraphs(source.model());
    let mut t = Tallies {
        open: crate::diag::Counts::default(),
        fixed: 0,
        on_paragraphs: Vec::new(),
    };
    for d in source.reported(None) {
        let d = d?;
        if d.fixed {
            t.fixed += 1;
        } else {
            t.open.add(std::slice::from_ref(&*d));
        }
        if overall::is_on(&d, &paragraphs) {
            t.on_paragraphs.push(d.into_owned());
        }
    }
    Ok(t)
}

/// A spill file that could not be read back, as the writer's error.
fn io_error(e: std::io::Error) -> XlsxError {
    XlsxError::IoError(e)
}

/// What the sheets need from every project before any is written, gathered in one pass: the
/// spending-plan checkpoints in the order they first appear, and the titles (the unit of the
/// departments that have projects, the year their codes agree on).
fn figures(source: &impl Source) -> std::io::Result<(Vec<String>, Titles)> {
    let model = source.model();
    let mut stops: Vec<String> = Vec::new();
    let mut with_projects = vec![false; model.departments.len()];
    let mut years = crate::model::Years::default();
    for placed in source.projects() {
        let (d, p) = placed?;
        if let Some(w) = with_projects.get_mut(d) {
            *w = true;
        }
        years.see(&p.code);
        for point in &p.spending_plan {
            if !stops.contains(&point.by) {
                stops.push(point.by.clone());
            }
        }
    }
    Ok((stops, Titles::new(model, &with_projects, years)))
}

/// [`workbook`] with the long lists cut into sheets of `per_sheet` rows (tests use a few).
fn workbook_in_sheets_of(source: &impl Source, per_sheet: usize) -> Result<Workbook, XlsxError> {
    let model = source.model();
    let tallies = tallies(source).map_err(io_error)?;
    let (stops, titles) = figures(source).map_err(io_error)?;
    let mut wb = Workbook::new();
    // The sheets of a row per project or budget line stream to disk too (constant-memory
    // mode), written in row order: a province's batch has hundreds of thousands of rows.
    let totals = summary::summary_sheet(
        wb.add_worksheet_with_constant_memory()?.set_name(SUMMARY)?,
        source,
        &stops,
        &titles,
    )?;
    // The long sheets stream to disk (constant-memory mode: rows written in order), and go on
    // in further sheets past the rows one sheet holds. A streamed batch's projects are read
    // back whole one at a time.
    let failed = std::cell::RefCell::new(None);
    let details = source
        .projects()
        .map_while(|placed| match placed {
            Ok((_, p)) => Some(std::rc::Rc::new(p)),
            Err(e) => {
                *failed.borrow_mut() = Some(e);
                None
            }
        })
        .flat_map(|project| {
            (1..=project.indicators.len()).map(move |number| Detail {
                project: project.clone(),
                number,
            })
        });
    let details_title = titles.title(DETAILS, false);
    in_sheets(&mut wb, DETAILS, details, per_sheet, |ws, rows| {
        lists::details_sheet(ws, &details_title, rows)
    })?;
    if let Some(e) = failed.borrow_mut().take() {
        return Err(io_error(e));
    }
    plan::plan_sheet(wb.add_worksheet().set_name(PLAN)?, &titles, &stops, &totals)?;
    // 预算对账 pairs each project with its budget line as the projects are read back.
    plan::reconciliation_sheet(
        wb.add_worksheet_with_constant_memory()?
            .set_name(RECONCILIATION)?,
        &titles,
        &model.departments,
        source.projects(),
    )?;
    if evaluations::has_evaluations(model) {
        evaluations::evaluations_sheet(wb.add_worksheet().set_name(EVALUATIONS)?, model, &titles)?;
    }
    if overall::has_items(model) {
        // What 部门整体 shows of the projects of the departments that have one: their
        // amounts, added one at a time.
        let mut amounts = crate::reconcile::BatchView::amounts_of_departments(model);
        for placed in source.projects() {
            let (d, p) = placed.map_err(io_error)?;
            if model.departments.get(d).is_some_and(overall::has_items_in) {
                amounts.add_amounts(d, &p);
            }
        }
        overall::overall_sheet(
            wb.add_worksheet().set_name(OVERALL)?,
            &titles,
            &amounts,
            &tallies.on_paragraphs,
        )?;
    }
    // What matters first (SPEC §4): open errors, then warnings, then notes, each in file and
    // cell order; what convert fixed comes last.
    let open = tallies.open;
    let issues_title = titles.title(
        &format!(
            "{ISSUES}（错误 {}、警告 {}、提示 {}，已修正 {}）",
            open.errors, open.warnings, open.infos, tallies.fixed
        ),
        false,
    );
    let severities = [Severity::Error, Severity::Warning, Severity::Info];
    let issues = [false, true]
        .into_iter()
        .flat_map(|fixed| severities.map(|s| (fixed, s)))
        .flat_map(|group| source.reported(Some(group)))
        .map_while(|d| match d {
            Ok(d) => Some(d),
            Err(e) => {
                *failed.borrow_mut() = Some(e);
                None
            }
        });
    in_sheets(&mut wb, ISSUES, issues, per_sheet, |ws, rows| {
        lists::issues_sheet(ws, &issues_title, rows)
    })?;
    if let Some(e) = failed.borrow_mut().take() {
        return Err(io_error(e));
    }
    summary::chart_sheet(wb.add_worksheet().set_name(CHART)?, totals.rows)?;
    model_sheet::model_sheet(
        wb.add_worksheet_with_constant_memory()?.set_name(MODEL)?,
        source,
    )?;
    Ok(wb)
}

/// Writes a list as `name`, then `name（2）`… of `per_sheet` rows each (one sheet when empty).
fn in_sheets<I: Iterator>(
    wb: &mut Workbook,
    name: &str,
    items: I,
    per_sheet: usize,
    mut sheet: impl FnMut(&mut Worksheet, &mut dyn Iterator<Item = I::Item>) -> Result<(), XlsxError>,
) -> Result<(), XlsxError> {
    let mut items = items.peekable();
    for k in 0.. {
        let ws = wb
            .add_worksheet_with_constant_memory()?
            .set_name(crate::read::rollup::continued(name, k))?;
        let mut chunk = items.by_ref().take(per_sheet);
        sheet(ws, &mut chunk)?;
        if items.peek().is_none() {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::rollup::{read_rollup, Rows};

    #[test]
    fn a_full_list_sheet_ends_on_excels_last_row() {
        // Found converting 100,000 workbooks: a sheet one row too long was refused.
        let ws = &mut Workbook::new();
        let ws = ws.add_worksheet_with_constant_memory().expect("sheet");
        let last = out::FIRST_ROW + SHEET_ROWS as u32 - 1;
        assert!(ws.write_string(last, 0, "最后一行").is_ok(), "row {last}");
        assert!(ws.write_string(last + 1, 0, "多一行").is_err());
    }

    #[test]
    fn long_lists_go_on_in_numbered_sheets_and_apply_reads_them_all() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-workbooks/lunan-2025");
        let files = crate::batch::collect(&[dir]).expect("listed");
        let batch = crate::batch::read(&files, &Default::default(), &Default::default());
        let model = batch.model;
        let mut diags = batch.diagnostics;
        crate::check::run(&model, &Default::default(), &mut diags);
        let indicators: usize = model.projects().map(|(_, p)| p.indicators.len()).sum();
        let per = 20;
        let wb = workbook_in_sheets_of(&crate::write::Whole::new(&model, &diags, []), per)
            .expect("built");
        let out = tempfile::tempdir().expect("temp dir");
        let path = out.path().join("汇总.xlsx");
        super::super::save(wb, &path, super::super::Packing::Fast).expect("saved");

        let file = read_rollup(&path, MODEL, &[DETAILS, ISSUES, SUMMARY]).expect("read");
        let json = serde_json::to_string(&model).expect("json");
        assert_eq!(
            file.model_json.as_deref(),
            Some(json.as_str()),
            "the hidden model"
        );
        let sheets = |name: &str| -> Vec<(String, Rows)> {
            let prefix = format!("{name}（");
            file.sheets
                .iter()
                .filter(|(n, _)| n == name || n.starts_with(&prefix))
                .cloned()
                .collect()
        };
        for (name, total) in [(DETAILS, indicators), (ISSUES, diags.len())] {
            let list = sheets(name);
            let names: Vec<&str> = list.iter().map(|(n, _)| n.as_str()).collect();
            let expected: Vec<String> = (0..total.div_ceil(per))
                .map(|k| crate::read::rollup::continued(name, k))
                .collect();
            assert_eq!(names, expected, "{name}: {total} rows");
            // Each sheet: its title, its header, then its rows.
            let rows: Vec<usize> = list.iter().map(|(_, r)| r.rows.len() - 2).collect();
            assert!(rows.iter().all(|&n| n <= per), "{rows:?}");
            assert_eq!(rows.iter().sum::<usize>(), total, "{name}");
        }

        // An edit on the last row of the last 指标明细 sheet comes back through apply.
        let mut details = sheets(DETAILS);
        let target = crate::rollup::detail_columns()
            .iter()
            .position(|c| c.header == "指标值")
            .expect("column");
        let last_rows = &mut details.last_mut().expect("a sheet").1;
        last_rows.rows.last_mut().expect("a row").cells[target] = "≥99%".into();
        let refs: Vec<(&str, &Rows)> = details.iter().map(|(n, r)| (n.as_str(), r)).collect();
        let summary = file
            .sheets
            .iter()
            .find(|(n, _)| n == SUMMARY)
            .map(|(_, r)| r);
        let done = crate::rollup::apply::edits(&model, &refs, summary).expect("valid edits");
        assert_eq!(done.changes.len(), 1);
        let (_, last) = model.projects().last().expect("a project");
        let c = &done.changes[0];
        assert!(c.project.contains(&last.code), "{c:?}");
        assert_eq!(c.what, format!("指标 {} 指标值", last.indicators.len()));
        assert_eq!(c.new, "≥99%");
        let (_, edited) = done.model.projects().last().expect("a project");
        assert_eq!(
            edited.indicators.last().map(|i| i.target.text.as_str()),
            Some("≥99%")
        );
    }
}
