//! Layout drift (SPEC §1.2, issue 12): each way departments really fill these tables is read
//! exactly, or the value that cannot be read is named. No test here accepts a wrong value
//! without the diagnostic that names it.

use crate::common::drift::{drifts, Drift};
use crate::common::sheet::{book, Sheet};
use crate::common::{check_book, dec, jxmb, samples, stdout};
use jxmb::diag::Diagnostic;
use jxmb::model::{Kind, Model, Op, Project};

fn drift(file: &str) -> Drift {
    drifts()
        .into_iter()
        .find(|d| d.file == file)
        .expect("a drift workbook")
}

fn checked(file: &str) -> (Model, Vec<Diagnostic>) {
    let d = drift(file);
    let refs: Vec<&Sheet> = d.sheets.iter().collect();
    check_book(book(&refs))
}

fn only_project(model: &Model) -> &Project {
    let projects: Vec<&Project> = model.projects().map(|(_, p)| p).collect();
    assert_eq!(projects.len(), 1, "{projects:#?}");
    projects[0]
}

/// (cell, message) of each finding with `code`.
fn said(diags: &[Diagnostic], code: &str) -> Vec<(String, String)> {
    crate::common::findings(diags, code)
}

fn targets(p: &Project) -> Vec<&str> {
    p.indicators
        .iter()
        .map(|i| i.target.text.as_str())
        .collect()
}

#[test]
fn a_hidden_column_never_shadows_the_visible_one() {
    let (model, diags) = checked("01.隐藏列.xlsx");
    let p = only_project(&model);
    assert_eq!(
        targets(p),
        [
            "2台",
            "≥95%",
            "≤24小时",
            "≤1.8万元",
            "≤72小时",
            "≥5年",
            "≥90%"
        ]
    );
    assert_eq!(p.name, "电梯维保费");
    assert_eq!(p.budget.fiscal, Some(dec("1.8")));
    assert_eq!(p.indicators[0].basis, "计划标准");
    let jx006 = said(&diags, "JX006");
    assert_eq!(jx006.len(), 1, "{jx006:?}");
    assert_eq!(jx006[0].0, "E9");
    assert!(jx006[0].1.contains("隐藏的 E 列未读取") && jx006[0].1.contains("可见的 F 列"));
}

#[test]
fn content_in_hidden_rows_and_sheets_is_read_and_named() {
    let (model, diags) = checked("02.隐藏行与隐藏表.xlsx");
    assert_eq!(model.projects().count(), 2);
    let jx006 = said(&diags, "JX006");
    assert_eq!(jx006.len(), 2, "{jx006:?}");
    assert_eq!(jx006[0].0, "B15");
    assert!(jx006[0].1.contains("B15、C15"), "{}", jx006[0].1);
    assert!(jx006[1].1.contains("隐藏的工作表“旧表”"), "{}", jx006[1].1);
    // The hidden row's indicator is read all the same.
    let (_, first) = model.projects().next().expect("a project");
    assert_eq!(first.indicators.len(), 7);
}

#[test]
fn formatted_numbers_read_as_they_are_shown() {
    let (model, diags) = checked("03.日期与百分比格式.xlsx");
    let p = only_project(&model);
    let plan: Vec<_> = p.spending_plan.iter().map(|s| s.percent).collect();
    assert_eq!(
        plan,
        [
            Some(dec("25")),
            Some(dec("50")),
            Some(dec("75")),
            Some(dec("100"))
        ]
    );
    let quality = &p.indicators[1].target;
    assert_eq!(quality.text, "≥95%");
    assert_eq!((quality.op, quality.value), (Op::Ge, Some(dec("95"))));
    let deadline = &p.indicators[2].target;
    assert_eq!(deadline.text, "2025年12月31日");
    assert_eq!(deadline.kind, Kind::Deadline);
    assert_eq!(
        deadline.value, None,
        "the serial 46022 is not a number target"
    );
    assert_eq!(p.indicators[6].target.text, "≥90%");
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn ranges_and_negative_targets() {
    let (model, _) = checked("04.区间与负数.xlsx");
    let p = only_project(&model);
    let quality = &p.indicators[1].target;
    assert_eq!(quality.op, Op::Between);
    assert_eq!(
        (quality.value, quality.value_max, quality.unit.as_str()),
        (Some(dec("95")), Some(dec("100")), "%")
    );
    let satisfaction = &p.indicators[6].target;
    assert_eq!(satisfaction.op, Op::Between);
    assert_eq!(satisfaction.value_max, Some(dec("100")));
    let fall = &p.indicators[5].target;
    assert_eq!(
        (fall.value, fall.kind),
        (Some(dec("-5")), Kind::Quantitative)
    );
    let json = serde_json::to_value(quality).expect("json");
    assert_eq!(json["op"], "between");
    assert_eq!(json["value_max"], "100");
}

#[test]
fn no_declared_unit_is_read_as_wan_and_said_with_the_yuan_hint() {
    let (model, diags) = checked("05.未写单位.xlsx");
    let p = only_project(&model);
    assert_eq!(p.budget.total, Some(dec("1120000")));
    let jx008 = said(&diags, "JX008");
    assert_eq!(jx008.len(), 1);
    assert_eq!(jx008[0].0, "C4");
    assert!(jx008[0].1.contains("按万元读取") && jx008[0].1.contains("按元填写"));
    // The clean project states its unit: nothing to say.
    let (_, clean) = check_book(book(&[&crate::common::cases::clean(1, "表1")]));
    assert!(said(&clean, "JX008").is_empty());
}

#[test]
fn two_tables_side_by_side_are_both_read() {
    let (model, diags) = checked("06.并排两表.xlsx");
    let projects: Vec<&Project> = model.projects().map(|(_, p)| p).collect();
    assert_eq!(projects.len(), 2);
    let (left, right) = (projects[0], projects[1]);
    assert_eq!(
        (left.name.as_str(), right.name.as_str()),
        ("电梯维保费", "办公设备维护费")
    );
    assert_eq!(
        (left.purpose.as_str(), right.purpose.as_str()),
        ("电梯维保经费", "办公设备维护经费")
    );
    assert_eq!(
        (left.spending_plan.len(), right.spending_plan.len()),
        (4, 4)
    );
    assert_eq!((left.indicators.len(), right.indicators.len()), (7, 7));
    assert_eq!(right.indicators[0].target.text, "30台");
    assert_eq!(
        right.source.cells.code.map(|c| c.to_string()).as_deref(),
        Some("I6")
    );
    // The two tables are the clean one twice over: their shared texts are boilerplate (JX219),
    // which says both were read; nothing else is found.
    let other: Vec<&Diagnostic> = diags.iter().filter(|d| d.code != "JX219").collect();
    assert!(other.is_empty(), "{other:#?}");
    assert!(!diags.is_empty(), "the shared texts are found");
}

#[test]
fn a_self_evaluation_is_recognised_and_never_read_as_a_target_table() {
    let d = drift("07.自评表.xlsx");
    let refs: Vec<&Sheet> = d.sheets.iter().collect();
    let contents = jxmb::read::read_bytes(book(&refs), "xlsx", "自评表.xlsx").expect("reads");
    assert!(contents.projects.is_empty());
    assert_eq!(contents.evaluations.len(), 1);
    // Beside a 目标表, the 自评表 adds nothing and blames nothing.
    let mut both = d.sheets;
    both.push(crate::common::cases::clean(1, "目标表"));
    let refs: Vec<&Sheet> = both.iter().collect();
    let (model, diags) = check_book(book(&refs));
    assert_eq!(model.projects().count(), 1);
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn a_formula_never_calculated_is_neither_blank_nor_zero() {
    let (model, diags) = checked("08.未计算公式.xlsx");
    let p = only_project(&model);
    assert_eq!(p.budget.total, None);
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["JX007"], "{diags:#?}");
    assert_eq!(said(&diags, "JX007")[0].0, "C4");
    assert!(said(&diags, "JX007")[0].1.contains("=E4+G4"));
}

#[test]
fn the_adjusted_target_is_the_target_and_the_initial_one_is_kept() {
    let (model, diags) = checked("09.年初与调整后指标值.xlsx");
    let p = only_project(&model);
    assert_eq!(targets(p)[0], "2台");
    assert_eq!(
        p.indicators[0]
            .initial_target
            .as_ref()
            .map(|t| t.text.as_str()),
        Some("3台")
    );
    assert_eq!(p.indicators[0].basis, "计划标准");
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn a_description_continued_on_the_next_row_joins_the_row_above() {
    let (model, diags) = checked("10.描述续行.xlsx");
    let p = only_project(&model);
    assert_eq!(p.indicators.len(), 7);
    assert_eq!(
        p.indicators[0].description,
        "全年维护保养的电梯台数，含应急维修"
    );
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn a_unit_line_split_over_cells_keeps_its_code() {
    let (model, _) = checked("11.单位行分列.xlsx");
    assert_eq!(model.departments.len(), 1, "{:#?}", model.departments);
    let d = &model.departments[0];
    assert_eq!(d.unit_code.as_deref(), Some("438099"));
    assert_eq!(d.unit_name.as_deref(), Some("唐山市路南区示例单位"));
    assert_eq!(d.projects.len(), 2);
}

#[test]
fn a_code_stored_as_a_number_is_said_to_have_lost_digits() {
    let (_, diags) = checked("12.编码存为数字.xlsx");
    let jx401 = said(&diags, "JX401");
    assert_eq!(jx401.len(), 1);
    assert!(jx401[0].1.contains("15 位有效数字"), "{}", jx401[0].1);
}

#[test]
fn the_drift_samples_are_the_generated_ones_and_check_as_the_readme_says() {
    let dir = samples().join("drift");
    for d in drifts() {
        let refs: Vec<&Sheet> = d.sheets.iter().collect();
        let on_disk = std::fs::read(dir.join(d.file)).expect("a drift sample");
        assert_eq!(
            on_disk,
            book(&refs),
            "{} is stale: run make-samples",
            d.file
        );
    }
    let out = jxmb(&["check", "sample-workbooks/drift", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or(""))
        .collect();
    for code in ["JX006", "JX007", "JX008", "JX401"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    assert_eq!(report["summary"]["projects"], 14);
}

#[test]
fn a_budget_table_without_a_unit_is_said_once() {
    use crate::common::cases::{code, UNIT};
    use crate::common::sheet::budget_sheet;
    let mut budget = budget_sheet(
        UNIT,
        &[(&code(1), "电梯维保费", 1.8), (&code(2), "劳务费", 112.0)],
    );
    budget.clear("E2");
    let (model, diags) = check_book(book(&[&budget]));
    assert_eq!(model.departments[0].budget_lines.len(), 2);
    let jx008 = said(&diags, "JX008");
    assert_eq!(jx008.len(), 1, "once per table: {jx008:?}");
    assert_eq!(jx008[0].0, "C4");
    assert!(
        jx008[0].1.starts_with("项目支出预算表附近没有写金额单位"),
        "{}",
        jx008[0].1
    );
    // The same table with its unit line: nothing.
    let declared = budget_sheet(UNIT, &[(&code(1), "电梯维保费", 1.8)]);
    let (_, quiet) = check_book(book(&[&declared]));
    assert!(said(&quiet, "JX008").is_empty());
}

#[test]
fn a_hidden_budget_line_is_read_and_said() {
    use crate::common::cases::{code, UNIT};
    use crate::common::sheet::budget_sheet;
    let mut budget = budget_sheet(
        UNIT,
        &[(&code(1), "电梯维保费", 1.8), (&code(2), "旧项目", 5.0)],
    );
    budget.hide_row(5);
    let (model, diags) = check_book(book(&[&budget]));
    assert_eq!(
        model.departments[0].budget_lines.len(),
        2,
        "read all the same"
    );
    let jx006 = said(&diags, "JX006");
    assert_eq!(jx006.len(), 1, "{jx006:?}");
    assert_eq!(jx006[0].0, "C5");
    assert!(jx006[0].1.contains("旧项目"), "{}", jx006[0].1);
}
