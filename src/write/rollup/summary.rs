//! 项目汇总: one row per project (its amounts, the spending plan as amounts per checkpoint, its
//! counts and source), a 合计 row of `SUM` formulas; and the chart of budget by project.

use super::out::Out;
use super::out::FIRST_ROW;
use super::CHART_PROJECTS;

use crate::rollup::{self, checkpoint_header, headers, SummaryRow, Titles, Value};
use crate::write::style::{print_setup, Style};
use crate::write::Source;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Worksheet, XlsxError};

pub(super) use crate::rollup::planned;

/// What 项目汇总 adds up as it goes, which 资金计划 and the chart show too.
pub(super) struct Totals {
    /// Its project rows.
    pub rows: u32,
    /// 预算数 of all projects, and the planned amount at each checkpoint.
    pub budget: Decimal,
    pub planned: Vec<Decimal>,
}

/// A column's running total and its style: the sum of its amounts or counts (the kind of its
/// first row's value); `None` for text.
fn start_total(value: &Value) -> Option<(Decimal, Style)> {
    match value {
        Value::Amount(_) => Some((Decimal::ZERO, Style::Amount)),
        Value::Count(_) => Some((Decimal::ZERO, Style::Count)),
        _ => None,
    }
}

fn add_to_total(total: &mut Option<(Decimal, Style)>, value: &Value) {
    match (total, value) {
        (Some((sum, Style::Amount)), Value::Amount(Some(a))) => *sum += *a,
        (Some((sum, Style::Count)), Value::Count(n)) => *sum += Decimal::from(*n),
        _ => {}
    }
}

/// Writes 项目汇总, a row per project as the source gives them back.
pub(super) fn summary_sheet(
    ws: &mut Worksheet,
    source: &impl Source,
    stops: &[String],
    titles: &Titles,
) -> Result<Totals, XlsxError> {
    let model = source.model();
    let mut out = Out::new(ws);
    let (lead, tail) = (rollup::summary_lead(), rollup::summary_tail());
    let mut names: Vec<String> = headers(&lead).into_iter().map(String::from).collect();
    names.extend(stops.iter().map(|s| checkpoint_header(s)));
    names.extend(headers(&tail).into_iter().map(String::from));
    let printed = (names.len() - rollup::SUMMARY_HELPERS) as u16;
    if let Some(name) = names.iter().position(|n| n == rollup::NAME) {
        out.wrap(name as u16, 24.0)?;
    }
    out.title(&titles.title(rollup::SUMMARY, true), printed)?;
    out.header(&names.iter().map(String::as_str).collect::<Vec<_>>())?;
    let after = (lead.len() + stops.len()) as u16;
    let mut totals = Totals {
        rows: 0,
        budget: Decimal::ZERO,
        planned: vec![Decimal::ZERO; stops.len()],
    };
    // A 合计 under every column of amounts or counts, in column order.
    let mut sums: Vec<Option<(Decimal, Style)>> = Vec::new();
    for placed in source.projects() {
        let (d, project) = placed.map_err(XlsxError::IoError)?;
        let (errors, warnings) = source.table_counts(&project).map_err(XlsxError::IoError)?;
        let row = SummaryRow {
            department: &model.departments[d],
            project: &project,
            indicators: project.indicators.len(),
            errors,
            warnings,
        };
        let r = FIRST_ROW + totals.rows;
        // The columns borrow each row as it comes.
        let (lead, tail) = (rollup::summary_lead(), rollup::summary_tail());
        out.row(r, 0, &lead, &row)?;
        let plan: Vec<Option<Decimal>> = stops.iter().map(|by| planned(&project, by)).collect();
        for (k, amount) in plan.iter().enumerate() {
            out.amount(r, (lead.len() + k) as u16, *amount)?;
            totals.planned[k] += amount.unwrap_or_default();
        }
        out.row(r, after, &tail, &row)?;
        totals.budget += project.budget.total.unwrap_or_default();
        let values = lead
            .iter()
            .map(|c| (c.value)(&row))
            .chain(plan.iter().map(|a| Value::Amount(*a)))
            .chain(tail.iter().map(|c| (c.value)(&row)));
        if totals.rows == 0 {
            sums = values.clone().map(|v| start_total(&v)).collect();
        }
        for (sum, value) in sums.iter_mut().zip(values) {
            add_to_total(sum, &value);
        }
        totals.rows += 1;
    }
    let last = FIRST_ROW + totals.rows - 1;
    let total_row = last + 1;
    out.text(total_row, 0, "合计", Style::Label)?;
    out.text(
        total_row,
        1,
        &format!("{} 个项目", totals.rows),
        Style::Label,
    )?;
    for (c, sum) in sums.into_iter().enumerate() {
        if let Some((sum, style)) = sum {
            out.sum(total_row, c as u16, FIRST_ROW, last, sum, style)?;
        }
    }
    out.ws.set_freeze_panes(FIRST_ROW, 2)?;
    out.finish(total_row, names.len() as u16, printed)?;
    Ok(totals)
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
