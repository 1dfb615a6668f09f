//! A plain grid of cells written with rust_xlsxwriter: the seed's standard form without merges,
//! which a test edits cell by cell (`set("C4", …)`) to build exactly the case it needs.

#![allow(dead_code)] // the generator and the tests each use a different part

use super::seed::{SeedProject, BASIS, FISCAL_LABEL, PLAN, UNIT_CODE, UNIT_NAME};
use rust_xlsxwriter::Workbook;

/// The standard form's indicator header row.
pub const INDICATOR_HEADER: [&str; 6] = [
    "一级指标",
    "二级指标",
    "三级指标",
    "绩效指标描述",
    "指标值",
    "指标值确定依据",
];

#[derive(Debug, Clone, PartialEq)]
pub enum C {
    T(String),
    N(f64),
    /// A number with a number format (`0%`, `yyyy/m/d`, `"≥"0%`).
    Formatted(f64, String),
    /// A formula with the result stored, or without one (rust_xlsxwriter then stores 0, as a
    /// script that never opened the file in Excel leaves it).
    Formula(String, Option<String>),
}

pub fn t(s: &str) -> Option<C> {
    Some(C::T(s.to_string()))
}

#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Option<C>>>,
    /// Hidden rows and columns, zero-based.
    pub hidden_rows: Vec<u32>,
    pub hidden_cols: Vec<u16>,
    pub hidden: bool,
}

/// `E10` → (9, 4).
pub fn a1(cell: &str) -> (usize, usize) {
    let letters: String = cell
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let col = letters
        .bytes()
        .fold(0usize, |acc, b| acc * 26 + (b - b'A' + 1) as usize)
        - 1;
    let row: usize = cell[letters.len()..].parse().expect("row number");
    (row - 1, col)
}

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet {
            name: name.to_string(),
            ..Sheet::default()
        }
    }

    /// The seed's standard form: title A1, code B3, 预算数 C4, purpose B5, plan B6:E7,
    /// goal B8, indicator header row 9, indicators from row 10 (指标值 in column E).
    pub fn seed(p: &SeedProject) -> Sheet {
        Sheet::project(p, BASIS, &format!("{UNIT_CODE}{UNIT_NAME}"))
    }

    /// A project in the standard form with its own 依据 and unit line.
    pub fn project(p: &SeedProject, basis: &str, unit_line: &str) -> Sheet {
        let mut s = Sheet::new("Sheet1");
        let total: f64 = p.total.parse().expect("amount");
        s.row(0, &[t(&format!("{}绩效目标表", p.name))]);
        s.row(1, &[t(unit_line), None, None, None, None, t("单位：万元")]);
        s.row(
            2,
            &[t("项目编码"), t(p.code), None, t("项目名称"), t(p.name)],
        );
        s.row(
            3,
            &[
                t("预算规模及资金用途"),
                t("预算数"),
                Some(C::N(total)),
                t(FISCAL_LABEL),
                Some(C::N(total)),
                t("其他资金"),
            ],
        );
        s.row(4, &[None, t(p.purpose)]);
        let mut by = vec![t("资金支出计划（%）")];
        let mut pct = vec![None];
        for (b, v) in PLAN {
            by.push(t(b));
            pct.push(t(v));
        }
        s.row(5, &by);
        s.row(6, &pct);
        s.row(7, &[t("绩效目标"), t(p.goal)]);
        s.row(8, &INDICATOR_HEADER.map(t));
        let mut previous = "";
        for (i, ind) in p.indicators.iter().enumerate() {
            let level1 = if ind[0] == previous { None } else { t(ind[0]) };
            previous = ind[0];
            s.row(
                9 + i,
                &[level1, t(ind[1]), t(ind[2]), t(ind[3]), t(ind[4]), t(basis)],
            );
        }
        s
    }

    pub fn row(&mut self, r: usize, cells: &[Option<C>]) -> &mut Sheet {
        if self.rows.len() <= r {
            self.rows.resize(r + 1, Vec::new());
        }
        self.rows[r] = cells.to_vec();
        self
    }

    pub fn set(&mut self, cell: &str, value: Option<C>) -> &mut Sheet {
        let (r, c) = a1(cell);
        if self.rows.len() <= r {
            self.rows.resize(r + 1, Vec::new());
        }
        if self.rows[r].len() <= c {
            self.rows[r].resize(c + 1, None);
        }
        self.rows[r][c] = value;
        self
    }

    pub fn text(&mut self, cell: &str, value: &str) -> &mut Sheet {
        self.set(cell, t(value))
    }

    pub fn number(&mut self, cell: &str, value: f64) -> &mut Sheet {
        self.set(cell, Some(C::N(value)))
    }

    /// A number shown through a number format.
    pub fn formatted(&mut self, cell: &str, value: f64, format: &str) -> &mut Sheet {
        self.set(cell, Some(C::Formatted(value, format.to_string())))
    }

    /// A formula; `result` is what Excel stored when it last calculated (`None`: never).
    pub fn formula(&mut self, cell: &str, formula: &str, result: Option<&str>) -> &mut Sheet {
        self.set(
            cell,
            Some(C::Formula(formula.to_string(), result.map(String::from))),
        )
    }

    /// Hides the column of `cell` (`"E"` or `"E1"`).
    pub fn hide_column(&mut self, column: &str) -> &mut Sheet {
        let (_, c) = a1(&format!(
            "{}1",
            column.trim_end_matches(|c: char| c.is_ascii_digit())
        ));
        self.hidden_cols.push(c as u16);
        self
    }

    /// Hides a row (1-based, as Excel numbers it).
    pub fn hide_row(&mut self, row: u32) -> &mut Sheet {
        self.hidden_rows.push(row - 1);
        self
    }

    pub fn clear(&mut self, cell: &str) -> &mut Sheet {
        self.set(cell, None)
    }

    /// Removes whole rows (1-based, inclusive), shifting the rest up.
    pub fn delete_rows(&mut self, from: usize, to: usize) -> &mut Sheet {
        self.rows.drain(from - 1..to);
        self
    }

    /// Replaces every cell whose text is exactly `from`.
    pub fn replace_text(&mut self, from: &str, to: &str) -> &mut Sheet {
        for cell in self.rows.iter_mut().flatten() {
            if *cell == t(from) {
                *cell = t(to);
            }
        }
        self
    }

    pub fn named(&mut self, name: &str) -> &mut Sheet {
        self.name = name.to_string();
        self
    }

    pub fn write_into(&self, wb: &mut Workbook) {
        let ws = wb.add_worksheet();
        ws.set_name(&self.name).expect("sheet name");
        for (r, row) in self.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Some(C::T(s)) => ws.write_string(r, c, s).map(|_| ()),
                    Some(C::N(n)) => ws.write_number(r, c, *n).map(|_| ()),
                    Some(C::Formatted(n, code)) => {
                        let format = rust_xlsxwriter::Format::new().set_num_format(code);
                        ws.write_number_with_format(r, c, *n, &format).map(|_| ())
                    }
                    Some(C::Formula(f, result)) => {
                        let mut formula = rust_xlsxwriter::Formula::new(f);
                        if let Some(result) = result {
                            formula = formula.set_result(result);
                        }
                        ws.write_formula(r, c, formula).map(|_| ())
                    }
                    None => Ok(()),
                }
                .expect("cell written");
            }
        }
        for row in &self.hidden_rows {
            ws.set_row_hidden(*row).expect("row hidden");
        }
        for col in &self.hidden_cols {
            ws.set_column_hidden(*col).expect("column hidden");
        }
        if self.hidden {
            ws.set_hidden(true);
        }
    }
}

/// A 项目支出预算表 sheet: (项目编码, 项目名称, 合计 in 万元) per line, then a 合计 row.
pub fn budget_sheet(unit_line: &str, lines: &[(&str, &str, f64)]) -> Sheet {
    let mut s = Sheet::new("项目支出预算表");
    s.row(0, &[t("项目支出预算表")]);
    s.row(1, &[t(unit_line), None, None, None, t("单位：万元")]);
    s.row(
        2,
        &["项目编码", "项目名称", "合计", "财政拨款", "其他资金"].map(t),
    );
    let mut sum = 0.0;
    for (i, (code, name, amount)) in lines.iter().enumerate() {
        sum += amount;
        s.row(
            3 + i,
            &[
                t(code),
                t(name),
                Some(C::N(*amount)),
                Some(C::N(*amount)),
                Some(C::N(0.0)),
            ],
        );
    }
    s.row(
        3 + lines.len(),
        &[
            t("合计"),
            None,
            Some(C::N(sum)),
            Some(C::N(sum)),
            Some(C::N(0.0)),
        ],
    );
    s
}

/// A 部门整体支出绩效目标表 stating the department's project-spending total.
pub fn department_sheet(unit_line: &str, project_spending: f64) -> Sheet {
    let mut s = Sheet::new("部门整体");
    s.row(0, &[t("部门整体支出绩效目标表")]);
    s.row(1, &[t("部门(单位)名称"), t(unit_line)]);
    s.row(
        2,
        &[
            t("年度预算"),
            Some(C::N(project_spending + 100.0)),
            t("其中：项目支出"),
            Some(C::N(project_spending)),
        ],
    );
    s.row(3, &[t("年度总体目标"), t("1.提升审批服务效率")]);
    s.row(4, &["一级指标", "二级指标", "三级指标", "指标值"].map(t));
    s.row(5, &["产出指标", "数量指标", "办件量", "≥10000件"].map(t));
    s
}

/// The name of a sheet that stands for the 部门整体 prose of a Word document: its rows' first
/// cells are paragraphs.
pub const PROSE: &str = "正文";

/// A workbook of these sheets, as bytes; with a [`PROSE`] sheet among them, a Word document
/// (`.docx`) with the prose and each other sheet as a table.
pub fn book(sheets: &[&Sheet]) -> Vec<u8> {
    if sheets.iter().any(|s| s.name == PROSE) {
        return super::word::document_of(sheets);
    }
    let mut wb = Workbook::new();
    super::forms::reproducible(&mut wb).expect("a fixed date");
    for s in sheets {
        s.write_into(&mut wb);
    }
    wb.save_to_buffer().expect("saved")
}

/// Writes the sheets as a workbook file in `dir`.
pub fn save(dir: &std::path::Path, name: &str, sheets: &[&Sheet]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, book(sheets)).expect("written");
    path
}
