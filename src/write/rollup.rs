//! The department roll-up `汇总.xlsx` (SPEC §5): 项目汇总, 指标明细 (the sheet users edit),
//! 资金计划, 预算对账, 问题清单, a chart of budget by project, and the model itself in a hidden
//! sheet so `jxmb apply` can rebuild the corrected workbooks from this one file.

use super::style::{format, print_setup, Formats, Style, Widths};
use crate::diag::{Diagnostic, Severity};
use crate::model::amount::number_text;
use crate::model::{Model, Project};
use crate::reconcile;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Formula, Workbook, Worksheet, XlsxError};

/// Sheet names, shared with the reader of `apply`.
pub const SUMMARY: &str = "项目汇总";
pub const DETAILS: &str = "指标明细";
pub const PLAN: &str = "资金计划";
pub const RECONCILIATION: &str = "预算对账";
pub const ISSUES: &str = "问题清单";
pub const CHART: &str = "预算图";
pub const MODEL: &str = crate::read::ROLLUP_MODEL_SHEET;

/// 指标明细's columns; 项目编码 and 序号 are the keys `apply` matches rows by.
pub const DETAIL_COLUMNS: [&str; 10] = [
    "项目编码",
    "序号",
    "项目名称",
    "一级指标",
    "二级指标",
    "三级指标",
    "绩效指标描述",
    "指标值",
    "计量单位",
    "指标值确定依据",
];

/// 项目汇总's columns before the spending-plan checkpoints.
pub const SUMMARY_LEAD: [&str; 6] = [
    "单位",
    "项目编码",
    "项目名称",
    "预算数",
    "财政资金",
    "其他资金",
];

/// Cells hold at most 32,767 characters; the model's JSON is split into pieces below that.
const CHUNK: usize = 30_000;
/// The data rows a list sheet holds: Excel's 1,048,576 rows less the header. A longer list
/// goes on in 问题清单（2）, 问题清单（3）… (see [`crate::read::rollup::continued`]).
const SHEET_ROWS: usize = 1_048_575;

/// The most projects a chart shows; beyond that a bar chart is unreadable.
const CHART_PROJECTS: usize = 60;

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A small writer that tracks column widths as it goes.
struct Out<'w> {
    ws: &'w mut Worksheet,
    widths: Widths,
    formats: Formats,
}

impl<'w> Out<'w> {
    fn new(ws: &'w mut Worksheet) -> Out<'w> {
        Out {
            ws,
            widths: Widths::default(),
            formats: Formats::new(),
        }
    }

    fn text(&mut self, r: u32, c: u16, s: &str, style: Style) -> Result<(), XlsxError> {
        self.widths.see(c, s);
        if style == Style::Cell {
            // Plain list cells carry no format: rust_xlsxwriter looks a format up on every
            // write, which costs more than the cell itself on a sheet of 100,000 rows.
            self.ws.write_string(r, c, s)?;
            return Ok(());
        }
        self.ws
            .write_string_with_format(r, c, s, self.formats.get(style, None))?;
        Ok(())
    }

    fn amount(&mut self, r: u32, c: u16, v: Option<Decimal>) -> Result<(), XlsxError> {
        match v {
            Some(v) => self.ws.write_number_with_format(
                r,
                c,
                f64_of(v),
                self.formats.get(Style::Amount, None),
            )?,
            None => self
                .ws
                .write_blank(r, c, self.formats.get(Style::Amount, None))?,
        };
        Ok(())
    }

    fn count(&mut self, r: u32, c: u16, v: usize) -> Result<(), XlsxError> {
        self.ws
            .write_number_with_format(r, c, v as f64, self.formats.get(Style::Count, None))?;
        Ok(())
    }

    /// A `SUM` over rows `first..=last` of column `c`, with its result set so readers that do
    /// not calculate (calamine, previews) see the total.
    fn sum(
        &mut self,
        r: u32,
        c: u16,
        first: u32,
        last: u32,
        result: Decimal,
        style: Style,
    ) -> Result<(), XlsxError> {
        let col = crate::model::cell::column_letters(u32::from(c));
        let f = Formula::new(format!("=SUM({col}{}:{col}{})", first + 1, last + 1))
            .set_result(number_text(&result));
        self.ws
            .write_formula_with_format(r, c, f, self.formats.get(style, None))?;
        Ok(())
    }

    fn header(&mut self, names: &[&str]) -> Result<(), XlsxError> {
        for (c, name) in names.iter().enumerate() {
            self.text(0, c as u16, name, Style::Label)?;
        }
        self.ws.set_freeze_panes(1, 0)?;
        Ok(())
    }

    fn finish(self, rows: u32, cols: u16) -> Result<(), XlsxError> {
        if rows > 0 && cols > 0 {
            self.ws.autofilter(0, 0, rows, cols - 1)?;
        }
        self.widths.apply(self.ws, 8.0, 40.0)?;
        self.ws.set_repeat_rows(0, 0)?;
        print_setup(self.ws);
        Ok(())
    }
}

/// The spending-plan checkpoints in the order they first appear.
fn checkpoints(model: &Model) -> Vec<String> {
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

/// 预算数 × cumulative % at a checkpoint, in 万元.
fn planned(p: &Project, by: &str) -> Option<Decimal> {
    let pct = p.spending_plan.iter().find(|x| x.by == by)?.percent?;
    Some((p.budget.total? * pct / Decimal::ONE_HUNDRED).normalize())
}

/// Unfixed errors and warnings per project table, counted once (not once per project).
struct TableCounts<'d>(
    std::collections::HashMap<(&'d str, &'d str, crate::model::CellRef), (usize, usize)>,
);

impl<'d> TableCounts<'d> {
    fn new(diags: &'d [Diagnostic]) -> TableCounts<'d> {
        let mut map = std::collections::HashMap::new();
        for d in diags.iter().filter(|d| !d.fixed) {
            let (Some(sheet), Some(table)) = (d.sheet.as_deref(), d.table) else {
                continue;
            };
            let e: &mut (usize, usize) = map.entry((d.file.as_str(), sheet, table)).or_default();
            match d.severity {
                Severity::Error => e.0 += 1,
                Severity::Warning => e.1 += 1,
                Severity::Info => {}
            }
        }
        TableCounts(map)
    }

    fn of(&self, p: &Project, severity: Severity) -> usize {
        let key = (
            p.source.file.as_str(),
            p.source.sheet.as_str(),
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

fn summary_sheet(
    ws: &mut Worksheet,
    model: &Model,
    diags: &[Diagnostic],
    stops: &[String],
) -> Result<u32, XlsxError> {
    let mut out = Out::new(ws);
    let tables = TableCounts::new(diags);
    let mut names: Vec<String> = SUMMARY_LEAD.iter().map(|s| s.to_string()).collect();
    names.extend(stops.iter().map(|s| format!("{s}累计")));
    names.extend(["指标数", "错误", "警告", "来源文件", "工作表"].map(String::from));
    out.header(&names.iter().map(String::as_str).collect::<Vec<_>>())?;
    let projects: Vec<_> = model.projects().collect();
    for (n, (dept, p)) in projects.iter().enumerate() {
        let r = 1 + n as u32;
        out.text(r, 0, dept.unit_name.as_deref().unwrap_or(""), Style::Cell)?;
        out.text(r, 1, &p.code, Style::Cell)?;
        out.text(r, 2, &p.name, Style::Cell)?;
        out.amount(r, 3, p.budget.total)?;
        out.amount(r, 4, p.budget.fiscal)?;
        out.amount(r, 5, p.budget.other)?;
        for (k, by) in stops.iter().enumerate() {
            out.amount(r, 6 + k as u16, planned(p, by))?;
        }
        let c = 6 + stops.len() as u16;
        out.count(r, c, p.indicators.len())?;
        out.count(r, c + 1, tables.of(p, Severity::Error))?;
        out.count(r, c + 2, tables.of(p, Severity::Warning))?;
        out.text(r, c + 3, &p.source.file, Style::Cell)?;
        out.text(r, c + 4, &p.source.sheet, Style::Cell)?;
    }
    let last = projects.len() as u32;
    let total_row = last + 1;
    out.text(total_row, 0, "合计", Style::Label)?;
    out.text(total_row, 1, "", Style::Label)?;
    out.text(
        total_row,
        2,
        &format!("{} 个项目", projects.len()),
        Style::Label,
    )?;
    if !projects.is_empty() {
        let sum = |f: &dyn Fn(&Project) -> Option<Decimal>| {
            projects.iter().filter_map(|(_, p)| f(p)).sum::<Decimal>()
        };
        out.sum(
            total_row,
            3,
            1,
            last,
            sum(&|p| p.budget.total),
            Style::Amount,
        )?;
        out.sum(
            total_row,
            4,
            1,
            last,
            sum(&|p| p.budget.fiscal),
            Style::Amount,
        )?;
        out.sum(
            total_row,
            5,
            1,
            last,
            sum(&|p| p.budget.other),
            Style::Amount,
        )?;
        for (k, by) in stops.iter().enumerate() {
            out.sum(
                total_row,
                6 + k as u16,
                1,
                last,
                sum(&|p| planned(p, by)),
                Style::Amount,
            )?;
        }
        let c = 6 + stops.len() as u16;
        let counts = |f: &dyn Fn(&Project) -> usize| {
            Decimal::from(projects.iter().map(|(_, p)| f(p)).sum::<usize>())
        };
        out.sum(
            total_row,
            c,
            1,
            last,
            counts(&|p| p.indicators.len()),
            Style::Count,
        )?;
        out.sum(
            total_row,
            c + 1,
            1,
            last,
            counts(&|p| tables.of(p, Severity::Error)),
            Style::Count,
        )?;
        out.sum(
            total_row,
            c + 2,
            1,
            last,
            counts(&|p| tables.of(p, Severity::Warning)),
            Style::Count,
        )?;
    }
    out.ws.set_freeze_panes(1, 3)?;
    out.finish(last, names.len() as u16)?;
    Ok(last)
}

/// One indicator's row on 指标明细: its project, and its 序号 (1-based) and fields.
type DetailRow<'m> = (&'m Project, usize, &'m crate::model::Indicator);

fn details_sheet<'m>(
    ws: &mut Worksheet,
    rows: impl Iterator<Item = DetailRow<'m>>,
) -> Result<(), XlsxError> {
    let mut out = Out::new(ws);
    out.header(&DETAIL_COLUMNS)?;
    let mut r = 0;
    for (p, n, i) in rows {
        r += 1;
        out.text(r, 0, &p.code, Style::Cell)?;
        out.count(r, 1, n)?;
        let values = [
            &p.name,
            &i.level1,
            &i.level2,
            &i.level3,
            &i.description,
            &i.target.text,
        ];
        for (k, v) in values.iter().enumerate() {
            out.text(r, 2 + k as u16, v, Style::Cell)?;
        }
        out.text(r, 8, i.unit_column.as_deref().unwrap_or(""), Style::Cell)?;
        out.text(r, 9, &i.basis, Style::Cell)?;
    }
    out.ws.set_freeze_panes(1, 2)?;
    out.finish(r, DETAIL_COLUMNS.len() as u16)
}

fn plan_sheet(ws: &mut Worksheet, model: &Model, stops: &[String]) -> Result<(), XlsxError> {
    let mut out = Out::new(ws);
    out.header(&["节点", "累计计划支出（万元）", "占预算数"])?;
    let budget: Decimal = model.projects().filter_map(|(_, p)| p.budget.total).sum();
    for (k, by) in stops.iter().enumerate() {
        let r = 1 + k as u32;
        let amount: Decimal = model.projects().filter_map(|(_, p)| planned(p, by)).sum();
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
    out.text(n + 1, 0, "全年预算", Style::Label)?;
    out.amount(n + 1, 1, Some(budget))?;
    if n > 0 {
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_categories((PLAN, 1, 0, n, 0))
            .set_values((PLAN, 1, 1, n, 1))
            .set_name("累计计划支出");
        chart.title().set_name("资金支出计划（累计，万元）");
        chart.legend().set_hidden();
        out.ws.insert_chart(1, 4, &chart)?;
    }
    out.ws.set_column_width(1, 22)?;
    out.finish(0, 0)
}

fn reconciliation_sheet(ws: &mut Worksheet, model: &Model) -> Result<(), XlsxError> {
    let mut out = Out::new(ws);
    out.header(&[
        "单位",
        "项目编码",
        "项目名称",
        "绩效表预算数",
        "部门预算数",
        "差额",
        "状态",
    ])?;
    let mut r = 0;
    let (mut mine, mut theirs, mut diff) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let view = reconcile::BatchView::of(model);
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
            out.text(r, 0, dept.unit_name.as_deref().unwrap_or(""), Style::Cell)?;
            out.text(r, 1, code, Style::Cell)?;
            out.text(r, 2, name, Style::Cell)?;
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
    if r > 0 {
        out.sum(total, 3, 1, r, mine, Style::Amount)?;
        out.sum(total, 4, 1, r, theirs, Style::Amount)?;
        out.sum(total, 5, 1, r, diff, Style::Amount)?;
    }
    out.finish(r, 7)
}

fn issues_sheet<'d>(
    ws: &mut Worksheet,
    diags: impl Iterator<Item = &'d Diagnostic>,
) -> Result<(), XlsxError> {
    let mut out = Out::new(ws);
    // The message goes last, where a long sentence can run on past its cell.
    let names = [
        "规则",
        "名称",
        "级别",
        "已修正",
        "文件",
        "工作表",
        "单元格",
        "项目编码",
        "说明",
    ];
    out.header(&names)?;
    let mut rows = 0;
    for (n, d) in diags.enumerate() {
        let r = 1 + n as u32;
        rows = r;
        let cell = d.cell.map(|c| c.to_string()).unwrap_or_default();
        let fixed = if d.fixed { "是" } else { "" };
        let values = [
            d.code,
            d.severity.chinese(),
            fixed,
            &d.file,
            d.sheet.as_deref().unwrap_or(""),
            &cell,
            d.project.as_deref().unwrap_or(""),
            &d.message,
        ];
        for (c, v) in values.iter().enumerate() {
            out.text(r, c as u16, v, Style::Cell)?;
        }
    }
    out.finish(rows, names.len() as u16)?;
    // After the automatic widths, which stop at 40: most sentences fit in 90.
    ws.set_column_width(7, 90)?;
    Ok(())
}

fn chart_sheet(ws: &mut Worksheet, projects: u32) -> Result<(), XlsxError> {
    let shown = projects.min(CHART_PROJECTS as u32);
    if shown == 0 {
        return Ok(());
    }
    let mut chart = Chart::new(ChartType::Bar);
    chart
        .add_series()
        .set_categories((SUMMARY, 1, 2, shown, 2))
        .set_values((SUMMARY, 1, 3, shown, 3))
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

/// The model's JSON in a very hidden sheet (kept through Excel, WPS and LibreOffice saves), a
/// cell of CHUNK characters per row. Serialized straight into the cells: the document (23 MB
/// for 1,000 workbooks) is never one string in memory.
fn model_sheet(ws: &mut Worksheet, model: &Model) -> Result<(), XlsxError> {
    let mut row = 0;
    let mut cells = Cells::new(CHUNK, |text: &str| {
        ws.write_string(row, 0, text)?;
        row += 1;
        Ok(())
    });
    let written = serde_json::to_writer(&mut cells, model);
    if let Some(e) = cells.failed.take() {
        return Err(e);
    }
    written.map_err(|e| XlsxError::ParameterError(e.to_string()))?;
    cells.finish()?;
    ws.set_very_hidden(true);
    Ok(())
}

/// Text written (as bytes, `io::Write`) into cells of `size` characters each, cut on character
/// boundaries, each handed to `cell` as soon as it is full.
struct Cells<F: FnMut(&str) -> Result<(), XlsxError>> {
    size: usize,
    cell: F,
    /// Bytes not yet in a cell (fewer than `size` characters, but during a write).
    pending: Vec<u8>,
    /// Characters in `pending`, counted as bytes arrive (each byte that does not continue one).
    chars: usize,
    failed: Option<XlsxError>,
}

impl<F: FnMut(&str) -> Result<(), XlsxError>> Cells<F> {
    fn new(size: usize, cell: F) -> Self {
        Cells {
            size,
            cell,
            pending: Vec::new(),
            chars: 0,
            failed: None,
        }
    }

    /// Hands out every full cell.
    fn full_cells(&mut self) -> Result<(), XlsxError> {
        while self.chars >= self.size {
            let text = match std::str::from_utf8(&self.pending) {
                Ok(text) => text,
                Err(e) => std::str::from_utf8(&self.pending[..e.valid_up_to()]).unwrap_or(""),
            };
            let Some((end, _)) = text.char_indices().nth(self.size) else {
                break; // the character after the cell's last is still arriving
            };
            (self.cell)(&text[..end])?;
            self.pending.drain(..end);
            self.chars -= self.size;
        }
        Ok(())
    }

    /// Hands out the rest: the last, shorter cell.
    fn finish(mut self) -> Result<(), XlsxError> {
        self.full_cells()?;
        if !self.pending.is_empty() {
            (self.cell)(&String::from_utf8_lossy(&self.pending))?;
        }
        Ok(())
    }
}

impl<F: FnMut(&str) -> Result<(), XlsxError>> std::io::Write for Cells<F> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        self.chars += bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        if let Err(e) = self.full_cells() {
            let message = e.to_string();
            self.failed = Some(e);
            return Err(std::io::Error::other(message));
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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
    let stops = checkpoints(model);
    let projects = summary_sheet(wb.add_worksheet().set_name(SUMMARY)?, model, diags, &stops)?;
    // The long sheets stream to disk (constant-memory mode: rows written in order), and go on
    // in further sheets past the rows one sheet holds.
    let details = model.projects().flat_map(|(_, p)| {
        let numbered = p.indicators.iter().enumerate();
        numbered.map(move |(n, i)| (p, n + 1, i))
    });
    in_sheets(&mut wb, DETAILS, details, per_sheet, |ws, rows| {
        details_sheet(ws, rows)
    })?;
    plan_sheet(wb.add_worksheet().set_name(PLAN)?, model, &stops)?;
    reconciliation_sheet(wb.add_worksheet().set_name(RECONCILIATION)?, model)?;
    in_sheets(&mut wb, ISSUES, diags.iter(), per_sheet, |ws, rows| {
        issues_sheet(ws, rows)
    })?;
    chart_sheet(wb.add_worksheet().set_name(CHART)?, projects)?;
    model_sheet(
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
    use std::io::Write;

    #[test]
    fn cells_cut_text_every_n_characters_even_mid_character() {
        let text = "预算ab数“x”万元，".repeat(7);
        for size in [1, 2, 3, 5, 70, 71, 500] {
            let mut out: Vec<String> = Vec::new();
            let mut cells = Cells::new(size, |t: &str| {
                out.push(t.to_string());
                Ok(())
            });
            // One byte at a time: every multi-byte character arrives in pieces.
            for b in text.as_bytes() {
                cells.write_all(std::slice::from_ref(b)).expect("written");
            }
            cells.finish().expect("finished");
            assert_eq!(out.concat(), text, "size {size}");
            let (last, full) = out.split_last().expect("a cell");
            assert!(
                full.iter().all(|c| c.chars().count() == size),
                "size {size}"
            );
            assert!((1..=size).contains(&last.chars().count()), "size {size}");
        }
    }

    #[test]
    fn long_lists_go_on_in_numbered_sheets_and_apply_reads_them_all() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-workbooks/lunan-2025");
        let files = crate::batch::collect(&[dir]).expect("listed");
        let batch = crate::batch::read(&files, &Default::default());
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
            let rows: Vec<usize> = list.iter().map(|(_, r)| r.rows.len() - 1).collect();
            assert!(rows.iter().all(|&n| n <= per), "{rows:?}");
            assert_eq!(rows.iter().sum::<usize>(), total, "{name}");
        }

        // An edit on the last row of the last 指标明细 sheet comes back through apply.
        let mut details = sheets(DETAILS);
        let target = DETAIL_COLUMNS
            .iter()
            .position(|c| *c == "指标值")
            .expect("column");
        let last_rows = &mut details.last_mut().expect("a sheet").1;
        last_rows.rows.last_mut().expect("a row").cells[target] = "≥99%".into();
        let refs: Vec<(&str, &Rows)> = details.iter().map(|(n, r)| (n.as_str(), r)).collect();
        let summary = file
            .sheets
            .iter()
            .find(|(n, _)| n == SUMMARY)
            .map(|(_, r)| r);
        let changes = crate::cmd::apply::edits(&model, &refs, summary).expect("valid edits");
        assert_eq!(changes.len(), 1);
        let (_, last) = model.projects().last().expect("a project");
        let c = &changes[0];
        assert_eq!(
            model.departments[c.dept].projects[c.project].code,
            last.code
        );
        assert_eq!(
            c.field,
            crate::model::Field::Indicator(last.indicators.len() - 1, crate::model::Column::Target)
        );
        assert_eq!(c.new, "≥99%");
    }
}
