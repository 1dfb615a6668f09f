//! 部门整体: each item of a department's 分项绩效目标 beside the project table it matches and
//! what JX505/JX507 found, then the tables no item names (JX506) — the section and the tables
//! side by side, as a reviewer compares them.

use super::super::style::Style;
use super::out::{Out, FIRST_ROW};
use crate::diag::Diagnostic;
use crate::model::{Department, Model};
use crate::reconcile::{self, overall::match_items};
use crate::rollup::{self, Titles, OVERALL_COLUMNS};
use rust_xlsxwriter::{Worksheet, XlsxError};
use std::collections::{HashMap, HashSet};

/// True when some department's 部门整体 section lists items: the sheet is written then.
pub(super) fn has_items(model: &Model) -> bool {
    model.departments.iter().any(has_items_in)
}

/// Whether a department's 部门整体 table lists items (the sheet shows only such departments).
pub(super) fn has_items_in(d: &Department) -> bool {
    d.overall.as_ref().is_some_and(|o| !o.items.is_empty())
}

/// The paragraphs the sheet shows findings of: each item's (file, `第N段`).
pub(super) fn paragraphs(model: &Model) -> HashSet<(String, String)> {
    let items = model.departments.iter().filter_map(|d| d.overall.as_ref());
    items
        .flat_map(|o| &o.items)
        .map(|i| (i.source.file.clone(), i.source.shown()))
        .collect()
}

/// True when a finding is about one of `paragraphs` as a whole (the sheet lists those).
pub(super) fn is_on(d: &Diagnostic, paragraphs: &HashSet<(String, String)>) -> bool {
    match (&d.sheet, d.cell) {
        (Some(sheet), None) if !paragraphs.is_empty() => {
            paragraphs.contains(&(d.file.clone(), sheet.clone()))
        }
        _ => false,
    }
}

/// Writes 部门整体; `diags` holds (at least) the findings on the items' paragraphs.
pub(super) fn overall_sheet(
    ws: &mut Worksheet,
    titles: &Titles,
    view: &reconcile::BatchView,
    diags: &[Diagnostic],
) -> Result<(), XlsxError> {
    let mut out = Out::new(ws);
    // Narrow enough to print one page wide at a readable size: the long texts wrap.
    out.wrap(0, 10.0)?;
    out.wrap(2, 12.0)?;
    out.wrap(4, 26.0)?;
    out.wrap(5, 14.0)?;
    out.wrap(7, 30.0)?;
    out.title(
        &titles.title(rollup::OVERALL, false),
        OVERALL_COLUMNS.len() as u16,
    )?;
    out.header(&OVERALL_COLUMNS)?;
    let mut r = FIRST_ROW - 1;
    // The findings on paragraphs (JX505, JX507), by file and paragraph: looked up per item,
    // never scanned per item (a province's batch has a million findings).
    let mut on_paragraphs: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    for d in diags.iter().filter(|d| d.cell.is_none()) {
        if let Some(sheet) = d.sheet.as_deref() {
            on_paragraphs
                .entry((d.file.as_str(), sheet))
                .or_default()
                .push(d.message.as_str());
        }
    }
    for dept in &view.departments {
        let Some(overall) = dept.overall.as_ref().filter(|o| !o.items.is_empty()) else {
            continue;
        };
        let unit = dept.unit_name.as_deref().unwrap_or("");
        let matched = match_items(dept);
        for (n, (item, tables)) in overall.items.iter().zip(&matched).enumerate() {
            r += 1;
            let at = item.source.shown();
            let indicators: Vec<&str> = item.indicators.iter().map(|i| i.text.as_str()).collect();
            let names: Vec<&str> = tables.iter().map(|&i| &*dept.projects[i].name).collect();
            let codes: Vec<&str> = tables.iter().map(|&i| &*dept.projects[i].code).collect();
            let found = on_paragraphs
                .get(&(item.source.file.as_str(), at.as_str()))
                .map_or(&[][..], Vec::as_slice);
            let (indicators, names, found) =
                (indicators.join("；"), names.join("、"), found.join("\n"));
            let names = if names.is_empty() {
                "（没有）".to_string()
            } else {
                names
            };
            let number = (n + 1).to_string();
            for (c, text) in [
                (0, unit),
                (1, number.as_str()),
                (2, item.name.as_str()),
                (3, at.as_str()),
                (4, indicators.as_str()),
                (5, names.as_str()),
                (6, &codes.join("、")),
                (7, found.as_str()),
            ] {
                out.text(r, c, text, Style::Cell)?;
            }
            out.fit(
                r,
                &[(2, &item.name), (4, &indicators), (5, &names), (7, &found)],
            )?;
        }
        for (i, p) in dept.projects.iter().enumerate() {
            if matched.iter().any(|m| m.contains(&i)) {
                continue;
            }
            r += 1;
            let note = "这张表不在分项绩效目标中（JX506）";
            for (c, text) in [
                (0, unit),
                (2, "（未列入）"),
                (5, &*p.name),
                (6, &*p.code),
                (7, note),
            ] {
                out.text(r, c, text, Style::Cell)?;
            }
            out.fit(r, &[(0, unit), (5, &p.name), (7, note)])?;
        }
    }
    let cols = OVERALL_COLUMNS.len() as u16;
    out.finish(r.max(FIRST_ROW), cols, cols)
}
