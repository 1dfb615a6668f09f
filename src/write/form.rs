//! The seed's standard form, laid out as a list of placements (cells, value, style, field) and
//! then written: title, unit line, 项目编码/项目名称, 预算规模及资金用途, 资金支出计划（%）, 绩效目标,
//! and the indicator table with 一级指标 merged down its group. Knowing where each field lands
//! is what lets a finding become a note on the right cell of the rewritten sheet.

use super::style::{lines_of, print_setup, Formats, Style, Widths, LINE_HEIGHT};
use crate::diag::Severity;
use crate::model::amount::number_text;
use crate::model::evaluation::{FUNDS_HEADER, INDICATOR_HEADER};
use crate::model::AmountField;
use crate::model::{
    BudgetLine, CellRef, Column, Evaluation, Field, Indicator, OverallTable, Project,
};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Formula, Note, Worksheet, XlsxError};
use std::collections::BTreeMap;

/// A finding shown on a written sheet: on a field's cell, or on the title when `field` is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remark {
    pub field: Option<Field>,
    /// The cell of the source table it is about, for tables whose cells are not fields (a
    /// 自评表): it goes on the cell written from that one.
    pub at: Option<CellRef>,
    pub severity: Severity,
    pub text: String,
}

#[derive(Debug, Clone)]
enum Val {
    Text(String),
    Amount(Option<Decimal>),
    Sum {
        column: u16,
        first: u32,
        last: u32,
        result: Decimal,
    },
}

/// One value placed on the sheet, over one cell or a merged block.
#[derive(Debug, Clone)]
struct Put {
    rows: (u32, u32),
    cols: (u16, u16),
    val: Val,
    style: Style,
    field: Option<Field>,
    /// The source table's cell this one is written from (a 自评表's), where not a field.
    source: Option<CellRef>,
}

fn put(rows: (u32, u32), cols: (u16, u16), val: Val, style: Style, field: Option<Field>) -> Put {
    Put {
        rows,
        cols,
        val,
        style,
        field,
        source: None,
    }
}

impl Put {
    fn from(mut self, source: Option<CellRef>) -> Put {
        self.source = source;
        self
    }
}

fn text(row: u32, cols: (u16, u16), s: &str, style: Style, field: Option<Field>) -> Put {
    put((row, row), cols, Val::Text(s.to_string()), style, field)
}

fn label(row: u32, col: u16, s: &str) -> Put {
    text(row, (col, col), s, Style::Label, None)
}

/// The table is seven columns wide (A–G), as in the seed.
const LAST: u16 = 6;

/// `n` checkpoints spread over columns B–G (more than six get a column each).
fn checkpoint_spans(n: usize) -> Vec<(u16, u16)> {
    if n > LAST as usize {
        return (1..=n as u16).map(|c| (c, c)).collect();
    }
    let mut spans = Vec::new();
    let mut col = 1u16;
    for i in 0..n {
        let width = (LAST as usize / n + usize::from(i >= n - LAST as usize % n)) as u16;
        spans.push((col, col + width - 1));
        col += width;
    }
    spans
}

/// The indicator table from `header`: 一级/二级 merged down their runs; a 计量单位 column when
/// any indicator had one. `field` names the model field of (indicator, column), if any.
fn indicator_puts(
    inds: &[Indicator],
    header: u32,
    field: impl Fn(usize, Column) -> Option<Field>,
) -> Vec<Put> {
    let with_unit = inds.iter().any(|i| i.unit_column.is_some());
    let mut out = Vec::new();
    let mut cols: Vec<(Option<Column>, &str, (u16, u16))> = vec![
        (Some(Column::Level1), "一级指标", (0, 0)),
        (Some(Column::Level2), "二级指标", (1, 1)),
        (Some(Column::Level3), "三级指标", (2, 2)),
        (Some(Column::Description), "绩效指标描述", (3, 3)),
        (Some(Column::Target), "指标值", (4, 4)),
    ];
    // Without a 计量单位 column, 指标值确定依据 spans its place too (the table keeps its width).
    if with_unit {
        cols.push((None, "计量单位", (5, 5)));
        cols.push((Some(Column::Basis), "指标值确定依据", (6, 6)));
    } else {
        cols.push((Some(Column::Basis), "指标值确定依据", (5, 6)));
    }
    for (_, name, span) in &cols {
        out.push(text(header, *span, name, Style::Label, None));
    }
    let first = header + 1;
    // 一级 names merge down their run of rows, 二级 names within it.
    for (i, end) in runs(inds, |a, b| a.level1 == b.level1) {
        out.push(put(
            (first + i as u32, first + end as u32),
            (0, 0),
            Val::Text(inds[i].level1.clone()),
            Style::Centered,
            field(i, Column::Level1),
        ));
        for (a, b) in runs(&inds[i..=end], |x, y| x.level2 == y.level2) {
            let (j, stop) = (i + a, i + b);
            out.push(put(
                (first + j as u32, first + stop as u32),
                (1, 1),
                Val::Text(inds[j].level2.clone()),
                Style::Centered,
                field(j, Column::Level2),
            ));
        }
    }
    for (n, ind) in inds.iter().enumerate() {
        let row = first + n as u32;
        for (column, _, span) in cols.iter().skip(2) {
            let (value, style) = match column {
                Some(Column::Target) => (ind.target.text.as_str(), Style::Centered),
                Some(c) => (ind.text(*c), Style::Value),
                None => (ind.unit_column.as_deref().unwrap_or(""), Style::Centered),
            };
            out.push(text(
                row,
                *span,
                value,
                style,
                column.and_then(|c| field(n, c)),
            ));
        }
    }
    out
}

/// The unit line as the seed writes it (`438001唐山市…本级`); a space keeps a name that starts
/// with a digit apart from the code, and a name without a code is labelled.
pub fn unit_line(code: &str, name: &str) -> String {
    match (
        code.is_empty(),
        name.starts_with(|c: char| c.is_ascii_digit()),
    ) {
        (true, _) if !name.is_empty() => format!("单位名称：{name}"),
        (false, true) => format!("{code} {name}"),
        _ => format!("{code}{name}"),
    }
}

/// The text of a cell the reader could not take as a number (`约2万`): written back as it was,
/// so a corrected workbook never loses what the user typed.
fn unreadable(p: &Project, field: &AmountField) -> Option<String> {
    p.unreadable
        .iter()
        .find(|u| u.field == *field)
        .map(|u| u.text.clone())
}

fn amount(
    row: u32,
    col: u16,
    p: &Project,
    name: AmountField,
    value: Option<Decimal>,
    field: Field,
) -> Put {
    let val = match (value, unreadable(p, &name)) {
        (None, Some(text)) => Val::Text(text),
        _ => Val::Amount(value),
    };
    put((row, row), (col, col), val, Style::Amount, Some(field))
}

/// The project table in the standard form.
fn project_puts(p: &Project, unit_line: &str) -> Vec<Put> {
    let mut out = vec![
        text(
            0,
            (0, LAST),
            &format!("{}绩效目标表", p.name.trim()),
            Style::Title,
            None,
        ),
        text(1, (0, 4), unit_line, Style::Plain, None),
        text(1, (5, LAST), "单位：万元", Style::PlainRight, None),
        label(2, 0, "项目编码"),
        text(2, (1, 2), &p.code, Style::Value, Some(Field::Code)),
        label(2, 3, "项目名称"),
        text(2, (4, LAST), &p.name, Style::Value, Some(Field::Name)),
        put(
            (3, 4),
            (0, 0),
            Val::Text("预算规模及资金用途".into()),
            Style::Label,
            None,
        ),
        label(3, 1, "预算数"),
        amount(3, 2, p, AmountField::Total, p.budget.total, Field::Total),
        label(3, 3, "其中：财政资金"),
        amount(3, 4, p, AmountField::Fiscal, p.budget.fiscal, Field::Fiscal),
        label(3, 5, "其他资金"),
        amount(3, 6, p, AmountField::Other, p.budget.other, Field::Other),
        text(4, (1, LAST), &p.purpose, Style::Value, Some(Field::Purpose)),
        put(
            (5, 6),
            (0, 0),
            Val::Text("资金支出计划（%）".into()),
            Style::Label,
            None,
        ),
    ];
    for (point, span) in p
        .spending_plan
        .iter()
        .zip(checkpoint_spans(p.spending_plan.len()))
    {
        out.push(text(5, span, &point.by, Style::Centered, None));
        let pct = match point.percent {
            Some(v) => format!("{}%", number_text(&v)),
            None => unreadable(p, &AmountField::Plan(point.by.clone())).unwrap_or_default(),
        };
        out.push(text(6, span, &pct, Style::Centered, None));
    }
    out.push(label(7, 0, "绩效目标"));
    out.push(text(
        7,
        (1, LAST),
        &p.goals.join("\n"),
        Style::Value,
        Some(Field::Goal(0)),
    ));
    out.extend(indicator_puts(&p.indicators, 8, |i, c| {
        Some(Field::Indicator(i, c))
    }));
    out
}

/// The 部门整体支出绩效目标表.
fn overall_puts(t: &OverallTable, unit_line: &str) -> Vec<Put> {
    let mut out = vec![
        text(0, (0, LAST), "部门整体支出绩效目标表", Style::Title, None),
        label(1, 0, "部门(单位)名称"),
        text(1, (1, LAST), unit_line, Style::Value, None),
        label(2, 0, "年度预算"),
        put(
            (2, 2),
            (1, 2),
            Val::Amount(t.total_budget),
            Style::Amount,
            None,
        ),
        label(2, 3, "其中：项目支出"),
        put(
            (2, 2),
            (4, LAST),
            Val::Amount(t.project_spending),
            Style::Amount,
            None,
        ),
        label(3, 0, "年度总体目标"),
        text(3, (1, LAST), &t.goals.join("\n"), Style::Value, None),
    ];
    out.extend(indicator_puts(&t.indicators, 4, |_, _| None));
    out
}

/// `2025年` from the lines' 项目编码, when they agree; empty otherwise.
fn budget_year(lines: &[BudgetLine]) -> String {
    crate::model::year_of_codes(lines.iter().map(|l| l.code.as_str()))
        .map(|y| format!("{y}年"))
        .unwrap_or_default()
}

/// The 项目支出预算表, with a 合计 row of SUM formulas whose results are set.
fn budget_puts(
    lines: &[BudgetLine],
    unit_code: &str,
    unit_name: &str,
    unit_line: &str,
) -> Vec<Put> {
    let title = format!("{}项目支出预算表", budget_year(lines));
    let mut out = vec![
        text(0, (0, LAST), &title, Style::Title, None),
        text(1, (0, 4), unit_line, Style::Plain, None),
        text(1, (5, LAST), "单位：万元", Style::PlainRight, None),
    ];
    for (c, name) in [
        "单位编码",
        "单位名称",
        "项目编码",
        "项目名称",
        "合计",
        "财政拨款",
        "其他资金",
    ]
    .iter()
    .enumerate()
    {
        out.push(label(2, c as u16, name));
    }
    for (i, l) in lines.iter().enumerate() {
        let row = 3 + i as u32;
        out.push(text(row, (0, 0), unit_code, Style::Value, None));
        out.push(text(row, (1, 1), unit_name, Style::Value, None));
        out.push(text(row, (2, 2), &l.code, Style::Value, None));
        out.push(text(row, (3, 3), &l.name, Style::Value, None));
        for (c, v, name) in [
            (4, l.total, AmountField::LineTotal),
            (5, l.fiscal, AmountField::LineFiscal),
            (6, l.other, AmountField::Other),
        ] {
            // A cell that was not a number keeps its text, as in `amount`.
            let val = match (v, l.unreadable.iter().find(|u| u.field == name)) {
                (None, Some(u)) => Val::Text(u.text.clone()),
                _ => Val::Amount(v),
            };
            out.push(put((row, row), (c, c), val, Style::Amount, None));
        }
    }
    if !lines.is_empty() {
        let (first, last) = (3, 2 + lines.len() as u32);
        let total = last + 1;
        out.push(put(
            (total, total),
            (0, 3),
            Val::Text("合计".into()),
            Style::Label,
            None,
        ));
        let sum =
            |f: fn(&BudgetLine) -> Option<Decimal>| lines.iter().filter_map(f).sum::<Decimal>();
        for (c, result) in [
            (4, sum(|l| l.total)),
            (5, sum(|l| l.fiscal)),
            (6, sum(|l| l.other)),
        ] {
            out.push(put(
                (total, total),
                (c, c),
                Val::Sum {
                    column: c,
                    first,
                    last,
                    result,
                },
                Style::Amount,
                None,
            ));
        }
    }
    out
}

fn column_letter(col: u16) -> String {
    crate::model::cell::column_letters(u32::from(col))
}

/// Writes the placements; each field's cell is highlighted by its worst remark and carries
/// the remarks as a note. Returns where each field landed.
fn render(
    ws: &mut Worksheet,
    puts: &[Put],
    remarks: &[Remark],
) -> Result<BTreeMap<Option<Field>, CellRef>, XlsxError> {
    let mut worst: BTreeMap<Option<Field>, Severity> = BTreeMap::new();
    let mut worst_at: BTreeMap<CellRef, Severity> = BTreeMap::new();
    for r in remarks {
        let e = match r.at {
            Some(at) => worst_at.entry(at).or_insert(r.severity),
            None => worst.entry(r.field).or_insert(r.severity),
        };
        *e = (*e).max(r.severity);
    }
    let mut cells = BTreeMap::new();
    let formats = Formats::new();
    let mut widths = Widths::default();
    for (n, p) in puts.iter().enumerate() {
        // Remarks without a field go on the title (the first placement).
        let key = if n == 0 { None } else { p.field };
        let severity = if n == 0 || p.field.is_some() {
            worst.get(&key).copied()
        } else {
            p.source.and_then(|at| worst_at.get(&at).copied())
        };
        let fmt = formats.get(p.style, severity);
        let (r, c) = (p.rows.0, p.cols.0);
        if p.rows.0 != p.rows.1 || p.cols.0 != p.cols.1 {
            ws.merge_range(p.rows.0, p.cols.0, p.rows.1, p.cols.1, "", fmt)?;
        } else if let Val::Text(t) = &p.val {
            if p.style != Style::Title {
                widths.see(c, t);
            }
        }
        match &p.val {
            // write_string never makes a formula, whatever the text starts with (`=`, `+`, `-`, `@`).
            // An empty text is a blank cell with its format (its borders), not no cell at all.
            Val::Text(t) if t.is_empty() => ws.write_blank(r, c, fmt)?,
            Val::Text(t) => ws.write_string_with_format(r, c, t, fmt)?,
            Val::Amount(Some(v)) => {
                ws.write_number_with_format(r, c, v.to_f64().unwrap_or(0.0), fmt)?
            }
            Val::Amount(None) => ws.write_blank(r, c, fmt)?,
            Val::Sum {
                column,
                first,
                last,
                result,
            } => {
                let col = column_letter(*column);
                let f = Formula::new(format!("=SUM({col}{}:{col}{})", first + 1, last + 1))
                    .set_result(number_text(result));
                ws.write_formula_with_format(r, c, f, fmt)?
            }
        };
        if n == 0 {
            cells.insert(None, CellRef::new(r, u32::from(c)));
        } else if p.field.is_some() {
            cells
                .entry(p.field)
                .or_insert(CellRef::new(r, u32::from(c)));
        }
    }
    let mut notes: BTreeMap<CellRef, Vec<&Remark>> = BTreeMap::new();
    let from_source = |at: CellRef| {
        puts.iter()
            .find(|p| p.source == Some(at))
            .map(|p| CellRef::new(p.rows.0, u32::from(p.cols.0)))
    };
    for remark in remarks {
        let cell = remark
            .at
            .and_then(from_source)
            .or_else(|| cells.get(&remark.field).copied())
            .or_else(|| cells.get(&None).copied());
        if let Some(cell) = cell {
            notes.entry(cell).or_default().push(remark);
        }
    }
    for (cell, list) in notes {
        let text: Vec<String> = list.iter().map(|r| r.text.clone()).collect();
        let note = Note::new(text.join("\n"))
            .set_author("jxmb")
            .set_width(360)
            .set_height(40 + 30 * list.len() as u32);
        ws.insert_note(cell.row, cell.col as u16, &note)?;
    }
    widths.apply(ws, 8.0, 30.0)?;
    // Column A holds the labels: `预算规模及资金用途` and `资金支出计划（%）` on one line each.
    ws.set_column_width(0, LABEL_WIDTH)?;
    fit_rows(ws, puts, &widths)?;
    print_setup(ws);
    Ok(cells)
}

/// Column A's width: the labels.
const LABEL_WIDTH: f64 = 19.5;

/// Makes each row tall enough for the text wrapped in it (spreadsheet programs do not all fit
/// row heights to wrapped text when they open a file; LibreOffice drew long 绩效指标描述 over
/// the row below).
fn fit_rows(ws: &mut Worksheet, puts: &[Put], widths: &Widths) -> Result<(), XlsxError> {
    let width = |c: u16| {
        if c == 0 {
            LABEL_WIDTH
        } else {
            widths.width(c, 8.0, 30.0)
        }
    };
    let mut lines: BTreeMap<u32, f64> = BTreeMap::new();
    for p in puts
        .iter()
        .filter(|p| p.rows.0 == p.rows.1 && p.style != Style::Title)
    {
        if let Val::Text(t) = &p.val {
            let span: f64 = (p.cols.0..=p.cols.1).map(width).sum();
            let n = lines_of(t, span);
            let e = lines.entry(p.rows.0).or_insert(1.0);
            *e = e.max(n);
        }
    }
    for (row, n) in lines.into_iter().filter(|(_, n)| *n > 1.0) {
        ws.set_row_height(row, LINE_HEIGHT * n.min(12.0) + 2.0)?;
    }
    Ok(())
}

/// The 自评表 is nine columns wide (A–I), as the template.
const EVALUATION_LAST: u16 = 8;

/// A 项目支出绩效自评表 in the template's form (财预〔2020〕10号 附件2), each value written from
/// its source cell so a finding lands where it was found.
fn evaluation_puts(e: &Evaluation) -> Vec<Put> {
    let last = EVALUATION_LAST;
    let amount = |row: u32, col: u16, v: Option<Decimal>, at: Option<CellRef>| {
        put((row, row), (col, col), Val::Amount(v), Style::Amount, None).from(at)
    };
    let number = |row: u32, col: u16, v: Option<Decimal>, at: Option<CellRef>| {
        let shown = v.map(|d| number_text(&d.normalize())).unwrap_or_default();
        text(row, (col, col), &shown, Style::Centered, None).from(at)
    };
    let year = e.year.map(|y| format!("（{y}年度）")).unwrap_or_default();
    let f = &e.funds;
    let mut out = vec![
        text(0, (0, last), "项目支出绩效自评表", Style::Title, None),
        text(1, (0, last), &year, Style::Centered, None),
        label(2, 0, "项目名称"),
        text(2, (1, last), &e.name, Style::Value, None).from(e.source.name_cell),
        label(3, 0, "项目编码"),
        text(3, (1, last), &e.code, Style::Value, None),
        label(4, 0, "主管部门"),
        text(4, (1, 3), &e.department, Style::Value, None),
        label(4, 4, "实施单位"),
        text(4, (5, last), &e.unit, Style::Value, None),
        put(
            (5, 5 + f.parts.len() as u32 + 1),
            (0, 0),
            Val::Text("项目资金（万元）".into()),
            Style::Label,
            None,
        ),
    ];
    for (c, name) in FUNDS_HEADER.iter().enumerate() {
        out.push(label(5, 2 + c as u16, name));
    }
    out.push(label(6, 1, "年度资金总额"));
    out.push(amount(6, 2, f.initial, f.cells.initial));
    out.push(amount(6, 3, f.annual, f.cells.annual));
    out.push(amount(6, 4, f.executed, f.cells.executed));
    out.push(number(6, 5, f.weight, None));
    let rate = f
        .rate
        .map(|r| format!("{}%", number_text(&r.normalize())))
        .unwrap_or_default();
    out.push(text(6, (6, 6), &rate, Style::Centered, None).from(f.cells.rate));
    out.push(number(6, 7, f.score, f.cells.score));
    let mut row = 7;
    for part in &f.parts {
        out.push(label(row, 1, &part.label));
        out.push(amount(row, 2, part.initial, None));
        out.push(amount(row, 3, part.annual, None));
        out.push(amount(row, 4, part.executed, None));
        for c in 5..=7 {
            out.push(text(row, (c, c), "—", Style::Centered, None));
        }
        row += 1;
    }
    // The block is eight columns wide; the ninth keeps the table's border.
    for r in 5..row {
        out.push(text(r, (8, 8), "", Style::Value, None));
    }
    out.push(put(
        (row, row + 1),
        (0, 0),
        Val::Text("年度总体目标".into()),
        Style::Label,
        None,
    ));
    out.push(text(row, (1, 3), "预期目标", Style::Label, None));
    out.push(text(row, (4, last), "实际完成情况", Style::Label, None));
    out.push(text(row + 1, (1, 3), &e.goals.expected, Style::Value, None));
    out.push(text(
        row + 1,
        (4, last),
        &e.goals.actual,
        Style::Value,
        None,
    ));
    let header = row + 2;
    let rows = e.indicators.len() as u32;
    out.push(put(
        (header, header + rows),
        (0, 0),
        Val::Text("绩效指标".into()),
        Style::Label,
        None,
    ));
    for (c, name) in INDICATOR_HEADER.iter().enumerate() {
        out.push(label(header, 1 + c as u16, name));
    }
    for (k, i) in e.indicators.iter().enumerate() {
        let r = header + 1 + k as u32;
        let at = &i.source;
        out.push(text(r, (1, 1), &i.level1, Style::Centered, None));
        out.push(text(r, (2, 2), &i.level2, Style::Centered, None));
        out.push(text(r, (3, 3), &i.level3, Style::Value, None));
        out.push(text(r, (4, 4), &i.target.text, Style::Centered, None).from(at.target));
        out.push(text(r, (5, 5), &i.actual.text, Style::Centered, None).from(at.actual));
        out.push(number(r, 6, i.weight, at.weight));
        out.push(number(r, 7, i.score, at.score));
        out.push(text(r, (8, 8), &i.deviation, Style::Value, None).from(at.deviation));
    }
    let total = header + 1 + rows;
    out.push(text(total, (0, 5), "总分", Style::Label, None));
    out.push(number(total, 6, e.total.weight, None));
    out.push(number(total, 7, e.total.score, e.total.cell));
    out.push(text(total, (8, 8), "", Style::Value, None));
    out
}

/// Writes a 自评表 on `ws`.
pub fn evaluation_sheet(
    ws: &mut Worksheet,
    e: &Evaluation,
    remarks: &[Remark],
) -> Result<(), XlsxError> {
    render(ws, &evaluation_puts(e), remarks).map(|_| ())
}

/// Writes a project table on `ws`; returns where each field landed.
pub fn project_sheet(
    ws: &mut Worksheet,
    p: &Project,
    unit_line: &str,
    remarks: &[Remark],
) -> Result<BTreeMap<Option<Field>, CellRef>, XlsxError> {
    render(ws, &project_puts(p, unit_line), remarks)
}

pub fn overall_sheet(
    ws: &mut Worksheet,
    t: &OverallTable,
    unit_line: &str,
    remarks: &[Remark],
) -> Result<(), XlsxError> {
    render(ws, &overall_puts(t, unit_line), remarks).map(|_| ())
}

pub fn budget_sheet(
    ws: &mut Worksheet,
    lines: &[BudgetLine],
    unit: (&str, &str),
    remarks: &[Remark],
) -> Result<(), XlsxError> {
    let unit_line = unit_line(unit.0, unit.1);
    render(ws, &budget_puts(lines, unit.0, unit.1, &unit_line), remarks).map(|_| ())
}

/// The runs of consecutive items that `same` puts with the run's first, as (first, last).
fn runs<T>(items: &[T], same: impl Fn(&T, &T) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for k in 1..=items.len() {
        if k == items.len() || !same(&items[start], &items[k]) {
            out.push((start, k - 1));
            start = k;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_fill_the_six_value_columns() {
        assert_eq!(checkpoint_spans(4), [(1, 1), (2, 2), (3, 4), (5, 6)]);
        assert_eq!(checkpoint_spans(1), [(1, 6)]);
        assert_eq!(
            checkpoint_spans(6),
            [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6)]
        );
        assert_eq!(checkpoint_spans(8).len(), 8);
        assert!(checkpoint_spans(0).is_empty());
    }
}
