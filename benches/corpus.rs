//! The benchmark corpus: N workbooks shaped like real submissions, deterministic from a seed.
//! Each holds 1–8 project tables, stacked down one sheet or one per sheet after a 目录, with
//! 7–15 indicators, 一级指标 merged down its group, and a mix of the seed's defects (reversed
//! quotes, stray tabs, `≥100%`, a cost that differs from 预算数, amounts in 元, repeated codes).
//! Its texts come from the seed's 8 projects, so they repeat across the batch (JX219's
//! boilerplate everywhere); with [`Texts::Own`] each project words its goal and indicator
//! descriptions its own way, as real submissions mostly do.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};
use std::path::Path;

#[path = "../examples/make-samples/seed.rs"]
mod seed;

/// Where a project's goal and indicator descriptions come from.
#[derive(Clone, Copy, PartialEq)]
pub enum Texts {
    /// The seed's, word for word.
    Seed,
    /// The seed's, made the project's own (no two projects share one).
    Own,
}

/// A small deterministic generator (the same corpus on every machine).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const UNITS: &[&str] = &[
    "438001唐山市路南区数据和行政审批局本级",
    "438002唐山市路南区财政局本级",
    "438003唐山市路南区教育局本级",
];

struct Table {
    code: String,
    name: String,
    total: f64,
    purpose: String,
    goal: String,
    indicators: Vec<[String; 5]>,
    yuan: bool,
}

fn table(rng: &mut Rng, workbook: usize, n: usize, texts: Texts) -> Table {
    let base = rng.pick(&seed::PROJECTS);
    let count = 7 + rng.below(9) as usize;
    let mut indicators: Vec<[String; 5]> = (0..count)
        .map(|i| {
            let src = &base.indicators[i % 7];
            let mut row = src.map(String::from);
            if i >= 7 {
                row[2] = format!("{}（{}）", row[2], i - 6);
            }
            row
        })
        .collect();
    indicators.sort_by_key(|r| {
        ["产出指标", "效益指标", "满意度指标"]
            .iter()
            .position(|l| *l == r[0])
            .unwrap_or(3)
    });
    let mut purpose = base.purpose.to_string();
    match rng.below(8) {
        0 => purpose = format!("{purpose}，含”专项“经费"),
        1 => indicators[0][3].push('\t'),
        2 => indicators[0][4] = "≥100%".into(),
        3 => indicators[1][4] = "90%".into(),
        _ => {}
    }
    let total: f64 = base.total.parse().unwrap_or(1.0) * (1.0 + rng.below(5) as f64);
    if rng.below(6) == 0 {
        if let Some(cost) = indicators.iter_mut().find(|r| r[1] == "成本指标") {
            cost[4] = format!("{:.2}万元", total + 2.0);
        }
    }
    // Now and then the same table is submitted twice (JX402).
    let serial = if rng.below(40) == 0 {
        1
    } else {
        workbook * 10 + n + 2
    };
    let mut goal = base.goal.to_string();
    if texts == Texts::Own {
        goal = format!("{goal}（第{workbook}号工作簿第{}项）", n + 1);
        for row in indicators.iter_mut().filter(|r| r[0] != "满意度指标") {
            row[3] = format!("{}，本项目第{workbook}-{}号", row[3], n + 1);
        }
    }
    Table {
        code: format!("13020225P{serial:012}"),
        name: format!("{}{}", base.name, workbook),
        total,
        purpose,
        goal,
        indicators,
        yuan: rng.below(10) == 0,
    }
}

fn write_table(
    ws: &mut Worksheet,
    row: u32,
    index: usize,
    t: &Table,
    unit: &str,
) -> Result<u32, XlsxError> {
    let b = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let money = b.clone().set_num_format("0.00");
    let mut r = row;
    ws.merge_range(
        r,
        0,
        r,
        6,
        &format!("{}.{}绩效目标表", index + 1, t.name),
        &Format::new().set_bold(),
    )?;
    r += 1;
    ws.merge_range(r, 0, r, 4, unit, &Format::new())?;
    ws.merge_range(
        r,
        5,
        r,
        6,
        if t.yuan {
            "单位：元"
        } else {
            "单位：万元"
        },
        &Format::new(),
    )?;
    r += 1;
    ws.write_string_with_format(r, 0, "项目编码", &b)?;
    ws.merge_range(r, 1, r, 2, &t.code, &b)?;
    ws.write_string_with_format(r, 3, "项目名称", &b)?;
    ws.merge_range(r, 4, r, 6, &t.name, &b)?;
    r += 1;
    let amount = if t.yuan { t.total * 10_000.0 } else { t.total };
    ws.merge_range(r, 0, r + 1, 0, "预算规模及资金用途", &b)?;
    ws.write_string_with_format(r, 1, "预算数", &b)?;
    ws.write_number_with_format(r, 2, amount, &money)?;
    ws.write_string_with_format(r, 3, seed::FISCAL_LABEL, &b)?;
    ws.write_number_with_format(r, 4, amount, &money)?;
    ws.write_string_with_format(r, 5, "其他资金", &b)?;
    ws.write_blank(r, 6, &b)?;
    r += 1;
    ws.merge_range(r, 1, r, 6, &t.purpose, &b)?;
    r += 1;
    ws.merge_range(r, 0, r + 1, 0, "资金支出计划（%）", &b)?;
    for (k, (by, pct)) in seed::PLAN.iter().enumerate() {
        ws.write_string_with_format(r, 1 + k as u16, *by, &b)?;
        ws.write_string_with_format(r + 1, 1 + k as u16, *pct, &b)?;
    }
    r += 2;
    ws.write_string_with_format(r, 0, "绩效目标", &b)?;
    ws.merge_range(r, 1, r, 6, &t.goal, &b)?;
    r += 1;
    for (c, h) in [
        "一级指标",
        "二级指标",
        "三级指标",
        "绩效指标描述",
        "指标值",
        "指标值确定依据",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &b)?;
    }
    let first = r + 1;
    let mut i = 0;
    while i < t.indicators.len() {
        let mut end = i;
        while end + 1 < t.indicators.len() && t.indicators[end + 1][0] == t.indicators[i][0] {
            end += 1;
        }
        let (r1, r2) = (first + i as u32, first + end as u32);
        if r1 == r2 {
            ws.write_string_with_format(r1, 0, &t.indicators[i][0], &b)?;
        } else {
            ws.merge_range(r1, 0, r2, 0, &t.indicators[i][0], &b)?;
        }
        i = end + 1;
    }
    for (k, ind) in t.indicators.iter().enumerate() {
        let rr = first + k as u32;
        for (c, text) in ind.iter().enumerate().skip(1) {
            ws.write_string_with_format(rr, c as u16, text, &b)?;
        }
        ws.write_string_with_format(rr, 5, seed::BASIS, &b)?;
    }
    Ok(first + t.indicators.len() as u32 + 1)
}

/// Writes workbook number `i` of the corpus into `dir`; returns its size in bytes.
fn workbook(dir: &Path, i: usize, texts: Texts) -> Result<u64, Box<dyn std::error::Error>> {
    let mut rng = Rng::new(2025 + i as u64);
    let unit = *rng.pick(UNITS);
    let tables: Vec<Table> = (0..1 + rng.below(8) as usize)
        .map(|n| table(&mut rng, i, n, texts))
        .collect();
    let mut wb = Workbook::new();
    if rng.below(2) == 0 {
        let ws = wb.add_worksheet().set_name("预算项目绩效目标")?;
        let mut row = rng.below(3) as u32;
        for (n, t) in tables.iter().enumerate() {
            row = write_table(ws, row, n, t, unit)?;
        }
    } else {
        let index = wb.add_worksheet().set_name("目录")?;
        index.write_string(0, 0, "序号")?;
        index.write_string(0, 1, "项目名称")?;
        for (n, t) in tables.iter().enumerate() {
            index.write_number(1 + n as u32, 0, (n + 1) as f64)?;
            index.write_string(1 + n as u32, 1, &t.name)?;
        }
        for (n, t) in tables.iter().enumerate() {
            let ws = wb.add_worksheet().set_name(format!("表{}", n + 1))?;
            write_table(ws, 0, n, t, unit)?;
        }
    }
    let bytes = wb.save_to_buffer()?;
    let path = dir.join(format!("{:05}-{}.xlsx", i, tables[0].name));
    std::fs::write(&path, &bytes)?;
    Ok(bytes.len() as u64)
}

/// Where the corpus of `n` workbooks with these texts lives under `root`.
pub fn dir(root: &Path, n: usize, texts: Texts) -> std::path::PathBuf {
    match texts {
        Texts::Seed => root.join(n.to_string()),
        Texts::Own => root.join(format!("{n}-own-texts")),
    }
}

/// Makes the corpus of `n` workbooks in `dir` (kept between runs: a `.done` marker says it is
/// complete). Returns the total size in bytes.
pub fn ensure(dir: &Path, n: usize, texts: Texts) -> Result<u64, Box<dyn std::error::Error>> {
    let marker = dir.join(".done");
    if let Ok(text) = std::fs::read_to_string(&marker) {
        if let Ok(bytes) = text.trim().parse() {
            return Ok(bytes);
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    use rayon::prelude::*;
    let sizes: Result<Vec<u64>, String> = (0..n)
        .into_par_iter()
        .map(|i| workbook(dir, i, texts).map_err(|e| e.to_string()))
        .collect();
    let total = sizes?.iter().sum();
    std::fs::write(&marker, format!("{total}"))?;
    Ok(total)
}
