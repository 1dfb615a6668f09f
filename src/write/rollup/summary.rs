//! 项目汇总: one row per project (its amounts, the spending plan as amounts per checkpoint, its
//! counts and source), a 合计 row of `SUM` formulas; and the chart of budget by project.

use super::out::Out;
use super::out::FIRST_ROW;
use super::CHART_PROJECTS;
use crate::diag::{Diagnostic, Severity};
use crate::model::{Model, Project};
use crate::rollup::{self, checkpoint_header, headers, SummaryRow, Value};
use crate::write::style::{print_setup, Style};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Worksheet, XlsxError};

/// The spending-plan checkpoints in the order they first appear.
pub(super) fn checkpoints(model: &Model) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, p) in model.projects() {
        for point in &p.spending_plan {
            if !out.contains(&point.by) {
                out.push(point.by.clone());
            }
        }
    }
    out
}

pub(super) use crate::rollup::planned;

/// Unfixed errors and warnings per project table, counted once (not once per project).
#[derive(Default)]
pub(super) struct TableCounts(
    std::collections::HashMap<(String, String, crate::model::CellRef), (usize, usize)>,
);

impl TableCounts {
    /// Counts an unfixed finding.
    pub(super) fn add(&mut self, d: &Diagnostic) {
        let (Some(sheet), Some(table)) = (d.sheet.as_deref(), d.table) else {
            return;
        };
        if d.severity == Severity::Info {
            return;
        }
        let e = self
            .0
            .entry((d.file.clone(), sheet.to_string(), table))
            .or_default();
        match d.severity {
            Severity::Error => e.0 += 1,
            Severity::Warning => e.1 += 1,
            Severity::Info => {}
        }
    }

    fn of(&self, p: &Project, severity: Severity) -> usize {
        let key = (
            p.source.file.clone(),
            p.source.sheet.clone(),
            p.source.range.start,
        );
        let (errors, warnings) = self.0.get(&key).copied().unwrap_or_default();
        if severity == Severity::Error {
            errors
        } else {
            warnings
        }
    }
}

/// A column's total and its style: the sum of its amounts or counts; `None` for text.
fn total<R>(rows: &[R], value: impl Fn(&R) -> Value) -> Option<(Decimal, Style)> {
    match value(rows.first()?) {
        Value::Amount(_) => {
            let amounts = rows.iter().filter_map(|r| match value(r) {
                Value::Amount(a) => a,
                _ => None,
            });
            Some((amounts.sum(), Style::Amount))
        }
        Value::Count(_) => {
            let counts = rows.iter().map(|r| match value(r) {
                Value::Count(n) => n,
                _ => 0,
            });
            Some((Decimal::from(counts.sum::<usize>()), Style::Count))
        }
        _ => None,
    }
}

/// Writes 项目汇总; returns its number of project rows.
pub(super) fn summary_sheet(
    ws: &mut Worksheet,
    model: &Model,
    indicators: &dyn Fn(&Project) -> usize,
    tables: &TableCounts,
    stops: &[String],
) -> Result<u32, XlsxError> {
    let mut out = Out::new(ws);
    let (lead, tail) = (rollup::summary_lead(), rollup::summary_tail());
    let mut names: Vec<String> = headers(&lead).into_iter().map(String::from).collect();
    names.extend(stops.iter().map(|s| checkpoint_header(s)));
    names.extend(headers(&tail).into_iter().map(String::from));
    let printed = (names.len() - rollup::SUMMARY_HELPERS) as u16;
    if let Some(name) = names.iter().position(|n| n == rollup::NAME) {
        out.wrap(name as u16, 24.0)?;
    }
    out.title(&rollup::sheet_title(model, rollup::SUMMARY, true), printed)?;
    out.header(&names.iter().map(String::as_str).collect::<Vec<_>>())?;
    let rows: Vec<SummaryRow> = model
        .projects()
        .map(|(department, project)| SummaryRow {
            department,
            project,
            indicators: indicators(project),
            errors: tables.of(project, Severity::Error),
            warnings: tables.of(project, Severity::Warning),
        })
        .collect();
    let after = (lead.len() + stops.len()) as u16;
    for (n, row) in rows.iter().enumerate() {
        let r = FIRST_ROW + n as u32;
        out.row(r, 0, &lead, row)?;
        for (k, by) in stops.iter().enumerate() {
            out.amount(r, (lead.len() + k) as u16, planned(row.project, by))?;
        }
        out.row(r, after, &tail, row)?;
    }
    let last = FIRST_ROW + rows.len() as u32 - 1;
    let total_row = last + 1;
    out.text(total_row, 0, "合计", Style::Label)?;
    out.text(
        total_row,
        1,
        &format!("{} 个项目", rows.len()),
        Style::Label,
    )?;
    if !rows.is_empty() {
        // A 合计 under every column of amounts or counts, in column order.
        let mut totals: Vec<Option<(Decimal, Style)>> = Vec::new();
        totals.extend(lead.iter().map(|c| total(&rows, |r| (c.value)(r))));
        totals.extend(
            stops
                .iter()
                .map(|by| total(&rows, |r| Value::Amount(planned(r.project, by)))),
        );
        totals.extend(tail.iter().map(|c| total(&rows, |r| (c.value)(r))));
        for (c, sum) in totals.into_iter().enumerate() {
            if let Some((sum, style)) = sum {
                out.sum(total_row, c as u16, FIRST_ROW, last, sum, style)?;
            }
        }
    }
    out.ws.set_freeze_panes(FIRST_ROW, 2)?;
    out.finish(total_row, names.len() as u16, printed)?;
    Ok(rows.len() as u32)
}

pub(super) fn chart_sheet(ws: &mut Worksheet, projects: u32) -> Result<(), XlsxError> {
    let shown = projects.min(CHART_PROJECTS as u32);
    if shown == 0 {
        return Ok(());
    }
    let mut chart = Chart::new(ChartType::Bar);
    // 项目名称 and 预算数, in 项目汇总's columns B and C from its first row.
    let (first, last) = (FIRST_ROW, FIRST_ROW + shown - 1);
    chart
        .add_series()
        .set_categories((rollup::SUMMARY, first, 1, last, 1))
        .set_values((rollup::SUMMARY, first, 2, last, 2))
        .set_name("预算数（万元）");
    let title = if projects > shown {
        format!("各项目预算数（前 {shown} 个，万元）")
    } else {
        "各项目预算数（万元）".to_string()
    };
    chart.title().set_name(&title);
    chart.legend().set_hidden();
    chart.y_axis().set_reverse();
    chart.set_width(900).set_height(120 + 28 * shown);
    ws.insert_chart(0, 0, &chart)?;
    print_setup(ws);
    Ok(())
}
