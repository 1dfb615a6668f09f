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

use crate::diag::Diagnostic;
use crate::model::Model;
use crate::rollup::{
    Detail, CHART, DETAILS, EVALUATIONS, ISSUES, MODEL, OVERALL, PLAN, RECONCILIATION, SUMMARY,
};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

/// Cells hold at most 32,767 characters; the model's JSON is split into pieces below that.
const CHUNK: usize = 30_000;
/// The data rows a list sheet holds: Excel's 1,048,576 rows less the header. A longer list
/// goes on in 问题清单（2）, 问题清单（3）… (see [`crate::read::rollup::continued`]).
const SHEET_ROWS: usize = 1_048_575;

/// The most projects a chart shows; beyond that a bar chart is unreadable.
const CHART_PROJECTS: usize = 60;

/// Writes the roll-up of a model and its findings to `path` (atomically).
pub fn save(
    model: &Model,
    diags: &[Diagnostic],
    path: &std::path::Path,
) -> Result<(), crate::error::Error> {
    let wb = workbook(model, diags).map_err(|e| super::xlsx_error(path, e))?;
    super::save(wb, path, super::Packing::Balanced)
}

/// The roll-up workbook of a model and its findings (`fixed` ones are listed as fixed).
pub fn workbook(model: &Model, diags: &[Diagnostic]) -> Result<Workbook, XlsxError> {
    workbook_in_sheets_of(model, diags, SHEET_ROWS)
}

/// [`workbook`] with the long lists cut into sheets of `per_sheet` rows (tests use a few).
fn workbook_in_sheets_of(
    model: &Model,
    diags: &[Diagnostic],
    per_sheet: usize,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let stops = summary::checkpoints(model);
    let projects =
        summary::summary_sheet(wb.add_worksheet().set_name(SUMMARY)?, model, diags, &stops)?;
    // The long sheets stream to disk (constant-memory mode: rows written in order), and go on
    // in further sheets past the rows one sheet holds.
    let details = model.projects().flat_map(|(_, project)| {
        let numbered = project.indicators.iter().enumerate();
        numbered.map(move |(n, indicator)| Detail {
            project,
            number: n + 1,
            indicator,
        })
    });
    let details_title = crate::rollup::sheet_title(model, DETAILS, false);
    in_sheets(&mut wb, DETAILS, details, per_sheet, |ws, rows| {
        lists::details_sheet(ws, &details_title, rows)
    })?;
    plan::plan_sheet(wb.add_worksheet().set_name(PLAN)?, model, &stops)?;
    plan::reconciliation_sheet(wb.add_worksheet().set_name(RECONCILIATION)?, model)?;
    if evaluations::has_evaluations(model) {
        evaluations::evaluations_sheet(wb.add_worksheet().set_name(EVALUATIONS)?, model)?;
    }
    if overall::has_items(model) {
        overall::overall_sheet(wb.add_worksheet().set_name(OVERALL)?, model, diags)?;
    }
    // What matters first (SPEC §4): open errors, then warnings, then notes, each in file and
    // cell order; what convert fixed comes last.
    let mut issues: Vec<&Diagnostic> = diags.iter().collect();
    issues.sort_by_key(|d| (d.fixed, std::cmp::Reverse(d.severity)));
    let open = crate::diag::Counts::of(diags.iter().filter(|d| !d.fixed));
    let fixed = diags.iter().filter(|d| d.fixed).count();
    let issues_title = crate::rollup::sheet_title(
        model,
        &format!(
            "{ISSUES}（错误 {}、警告 {}、提示 {}，已修正 {fixed}）",
            open.errors, open.warnings, open.infos
        ),
        false,
    );
    in_sheets(
        &mut wb,
        ISSUES,
        issues.into_iter(),
        per_sheet,
        |ws, rows| lists::issues_sheet(ws, &issues_title, rows),
    )?;
    summary::chart_sheet(wb.add_worksheet().set_name(CHART)?, projects)?;
    model_sheet::model_sheet(
        wb.add_worksheet_with_constant_memory()?.set_name(MODEL)?,
        model,
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
        let wb = workbook_in_sheets_of(&model, &diags, per).expect("built");
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
