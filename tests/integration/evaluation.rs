//! 自评表 (SPEC §2.5, JX601–JX609): read in every layout to the same evaluations, scored again,
//! paired with the spring 目标表, summed up in 自评汇总.

use crate::common::sheet::{book, Sheet};
use crate::common::{jxmb, read_model, samples, selfeval, stdout, word};
use jxmb::model::{Evaluation, Model};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

fn sheets() -> Vec<Sheet> {
    selfeval::lunan_reports()
        .iter()
        .map(|(p, r)| {
            let mut s = selfeval::sheet(p, r, p.code, crate::common::seed::UNIT_NAME);
            s.named(&format!(
                "{}自评",
                p.name.chars().take(20).collect::<String>()
            ));
            s
        })
        .collect()
}

/// The evaluations of a model, without where they were read.
fn evaluations(model: &Model) -> Vec<Evaluation> {
    model
        .without_sources()
        .departments
        .into_iter()
        .flat_map(|d| d.evaluations)
        .collect()
}

/// The sheets stacked down one sheet, a blank row between.
fn stacked(sheets: &[Sheet]) -> Sheet {
    let mut out = Sheet::new("合并");
    for s in sheets {
        let at = out.rows.len() + usize::from(!out.rows.is_empty());
        for (r, row) in s.rows.iter().enumerate() {
            out.row(at + r, row);
        }
    }
    out
}

#[test]
fn the_lunan_evaluations_read_exactly() {
    let all = sheets();
    let refs: Vec<&Sheet> = all.iter().collect();
    let model = read_model(book(&refs), "xlsx");
    let read = evaluations(&model);
    assert_eq!(read.len(), 8);
    assert!(model.projects().next().is_none(), "never read as 目标表");
    let labour = read.iter().find(|e| e.name == "劳务费").expect("劳务费");
    assert_eq!(labour.code, "13020225P00003810001B");
    assert_eq!(labour.year, Some(2025));
    assert_eq!(labour.department, "唐山市路南区数据和行政审批局");
    let f = &labour.funds;
    assert_eq!(
        (f.initial, f.annual, f.executed, f.weight, f.rate, f.score),
        (
            Some(d("112")),
            Some(d("112")),
            Some(d("106")),
            Some(d("10")),
            Some(d("94.64")),
            Some(d("9.46"))
        )
    );
    assert_eq!(f.parts.len(), 3);
    assert_eq!(f.parts[0].label, "当年财政拨款");
    assert_eq!(
        labour.goals.actual,
        "全年按月发放24个岗位的劳务费，年中2人离职"
    );
    assert_eq!(labour.indicators.len(), 7);
    let first = &labour.indicators[0];
    assert_eq!(
        (
            first.level1.as_str(),
            first.level3.as_str(),
            first.target.text.as_str()
        ),
        ("产出指标", "发放人数", "24人")
    );
    assert_eq!(first.actual.value, Some(d("22")));
    assert_eq!(
        (first.weight, first.score),
        (Some(d("12.5")), Some(d("11.46")))
    );
    assert_eq!(first.deviation, "2人年中离职，已于11月补充招聘");
    assert_eq!(labour.indicators[6].level1, "满意度指标");
    assert_eq!(
        (labour.total.weight, labour.total.score),
        (Some(d("100")), Some(d("98.42")))
    );
    // 执行率 106/112 = 94.64% → 9.46; 24人 with 22: 12.5 × (1 − 2/24) = 11.46; the rest full:
    // 9.46 + 11.46 + 3 × 12.5 + 2 × 15 + 10 = 98.42.
    let c = &labour.computed;
    assert_eq!(
        (c.rate, c.funds_score, c.score),
        (Some(d("94.64")), Some(d("9.46")), Some(d("98.42")))
    );
    assert_eq!(c.grade, "优");
    assert_eq!(c.rows[0].score, Some(d("11.46")));
    // Qualitative rows keep their claimed score and are not computed: 提高工作效率 and
    // 保障工作顺利开展 (效益).
    assert_eq!(c.rows.iter().filter(|r| !r.computed).count(), 2);
}

#[test]
fn every_layout_reads_the_same_evaluations() {
    let all = sheets();
    let refs: Vec<&Sheet> = all.iter().collect();
    let per_sheet = evaluations(&read_model(book(&refs), "xlsx"));
    let one_sheet = stacked(&all);
    let stacked_read = evaluations(&read_model(book(&[&one_sheet]), "xlsx"));
    assert_eq!(stacked_read, per_sheet, "stacked down one sheet");
    let mut one_each = Vec::new();
    for s in &all {
        one_each.extend(evaluations(&read_model(book(&[s]), "xlsx")));
    }
    assert_eq!(one_each, per_sheet, "one per workbook");
    let document = evaluations(&read_model(word::document_of(&refs), "docx"));
    assert_eq!(document, per_sheet, "Word tables");
}

#[test]
fn consistent_evaluations_beside_their_targets_raise_none_of_jx601_to_jx608() {
    let out = jxmb(&[
        "check",
        "sample-workbooks/lunan-2025",
        "sample-workbooks/lunan-2025-selfeval",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .filter(|c| c.starts_with("JX6"))
        .collect();
    assert!(codes.iter().all(|c| *c == "JX609"), "{codes:?}");
    // Alone, the comparison rules cannot run: said once, not per table or row.
    let out = jxmb(&[
        "check",
        "sample-workbooks/lunan-2025-selfeval",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let alone: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "JX605")
        .collect();
    assert_eq!(alone.len(), 1, "{alone:?}");
    assert!(alone[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("8 张自评表"));
}

#[test]
fn each_planted_fault_is_found_on_its_project_and_cell() {
    let out = jxmb(&[
        "check",
        "sample-workbooks/defects/7.绩效自评.xlsx",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let found = |code: &str| -> Vec<(String, String)> {
        report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| {
                (
                    d["sheet"].as_str().unwrap_or("").to_string(),
                    d["cell"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    for (code, cell) in [
        ("JX601", "E7"),
        ("JX602", "G7"),
        ("JX604", "H14"),
        ("JX605", "E14"),
        ("JX606", "I15"),
        ("JX607", "F15"),
        ("JX608", "C7"),
        ("JX609", "F19"),
    ] {
        assert_eq!(
            found(code),
            [(format!("{code}-2"), cell.to_string())],
            "{code}"
        );
    }
    assert!(found("JX603").contains(&("JX603-2".to_string(), "H21".to_string())));
}

#[test]
fn convert_writes_corrected_evaluations_and_the_summary_sheet() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("dir");
    for folder in ["lunan-2025", "lunan-2025-selfeval"] {
        for e in std::fs::read_dir(samples().join(folder)).expect("samples") {
            let path = e.expect("entry").path();
            std::fs::copy(&path, input.join(path.file_name().expect("name"))).expect("copied");
        }
    }
    let out = dir.path().join("out");
    let run = jxmb(&[
        "convert",
        input.to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
        "-q",
    ]);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    // The corrected 自评表 reads back to the same evaluation.
    let original = evaluations(&Model::from_workbooks(vec![crate::common::read_path(
        &input.join("3.劳务费自评表.xlsx"),
    )]));
    let corrected = evaluations(&Model::from_workbooks(vec![crate::common::read_path(
        &out.join("corrected/3.劳务费自评表.xlsx"),
    )]));
    assert_eq!(corrected, original);
    // 自评汇总: the 8, with the computed totals.
    use calamine::Reader;
    let mut rollup: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("汇总.xlsx")).expect("opens");
    let range = rollup.worksheet_range("自评汇总").expect("自评汇总");
    let headers: Vec<String> = (0..range.width() as u32)
        .map(|c| {
            range
                .get_value((1, c))
                .map(|v| v.to_string())
                .unwrap_or_default()
        })
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name) as u32;
    let rows: Vec<(String, String, String)> = (2..range.height() as u32)
        .map(|r| {
            let cell = |c: u32| {
                range
                    .get_value((r, c))
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            };
            (
                cell(col("项目名称")),
                cell(col("核算总分")),
                cell(col("等级")),
            )
        })
        .collect();
    assert_eq!(rows.len(), 8);
    assert!(
        rows.contains(&("劳务费".into(), "98.42".into(), "优".into())),
        "{rows:?}"
    );
    assert!(
        rows.contains(&("系统维护费".into(), "99.51".into(), "优".into())),
        "{rows:?}"
    );
}

#[test]
fn the_row_score_rule_explains_the_scoring_with_a_worked_example() {
    let doc = stdout(&jxmb(&["rules", "JX604"]));
    assert!(doc.contains("10 × 22/24 = 9.17"), "{doc}");
    assert!(doc.contains("定性指标保留自评得分"), "{doc}");
}

#[test]
fn the_evaluation_csv_has_a_row_per_indicator_with_both_scores() {
    let out = jxmb(&[
        "export",
        "sample-workbooks/lunan-2025-selfeval",
        "--format",
        "自评csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1 + 8 * 7);
    assert!(text.contains(
        "劳务费,产出指标,数量指标,发放人数,24人,22人,12.5,11.46,11.46,实际 22人 ≠ 指标 24人：12.5 × (1 − |22 − 24|/24) = 11.46"
    ));
}

#[test]
fn a_number_cell_that_is_not_a_number_is_said_never_scored_as_zero() {
    let mut e = crate::common::cases::clean_evaluation();
    e.text("E7", "约1.7万").text("H15", "满分");
    let (model, diags) = crate::common::check_book(book(&[&e]));
    let read = &evaluations(&model)[0];
    assert_eq!(read.funds.executed, None);
    assert_eq!(
        read.computed.rate, None,
        "no 执行率 from an amount that is not one"
    );
    let bad: Vec<(String, String)> = crate::common::findings(&diags, "JX004");
    let cells: Vec<&str> = bad.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(cells, ["E7", "H15"], "{bad:?}");
    assert!(bad[0].1.contains("约1.7万"), "{bad:?}");
}

#[test]
fn amounts_in_yuan_are_read_in_wan() {
    let mut e = crate::common::cases::clean_evaluation();
    e.text("A6", "项目资金（元）")
        .number("C7", 18000.0)
        .number("D7", 18000.0)
        .number("E7", 17500.0);
    let model = read_model(book(&[&e]), "xlsx");
    let read = &evaluations(&model)[0];
    assert_eq!(
        (read.funds.initial, read.funds.annual, read.funds.executed),
        (Some(d("1.8")), Some(d("1.8")), Some(d("1.75")))
    );
}

#[test]
fn a_fix_elsewhere_in_the_batch_keeps_every_evaluation_finding_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("dir");
    for file in [
        "defects/7.绩效自评.xlsx",
        "lunan-2025/6.优化营商环境项目经费.xlsx",
    ] {
        let from = samples().join(file);
        std::fs::copy(&from, input.join(from.file_name().expect("name"))).expect("copied");
    }
    let checked = jxmb(&["check", input.to_str().expect("utf-8"), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&checked)).expect("json");
    let mine: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| {
            d["file"]
                .as_str()
                .unwrap_or("")
                .ends_with("7.绩效自评.xlsx")
        })
        .collect();
    // The 自评表's own 执行率 and 总分 fixes are made; every other finding of it stays.
    let fixable = mine.iter().filter(|d| d.get("fix").is_some()).count();
    let in_evaluations = mine.len() - fixable;
    let out = dir.path().join("out");
    let converted = jxmb(&[
        "convert",
        input.to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    let text = stdout(&converted);
    // 优化营商环境项目经费 gets fixes (a fixing round runs); the 自评表's other findings stay open.
    assert!(
        text.contains("6.优化营商环境项目经费.xlsx →") && !text.contains("修正 0 处，还有 0"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "7.绩效自评.xlsx → {}",
            out.join("corrected/7.绩效自评.xlsx").display()
        )) && text.contains(&format!("修正 {fixable} 处，还有 {in_evaluations} 个问题")),
        "{in_evaluations} findings in the 自评 workbook: {text}"
    );
}

#[test]
fn convert_fixes_the_rate_and_the_total_and_nothing_that_needs_judgement() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut e = crate::common::cases::clean_evaluation();
    // 执行率 1.75/1.80 written 95%; 总分 written 98 (the scores add up to 99.72); a row scored
    // 12.5 against the computed 6.25 (JX604: judgement, never fixed).
    e.text("G7", "95%")
        .number("H21", 98.0)
        .text("F14", "1台")
        .text("I14", "1台停用");
    let input = crate::common::sheet::save(dir.path(), "自评.xlsx", &[&e]);
    let out = dir.path().join("out");
    let run = jxmb(&[
        "convert",
        input.to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
        "-q",
    ]);
    // The two errors are fixed; warnings remain (JX604, and JX605: no 目标表 beside it).
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    assert!(stdout(&run).contains("修正 2 处"), "{run:?}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).expect("report"))
            .expect("json");
    let state = |code: &str| -> Vec<(String, bool)> {
        report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| {
                (
                    d["cell"].as_str().unwrap_or("").to_string(),
                    d["fixed"] == true,
                )
            })
            .collect()
    };
    assert_eq!(state("JX602"), [("G7".to_string(), true)]);
    assert_eq!(state("JX603"), [("H21".to_string(), true)]);
    assert_eq!(state("JX604"), [("H14".to_string(), false)]);
    let corrected = evaluations(&Model::from_workbooks(vec![crate::common::read_path(
        &out.join("corrected/自评.xlsx"),
    )]));
    assert_eq!(corrected[0].funds.rate, Some(d("97.22")));
    assert_eq!(corrected[0].total.score, Some(d("99.72")));
    assert_eq!(
        corrected[0].indicators[0].score,
        Some(d("12.5")),
        "a score is never changed"
    );
    // Converting the corrected workbook again fixes nothing more.
    let again = dir.path().join("again");
    let second = jxmb(&[
        "convert",
        out.join("corrected/自评.xlsx").to_str().expect("utf-8"),
        "-o",
        again.to_str().expect("utf-8"),
        "-q",
    ]);
    let text = stdout(&second);
    assert!(text.contains("修正 0 处"), "{text}");
}

#[test]
fn content_read_from_hidden_rows_or_sheets_is_said() {
    let mut e = crate::common::cases::clean_evaluation();
    e.hide_row(15);
    let (_, diags) = crate::common::check_book(book(&[&e]));
    let hidden = crate::common::findings(&diags, "JX006");
    assert_eq!(hidden.len(), 1, "{hidden:?}");
    assert_eq!(hidden[0].0, "E15");
    assert!(
        hidden[0].1.contains("4 个单元格") && hidden[0].1.contains("E15、F15、G15、H15"),
        "{hidden:?}"
    );
    let mut sheet = crate::common::cases::clean_evaluation();
    sheet.hidden = true;
    let visible = crate::common::cases::clean(1, "表1");
    let (_, diags) = crate::common::check_book(book(&[&visible, &sheet]));
    let hidden = crate::common::findings(&diags, "JX006");
    assert_eq!(hidden.len(), 1, "{hidden:?}");
    assert!(hidden[0].1.contains("隐藏的工作表“自评表”"), "{hidden:?}");
    // The clean one raises nothing of the kind.
    let (_, diags) = crate::common::check_book(book(&[&crate::common::cases::clean_evaluation()]));
    assert!(crate::common::findings(&diags, "JX006").is_empty());
}
