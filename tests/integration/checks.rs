//! `jxmb check` end to end: the seed's own defects, reconciliation against an edited budget,
//! the defects/ samples, duplicates across folders, jxmb.toml, --budget CSV, output formats.

use crate::common::forms;
use crate::common::{jxmb, samples, seed, stdout};
use serde_json::Value;
use std::path::Path;

fn report(args: &[&str]) -> (Value, Option<i32>) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = jxmb(&all);
    let doc = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("JSON report: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
    (doc, out.status.code())
}

/// (file name, cell, message, fix) of every finding with `code`.
fn found(doc: &Value, code: &str) -> Vec<(String, String, String, Option<String>)> {
    doc["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == code)
        .map(|d| {
            let file = d["file"].as_str().unwrap_or("");
            let name = Path::new(file)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            (
                name,
                d["cell"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
                d["fix"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn cells(list: &[(String, String, String, Option<String>)]) -> Vec<(&str, &str)> {
    list.iter()
        .map(|(f, c, _, _)| (f.as_str(), c.as_str()))
        .collect()
}

#[test]
fn the_seed_tables_show_their_known_defects_and_no_error() {
    let (doc, code) = report(&["sample-workbooks/lunan-2025"]);
    assert_eq!(code, Some(0));
    assert_eq!(doc["summary"]["errors"], 0, "{:#?}", found(&doc, "JX501"));
    let labour = found(&doc, "JX205");
    assert_eq!(cells(&labour), [("3.劳务费.xlsx", "E13")]);
    for part in [
        "3860元/月/人",
        "24人",
        "12月",
        "111.168万元",
        "112.00万元",
        "0.832万元",
        "0.74%",
    ] {
        assert!(labour[0].2.contains(part), "{part} in {}", labour[0].2);
    }
    let rate = found(&doc, "JX207");
    assert_eq!(cells(&rate), [("6.优化营商环境项目经费.xlsx", "E10")]);
    assert_eq!(rate[0].3.as_deref(), Some("=100%"));
    assert_eq!(
        cells(&found(&doc, "JX302")),
        [
            ("6.优化营商环境项目经费.xlsx", "B5"),
            ("6.优化营商环境项目经费.xlsx", "D11")
        ]
    );
    let spaces = found(&doc, "JX301");
    assert!(
        cells(&spaces).contains(&("7.招商引资专项业务费.xlsx", "D10")),
        "the stray tab"
    );
    assert!(
        cells(&spaces).contains(&("2.工程建设项目联合审批系统运维费.xlsx", "D12")),
        "the space before ，"
    );
    let tab = spaces.iter().find(|s| s.1 == "D10").map(|s| s.3.clone());
    assert_eq!(tab, Some(Some("按招标进度完成".into())));
    assert_eq!(
        cells(&found(&doc, "JX206")),
        [
            ("4.社会信用体系建设工作经费.xlsx", "E10"),
            ("5.系统维护费.xlsx", "E10"),
            ("7.招商引资专项业务费.xlsx", "E10")
        ]
    );
    assert_eq!(
        found(&doc, "JX210").len(),
        4,
        "劳务费, 社会信用, 优化营商, 政府投资"
    );
    assert_eq!(
        found(&doc, "JX211").len(),
        8,
        "every 依据 is 部门职责: said once per table"
    );
    assert!(
        found(&doc, "JX501").is_empty()
            && found(&doc, "JX502").is_empty()
            && found(&doc, "JX503").is_empty()
    );
}

/// A copy of lunan-2025 with its budget table replaced by `lines`.
fn lunan_with_budget(dir: &Path, lines: &[(&str, &str, &str)]) {
    for entry in std::fs::read_dir(samples().join("lunan-2025")).expect("lunan-2025") {
        let entry = entry.expect("entry");
        if !entry.file_name().to_string_lossy().contains("预算表") {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copied");
        }
    }
    forms::budget_table(lines)
        .and_then(|mut wb| wb.save(dir.join("项目支出预算表.xlsx")))
        .expect("budget written");
}

#[test]
fn an_edited_budget_gives_exactly_jx501_and_jx502() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lines: Vec<(&str, &str, &str)> = seed::PROJECTS
        .iter()
        .map(|p| (p.code, p.name, p.total))
        .collect();
    lines[2].2 = "110.00";
    lines.push(("13020225P000045100019", "邮递专项经费", "5.00"));
    lunan_with_budget(dir.path(), &lines);
    let (doc, code) = report(&[dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, Some(1));
    let errors: Vec<(String, String)> = doc["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].0, "JX501");
    assert!(
        errors[0]
            .1
            .contains("预算数 112.00万元 与部门预算 110.00万元 不一致"),
        "{}",
        errors[0].1
    );
    assert_eq!(errors[1].0, "JX502");
    assert!(errors[1].1.contains("邮递专项经费"), "{}", errors[1].1);
    assert_eq!(cells(&found(&doc, "JX501")), [("3.劳务费.xlsx", "C4")]);
    assert_eq!(
        cells(&found(&doc, "JX502")),
        [("项目支出预算表.xlsx", "E12")]
    );
}

#[test]
fn each_defects_workbook_fires_every_rule_of_its_family() {
    let families = [
        ("1.字段与数字.xlsx", &["JX003", "JX004", "JX005"][..]),
        (
            "2.资金与支出计划.xlsx",
            &["JX101", "JX102", "JX103", "JX104", "JX105"],
        ),
        (
            "3.绩效指标.xlsx",
            &[
                "JX201", "JX202", "JX203", "JX204", "JX205", "JX206", "JX207", "JX208", "JX209",
                "JX210", "JX211", "JX212",
            ],
        ),
        (
            "4.文字规范.xlsx",
            &["JX301", "JX302", "JX303", "JX304", "JX305"],
        ),
        ("5.项目编码.xlsx", &["JX401", "JX402", "JX403"]),
        ("6.预算对账.xlsx", &["JX501", "JX502", "JX503", "JX504"]),
        ("6.预算对账-JX505.docx", &["JX505"]),
        ("6.预算对账-JX506.docx", &["JX506"]),
        ("6.预算对账-JX507.docx", &["JX507"]),
        (
            "7.绩效自评.xlsx",
            &[
                "JX601", "JX602", "JX603", "JX604", "JX605", "JX606", "JX607", "JX608", "JX609",
            ],
        ),
    ];
    for (file, codes) in families {
        let path = format!("sample-workbooks/defects/{file}");
        let (doc, _) = report(&[&path]);
        for code in codes {
            assert!(
                !found(&doc, code).is_empty(),
                "{code} does not fire in {file}"
            );
        }
    }
}

#[test]
fn all_sample_folders_together_report_the_repeated_tables() {
    let (doc, code) = report(&["sample-workbooks"]);
    assert_eq!(code, Some(1));
    let seed_codes: Vec<&str> = seed::PROJECTS.iter().map(|p| p.code).collect();
    let repeated: Vec<_> = doc["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| {
            d["code"] == "JX402" && seed_codes.contains(&d["project"].as_str().unwrap_or(""))
        })
        .collect();
    assert_eq!(
        repeated.len(),
        5 * 8,
        "6 copies of each seed table (5 workbook layouts and the Word document): 5 repeats each"
    );
    assert!(repeated
        .iter()
        .all(|d| d["message"].as_str().unwrap_or("").contains("重复")));
}

#[test]
fn a_jxmb_toml_in_the_input_folder_is_used() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        samples().join("lunan-2025/3.劳务费.xlsx"),
        dir.path().join("劳务费.xlsx"),
    )
    .expect("copied");
    let path = dir.path().to_str().expect("utf-8");
    let (doc, code) = report(&[path]);
    assert_eq!(
        (found(&doc, "JX211").len(), code),
        (1, Some(0)),
        "said once per table"
    );
    std::fs::write(
        dir.path().join("jxmb.toml"),
        "[thresholds]\nsatisfaction_floor = 96\n\n[rules]\nJX211 = \"off\"\nJX205 = \"error\"\n",
    )
    .expect("config");
    let (doc, code) = report(&[path]);
    assert!(found(&doc, "JX211").is_empty(), "turned off");
    assert_eq!(
        doc["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["code"] == "JX205")
            .map(|d| d["severity"].clone()),
        Some(Value::from("error"))
    );
    assert_eq!(found(&doc, "JX209").len(), 1, "≥95% is below a floor of 96");
    assert_eq!(code, Some(1), "JX205 is now an error");
    assert_eq!(
        doc["files"].as_array().map(Vec::len),
        Some(2),
        "jxmb.toml is listed as skipped, not read"
    );
}

#[test]
fn an_invalid_config_stops_with_its_line_and_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("jxmb.toml");
    std::fs::write(&config, "[rules]\nJX205 = \"loud\"\n").expect("config");
    let out = jxmb(&[
        "check",
        "sample-workbooks/lunan-2025",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("第 2 行") && err.contains("loud"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "nothing is checked with a broken config"
    );
}

#[test]
fn a_budget_csv_in_gbk_is_reconciled() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut csv = String::from("项目编码,项目名称,合计\r\n");
    for p in &seed::PROJECTS {
        let total = if p.name == "劳务费" {
            "112.50"
        } else {
            p.total
        };
        csv.push_str(&format!("{},{},{total}\r\n", p.code, p.name));
    }
    csv.push_str("合计,,274.02\r\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
    let path = dir.path().join("预算.csv");
    std::fs::write(&path, &gbk).expect("csv");
    let (doc, code) = report(&[
        "sample-workbooks/lunan-2025",
        "--budget",
        path.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, Some(1));
    let mismatch = found(&doc, "JX501");
    assert_eq!(
        cells(&mismatch),
        [("3.劳务费.xlsx", "C4")],
        "the CSV replaces the folder's own budget table"
    );
    assert!(mismatch[0].2.contains("112.50万元"), "{}", mismatch[0].2);
}

#[test]
fn rules_lists_the_catalog_and_documents_one_rule() {
    let out = jxmb(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let list = stdout(&out);
    assert_eq!(list.lines().count(), jxmb::check::rules().len());
    assert_eq!(jxmb::check::rules().len(), 56);
    assert!(list
        .lines()
        .any(|l| l.starts_with("JX204") && l.contains("cost-vs-budget")));
    let doc = stdout(&jxmb(&["rules", "jx204"]));
    for part in [
        "JX204 cost-vs-budget",
        "检查什么",
        "为什么",
        "会报告的例子",
        "不会报告的例子",
        "0.005万元",
    ] {
        assert!(doc.contains(part), "{part}");
    }
    assert_eq!(jxmb(&["rules", "JX999"]).status.code(), Some(2));
}

#[test]
fn jsonl_has_one_finding_per_line_and_text_has_no_colour_when_piped() {
    let (doc, _) = report(&["sample-workbooks/lunan-2025"]);
    let total = ["errors", "warnings", "infos"]
        .iter()
        .map(|k| doc["summary"][k].as_u64().unwrap_or(0))
        .sum::<u64>();
    let out = stdout(&jxmb(&[
        "check",
        "sample-workbooks/lunan-2025",
        "--format",
        "jsonl",
    ]));
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len() as u64, total);
    assert!(lines
        .iter()
        .all(|d| d["code"].is_string() && d["cell"].is_string() && d["fixed"] == false));
    let text = stdout(&jxmb(&["check", "sample-workbooks/lunan-2025"]));
    assert!(
        !text.contains('\u{1b}'),
        "no escape codes when stdout is not a terminal"
    );
    assert!(text.trim_end().ends_with(&format!(
        "9 个文件 · 8 个项目 · 0 错误 · {} 警告 · {} 提示",
        doc["summary"]["warnings"], doc["summary"]["infos"]
    )));
}

#[test]
fn findings_are_sorted_by_file_sheet_row_column_rule() {
    let (doc, _) = report(&["sample-workbooks/defects"]);
    let keys: Vec<(String, u32, u32)> = doc["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| {
            d["file"]
                .as_str()
                .unwrap_or("")
                .ends_with("3.绩效指标.xlsx")
                && d["sheet"] == "JX203"
        })
        .map(|d| {
            let cell = d["cell"].as_str().unwrap_or("A1");
            let (r, c) = crate::common::sheet::a1(cell);
            (
                d["code"].as_str().unwrap_or("").to_string(),
                r as u32,
                c as u32,
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by_key(|(code, r, c)| (*r, *c, code.clone()));
    assert_eq!(keys, sorted);
    assert!(keys.len() >= 3);
}

/// Issue 15: on the seed, the reviewer-grade rules find what a 财政 reviewer sends back.
#[test]
fn the_reviewer_rules_find_what_a_reviewer_sends_back_on_the_seed() {
    let (doc, code) = report(&["sample-workbooks/lunan-2025"]);
    assert_eq!(code, Some(0), "still no error");
    let files = |code: &str| -> Vec<String> {
        let mut f: Vec<String> = found(&doc, code).into_iter().map(|d| d.0).collect();
        f.dedup();
        f
    };
    let jx213 = files("JX213");
    assert_eq!(jx213.len(), 7, "{jx213:?}");
    assert!(
        !jx213.iter().any(|f| f.contains("劳务费")),
        "劳务费 counts 24人"
    );
    assert!(found(&doc, "JX214").len() >= 16);
    let jx215 = files("JX215");
    for name in ["社会信用", "优化营商", "招商", "评审"] {
        assert!(
            jx215.iter().any(|f| f.contains(name)),
            "JX215 on {name}: {jx215:?}"
        );
    }
    assert!(
        found(&doc, "JX216")
            .iter()
            .any(|d| d.0.contains("社会信用") && d.2.contains("“90%”")),
        "JX216 on 社会信用's 90%"
    );
    let jx217 = files("JX217");
    assert!(
        jx217.iter().any(|f| f.contains("劳务费")) && jx217.iter().any(|f| f.contains("优化营商"))
    );
    assert!(found(&doc, "JX218").len() >= 6);
    assert!(
        found(&doc, "JX219")
            .iter()
            .any(|d| d.2.contains("“保证工作顺利开展”")),
        "JX219 on 保证工作顺利开展"
    );
}

/// Issue 15: tables written the way the guidance asks raise nothing — sample-workbooks/good/,
/// four projects, one in the 101 framework.
#[test]
fn well_made_tables_raise_no_finding() {
    let (doc, code) = report(&["sample-workbooks/good"]);
    assert_eq!(code, Some(0));
    let all: Vec<&Value> = doc["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .collect();
    assert!(all.is_empty(), "{all:#?}");
    assert_eq!(doc["summary"]["projects"], 4);
    let model = crate::convert::read_folder(&samples().join("good"));
    let frameworks: Vec<jxmb::model::Framework> =
        model.projects().map(|(_, p)| p.framework).collect();
    assert!(
        frameworks.contains(&jxmb::model::Framework::F101),
        "{frameworks:?}"
    );
    assert_eq!(model.departments[0].budget_lines.len(), 4);
    // The shipped folder is the generated one.
    for (name, sheet) in crate::common::good::workbooks() {
        let on_disk = std::fs::read(samples().join("good").join(&name)).expect("sample");
        assert!(
            on_disk == crate::common::sheet::book(&[&sheet]),
            "{name} is stale: run make-samples"
        );
    }
}
