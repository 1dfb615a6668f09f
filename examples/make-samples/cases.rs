//! For every rule, a workbook where it fires and one where it stays quiet: a clean project on
//! which no rule fires, changed in the cells the rule is about. Used by the rule tests (with
//! snapshots of the rendered findings) and by `sample-workbooks/defects/`.

#![allow(dead_code)] // the generator and the tests each use a different part

use super::seed::SeedProject;
use super::selfeval;
use super::sheet::{budget_sheet, department_sheet, t, Sheet, PROSE};

/// The clean project's unit line.
pub const UNIT: &str = "438099唐山市路南区示例单位";
pub const BASIS: &str = "计划标准";

/// A project no rule finds fault with.
pub const CLEAN: SeedProject = SeedProject {
    code: "13020225P000039100011",
    name: "电梯维保费",
    total: "1.80",
    purpose: "电梯维保经费",
    goal: "1.全年维护保养电梯2台，故障报修24小时内到场，保障办事群众上下楼通行",
    indicators: [
        [
            "产出指标",
            "数量指标",
            "维保电梯数量",
            "全年维护保养的电梯台数",
            "2台",
        ],
        [
            "产出指标",
            "质量指标",
            "电梯正常使用率",
            "维保后电梯正常安全运行",
            "≥95%",
        ],
        [
            "产出指标",
            "时效指标",
            "维保响应时间",
            "故障报修后到场时间",
            "≤24小时",
        ],
        [
            "产出指标",
            "成本指标",
            "项目总成本",
            "全年电梯维保费用",
            "≤1.8万元",
        ],
        [
            "效益指标",
            "社会效益指标",
            "电梯停运时长",
            "全年因故障停运的累计时长",
            "≤72小时",
        ],
        [
            "效益指标",
            "可持续影响指标",
            "电梯安全使用年限",
            "维保后电梯可继续安全使用的年限",
            "≥5年",
        ],
        [
            "满意度指标",
            "服务对象满意度指标",
            "办事群众满意度",
            "办事群众对电梯运行的满意程度",
            "≥90%",
        ],
    ],
};

/// A valid code numbered `n`, so the sheets of one batch never share a code by accident.
pub fn code(n: u32) -> String {
    format!("13020225P{:012}", 39_100_000 + n)
}

/// The clean project with code number `n`, on a sheet named `name`.
pub fn clean(n: u32, name: &str) -> Sheet {
    let mut s = Sheet::project(&CLEAN, BASIS, UNIT);
    s.named(name).text("B3", &code(n));
    s
}

/// A rule's two workbooks (as lists of sheets).
pub struct Case {
    pub code: &'static str,
    pub fires: Vec<Sheet>,
    pub quiet: Vec<Sheet>,
}

fn edit(n: u32, f: impl FnOnce(&mut Sheet)) -> Sheet {
    let mut s = clean(n, "表1");
    f(&mut s);
    s
}

fn one(code: &'static str, fires: impl FnOnce(&mut Sheet), quiet: impl FnOnce(&mut Sheet)) -> Case {
    Case {
        code,
        fires: vec![edit(1, fires)],
        quiet: vec![edit(1, quiet)],
    }
}

fn unchanged(_: &mut Sheet) {}

/// Two projects of one department (the clean one and a well-made 评审费 table); `shared`: the
/// second repeats the first's 数量 description word for word.
fn boilerplate_pair(shared: bool) -> Vec<Sheet> {
    let first = clean(1, "表1");
    let mut second = Sheet::project(&super::good::PROJECTS[2], BASIS, UNIT);
    second.named("表2").text("B3", &code(2));
    if shared {
        second.text("D10", "全年维护保养的电梯台数");
    }
    vec![first, second]
}

/// The 部门整体 prose of a Word document listing `items`: (name, 绩效指标 line).
fn prose(items: &[(&str, &str)]) -> Sheet {
    let mut s = Sheet::new(PROSE);
    s.row(0, &[t("二、分项绩效目标")]);
    for (i, (name, indicators)) in items.iter().enumerate() {
        let r = 1 + 3 * i;
        s.row(r, &[t(&format!("{}.{name}", i + 1))]);
        s.row(r + 1, &[t("绩效目标：保障办事群众上下楼通行")]);
        s.row(r + 2, &[t(&format!("绩效指标：{indicators}"))]);
    }
    s.row(1 + 3 * items.len(), &[t("三、工作保障措施")]);
    s
}

/// The clean project's year-end 自评表: every target met, 1.75 of 1.80 spent (97.22%, 9.72).
pub fn clean_evaluation() -> Sheet {
    let report = selfeval::Report {
        executed: 1.75,
        rate: "97.22%",
        rate_score: 9.72,
        results: [None; 7],
        achieved: "全年维保电梯2台，无安全事故",
    };
    let mut s = selfeval::sheet(&CLEAN, &report, &code(1), "唐山市路南区示例单位本级");
    s.named("自评表");
    s
}

/// The clean project's 目标表 and its 自评表, the 自评表 changed by `edit`.
fn evaluated(edit: impl FnOnce(&mut Sheet)) -> Vec<Sheet> {
    let mut e = clean_evaluation();
    edit(&mut e);
    vec![clean(1, "表1"), e]
}

fn evaluation_case(
    code: &'static str,
    fires: impl FnOnce(&mut Sheet),
    quiet: impl FnOnce(&mut Sheet),
) -> Case {
    Case {
        code,
        fires: evaluated(fires),
        quiet: evaluated(quiet),
    }
}

/// What the clean project's table says, as the prose would list it.
const CLEAN_INDICATORS: &str = "维保电梯数量2台；电梯正常使用率≥95%";

/// Every rule that looks at tables (JX001 and JX002 are about files: see `broken/`).
pub fn cases() -> Vec<Case> {
    vec![
        one(
            "JX003",
            |s| {
                s.clear("B3");
            },
            unchanged,
        ),
        one(
            "JX004",
            |s| {
                s.text("C4", "约2万");
            },
            |s| {
                s.text("C4", "1.80万元");
            },
        ),
        one(
            "JX005",
            |s| {
                s.clear("E10");
            },
            unchanged,
        ),
        one(
            "JX006",
            |s| {
                // An indicator row hidden: read, and said.
                s.hide_row(11);
            },
            |s| {
                // A hidden column outside the table holds nothing that is read.
                s.hide_column("H");
            },
        ),
        one(
            "JX007",
            |s| {
                // 预算数 = 财政资金 + 其他资金, written by a script: the stored 0 cannot be right.
                s.formula("C4", "=E4+G4", None);
            },
            |s| {
                s.formula("C4", "=E4+G4", Some("1.8"));
            },
        ),
        one(
            "JX008",
            |s| {
                s.clear("F2");
            },
            unchanged,
        ),
        one(
            "JX101",
            |s| {
                // 预算数 left blank with both parts given: completed as their sum.
                s.clear("C4").number("E4", 1.2).number("G4", 0.6);
            },
            |s| {
                s.number("E4", 1.2).number("G4", 0.6);
            },
        ),
        one(
            "JX102",
            |s| {
                s.text("D7", "40%");
            },
            unchanged,
        ),
        one(
            "JX103",
            |s| {
                s.text("E7", "90%");
            },
            unchanged,
        ),
        one(
            "JX104",
            |s| {
                s.text("E7", "120%");
            },
            |s| {
                s.text("B7", "0%");
            },
        ),
        one(
            "JX105",
            |s| {
                s.number("C4", 0.0).number("E4", 0.0);
            },
            unchanged,
        ),
        one(
            "JX201",
            |s| {
                s.delete_rows(12, 12);
            },
            unchanged,
        ),
        Case {
            code: "JX202",
            fires: vec![
                edit(1, |s| {
                    s.delete_rows(14, 15);
                }),
                {
                    let mut s = edit(2, |s| {
                        s.delete_rows(16, 16);
                    });
                    s.named("表2");
                    s
                },
            ],
            quiet: vec![edit(1, unchanged)],
        },
        one(
            "JX203",
            |s| {
                s.text("B10", "数量")
                    .text("B14", "社会效益")
                    .text("B15", "长远影响指标");
            },
            unchanged,
        ),
        one(
            "JX204",
            |s| {
                s.text("E13", "2.8万元");
            },
            |s| {
                s.text("E13", "18000元");
            },
        ),
        one(
            "JX205",
            |s| {
                s.text("E13", "850元/月/台");
            },
            |s| {
                s.text("E13", "750元/月/台");
            },
        ),
        one(
            "JX206",
            |s| {
                s.text("E10", "按时完成");
            },
            unchanged,
        ),
        one(
            "JX207",
            |s| {
                s.text("E11", "≥100%");
            },
            |s| {
                s.text("E11", "=100%");
            },
        ),
        one(
            "JX208",
            |s| {
                s.text("E11", "95%");
            },
            unchanged,
        ),
        one(
            "JX209",
            |s| {
                s.text("E16", "≥80%");
            },
            |s| {
                s.text("E16", "≥85%");
            },
        ),
        one(
            "JX210",
            |s| {
                s.text("D16", "办事群众满意度");
            },
            unchanged,
        ),
        one(
            "JX211",
            |s| {
                s.text("F10", "部门职责");
            },
            unchanged,
        ),
        one(
            "JX212",
            |s| {
                s.text("C15", "设备使用寿命延长率（%）");
            },
            |s| {
                s.text("C11", "电梯正常使用率（%）");
            },
        ),
        one(
            "JX213",
            |s| {
                // The only 数量 row is a rate: how much is delivered is never said.
                s.text("C10", "维保完成率").text("E10", "=100%");
            },
            |s| {
                s.text("E10", "≥2台");
            },
        ),
        one(
            "JX214",
            |s| {
                s.text("E14", "保障工作顺利开展");
            },
            |s| {
                s.text("C14", "服务等级").text("E14", "优");
            },
        ),
        one(
            "JX215",
            |s| {
                s.text("C11", "专款专用率")
                    .text("D11", "维保经费专款专用的比例")
                    .text("E11", "=100%");
            },
            unchanged,
        ),
        one(
            "JX216",
            |s| {
                s.text("C11", "合同履约率")
                    .text("D11", "按合同完成维保的比例")
                    .text("E11", "≥90%");
            },
            |s| {
                s.text("C11", "合同履约率")
                    .text("D11", "按合同完成维保的比例")
                    .text("E11", "=100%");
            },
        ),
        one(
            "JX217",
            |s| {
                s.text("B5", "用于电梯维保、年检及配件更换");
            },
            |s| {
                s.text("B5", "用于电梯维保及年检")
                    .text("D10", "全年维护保养并年检的电梯台数");
            },
        ),
        one(
            "JX218",
            |s| {
                s.text("B8", "1.保证电梯安全运行，方便办事群众");
            },
            unchanged,
        ),
        Case {
            code: "JX219",
            fires: boilerplate_pair(true),
            quiet: boilerplate_pair(false),
        },
        one(
            "JX301",
            |s| {
                s.text("D10", "全年维护保养的电梯台数\t")
                    .text("D11", "维保后电梯 ，正常安全运行");
            },
            unchanged,
        ),
        one(
            "JX302",
            |s| {
                s.text("B5", "电梯”维保“经费");
            },
            |s| {
                s.text("B5", "电梯“维保”经费");
            },
        ),
        one(
            "JX303",
            |s| {
                s.text("E11", "不低于95%").text("E16", "90%以上");
            },
            unchanged,
        ),
        one(
            "JX304",
            |s| {
                s.text("E11", "≥９５％");
            },
            unchanged,
        ),
        one(
            "JX305",
            |s| {
                s.text("C16", "办事群众满意度。");
            },
            unchanged,
        ),
        one(
            "JX401",
            |s| {
                s.text("B3", "13020225P0000391");
            },
            unchanged,
        ),
        Case {
            code: "JX402",
            fires: vec![clean(1, "表1"), clean(1, "表2")],
            quiet: vec![clean(1, "表1"), clean(2, "表2")],
        },
        Case {
            code: "JX403",
            fires: vec![
                clean(1, "表1"),
                clean(2, "表2"),
                edit(3, |s| {
                    s.named("表3").text("B3", "13020224P000039100003");
                }),
            ],
            quiet: vec![clean(1, "表1"), clean(2, "表2"), clean(3, "表3")],
        },
        Case {
            code: "JX501",
            fires: vec![
                clean(1, "表1"),
                budget_sheet(UNIT, &[(&code(1), "电梯维保费", 2.0)]),
            ],
            quiet: vec![
                clean(1, "表1"),
                budget_sheet(UNIT, &[(&code(1), "电梯维保费", 1.8)]),
            ],
        },
        Case {
            code: "JX502",
            fires: vec![
                clean(1, "表1"),
                budget_sheet(
                    UNIT,
                    &[
                        (&code(1), "电梯维保费", 1.8),
                        ("13020225P000099100011", "邮递专项经费", 5.0),
                    ],
                ),
            ],
            quiet: vec![
                clean(1, "表1"),
                budget_sheet(UNIT, &[(&code(1), "电梯维保费", 1.8)]),
            ],
        },
        Case {
            code: "JX503",
            fires: vec![
                clean(1, "表1"),
                clean(2, "表2"),
                budget_sheet(UNIT, &[(&code(1), "电梯维保费", 1.8)]),
            ],
            quiet: vec![
                clean(1, "表1"),
                clean(2, "表2"),
                budget_sheet(
                    UNIT,
                    &[(&code(1), "电梯维保费", 1.8), ("", "电梯维保费", 1.8)],
                ),
            ],
        },
        Case {
            code: "JX504",
            fires: vec![clean(1, "表1"), department_sheet(UNIT, 5.0)],
            quiet: vec![clean(1, "表1"), department_sheet(UNIT, 1.8)],
        },
        Case {
            code: "JX505",
            fires: vec![
                prose(&[("电梯维保费", CLEAN_INDICATORS), ("邮递专项经费", "")]),
                clean(1, "表1"),
            ],
            quiet: vec![prose(&[("电梯维保费", CLEAN_INDICATORS)]), clean(1, "表1")],
        },
        Case {
            code: "JX506",
            fires: {
                let mut v = boilerplate_pair(false);
                v.insert(0, prose(&[("电梯维保费", CLEAN_INDICATORS)]));
                v
            },
            quiet: {
                let mut v = boilerplate_pair(false);
                v.insert(
                    0,
                    prose(&[
                        ("电梯维保费", CLEAN_INDICATORS),
                        (super::good::PROJECTS[2].name, ""),
                    ]),
                );
                v
            },
        },
        Case {
            code: "JX507",
            fires: vec![
                prose(&[(
                    "电梯维保费",
                    "维保电梯数量3台；电梯正常使用率占比大于90%；电梯年检合格率100%",
                )]),
                clean(1, "表1"),
            ],
            quiet: vec![
                prose(&[("电梯维保费项目", "维保电梯数量2台；电梯正常使用率占比≥95%")]),
                clean(1, "表1"),
            ],
        },
        evaluation_case(
            "JX601",
            |s| {
                s.number("E8", 1.70);
            },
            unchanged,
        ),
        evaluation_case(
            "JX602",
            |s| {
                s.text("G7", "95%");
            },
            unchanged,
        ),
        evaluation_case(
            "JX603",
            |s| {
                s.number("H21", 98.0);
            },
            unchanged,
        ),
        // 2台 (=), 1台 achieved: 12.5 × (1 − 1/2) = 6.25, not 12.5.
        evaluation_case(
            "JX604",
            |s| {
                s.text("F14", "1台").text("I14", "1台电梯停用待报废");
            },
            |s| {
                s.text("F14", "1台")
                    .number("H14", 6.25)
                    .text("I14", "1台电梯停用待报废");
            },
        ),
        evaluation_case(
            "JX605",
            |s| {
                s.text("E14", "3台").text("F14", "3台");
            },
            |s| {
                s.text("E14", "=2台");
            },
        ),
        // ≥95%, 90% achieved: 12.5 × 90/95 = 11.84.
        evaluation_case(
            "JX606",
            |s| {
                s.text("F15", "90%").number("H15", 11.84);
            },
            |s| {
                s.text("F15", "90%")
                    .number("H15", 11.84)
                    .text("I15", "2台电梯返修期间停用，已更换维保单位");
            },
        ),
        evaluation_case(
            "JX607",
            |s| {
                s.text("F15", "达成预期指标");
            },
            unchanged,
        ),
        evaluation_case(
            "JX608",
            |s| {
                s.number("C7", 2.0).number("C8", 2.0);
            },
            unchanged,
        ),
        evaluation_case(
            "JX609",
            |s| {
                s.text("F19", "8年");
            },
            |s| {
                s.text("F19", "5.5年");
            },
        ),
    ]
}
