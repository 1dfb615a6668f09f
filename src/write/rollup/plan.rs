//! 资金计划 (the department's spending plan per checkpoint, with a chart) and 预算对账 (each
//! project beside its department budget line).

use super::out::{f64_of, Out, FIRST_ROW};
use super::summary::Totals;
use crate::model::{BudgetLine, Department};
use crate::reconcile;
use crate::rollup::{self, Titles, RECONCILIATION_COLUMNS};
use crate::write::style::{format, Style};
use crate::write::Placed;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Worksheet, XlsxError};

/// Writes 资金计划 from what 项目汇总 added up.
pub(super) fn plan_sheet(
    ws: &mut Worksheet,
    titles: &Titles,
    stops: &[String],
    totals: &Totals,
) -> Result<(), XlsxError> {
    let mut out = Out::new(ws);
    // Across the table and the chart beside it.
    out.title(&titles.title(rollup::PLAN, true), 11)?;
    out.header(&["节点", "累计计划支出（万元）", "占预算数"])?;
    let budget = totals.budget;
    for (k, by) in stops.iter().enumerate() {
        let r = FIRST_ROW + k as u32;
        let amount = totals.planned[k];
        out.text(r, 0, by, Style::Centered)?;
        out.amount(r, 1, Some(amount))?;
        let share = if budget.is_zero() {
            None
        } else {
            Some(amount / budget)
        };
        match share {
            Some(s) => out.ws.write_number_with_format(
                r,
                2,
                f64_of(s),
                &format(Style::Cell, None).set_num_format("0.0%"),
            )?,
            None => out
                .ws
                .write_blank(r, 2, out.formats.get(Style::Cell, None))?,
        };
    }
    let n = stops.len() as u32;
    let total = FIRST_ROW + n;
    out.text(total, 0, "全年预算", Style::Label)?;
    out.amount(total, 1, Some(budget))?;
    if n > 0 {
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_categories((rollup::PLAN, FIRST_ROW, 0, total - 1, 0))
            .set_values((rollup::PLAN, FIRST_ROW, 1, total - 1, 1))
            .set_name("累计计划支出");
        chart.title().set_name("资金支出计划（累计，万元）");
        chart.legend().set_hidden();
        out.ws.insert_chart(FIRST_ROW, 4, &chart)?;
    }
    out.ws.set_column_width(1, 22)?;
    out.finish(total, 0, 0)
}

/// Writes 预算对账 from the batch's amounts.
pub(super) fn reconciliation_sheet<'p>(
    ws: &mut Worksheet,
    titles: &Titles,
    departments: &[Department],
    projects: impl Iterator<Item = Placed<'p>>,
) -> Result<(), XlsxError> {
    let mut out = Out::new(ws);
    out.wrap(0, 20.0)?;
    out.wrap(2, 24.0)?;
    out.title(
        &titles.title(rollup::RECONCILIATION, true),
        RECONCILIATION_COLUMNS.len() as u16,
    )?;
    out.header(&RECONCILIATION_COLUMNS)?;
    let mut r = FIRST_ROW - 1;
    let (mut mine, mut theirs, mut diff) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    // The projects come department by department, each paired as it is read.
    let mut projects = projects.peekable();
    for (d, dept) in departments.iter().enumerate() {
        let unit = dept.unit_name.as_deref().unwrap_or("");
        let mut pairer = reconcile::LinePairer::new(&dept.budget_lines);
        let mut row = |project: Option<(&str, &str, Option<Decimal>)>,
                       line: Option<&BudgetLine>|
         -> Result<(), XlsxError> {
            r += 1;
            let total = project.and_then(|(_, _, t)| t);
            let difference = total.zip(line.and_then(|l| l.total)).map(|(a, b)| a - b);
            let code = project
                .map(|(c, _, _)| c)
                .or(line.map(|l| l.code.as_str()))
                .unwrap_or("");
            let name = project
                .map(|(_, n, _)| n)
                .or(line.map(|l| l.name.as_str()))
                .unwrap_or("");
            let status = match (project, line, difference) {
                (Some(_), Some(_), Some(d)) if d.is_zero() => "一致",
                (Some(_), Some(_), _) => "不一致",
                (None, Some(_), _) => "缺少绩效目标表",
                (Some(_), None, _) if dept.budget_lines.is_empty() => "无部门预算",
                (Some(_), None, _) => "不在部门预算中",
                (None, None, _) => "",
            };
            out.text(r, 0, unit, Style::Cell)?;
            out.text(r, 1, code, Style::Cell)?;
            out.text(r, 2, name, Style::Cell)?;
            out.fit(r, &[(0, unit), (2, name)])?;
            out.amount(r, 3, total)?;
            out.amount(r, 4, line.and_then(|l| l.total))?;
            out.amount(r, 5, difference)?;
            out.text(r, 6, status, Style::Centered)?;
            mine += total.unwrap_or_default();
            theirs += line.and_then(|l| l.total).unwrap_or_default();
            diff += difference.unwrap_or_default();
            Ok(())
        };
        while let Some(placed) = projects.next_if(|p| p.as_ref().map_or(true, |(pd, _)| *pd == d)) {
            let (_, p) = placed.map_err(XlsxError::IoError)?;
            let line = pairer.take(&p.code, &p.name);
            row(Some((&p.code, &p.name, p.budget.total)), line)?;
        }
        for line in pairer.unused() {
            row(None, Some(line))?;
        }
    }
    let total = r + 1;
    out.text(total, 0, "合计", Style::Label)?;
    if r >= FIRST_ROW {
        out.sum(total, 3, FIRST_ROW, r, mine, Style::Amount)?;
        out.sum(total, 4, FIRST_ROW, r, theirs, Style::Amount)?;
        out.sum(total, 5, FIRST_ROW, r, diff, Style::Amount)?;
    }
    let cols = RECONCILIATION_COLUMNS.len() as u16;
    out.finish(total, cols, cols)
}
