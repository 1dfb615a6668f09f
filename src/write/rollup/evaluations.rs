//! 自评汇总: one row per 自评表 — what was budgeted and spent, the total the department
//! claimed beside the total computed again (SPEC §2.5), the grade, and the rows that cannot be
//! scored by arithmetic (their spring target was a slogan: the argument for JX214).

use super::super::style::Style;
use super::out::{Out, FIRST_ROW};
use crate::model::Model;
use crate::rollup::Titles;
use crate::rollup::{self, EVALUATION_COLUMNS};
use rust_xlsxwriter::{Worksheet, XlsxError};

/// True when the batch holds 自评表: the sheet is written then.
pub(super) fn has_evaluations(model: &Model) -> bool {
    model.departments.iter().any(|d| !d.evaluations.is_empty())
}

pub(super) fn evaluations_sheet(
    ws: &mut Worksheet,
    model: &Model,
    titles: &Titles,
) -> Result<(), XlsxError> {
    let mut out = Out::new(ws);
    out.wrap(1, 20.0)?;
    out.wrap(9, 30.0)?;
    out.wrap(10, 20.0)?;
    out.title(
        &titles.title(rollup::EVALUATIONS, true),
        EVALUATION_COLUMNS.len() as u16,
    )?;
    out.header(&EVALUATION_COLUMNS)?;
    let mut r = FIRST_ROW - 1;
    for e in model.departments.iter().flat_map(|d| &d.evaluations) {
        r += 1;
        let c = &e.computed;
        let unscored: Vec<&str> = e
            .indicators
            .iter()
            .zip(&c.rows)
            .filter(|(_, s)| !s.computed)
            .map(|(i, _)| i.level3.as_str())
            .collect();
        let unscored = unscored.join("、");
        out.text(r, 0, &e.code, Style::Cell)?;
        out.text(r, 1, &e.name, Style::Cell)?;
        out.amount(r, 2, e.funds.annual)?;
        out.amount(r, 3, e.funds.executed)?;
        out.amount(r, 4, c.rate)?;
        out.amount(r, 5, e.total.score)?;
        out.amount(r, 6, c.score)?;
        let diff = e
            .total
            .score
            .zip(c.score)
            .map(|(claimed, computed)| claimed - computed);
        out.amount(r, 7, diff)?;
        out.text(r, 8, &c.grade, Style::Centered)?;
        out.text(r, 9, &unscored, Style::Cell)?;
        out.text(r, 10, &e.source.file, Style::Cell)?;
        out.fit(r, &[(1, &e.name), (9, &unscored), (10, &e.source.file)])?;
    }
    let cols = EVALUATION_COLUMNS.len() as u16;
    out.finish(r.max(FIRST_ROW), cols, cols)
}
