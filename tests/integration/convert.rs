//! `convert`, `rollup`, `apply` and `build` end to end (SPEC §6.2, §6.4, §6.5, and the roll-up's
//! numbers read back by calamine).

use crate::common::{files_under, jxmb, samples, stdout};
use calamine::{Data, Reader};
use jxmb::model::Model;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn run_ok(args: &[&str]) -> String {
    let out = jxmb(args);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

/// Converts lunan-2025 into a fresh folder; returns it (kept alive by the TempDir).
fn converted() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    run_ok(&[
        "convert",
        "sample-workbooks/lunan-2025",
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    (dir, out)
}

pub fn read_folder(dir: &Path) -> Model {
    let files = jxmb::batch::collect(&[dir.to_path_buf()]).expect("listed");
    let batch = jxmb::batch::read(&files, &Default::default(), &Default::default());
    assert!(batch.diagnostics.is_empty(), "{:?}", batch.diagnostics);
    batch.model
}

#[test]
fn convert_writes_the_tree_the_rollup_and_the_report() {
    let (_dir, out) = converted();
    let corrected: Vec<String> = std::fs::read_dir(out.join("corrected"))
        .expect("corrected/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(corrected.len(), 9);
    assert!(
        corrected.contains(&"3.劳务费.xlsx".to_string())
            && corrected.contains(&"项目支出预算表.xlsx".to_string())
    );
    assert!(out.join("汇总.xlsx").is_file());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).expect("report"))
            .expect("JSON");
    let fixed: Vec<&str> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["fixed"] == true)
        .map(|d| d["code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        fixed.len(),
        8,
        "4 × JX301, 2 × JX302, JX207, JX305: {fixed:?}"
    );
    let leftovers: Vec<_> = files_under(&out)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".tmp"))
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary files left: {leftovers:?}"
    );
    let model = read_folder(&out.join("corrected"));
    let p6 = model
        .projects()
        .map(|(_, p)| p)
        .find(|p| p.name == "优化营商环境项目经费")
        .expect("优化营商");
    assert_eq!(p6.indicators[0].target.text, "=100%", "JX207 fixed");
    assert_eq!(
        p6.purpose, "用于新设企业公章刻制、免费邮递费、企业档案容“e”查经费",
        "JX302 fixed"
    );
    let labour = model
        .projects()
        .map(|(_, p)| p)
        .find(|p| p.name == "劳务费")
        .expect("劳务费");
    assert_eq!(
        labour.indicators[3].target.text, "3860元/月/人",
        "not fixable: left as it is"
    );
}

#[test]
fn convert_twice_changes_nothing() {
    let (dir, out) = converted();
    let second = dir.path().join("second");
    let text = run_ok(&[
        "convert",
        out.join("corrected").to_str().expect("utf-8"),
        "-o",
        second.to_str().expect("utf-8"),
    ]);
    assert!(text.contains("修正 0 处"), "{text}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(second.join("report.json")).expect("report"))
            .expect("JSON");
    let fixable: Vec<_> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d.get("fix").is_some())
        .collect();
    assert!(
        fixable.is_empty(),
        "nothing fixable the second time: {fixable:?}"
    );
    assert_eq!(
        read_folder(&second.join("corrected")).without_sources(),
        read_folder(&out.join("corrected")).without_sources()
    );
}

/// A formula and the absolute (row, column) of its cell.
type Formulas = Vec<((u32, u32), String)>;

/// The cached results of a sheet's formulas (row, col → value) and the formulas themselves.
fn formulas(path: &Path, sheet: &str) -> (calamine::Range<Data>, Formulas) {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).expect("opens");
    let values = book.worksheet_range(sheet).expect("sheet");
    let f = book.worksheet_formula(sheet).expect("formulas");
    let start = f.start().unwrap_or((0, 0));
    let list = f
        .used_cells()
        .filter(|(_, _, s)| !s.is_empty())
        .map(|(r, c, s)| ((start.0 + r as u32, start.1 + c as u32), s.clone()))
        .collect();
    (values, list)
}

fn number(v: Option<&Data>) -> f64 {
    match v {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn the_rollup_sums_to_273_52_with_cached_formula_results() {
    let (_dir, out) = converted();
    let rollup = out.join("汇总.xlsx");
    let (values, sums) = formulas(&rollup, "项目汇总");
    assert!(!sums.is_empty());
    for ((r, c), formula) in &sums {
        assert!(formula.starts_with("SUM("), "{formula}");
        let cached = number(values.get_value((*r, *c)));
        let summed: f64 = (1..*r)
            .map(|row| match values.get_value((row, *c)) {
                Some(Data::Float(f)) => *f,
                _ => 0.0,
            })
            .sum();
        assert!(
            (cached - summed).abs() < 1e-9,
            "{formula}: cached {cached} vs {summed}"
        );
    }
    let total_row = sums[0].0 .0;
    assert_eq!(
        values.get_value((total_row, 0)),
        Some(&Data::String("合计".into()))
    );
    assert!(
        (number(values.get_value((total_row, 2))) - 273.52).abs() < 1e-9,
        "预算数 合计"
    );
    let (recon, recon_sums) = formulas(&rollup, "预算对账");
    let statuses: Vec<String> = (2..=9)
        .map(|r| {
            recon
                .get_value((r, 6))
                .map(|v| v.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        statuses,
        vec!["一致"; 8],
        "reconciles with the shipped budget table"
    );
    let diff_total = recon_sums
        .iter()
        .find(|((_, c), _)| *c == 5)
        .map(|((r, c), _)| number(recon.get_value((*r, *c))));
    assert_eq!(diff_total, Some(0.0));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&rollup).expect("opens");
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            "项目汇总",
            "指标明细",
            "资金计划",
            "预算对账",
            "问题清单",
            "预算图",
            "_jxmb"
        ]
    );
    let details = book.worksheet_range("指标明细").expect("指标明细");
    assert_eq!(
        details.height(),
        2 + 56,
        "a title, the header, 56 indicators"
    );
}

/// Rewrites entries of a zip package (an .xlsx) through `edit(name, text)`, as a program
/// saving it would.
pub fn edit_package(path: &Path, edit: impl Fn(&str, String) -> String) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).expect("opens")).expect("zip");
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).expect("entry");
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).expect("read");
        let name = f.name().expect("entry name").to_string();
        let bytes = match String::from_utf8(bytes) {
            Ok(text) if name.ends_with(".xml") => edit(&name, text).into_bytes(),
            Ok(text) => text.into_bytes(),
            Err(e) => e.into_bytes(),
        };
        entries.push((name, bytes));
    }
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).expect("creates"));
    for (name, bytes) in entries {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        w.write_all(&bytes).expect("written");
    }
    w.finish().expect("finished");
}

/// The XML of cell `cell` made to hold `value` (a number, or an inline string).
fn set_cell(xml: &str, cell: &str, value: &str, text: bool) -> String {
    let start = xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("{cell} in sheet"));
    let end = start + xml[start..].find("</c>").expect("cell end") + 4;
    let style = xml[start..end]
        .split("s=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("0");
    let new = if text {
        format!("<c r=\"{cell}\" s=\"{style}\" t=\"inlineStr\"><is><t>{value}</t></is></c>")
    } else {
        format!("<c r=\"{cell}\" s=\"{style}\"><v>{value}</v></c>")
    };
    format!("{}{new}{}", &xml[..start], &xml[end..])
}

#[test]
fn apply_brings_edits_back_and_lists_them() {
    let (dir, out) = converted();
    let rollup = out.join("汇总.xlsx");
    edit_package(&rollup, |name, xml| match name {
        // Text lives in the shared strings or inline in a sheet (the roll-up's long sheets are
        // written in constant-memory mode): edit it wherever it is.
        "xl/worksheets/sheet1.xml" => set_cell(&xml, "C5", "111.5", false),
        _ => xml.replace("<t>3860元/月/人</t>", "<t>3888.89元/月/人</t>"),
    });
    let applied = dir.path().join("applied");
    let text = run_ok(&[
        "apply",
        rollup.to_str().expect("utf-8"),
        "-o",
        applied.to_str().expect("utf-8"),
    ]);
    assert!(
        text.contains(
            "劳务费（13020225P00003810001B）指标 4 指标值：3860元/月/人 → 3888.89元/月/人"
        ),
        "{text}"
    );
    assert!(
        text.contains("劳务费（13020225P00003810001B）预算数：112.00 → 111.50"),
        "{text}"
    );
    assert!(text.contains("已写回 2 处修改"), "{text}");
    let model = read_folder(&applied);
    let labour = model
        .projects()
        .map(|(_, p)| p)
        .find(|p| p.name == "劳务费")
        .expect("劳务费");
    assert_eq!(labour.indicators[3].target.text, "3888.89元/月/人");
    assert_eq!(labour.budget.total, Some(crate::common::dec("111.5")));
    let others = model.projects().filter(|(_, p)| p.name != "劳务费").count();
    assert_eq!(others, 7, "the other tables are written too");
    assert!(
        applied.join("汇总.xlsx").is_file(),
        "a new roll-up to keep editing"
    );
}

fn rejected(edit: impl Fn(&str, String) -> String, expect: &[&str]) {
    let (dir, out) = converted();
    let rollup = out.join("汇总.xlsx");
    edit_package(&rollup, edit);
    let target = dir.path().join("applied");
    let result = jxmb(&[
        "apply",
        rollup.to_str().expect("utf-8"),
        "-o",
        target.to_str().expect("utf-8"),
    ]);
    assert_eq!(result.status.code(), Some(2));
    let err = String::from_utf8_lossy(&result.stderr);
    for part in expect {
        assert!(err.contains(part), "{part} in {err}");
    }
    assert!(!target.exists(), "nothing is written");
}

#[test]
fn apply_rejects_an_unknown_code() {
    rejected(
        |_, xml| {
            xml.replace(
                "<t>13020225P00003810001B</t>",
                "<t>13020225P00003810009X</t>",
            )
        },
        &[
            "项目编码“13020225P00003810009X”不在汇总表的项目中",
            "项目汇总!A5",
            "指标明细!A17",
        ],
    );
}

#[test]
fn apply_rejects_a_malformed_number() {
    rejected(
        |name, xml| {
            if name == "xl/worksheets/sheet1.xml" {
                set_cell(&xml, "C5", "约111万", true)
            } else {
                xml
            }
        },
        &["项目汇总!C5：预算数“约111万”不是数字", "未写出任何文件"],
    );
}

#[test]
fn apply_rejects_a_deleted_key_column() {
    rejected(
        |_, xml| xml.replace("<t>序号</t>", "<t>编号</t>"),
        &["缺少关键列 “序号”"],
    );
}

#[test]
fn apply_refuses_a_workbook_jxmb_did_not_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("x");
    let out = jxmb(&[
        "apply",
        "sample-workbooks/lunan-2025/3.劳务费.xlsx",
        "-o",
        target.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是 jxmb 写出的汇总表"));
}

#[test]
fn export_edit_build_export_gives_the_edit_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut doc: serde_json::Value =
        serde_json::from_str(&run_ok(&["export", "sample-workbooks/lunan-2025"])).expect("JSON");
    doc["departments"][0]["projects"][2]["indicators"][3]["target"]["text"] =
        "3888.89元/月/人".into();
    doc["departments"][0]["projects"][2]["budget"]["total"] = "111.50".into();
    doc["departments"][0]["projects"][0]["goals"] =
        serde_json::json!(["1.保证电梯安全运行", "2.方便办事群众"]);
    let edited = dir.path().join("model.json");
    std::fs::write(&edited, serde_json::to_string(&doc).expect("JSON")).expect("written");
    let built = dir.path().join("built");
    run_ok(&[
        "build",
        edited.to_str().expect("utf-8"),
        "-o",
        built.to_str().expect("utf-8"),
    ]);
    let again: Model =
        serde_json::from_str(&run_ok(&["export", built.to_str().expect("utf-8")])).expect("JSON");
    let want: Model = serde_json::from_value(doc).expect("model");
    assert_eq!(again.without_sources(), want.without_sources());
    let labour = &again.departments[0].projects[2];
    assert_eq!(
        labour.indicators[3].target.value,
        Some(crate::common::dec("3888.89")),
        "the edited text is parsed again"
    );
}

#[test]
fn outputs_never_go_into_an_input_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("dir");
    std::fs::copy(
        samples().join("lunan-2025/3.劳务费.xlsx"),
        input.join("劳务费.xlsx"),
    )
    .expect("copied");
    let inside = input.join("out");
    let out = jxmb(&[
        "convert",
        input.to_str().expect("utf-8"),
        "-o",
        inside.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不会写入输入文件夹"));
    assert!(!inside.exists());
    let over = input.join("劳务费.xlsx");
    let out = jxmb(&[
        "rollup",
        input.to_str().expect("utf-8"),
        "-o",
        over.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn corrected_workbooks_carry_notes_and_properties() {
    let (_dir, out) = converted();
    let path = out.join("corrected/3.劳务费.xlsx");
    let text = |name: &str| entry_text(&path, name);
    let notes = text("xl/comments1.xml");
    assert!(
        notes.contains("[JX205 警告] 成本指标测算 3860元/月/人"),
        "the unit-cost finding is a note"
    );
    let props = text("docProps/custom.xml");
    assert!(
        props.contains("jxmb 版本")
            && props.contains(env!("CARGO_PKG_VERSION"))
            && props.contains("jxmb 模型版本")
    );
    let sheet = text("xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains("<pageSetup")
            && sheet.contains("paperSize=\"9\"")
            && sheet.contains("orientation=\"landscape\"")
            && sheet.contains("fitToHeight=\"0\"")
    );
}

/// Found by the LibreOffice round trip: a roll-up in an input folder was read as a budget table
/// (its 项目汇总 has 项目编码 and 预算数 columns), doubling every budget line.
#[test]
fn regression_a_rollup_among_the_inputs_is_skipped() {
    let (_dir, out) = converted();
    let report: serde_json::Value = serde_json::from_str(&run_ok(&[
        "check",
        out.to_str().expect("utf-8"),
        "--format",
        "json",
    ]))
    .expect("JSON");
    let rollup = report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["path"].as_str().unwrap_or("").ends_with("汇总.xlsx"))
        .expect("listed");
    assert_eq!(rollup["status"], "skipped");
    let model = read_folder(&out);
    assert_eq!(model.departments[0].budget_lines.len(), 8);
    assert_eq!(model.projects().count(), 8);
}

/// A finding as both commands print it in JSON, without `fixed` (which only convert sets).
fn finding_lines(doc: &serde_json::Value) -> Vec<String> {
    let mut lines: Vec<String> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let mut d = d.clone();
            d.as_object_mut().expect("object").remove("fixed");
            d.to_string()
        })
        .collect();
    lines.sort();
    lines
}

/// Streamed `check` (one file at a time, then the batch-wide rules) and `convert` (the whole
/// batch at once) run the same rules with the same meaning: the same findings, the same first
/// place named by JX402, on every sample.
#[test]
fn check_and_convert_report_the_same_findings_on_every_sample() {
    let samples = samples();
    let out = tempfile::tempdir().expect("temp dir");
    let samples_arg = samples.to_str().expect("utf-8");
    let checked = jxmb(&["check", samples_arg, "--format", "json"]);
    let check: serde_json::Value = serde_json::from_slice(&checked.stdout).expect("check json");
    let out_arg = out.path().to_str().expect("utf-8");
    let converted = jxmb(&["convert", samples_arg, "-o", out_arg, "-q"]);
    assert_eq!(converted.status.code(), Some(1), "{converted:?}");
    let report = std::fs::read(out.path().join("report.json")).expect("report.json");
    let report: serde_json::Value = serde_json::from_slice(&report).expect("report json");
    // report.json names files relative to the input folder; check prints them as reached.
    let prefix = format!("{}/", samples_arg);
    let check = serde_json::Value::from(
        check["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                let mut d = d.clone();
                let file = d["file"].as_str().unwrap_or("").replacen(&prefix, "", 1);
                d["file"] = serde_json::Value::from(file);
                d
            })
            .collect::<Vec<_>>(),
    );
    let check = serde_json::json!({ "diagnostics": check });
    let (check, report) = (finding_lines(&check), finding_lines(&report));
    assert!(check.len() > 200, "{} findings", check.len());
    assert!(
        check.iter().any(|d| d.contains("\"JX402\"")),
        "the samples repeat codes"
    );
    assert_eq!(check, report);
}

/// A package entry's text.
fn entry_text(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).expect("opens")).expect("zip");
    let mut s = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name}"))
        .read_to_string(&mut s)
        .expect("read");
    s
}

/// `apply` checks what it writes with the settings given, like every command: a rule turned
/// off in `--config` leaves no note in the workbooks it writes.
#[test]
fn apply_checks_with_the_config_it_is_given() {
    let (dir, out) = converted();
    let notes =
        |folder: &Path| entry_text(&folder.join("corrected/3.劳务费.xlsx"), "xl/comments1.xml");
    let plain = dir.path().join("plain");
    let rollup = out.join("汇总.xlsx");
    run_ok(&[
        "apply",
        rollup.to_str().expect("utf-8"),
        "-o",
        plain.to_str().expect("utf-8"),
    ]);
    assert!(notes(&plain).contains("[JX211 "), "JX211 is on by default");
    let config = dir.path().join("jxmb.toml");
    std::fs::write(&config, "[rules]\nJX211 = \"off\"\n").expect("written");
    let quiet = dir.path().join("quiet");
    run_ok(&[
        "apply",
        rollup.to_str().expect("utf-8"),
        "-o",
        quiet.to_str().expect("utf-8"),
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    let notes = notes(&quiet);
    assert!(!notes.contains("[JX211 "), "JX211 turned off");
    assert!(notes.contains("[JX205 "), "the other rules still run");
    let listed = stdout(&jxmb(&[
        "rules",
        "--config",
        config.to_str().expect("utf-8"),
    ]));
    assert!(
        listed.lines().any(|l| l.starts_with("JX211  关闭")),
        "{listed}"
    );
    assert!(
        listed.lines().any(|l| l.starts_with("JX205  警告")),
        "{listed}"
    );
}
