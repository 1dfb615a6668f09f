//! `jxmb export` on the shipped samples gives the seed's 8 projects, whichever layout the file uses.

use crate::common::{assert_seed, jxmb, read_path, samples, seed, stdout, Targets};
use jxmb::model::Model;
use serde_json::Value;

#[test]
fn export_lunan_2025_gives_the_seed_as_json() {
    let out = jxmb(&["export", "sample-workbooks/lunan-2025"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("export prints JSON");
    assert_eq!(doc["format"], "jxmb-model");
    assert_eq!(doc["version"], 1);
    let depts = doc["departments"].as_array().expect("departments");
    assert_eq!(depts.len(), 1);
    let d = &depts[0];
    assert_eq!(d["unit_code"], "438001");
    let projects = d["projects"].as_array().expect("projects");
    let totals: Vec<&str> = projects
        .iter()
        .map(|p| p["budget"]["total"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        totals,
        ["1.80", "1.80", "112.00", "20.00", "17.92", "30.00", "20.00", "70.00"]
    );
    let codes: Vec<&str> = projects
        .iter()
        .map(|p| p["code"].as_str().unwrap_or(""))
        .collect();
    let want: Vec<&str> = seed::PROJECTS.iter().map(|p| p.code).collect();
    assert_eq!(codes, want);
    let first = &projects[0];
    assert_eq!(first["name"], "电梯维保费");
    assert_eq!(first["framework"], "88");
    assert_eq!(first["spending_plan"][3]["by"], "12月底");
    assert_eq!(first["spending_plan"][3]["percent"], "100");
    let ind = &first["indicators"][1];
    assert_eq!(ind["target"]["text"], "≥95%");
    assert_eq!(ind["target"]["op"], "≥");
    assert_eq!(ind["target"]["value"], "95");
    assert_eq!(ind["target"]["unit"], "%");
    assert_eq!(ind["source"]["cell"], "E11");
    assert!(first["source"]["file"]
        .as_str()
        .unwrap_or("")
        .ends_with("1.电梯维保费.xlsx"));
    let lines = d["budget_lines"].as_array().expect("budget lines");
    assert_eq!(
        lines.len(),
        8,
        "the 项目支出预算表 lines, without its 合计 row"
    );
    assert_eq!(lines[2]["total"], "112.00");
}

#[test]
fn lunan_2025_reads_as_the_seed_exactly() {
    let dir = samples().join("lunan-2025");
    let mut books = Vec::new();
    for i in 0..8 {
        let p = &seed::PROJECTS[i];
        books.push(read_path(&dir.join(format!("{}.{}.xlsx", i + 1, p.name))));
    }
    let model = Model::from_workbooks(books);
    assert_seed(&model, &seed::PROJECTS, Targets::Exact);
}

#[test]
fn budget_table_sums_to_the_seed_total() {
    let book = read_path(&samples().join("lunan-2025/项目支出预算表.xlsx"));
    let sum: rust_decimal::Decimal = book.budget_lines.iter().filter_map(|(_, l)| l.total).sum();
    assert_eq!(sum, crate::common::dec(seed::TOTAL));
    assert!(book.projects.is_empty());
}

#[test]
fn every_layout_file_reads_as_the_seed() {
    for name in [
        "合并一表.xlsx",
        "合并一表.xls",
        "按项目分表.xlsx",
        "按项目分表.ods",
    ] {
        let model = Model::from_workbooks(vec![read_path(&samples().join("layouts").join(name))]);
        assert_eq!(model.projects().count(), 8, "{name}");
        assert_seed(&model, &seed::PROJECTS, Targets::Exact);
    }
}

#[test]
fn export_of_each_layout_file_gives_8_projects() {
    for name in [
        "合并一表.xlsx",
        "合并一表.xls",
        "按项目分表.xlsx",
        "按项目分表.ods",
    ] {
        let path = format!("sample-workbooks/layouts/{name}");
        let out = jxmb(&["export", &path]);
        assert_eq!(out.status.code(), Some(0), "{name}");
        let doc: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
        let projects = doc["departments"][0]["projects"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let totals: Vec<String> = projects
            .iter()
            .map(|p| p["budget"]["total"].as_str().unwrap_or("").to_string())
            .collect();
        assert_eq!(
            totals,
            ["1.80", "1.80", "112.00", "20.00", "17.92", "30.00", "20.00", "70.00"],
            "{name}"
        );
    }
}

#[test]
fn export_csv_has_a_bom_and_one_row_per_indicator() {
    let out = jxmb(&["export", "sample-workbooks/lunan-2025", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM for Excel");
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 1 + 8 * 7);
    assert!(lines[0].contains("项目编码") && lines[0].contains("指标值"));
    assert!(lines[1].contains("13020225P000039100011") && lines[1].contains("100%"));
    // The cell with a line break is quoted, so it stays one CSV row.
    assert!(text.contains("\"专款专用率\n\""));
}

#[test]
fn check_lunan_2025_reads_every_file() {
    let out = jxmb(&["check", "sample-workbooks/lunan-2025", "--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("JSON report");
    assert_eq!(doc["summary"]["files"], 9);
    assert_eq!(doc["summary"]["projects"], 8);
    assert_eq!(doc["summary"]["tables"], 9);
    assert_eq!(doc["summary"]["errors"], 0);
    let statuses: Vec<&str> = doc["files"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(statuses, vec!["ok"; 9]);
    assert_eq!(out.status.code(), Some(0));
}
