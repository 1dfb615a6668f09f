//! Writes seed-shaped project tables in every layout variant the reader must accept
//! (DOMAIN.md §1): the seed's standard form, stacked down one sheet, one per sheet with a 目录,
//! tables starting anywhere, label cells merged in pairs, merged 一级/二级, extra and reordered
//! indicator columns, money in 元, numbers in percent-formatted cells, full-width text and float
//! noise. Shared by `cargo run --example make-samples` and the integration tests.

#![allow(dead_code)] // each user of this file needs a different part of it

use super::seed::{SeedProject, BASIS, FISCAL_LABEL, PLAN, UNIT_CODE, UNIT_NAME};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};

/// How a table is laid out; `Form::default()` is the seed's own form.
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// First column of the table (0 = A): tables may start anywhere.
    pub col0: u16,
    /// Blank rows above the title.
    pub pad_rows: u32,
    /// Every logical column is two merged physical columns (B:C, D:E), as in Shaanxi's tables.
    pub pair_merge: bool,
    /// 一级 and runs of equal 二级 merged vertically (otherwise blank continuation cells).
    pub merge_levels: bool,
    /// 序号, 计算符号, 计量单位, 分值, 备注 columns, reordered, with the target split in three.
    pub extra_columns: bool,
    /// Amounts in 元 under `单位：元`.
    pub yuan: bool,
    /// Plan percents and bare rate targets as numbers in percent-formatted cells (0.25 → 25%).
    pub numeric_percent: bool,
    /// Full-width digits and ％ in values, ASCII brackets in labels, amounts as full-width text.
    pub fullwidth: bool,
    /// Amounts and plan values carry binary float noise (1.8000000000000003).
    pub float_noise: bool,
    /// Titles numbered like the seed (`1.电梯维保费绩效目标表`).
    pub numbered_titles: bool,
}

/// A cell to write: text, or a number with its format.
enum Val<'a> {
    Text(&'a str),
    Num(f64, &'static str),
}

fn border() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

/// Adds one ulp of noise: what Excel stores after arithmetic on 1.8 or 0.25.
fn noisy(v: f64) -> f64 {
    f64::from_bits(v.to_bits() + 1)
}

fn fullwidth(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' | '%' | '.' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            '≥' => '≧',
            _ => c,
        })
        .collect()
}

impl Form {
    fn width(&self) -> u16 {
        if self.pair_merge {
            2
        } else {
            1
        }
    }

    /// The physical columns a logical column span covers.
    fn span(&self, from: u16, to: u16) -> (u16, u16) {
        let w = self.width();
        (self.col0 + from * w, self.col0 + to * w + w - 1)
    }

    fn put(
        &self,
        ws: &mut Worksheet,
        rows: (u32, u32),
        cols: (u16, u16),
        val: Val,
        fmt: &Format,
    ) -> Result<(), XlsxError> {
        let (c1, c2) = self.span(cols.0, cols.1);
        if rows.0 != rows.1 || c1 != c2 {
            ws.merge_range(rows.0, c1, rows.1, c2, "", fmt)?;
        }
        match val {
            Val::Text(t) => ws.write_string_with_format(rows.0, c1, t, fmt)?,
            Val::Num(n, num_format) => {
                ws.write_number_with_format(rows.0, c1, n, &fmt.clone().set_num_format(num_format))?
            }
        };
        Ok(())
    }

    fn amount(
        &self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        wan: &str,
        fmt: &Format,
    ) -> Result<(), XlsxError> {
        let wan_value: f64 = wan.parse().unwrap_or(0.0);
        let value = if self.yuan {
            (wan_value * 10_000.0).round()
        } else {
            wan_value
        };
        if self.fullwidth {
            let text = if self.yuan {
                format!("{value:.2}")
            } else {
                wan.to_string()
            };
            return self.put(
                ws,
                (row, row),
                (col, col),
                Val::Text(&fullwidth(&text)),
                fmt,
            );
        }
        let value = if self.float_noise {
            noisy(value)
        } else {
            value
        };
        self.put(ws, (row, row), (col, col), Val::Num(value, "0.00"), fmt)
    }

    fn label<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if self.fullwidth {
            text.replace('（', "(").replace('）', ")").into()
        } else {
            text.into()
        }
    }

    fn title(&self, index: usize, p: &SeedProject) -> String {
        if self.numbered_titles {
            format!("{}.{}绩效目标表", index + 1, p.name)
        } else {
            format!("{}绩效目标表", p.name)
        }
    }

    /// Writes one project table from `row`; returns the first row after it.
    pub fn write_table(
        &self,
        ws: &mut Worksheet,
        row: u32,
        index: usize,
        p: &SeedProject,
    ) -> Result<u32, XlsxError> {
        let b = border();
        let plain = Format::new();
        let title = Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center);
        let mut r = row + self.pad_rows;
        self.put(ws, (r, r), (0, 6), Val::Text(&self.title(index, p)), &title)?;
        r += 1;
        self.put(
            ws,
            (r, r),
            (0, 4),
            Val::Text(&format!("{UNIT_CODE}{UNIT_NAME}")),
            &plain,
        )?;
        let unit = if self.yuan {
            "单位：元"
        } else {
            "单位：万元"
        };
        self.put(ws, (r, r), (5, 6), Val::Text(unit), &plain)?;
        r += 1;
        self.put(ws, (r, r), (0, 0), Val::Text("项目编码"), &b)?;
        self.put(ws, (r, r), (1, 2), Val::Text(p.code), &b)?;
        self.put(ws, (r, r), (3, 3), Val::Text("项目名称"), &b)?;
        self.put(ws, (r, r), (4, 6), Val::Text(p.name), &b)?;
        r += 1;
        self.put(ws, (r, r + 1), (0, 0), Val::Text("预算规模及资金用途"), &b)?;
        self.put(ws, (r, r), (1, 1), Val::Text("预算数"), &b)?;
        self.amount(ws, r, 2, p.total, &b)?;
        self.put(ws, (r, r), (3, 3), Val::Text(FISCAL_LABEL), &b)?;
        self.amount(ws, r, 4, p.total, &b)?;
        self.put(ws, (r, r), (5, 5), Val::Text("其他资金"), &b)?;
        self.put(ws, (r, r), (6, 6), Val::Text(" "), &b)?;
        r += 1;
        self.put(ws, (r, r), (1, 6), Val::Text(p.purpose), &b)?;
        r += 1;
        self.put(
            ws,
            (r, r + 1),
            (0, 0),
            Val::Text(&self.label("资金支出计划（%）")),
            &b,
        )?;
        let spans = [(1, 1), (2, 2), (3, 4), (5, 6)];
        for ((by, pct), span) in PLAN.iter().zip(spans) {
            self.put(ws, (r, r), span, Val::Text(by), &b)?;
            let number: f64 = pct.trim_end_matches('%').parse::<f64>().unwrap_or(0.0) / 100.0;
            let val = if self.numeric_percent {
                Val::Num(
                    if self.float_noise {
                        noisy(number)
                    } else {
                        number
                    },
                    "0%",
                )
            } else {
                Val::Text(pct)
            };
            let fw;
            let val = if self.fullwidth {
                fw = fullwidth(pct);
                Val::Text(&fw)
            } else {
                val
            };
            self.put(ws, (r + 1, r + 1), span, val, &b)?;
        }
        r += 2;
        self.put(ws, (r, r), (0, 0), Val::Text("绩效目标"), &b)?;
        self.put(ws, (r, r), (1, 6), Val::Text(p.goal), &b)?;
        r += 1;
        if self.extra_columns {
            self.write_indicators_extra(ws, r, p)
        } else {
            self.write_indicators(ws, r, p)
        }
    }

    /// Rows of equal consecutive values in one indicator column: (first, last, text).
    fn runs(p: &SeedProject, col: usize) -> Vec<(usize, usize, &'static str)> {
        let mut runs: Vec<(usize, usize, &str)> = Vec::new();
        for (i, ind) in p.indicators.iter().enumerate() {
            match runs.last_mut() {
                Some(run)
                    if run.2 == ind[col] && (col == 0 || p.indicators[run.0][0] == ind[0]) =>
                {
                    run.1 = i
                }
                _ => runs.push((i, i, ind[col])),
            }
        }
        runs
    }

    /// The 一级/二级 column: merged down its group, or written once with blanks below.
    fn write_level(
        &self,
        ws: &mut Worksheet,
        first: u32,
        p: &SeedProject,
        col: usize,
        lcol: u16,
    ) -> Result<(), XlsxError> {
        let b = border();
        for (from, to, text) in Self::runs(p, col) {
            let (r1, r2) = (first + from as u32, first + to as u32);
            if self.merge_levels || col == 1 {
                self.put(
                    ws,
                    (r1, if self.merge_levels { r2 } else { r1 }),
                    (lcol, lcol),
                    Val::Text(text),
                    &b,
                )?;
                if !self.merge_levels {
                    for r in r1 + 1..=r2 {
                        self.put(ws, (r, r), (lcol, lcol), Val::Text(text), &b)?;
                    }
                }
            } else {
                self.put(ws, (r1, r1), (lcol, lcol), Val::Text(text), &b)?;
                for r in r1 + 1..=r2 {
                    self.put(ws, (r, r), (lcol, lcol), Val::Text(""), &b)?;
                }
            }
        }
        Ok(())
    }

    fn target_val<'a>(&self, ind: &'a [&'static str; 5], buf: &'a mut String) -> Val<'a> {
        let t = ind[4];
        let bare_percent = t.ends_with('%') && t[..t.len() - 1].parse::<f64>().is_ok();
        if self.numeric_percent && bare_percent {
            return Val::Num(t[..t.len() - 1].parse::<f64>().unwrap_or(0.0) / 100.0, "0%");
        }
        if self.fullwidth {
            *buf = fullwidth(t);
            return Val::Text(buf);
        }
        Val::Text(t)
    }

    fn write_indicators(
        &self,
        ws: &mut Worksheet,
        header: u32,
        p: &SeedProject,
    ) -> Result<u32, XlsxError> {
        let b = border();
        let head = border().set_bold().set_align(FormatAlign::Center);
        for (i, name) in ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"]
            .iter()
            .enumerate()
        {
            self.put(
                ws,
                (header, header),
                (i as u16, i as u16),
                Val::Text(name),
                &head,
            )?;
        }
        self.put(
            ws,
            (header, header),
            (5, 6),
            Val::Text("指标值确定依据"),
            &head,
        )?;
        let first = header + 1;
        self.write_level(ws, first, p, 0, 0)?;
        self.write_level(ws, first, p, 1, 1)?;
        for (i, ind) in p.indicators.iter().enumerate() {
            let r = first + i as u32;
            self.put(ws, (r, r), (2, 2), Val::Text(ind[2]), &b)?;
            self.put(ws, (r, r), (3, 3), Val::Text(ind[3]), &b)?;
            let mut buf = String::new();
            let val = self.target_val(ind, &mut buf);
            self.put(ws, (r, r), (4, 4), val, &b)?;
            self.put(ws, (r, r), (5, 6), Val::Text(BASIS), &b)?;
        }
        Ok(first + p.indicators.len() as u32)
    }

    /// 序号 | 一级 | 二级 | 三级 | 计算符号 | 指标值 | 计量单位 | 绩效指标描述 | 分值 | 备注 | 指标值确定依据
    fn write_indicators_extra(
        &self,
        ws: &mut Worksheet,
        header: u32,
        p: &SeedProject,
    ) -> Result<u32, XlsxError> {
        let b = border();
        let names = [
            "序号",
            "一级指标",
            "二级指标",
            "三级指标",
            "计算符号",
            "指标值",
            "计量单位",
            "绩效指标描述",
            "分值",
            "备注",
            "指标值确定依据",
        ];
        for (i, name) in names.iter().enumerate() {
            self.put(
                ws,
                (header, header),
                (i as u16, i as u16),
                Val::Text(name),
                &b,
            )?;
        }
        let first = header + 1;
        self.write_level(ws, first, p, 0, 1)?;
        self.write_level(ws, first, p, 1, 2)?;
        for (i, ind) in p.indicators.iter().enumerate() {
            let r = first + i as u32;
            let t = jxmb::model::Target::parse(ind[4]);
            self.put(ws, (r, r), (0, 0), Val::Num((i + 1) as f64, "0"), &b)?;
            self.put(ws, (r, r), (3, 3), Val::Text(ind[2]), &b)?;
            let op = if t.explicit_op { t.op.symbol() } else { "" };
            self.put(ws, (r, r), (4, 4), Val::Text(op), &b)?;
            match (t.value, t.kind) {
                (Some(v), jxmb::model::Kind::Quantitative) => {
                    let v: f64 = v.to_string().parse().unwrap_or(0.0);
                    self.put(ws, (r, r), (5, 5), Val::Num(v, "General"), &b)?;
                    self.put(ws, (r, r), (6, 6), Val::Text(&t.unit), &b)?;
                }
                _ => {
                    self.put(ws, (r, r), (5, 5), Val::Text(ind[4]), &b)?;
                    self.put(ws, (r, r), (6, 6), Val::Text(""), &b)?;
                }
            }
            self.put(ws, (r, r), (7, 7), Val::Text(ind[3]), &b)?;
            self.put(ws, (r, r), (8, 8), Val::Num(10.0, "0"), &b)?;
            self.put(ws, (r, r), (9, 9), Val::Text(""), &b)?;
            self.put(ws, (r, r), (10, 10), Val::Text(BASIS), &b)?;
        }
        Ok(first + p.indicators.len() as u32)
    }

    fn set_widths(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let widths = [
            12.0, 14.0, 16.0, 24.0, 14.0, 10.0, 10.0, 20.0, 8.0, 8.0, 14.0,
        ];
        for (i, w) in widths.iter().enumerate() {
            let (c1, c2) = self.span(i as u16, i as u16);
            for c in c1..=c2 {
                ws.set_column_width(c, if self.pair_merge { w / 2.0 } else { *w })?;
            }
        }
        Ok(())
    }
}

/// Pins the workbook's creation time, so regenerated samples are byte-identical and only real
/// changes show in git.
pub fn reproducible(wb: &mut Workbook) -> Result<(), XlsxError> {
    let when = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1, 1)?;
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&when));
    Ok(())
}

/// One project per workbook, on a sheet named `Sheet1` (as exported by the budget system).
pub fn one_per_workbook(p: &SeedProject, form: &Form) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    reproducible(&mut wb)?;
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    form.set_widths(ws)?;
    form.write_table(ws, 0, 0, p)?;
    Ok(wb)
}

/// All tables stacked down one sheet with a blank row between them, as in the seed.
pub fn stacked(projects: &[SeedProject], form: &Form) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    reproducible(&mut wb)?;
    let ws = wb.add_worksheet().set_name("预算项目绩效目标")?;
    form.set_widths(ws)?;
    let mut row = 0;
    for (i, p) in projects.iter().enumerate() {
        row = form.write_table(ws, row, i, p)? + 1;
    }
    Ok(wb)
}

/// One table per sheet, sheets named after the projects, after a 目录 (index) sheet.
pub fn per_sheet(projects: &[SeedProject], form: &Form) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    reproducible(&mut wb)?;
    let index = wb.add_worksheet().set_name("目录")?;
    index.write_string(0, 0, "目录")?;
    index.write_string(1, 0, "序号")?;
    index.write_string(1, 1, "项目名称")?;
    index.write_string(1, 2, "工作表")?;
    for (i, p) in projects.iter().enumerate() {
        let r = 2 + i as u32;
        index.write_number(r, 0, (i + 1) as f64)?;
        index.write_string(r, 1, p.name)?;
        index.write_string(r, 2, p.name)?;
    }
    index.set_column_width(1, 32)?;
    index.set_column_width(2, 32)?;
    for (i, p) in projects.iter().enumerate() {
        let ws = wb.add_worksheet().set_name(p.name)?;
        form.set_widths(ws)?;
        form.write_table(ws, 0, i, p)?;
    }
    Ok(wb)
}

/// A 项目支出预算表: one line per (code, name, total in 万元), then a 合计 row of SUM formulas.
pub fn budget_table(lines: &[(&str, &str, &str)]) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    reproducible(&mut wb)?;
    let ws = wb.add_worksheet().set_name("项目支出预算表")?;
    let b = border();
    let money = border().set_num_format("0.00");
    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    ws.merge_range(0, 0, 0, 6, "2025年项目支出预算表", &title)?;
    ws.merge_range(
        1,
        0,
        1,
        4,
        &format!("{UNIT_CODE}{UNIT_NAME}"),
        &Format::new(),
    )?;
    ws.merge_range(1, 5, 1, 6, "单位：万元", &Format::new())?;
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
        ws.write_string_with_format(2, c as u16, *name, &b.clone().set_bold())?;
    }
    let mut total = 0.0;
    for (i, (code, name, amount)) in lines.iter().enumerate() {
        let r = 3 + i as u32;
        let v: f64 = amount.parse().unwrap_or(0.0);
        total += v;
        ws.write_string_with_format(r, 0, UNIT_CODE, &b)?;
        ws.write_string_with_format(r, 1, UNIT_NAME, &b)?;
        ws.write_string_with_format(r, 2, *code, &b)?;
        ws.write_string_with_format(r, 3, *name, &b)?;
        ws.write_number_with_format(r, 4, v, &money)?;
        ws.write_number_with_format(r, 5, v, &money)?;
        ws.write_number_with_format(r, 6, 0.0, &money)?;
    }
    let r = 3 + lines.len() as u32;
    ws.merge_range(r, 0, r, 3, "合计", &b)?;
    for c in 4..=6u16 {
        let col = (b'A' + c as u8) as char;
        let formula = format!("=SUM({col}4:{col}{})", r);
        let result = if c == 6 { 0.0 } else { total };
        ws.write_formula_with_format(
            r,
            c,
            Formula::new(formula).set_result(format!("{result:.2}")),
            &money,
        )?;
    }
    for (c, w) in [10.0, 32.0, 26.0, 32.0, 12.0, 12.0, 12.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(wb)
}

/// A spreadsheet that is not a 绩效目标表 at all.
pub fn unrelated() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    reproducible(&mut wb)?;
    let ws = wb.add_worksheet().set_name("通讯录")?;
    for (r, row) in [
        ["姓名", "科室", "电话"],
        ["张三", "办公室", "0315-1234567"],
        ["李四", "财务科", "0315-7654321"],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v)?;
        }
    }
    Ok(wb)
}
