//! A 项目支出绩效自评表 (财预〔2020〕10号 附件2) read by its labels: 项目名称/项目编码, 主管部门,
//! 实施单位; the 项目资金 block (年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分 over the rows
//! 年度资金总额 / 当年财政拨款 / 上年结转资金 / 其他资金); 年度总体目标 (预期目标 / 实际完成情况);
//! the indicator table (一级/二级/三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施)
//! and its 总分 row. Labels are compared after `label_key`, in any column order.

use super::super::grid::{Grid, Value};
use super::values::{money, percent};
use super::{read_head, SheetInfo};
use crate::model::evaluation::{
    Claimed, EvaluatedCells, EvaluatedIndicator, Evaluation, EvaluationSource, FundsPart,
};
use crate::model::text::label_key;
use crate::model::{CellRef, MoneyUnit, Target, WorkbookContents};
use rust_decimal::Decimal;

/// The rows of the 项目资金 block, by their label.
const FUNDS_ROWS: &[&str] = &[
    "年度资金总额",
    "其中:当年财政拨款",
    "当年财政拨款",
    "财政拨款",
    "上年结转资金",
    "其他资金",
];

/// A row's cells as label keys, left to right.
fn keys(grid: &Grid, row: u32) -> Vec<(u32, String)> {
    grid.row_cells(row)
        .filter_map(|(c, v)| match v {
            Value::Text(t) if t.chars().count() <= 24 => Some((c, label_key(t))),
            _ => None,
        })
        .collect()
}

fn col_of(keys: &[(u32, String)], wanted: &[&str]) -> Option<u32> {
    keys.iter()
        .find(|(_, k)| wanted.iter().any(|w| k == w))
        .map(|(c, _)| *c)
}

fn col_starting(keys: &[(u32, String)], prefix: &str) -> Option<u32> {
    keys.iter()
        .find(|(_, k)| k.starts_with(prefix))
        .map(|(c, _)| *c)
}

/// The columns of the indicator table.
struct Columns {
    level1: Option<u32>,
    level2: Option<u32>,
    level3: Option<u32>,
    target: Option<u32>,
    actual: Option<u32>,
    weight: Option<u32>,
    score: Option<u32>,
    deviation: Option<u32>,
}

fn indicator_columns(keys: &[(u32, String)]) -> Option<Columns> {
    let cols = Columns {
        level1: col_of(keys, &["一级指标"]),
        level2: col_of(keys, &["二级指标"]),
        level3: col_of(keys, &["三级指标", "指标名称", "三级指标名称"]),
        target: col_of(
            keys,
            &[
                "年度指标值",
                "指标值",
                "调整后指标值",
                "调整后年度指标值",
                "目标值",
            ],
        ),
        actual: col_of(keys, &["实际完成值", "全年实际完成值", "实际值"]),
        weight: col_of(keys, &["分值", "权重"]),
        score: col_of(keys, &["得分"]),
        deviation: col_starting(keys, "偏差原因"),
    };
    (cols.level1.is_some() && cols.actual.is_some()).then_some(cols)
}

/// Reads a 自评表 anchored at its 项目名称/项目编码 row into `out`; returns its last row.
pub(super) fn read_evaluation(
    grid: &Grid,
    info: &SheetInfo,
    head_start: u32,
    anchor: u32,
    out: &mut WorkbookContents,
) -> u32 {
    let (unit, head_money, top) = read_head(grid, head_start, anchor);
    let last = *grid.rows().end();
    let mut e = Evaluation {
        year: year_above(grid, head_start, anchor),
        source: EvaluationSource {
            file: info.file.to_string(),
            sheet: info.sheet.to_string(),
            sheet_index: info.index,
            cell: CellRef::new(top.min(anchor), grid.first_col()),
            name_cell: None,
        },
        ..Evaluation::default()
    };
    let mut money_unit = head_money.unwrap_or_default();
    let mut funds: Option<FundsColumns> = None;
    let mut goals: Option<(u32, u32)> = None;
    let mut end = anchor;
    let mut row = anchor;
    while row <= last {
        let k = keys(grid, row);
        let label_value =
            |wanted: &[&str]| col_of(&k, wanted).and_then(|c| grid.value_right_of(row, c));
        if row > anchor && (col_of(&k, &["项目名称"]).is_some() && !e.name.is_empty()) {
            break;
        }
        if let Some((cell, v)) = label_value(&["项目名称"]) {
            e.name = v.text().trim().to_string();
            e.source.name_cell = Some(cell);
        }
        if let Some((_, v)) = label_value(&["项目编码", "项目代码"]) {
            e.code = v.text().trim().to_string();
        }
        if let Some((_, v)) = label_value(&["主管部门"]) {
            e.department = v.text().trim().to_string();
        }
        if let Some((_, v)) = label_value(&["实施单位"]) {
            e.unit = v.text().trim().to_string();
        }
        // `项目资金（万元）` or `项目资金（元）`: the block's amounts are in that unit.
        for (_, t) in &k {
            if t.contains("(万元)") || t.contains("单位:万元") {
                money_unit = MoneyUnit::Wan;
            } else if t.contains("(元)") || t.contains("单位:元") {
                money_unit = MoneyUnit::Yuan;
            }
        }
        if let Some(cols) = FundsColumns::of(&k) {
            funds = Some(cols);
        } else if let (Some(cols), Some(label)) = (&funds, col_of(&k, FUNDS_ROWS)) {
            cols.read_row(grid, row, label, &k, money_unit, &mut e);
        } else if let (Some(expected), Some(actual)) =
            (col_of(&k, &["预期目标"]), col_of(&k, &["实际完成情况"]))
        {
            goals = Some((expected, actual));
        } else if let Some((expected, actual)) = goals.take() {
            e.goals.expected = grid.value(row, expected).text().trim().to_string();
            e.goals.actual = grid.value(row, actual).text().trim().to_string();
        }
        if let Some(cols) = indicator_columns(&k) {
            end = read_rows(grid, row, &cols, &mut e);
            break;
        }
        end = row;
        row += 1;
    }
    e.hidden = hidden_cells(grid, &e);
    e.sheet_hidden = grid.sheet_hidden();
    e.score();
    out.evaluations.push((unit, e));
    end
}

/// The cells read that sit in hidden rows or columns: what the reviewer does not see.
fn hidden_cells(grid: &Grid, e: &Evaluation) -> Vec<CellRef> {
    let f = &e.funds.cells;
    let mut cells: Vec<CellRef> = [
        f.initial,
        f.annual,
        f.executed,
        f.rate,
        f.score,
        e.total.cell,
    ]
    .into_iter()
    .flatten()
    .collect();
    for i in &e.indicators {
        let s = &i.source;
        cells.extend(
            [s.target, s.actual, s.weight, s.score]
                .into_iter()
                .flatten(),
        );
    }
    cells.retain(|c| grid.is_hidden(c.row, c.col) && !grid.value(c.row, c.col).is_blank());
    cells.sort();
    cells.dedup();
    cells
}

/// `（2025年度）` in the rows above the table.
fn year_above(grid: &Grid, head_start: u32, anchor: u32) -> Option<u32> {
    (head_start.max(anchor.saturating_sub(6))..anchor)
        .flat_map(|r| {
            grid.row_cells(r)
                .map(|(_, v)| v.text().into_owned())
                .collect::<Vec<_>>()
        })
        .find_map(|t| {
            let at = t.find("年")?;
            let digits: String = t[..at]
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            (digits.len() == 4)
                .then(|| digits.chars().rev().collect::<String>().parse().ok())
                .flatten()
        })
}

/// The 项目资金 block's columns.
struct FundsColumns {
    initial: Option<u32>,
    annual: Option<u32>,
    executed: Option<u32>,
    weight: Option<u32>,
    rate: Option<u32>,
    score: Option<u32>,
}

impl FundsColumns {
    fn of(k: &[(u32, String)]) -> Option<FundsColumns> {
        let cols = FundsColumns {
            initial: col_of(k, &["年初预算数"]),
            annual: col_of(k, &["全年预算数"]),
            executed: col_of(k, &["全年执行数"]),
            weight: col_of(k, &["分值"]),
            rate: col_of(k, &["执行率"]),
            score: col_of(k, &["得分"]),
        };
        (cols.annual.is_some() && cols.executed.is_some()).then_some(cols)
    }

    fn read_row(
        &self,
        grid: &Grid,
        row: u32,
        label: u32,
        k: &[(u32, String)],
        unit: MoneyUnit,
        e: &mut Evaluation,
    ) {
        let cell = |c: Option<u32>| c.map(|c| CellRef::new(row, c));
        let bad = &mut e.unreadable;
        let mut amount =
            |c: Option<u32>| read_number(row, c, bad, |c| money(grid.value(row, c), unit));
        let key = k
            .iter()
            .find(|(c, _)| *c == label)
            .map(|(_, t)| t.as_str())
            .unwrap_or("");
        let (initial, annual, executed) = (
            amount(self.initial),
            amount(self.annual),
            amount(self.executed),
        );
        if key == "年度资金总额" {
            let weight = number(grid, row, self.weight, bad);
            let rate = rate(grid, row, self.rate, bad);
            let score = number(grid, row, self.score, bad);
            let f = &mut e.funds;
            (f.initial, f.annual, f.executed) = (initial, annual, executed);
            (f.weight, f.rate, f.score) = (weight, rate, score);
            f.cells.initial = cell(self.initial);
            f.cells.annual = cell(self.annual);
            f.cells.executed = cell(self.executed);
            f.cells.rate = cell(self.rate);
            f.cells.score = cell(self.score);
        } else {
            e.funds.parts.push(FundsPart {
                label: key.trim_start_matches("其中:").to_string(),
                initial,
                annual,
                executed,
            });
        }
    }
}

/// A cell's number, or none; what is not a number is kept in `bad` with its cell.
fn read_number(
    row: u32,
    col: Option<u32>,
    bad: &mut Vec<(CellRef, String)>,
    parse: impl FnOnce(u32) -> Result<Option<Decimal>, String>,
) -> Option<Decimal> {
    let c = col?;
    parse(c).unwrap_or_else(|text| {
        bad.push((CellRef::new(row, c), text));
        None
    })
}

/// A 分值 or 得分 cell: a number (`—` and blanks are none).
fn number(
    grid: &Grid,
    row: u32,
    col: Option<u32>,
    bad: &mut Vec<(CellRef, String)>,
) -> Option<Decimal> {
    read_number(row, col, bad, |c| percent(grid.value(row, c), false))
}

/// 执行率 in percent: `97.22%`, or a fraction `0.9722` in a plain cell.
fn rate(
    grid: &Grid,
    row: u32,
    col: Option<u32>,
    bad: &mut Vec<(CellRef, String)>,
) -> Option<Decimal> {
    read_number(row, col, bad, |c| {
        let v = grid.value(row, c);
        let fraction = matches!(v, Value::Number(n) if n <= 1.0);
        percent(v, fraction)
    })
}

/// The indicator rows below the header, up to the 总分 row; returns the last row read.
fn read_rows(grid: &Grid, header: u32, cols: &Columns, e: &mut Evaluation) -> u32 {
    let last = *grid.rows().end();
    let (mut level1, mut level2) = (String::new(), String::new());
    let mut end = header;
    for row in header + 1..=last {
        let text = |c: Option<u32>| {
            c.map(|c| grid.value(row, c).text().trim().to_string())
                .unwrap_or_default()
        };
        let first = grid
            .row_cells(row)
            .next()
            .map(|(_, v)| label_key(&v.text()));
        if first
            .as_deref()
            .is_some_and(|f| f.starts_with("总分") || f.starts_with("合计"))
        {
            e.total = Claimed {
                weight: number(grid, row, cols.weight, &mut e.unreadable),
                score: number(grid, row, cols.score, &mut e.unreadable),
                cell: cols.score.map(|c| CellRef::new(row, c)),
            };
            return row;
        }
        if grid.row_is_blank(row) {
            if (row + 1..=last.min(row + 2)).all(|r| grid.row_is_blank(r)) {
                break;
            }
            continue;
        }
        if keys(grid, row).iter().any(|(_, k)| k == "项目名称") {
            break;
        }
        let (l1, l2) = (text(cols.level1), text(cols.level2));
        if !l1.is_empty() {
            level1 = l1;
            level2 = l2;
        } else if !l2.is_empty() {
            level2 = l2;
        }
        let level3 = text(cols.level3);
        let target = text(cols.target);
        if level3.is_empty() && target.is_empty() {
            continue;
        }
        let cell = |c: Option<u32>| c.map(|c| CellRef::new(row, c));
        e.indicators.push(EvaluatedIndicator {
            level1: level1.clone(),
            level2: level2.clone(),
            level3,
            target: Target::parse(&target),
            actual: Target::parse(&text(cols.actual)),
            weight: number(grid, row, cols.weight, &mut e.unreadable),
            score: number(grid, row, cols.score, &mut e.unreadable),
            deviation: text(cols.deviation),
            source: EvaluatedCells {
                target: cell(cols.target),
                actual: cell(cols.actual),
                weight: cell(cols.weight),
                score: cell(cols.score),
                deviation: cell(cols.deviation),
            },
        });
        end = row;
    }
    end
}
