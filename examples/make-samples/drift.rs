//! Layout drift seen in the wild (SPEC §1.2, issue 12): workbooks filled the way departments
//! really fill them — hidden columns, formatted cells, ranges, no unit, tables side by side, a
//! 自评表 among the 目标表, formulas never calculated. Each is the clean project changed in one
//! way. Written to `sample-workbooks/drift/` and read by the drift tests, which assert the exact
//! model or the diagnostic that names what could not be read.

#![allow(dead_code)] // the generator and the tests each use a different part

use super::cases::{clean, code, CLEAN, UNIT};
use super::sheet::{t, Sheet};

/// One drift workbook: its file name, what it shows (the README's words) and its sheets.
pub struct Drift {
    pub file: &'static str,
    pub what: &'static str,
    pub sheets: Vec<Sheet>,
}

/// Every drift workbook, in the README's order.
pub fn drifts() -> Vec<Drift> {
    vec![
        Drift {
            file: "01.隐藏列.xlsx",
            what: "两列“指标值”，隐藏的一列是上年的值：读可见列（2台，不是 1台），JX006 指出隐藏列未读",
            sheets: vec![hidden_column()],
        },
        Drift {
            file: "02.隐藏行与隐藏表.xlsx",
            what: "一行指标在隐藏行中、一张表在隐藏工作表中：照读，JX006 说明读自看不见的地方",
            sheets: hidden_row_and_sheet(),
        },
        Drift {
            file: "03.日期与百分比格式.xlsx",
            what: "日期格式的 46022 读作“2025年12月31日”（时限），`\"≥\"0%` 格式的 0.95 读作“≥95%”，`0\"%\"` 格式的 25 读作 25%",
            sheets: vec![formatted()],
        },
        Drift {
            file: "04.区间与负数.xlsx",
            what: "“95%-100%”“≥95%且≤100%”读作区间（between），“-5%”“下降5%”读作负数",
            sheets: vec![ranges()],
        },
        Drift {
            file: "05.未写单位.xlsx",
            what: "表头没有“单位：万元”，预算数写 1120000：按万元读，JX008 说明并指出它像是按元填写",
            sheets: vec![no_unit()],
        },
        Drift {
            file: "06.并排两表.xlsx",
            what: "一张工作表上左右并排两张表（右边的低 3 行）：两个项目各自读出",
            sheets: vec![side_by_side()],
        },
        Drift {
            file: "07.自评表.xlsx",
            what: "项目支出绩效自评表：读作自评表（得分重新核算，与同名目标表比较），从不当作目标表",
            sheets: vec![evaluation()],
        },
        Drift {
            file: "08.未计算公式.xlsx",
            what: "预算数是程序写入、从未计算的公式 =E4+G4：不读成空白或 0，JX007 请用 Excel/WPS 打开保存",
            sheets: vec![uncalculated()],
        },
        Drift {
            file: "09.年初与调整后指标值.xlsx",
            what: "“年初指标值”“调整后指标值”两列：调整后的是指标值，年初的保留在模型中",
            sheets: vec![adjusted_targets()],
        },
        Drift {
            file: "10.描述续行.xlsx",
            what: "绩效指标描述写到下一行（其他单元格空白）：接到上一行，不算空指标",
            sheets: vec![continued_description()],
        },
        Drift {
            file: "11.单位行分列.xlsx",
            what: "单位行分在两格（`438099 | 单位名称`）或写成“单位编码：… | 单位名称：…”：单位编码照读",
            sheets: split_unit_line(),
        },
        Drift {
            file: "12.编码存为数字.xlsx",
            what: "21 位编码输入在常规格式单元格里，存成了数字：JX401 说明末尾几位已丢失",
            sheets: vec![code_as_number()],
        },
    ]
}

/// The clean project, numbered `n` among the drift workbooks.
fn project(n: u32) -> Sheet {
    clean(500 + n, "Sheet1")
}

fn hidden_column() -> Sheet {
    let mut s = project(1);
    // Free column E in the head: 项目名称's value and the 财政资金 split move right.
    s.clear("E3").text("F3", CLEAN.name);
    s.clear("E4").number("F4", 1.8).text("G4", "其他资金");
    s.clear("E6")
        .clear("E7")
        .text("F6", "12月底")
        .text("F7", "100%");
    // The indicator table: E is last year's 指标值 (hidden), F this year's, G the basis.
    let last_year = [
        "1台",
        "≥90%",
        "≤48小时",
        "≤1.6万元",
        "基本保障",
        "持续提升",
        "≥85%",
    ];
    for (i, old) in last_year.iter().enumerate() {
        let r = 10 + i;
        let now = s.rows[r - 1][4].clone();
        let basis = s.rows[r - 1][5].clone();
        s.set(&format!("E{r}"), t(old))
            .set(&format!("F{r}"), now)
            .set(&format!("G{r}"), basis);
    }
    s.text("F9", "指标值").text("G9", "指标值确定依据");
    s.hide_column("E");
    s
}

fn hidden_row_and_sheet() -> Vec<Sheet> {
    let mut visible = project(2);
    visible.named("项目表");
    // The 可持续影响 row is hidden.
    visible.hide_row(15);
    let mut hidden = project(3);
    hidden.named("旧表");
    hidden.hidden = true;
    vec![visible, hidden]
}

fn formatted() -> Sheet {
    let mut s = project(4);
    for (col, v) in ["B", "C", "D", "E"].iter().zip([25.0, 50.0, 75.0, 100.0]) {
        s.formatted(&format!("{col}7"), v, r#"0"%""#);
    }
    s.formatted("E11", 0.95, r#""≥"0%"#);
    s.text("C12", "完成时限")
        .text("D12", "年底前完成全年维保")
        .formatted("E12", 46022.0, "yyyy/m/d");
    s.formatted("E16", 0.9, r#""≥"0%"#);
    s
}

fn ranges() -> Sheet {
    let mut s = project(5);
    s.text("E11", "95%-100%");
    s.text("E16", "≥95%且≤100%");
    s.text("C15", "故障率变化")
        .text("D15", "电梯故障率同比下降")
        .text("E15", "-5%");
    s
}

fn no_unit() -> Sheet {
    let mut s = project(6);
    s.clear("F2");
    s.number("C4", 1_120_000.0).number("E4", 1_120_000.0);
    s.text("E13", "≤1120000元");
    s
}

/// Copies `from` into `into` shifted by (`rows`, `cols`).
fn paste(into: &mut Sheet, from: &Sheet, rows: usize, cols: usize) {
    for (r, row) in from.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if cell.is_some() {
                let (rr, cc) = (r + rows, c + cols);
                if into.rows.len() <= rr {
                    into.rows.resize(rr + 1, Vec::new());
                }
                if into.rows[rr].len() <= cc {
                    into.rows[rr].resize(cc + 1, None);
                }
                into.rows[rr][cc] = cell.clone();
            }
        }
    }
}

fn side_by_side() -> Sheet {
    let left = project(7);
    let mut right = project(8);
    right
        .text("A1", "办公设备维护费绩效目标表")
        .text("E3", "办公设备维护费")
        .text("B5", "办公设备维护经费")
        .text("C10", "维护设备数量")
        .text("E10", "30台");
    let mut s = Sheet::new("两个项目");
    paste(&mut s, &left, 0, 0);
    paste(&mut s, &right, 3, 7);
    s
}

/// A year-end 自评表 of the clean project, consistent with its 目标表.
fn evaluation() -> Sheet {
    let mut s = super::cases::clean_evaluation();
    s.replace_text(&code(1), &code(509));
    s
}

fn uncalculated() -> Sheet {
    let mut s = project(10);
    s.formula("C4", "=E4+G4", None);
    s
}

fn adjusted_targets() -> Sheet {
    let mut s = project(11);
    // 年初指标值 in E, 调整后指标值 in F, the basis moves to G.
    for r in 10..=16 {
        let now = s.rows[r - 1][4].clone();
        let basis = s.rows[r - 1][5].clone();
        s.set(&format!("F{r}"), now).set(&format!("G{r}"), basis);
    }
    s.text("E9", "年初指标值")
        .text("F9", "调整后指标值")
        .text("G9", "指标值确定依据");
    s.text("E10", "3台");
    s
}

fn continued_description() -> Sheet {
    let mut s = project(12);
    s.text("D10", "全年维护保养的电梯台数，");
    s.rows.insert(10, vec![None, None, None, t("含应急维修")]);
    s
}

fn split_unit_line() -> Vec<Sheet> {
    let (code, name) = UNIT.split_at(6);
    let mut two_cells = project(13);
    two_cells
        .named("分两格")
        .number("A2", code.parse().expect("unit code"))
        .text("B2", name);
    let mut labelled = project(14);
    labelled
        .named("编码与名称")
        .text("A2", &format!("单位编码：{code}"))
        .text("C2", &format!("单位名称：{name}"));
    vec![two_cells, labelled]
}

fn code_as_number() -> Sheet {
    let mut s = project(15);
    s.number("B3", 130_202_250_000_391_000_000.0);
    s
}
