//! 资金计划 (the department's spending plan per checkpoint, with a chart) and 预算对账 (each
//! project beside its department budget line).

use super::out::{f64_of, Out, FIRST_ROW};
use super::summary::Totals;
use crate::reconcile;
use crate::rollup::{self, Titles, RECONCILIATION_COLUMNS};
use crate::write::style::{format, Style};
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
pub(super) fn reconciliation_sheet(
    ws: &mut Worksheet,
    titles: &Titles,
    view: &reconcile::BatchView,
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
    for dept in &view.departments {
        for pair in reconcile::pairs(dept) {
            r += 1;
            let (p, l) = (pair.project, pair.line);
            let code = p
                .map(|p| &*p.code)
                .or(l.map(|l| l.code.as_str()))
                .unwrap_or("");
            let name = p
                .map(|p| &*p.name)
                .or(l.map(|l| l.name.as_str()))
                .unwrap_or("");
            let status = match (p, l, pair.difference()) {
                (Some(_), Some(_), Some(d)) if d.is_zero() => "一致",
                (Some(_), Some(_), _) => "不一致",
                (None, Some(_), _) => "缺少绩效目标表",
                (Some(_), None, _) if dept.budget_lines.is_empty() => "无部门预算",
                (Some(_), None, _) => "不在部门预算中",
                (None, None, _) => "",
            };
            let unit = dept.unit_name.as_deref().unwrap_or("");
            out.text(r, 0, unit, Style::Cell)?;
            out.text(r, 1, code, Style::Cell)?;
            out.text(r, 2, name, Style::Cell)?;
            out.fit(r, &[(0, unit), (2, name)])?;
            out.amount(r, 3, p.and_then(|p| p.total))?;
            out.amount(r, 4, l.and_then(|l| l.total))?;
            out.amount(r, 5, pair.difference())?;
            out.text(r, 6, status, Style::Centered)?;
            mine += p.and_then(|p| p.total).unwrap_or_default();
            theirs += l.and_then(|l| l.total).unwrap_or_default();
            diff += pair.difference().unwrap_or_default();
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
