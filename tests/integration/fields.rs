//! JX003–JX005 and the reader's edge cases, on workbooks built cell by cell.

use crate::common::sheet::{book, Sheet};
use crate::common::{check_book, dec, findings, read_model, seed};

fn labour() -> Sheet {
    Sheet::seed(&seed::PROJECTS[2])
}

#[test]
fn the_plain_seed_form_has_no_field_findings() {
    let (model, diags) = check_book(book(&[&labour()]));
    assert_eq!(model.projects().count(), 1);
    for code in ["JX003", "JX004", "JX005"] {
        assert!(findings(&diags, code).is_empty(), "{code}: {diags:?}");
    }
}

#[test]
fn missing_code_name_budget_goal_and_indicators() {
    let mut s = labour();
    s.clear("B3").clear("C4").clear("B8");
    let (_, diags) = check_book(book(&[&s]));
    assert_eq!(
        findings(&diags, "JX003"),
        [
            // The cells where the user must type the value, just right of each label.
            ("B3".to_string(), "项目“劳务费”缺少项目编码".to_string()),
            ("C4".to_string(), "项目“劳务费”缺少预算数".to_string()),
            ("B8".to_string(), "项目“劳务费”缺少绩效目标".to_string()),
        ]
    );
    let mut s = labour();
    s.delete_rows(9, 16);
    let (model, diags) = check_book(book(&[&s]));
    assert_eq!(model.projects().count(), 1);
    let found = findings(&diags, "JX003");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("没有绩效指标表"));
}

#[test]
fn bad_numbers_are_never_read_as_zero() {
    for (written, shown) in [("约2万", "约2万"), ("#REF!", "#REF!"), ("2000万", "2000万")] {
        let mut s = labour();
        s.text("C4", written);
        let (model, diags) = check_book(book(&[&s]));
        let p = &model.departments[0].projects[0];
        assert_eq!(p.budget.total, None, "{written}");
        assert_eq!(
            findings(&diags, "JX004"),
            [(
                "C4".to_string(),
                format!("预算数“{shown}”不是数字（单位：万元），不会按 0 计算，请改为数字")
            )]
        );
        assert!(
            findings(&diags, "JX003").is_empty(),
            "an unreadable 预算数 is JX004, not missing"
        );
    }
    let mut s = labour();
    s.text("C7", "一半");
    let (_, diags) = check_book(book(&[&s]));
    assert_eq!(findings(&diags, "JX004")[0].0, "C7");
    assert!(findings(&diags, "JX004")[0]
        .1
        .contains("资金支出计划（6月底）“一半”"));
}

#[test]
fn amounts_written_with_their_unit_are_accepted() {
    let mut s = labour();
    s.text("C4", "112.00万元").text("E4", "1,120,000元");
    let (model, diags) = check_book(book(&[&s]));
    let p = &model.departments[0].projects[0];
    assert_eq!(p.budget.total, Some(dec("112.00")));
    assert_eq!(p.budget.fiscal, Some(dec("112")));
    assert!(findings(&diags, "JX004").is_empty());
}

#[test]
fn empty_indicator_cells() {
    let mut s = labour();
    s.clear("C10").text("E11", "**");
    let (_, diags) = check_book(book(&[&s]));
    assert_eq!(
        findings(&diags, "JX005"),
        [
            (
                "C10".to_string(),
                "产出指标/数量指标 下有一行指标缺少三级指标名称".to_string()
            ),
            (
                "E11".to_string(),
                "指标“发放率”的指标值只有占位符“**”".to_string()
            ),
        ]
    );
}

#[test]
fn a_blank_value_before_the_next_label_stays_blank() {
    // 其他资金 left blank, then a 资金用途 label on the same row: the value is empty, not "资金用途".
    let mut s = labour();
    s.text("G4", "资金用途").text("H4", "劳务派遣");
    let model = read_model(book(&[&s]), "xlsx");
    let p = &model.departments[0].projects[0];
    assert_eq!(p.budget.other, None);
    assert_eq!(p.purpose, "劳务派遣");
}

#[test]
fn a_table_ends_at_a_note_row_after_a_blank_row() {
    let mut s = labour();
    s.text("A18", "备注：本表由财务科填报");
    let model = read_model(book(&[&s]), "xlsx");
    assert_eq!(model.departments[0].projects[0].indicators.len(), 7);
}

#[test]
fn indicator_rows_continue_after_a_blank_row() {
    let mut s = labour();
    s.rows.insert(12, Vec::new());
    let model = read_model(book(&[&s]), "xlsx");
    let inds = &model.departments[0].projects[0].indicators;
    assert_eq!(inds.len(), 7);
    assert_eq!(inds[3].level3, "发放成本");
    assert_eq!(inds[3].source.cell.to_string(), "E14");
}

#[test]
fn a_department_table_is_read_with_its_totals() {
    let mut s = Sheet::new("部门整体");
    s.text("A1", "部门整体支出绩效目标表")
        .text("A2", "部门(单位)名称")
        .text("B2", "438001唐山市路南区数据和行政审批局本级")
        .text("A3", "年度预算")
        .number("B3", 500.0)
        .text("C3", "其中：项目支出")
        .number("D3", 273.52)
        .text("A4", "年度总体目标")
        .text("B4", "1.提升审批服务效率\n2.优化营商环境");
    for (c, h) in
        ["A5", "B5", "C5", "D5"]
            .iter()
            .zip(["一级指标", "二级指标", "三级指标", "指标值"])
    {
        s.text(c, h);
    }
    s.text("A6", "产出指标")
        .text("B6", "数量指标")
        .text("C6", "办件量")
        .text("D6", "≥10000件");
    let model = read_model(book(&[&s]), "xlsx");
    let d = &model.departments[0];
    assert_eq!(d.unit_code.as_deref(), Some("438001"));
    let overall = d.overall.as_ref().expect("the 部门整体 table");
    assert_eq!(overall.total_budget, Some(dec("500")));
    assert_eq!(overall.project_spending, Some(dec("273.52")));
    assert_eq!(overall.goals, ["1.提升审批服务效率", "2.优化营商环境"]);
    assert_eq!(overall.indicators.len(), 1);
    assert!(d.projects.is_empty());
}

#[test]
fn a_budget_table_in_yuan_with_codes_only() {
    let mut s = Sheet::new("预算");
    s.text("A1", "项目支出预算表").text("D2", "金额单位：元");
    s.text("A3", "项目编码")
        .text("B3", "项目名称")
        .text("C3", "合计")
        .text("D3", "财政拨款");
    s.text("A4", "13020225P00003810001B")
        .text("B4", "劳务费")
        .number("C4", 1_120_000.0)
        .number("D4", 1_120_000.0);
    s.text("A5", "合计").number("C5", 1_120_000.0);
    let model = read_model(book(&[&labour(), &s]), "xlsx");
    let lines = &model.departments[0].budget_lines;
    assert_eq!(
        lines.len(),
        1,
        "the 合计 row is not a line; the table joins the only department"
    );
    assert_eq!(lines[0].total, Some(dec("112")));
    assert_eq!(lines[0].source.cell.to_string(), "C4");
}

/// Found by the round-trip property test: a 计量单位 cell reading `万元` was taken for the next
/// table's `单位：万元` line and ended the indicator table.
#[test]
fn regression_a_unit_column_of_wan_does_not_end_the_table() {
    let mut s = labour();
    s.text("G9", "计量单位")
        .text("G10", "万元")
        .text("G13", "万元");
    let model = read_model(book(&[&s]), "xlsx");
    let inds = &model.departments[0].projects[0].indicators;
    assert_eq!(inds.len(), 7);
    assert_eq!(inds[0].unit_column.as_deref(), Some("万元"));
}
