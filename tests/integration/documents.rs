//! Issue 14: what people read. 问题清单 puts what matters first with every value under its own
//! header; outputs name files relative to the input folder.

use crate::common::{jxmb, samples};
use calamine::{Data, Reader};

fn converted(input: &std::path::Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let done = jxmb(&[
        "convert",
        input.to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
        "-q",
    ]);
    assert!(done.status.code().is_some_and(|c| c <= 1), "{done:?}");
    (dir, out)
}

fn text(v: Option<&Data>) -> String {
    v.map(|d| d.to_string()).unwrap_or_default()
}

#[test]
fn the_issue_list_puts_errors_first_and_every_value_under_its_header() {
    // Given by its absolute path, as a reviewer's script would.
    let input = samples().join("defects");
    let (_dir, out) = converted(&input);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("汇总.xlsx")).expect("opens");
    let range = book.worksheet_range("问题清单").expect("问题清单");
    let headers: Vec<&str> = jxmb::rollup::headers(&jxmb::rollup::issue_columns());
    let header_row = (0..range.height())
        .find(|r| text(range.get((*r, 0))) == headers[0])
        .expect("a header row");
    let found: Vec<String> = (0..headers.len())
        .map(|c| text(range.get((header_row, c))))
        .collect();
    assert_eq!(found, headers);
    let col = |name: &str| headers.iter().position(|h| *h == name).expect("column");
    let mut rank = Vec::new();
    let rows = header_row + 1..range.height();
    assert!(rows.len() > 30, "{} findings", rows.len());
    for r in rows {
        let cell = |name: &str| text(range.get((r, col(name))));
        let code = cell("规则");
        let rule = jxmb::check::rule_named(&code).unwrap_or_else(|| panic!("row {r}: {code}"));
        assert_eq!(cell("名称"), rule.code.title(), "row {r}");
        let severity = cell("级别");
        let level = ["提示", "警告", "错误"]
            .iter()
            .position(|s| *s == severity)
            .unwrap_or_else(|| panic!("row {r}: 级别 {severity}"));
        let fixed = cell("已修正");
        assert!(fixed.is_empty() || fixed == "是", "row {r}: 已修正 {fixed}");
        let file = cell("文件");
        assert!(
            !file.is_empty()
                && !file.starts_with('/')
                && (file.ends_with(".xlsx") || file.ends_with(".docx")),
            "row {r}: 文件 {file}"
        );
        let at = cell("单元格");
        assert!(
            at.is_empty() || at.parse::<jxmb::model::CellRef>().is_ok(),
            "row {r}: 单元格 {at}"
        );
        assert!(!cell("说明").is_empty(), "row {r}: 说明");
        rank.push((fixed == "是", 2 - level));
    }
    let mut sorted = rank.clone();
    sorted.sort();
    assert_eq!(
        rank, sorted,
        "open errors, then warnings, then notes; fixed last"
    );
    assert!(
        rank.first().is_some_and(|(f, l)| !f && *l == 0),
        "an error first"
    );
}

#[test]
fn report_json_names_files_relative_to_the_input_folder() {
    let input = samples().join("lunan-2025");
    assert!(input.is_absolute());
    let (_dir, out) = converted(&input);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report"))
            .expect("json");
    let files: Vec<&str> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(files.contains(&"3.劳务费.xlsx"), "{files:?}");
    for d in report["diagnostics"].as_array().expect("diagnostics") {
        let file = d["file"].as_str().unwrap_or("");
        assert!(!file.starts_with('/'), "{file}");
    }
}

/// Issue 14: the help is Chinese; English appears only as option names, command names, the
/// values options take, file names and product names.
#[test]
fn the_help_has_no_english_words_but_names() {
    let allowed = [
        "jxmb",
        "check",
        "convert",
        "rollup",
        "apply",
        "build",
        "watch",
        "export",
        "rules",
        "text",
        "json",
        "jsonl",
        "csv",
        "error",
        "warning",
        "off",
        "xlsx",
        "jxmb.toml",
        "report.json",
        "_jxmb",
        "corrected",
        "CSV",
        "JSON",
        "UTF-8",
        "BOM",
        "Excel",
        "WPS",
        "Word",
        "docx",
        "LibreOffice",
        "JX004",
        "Ctrl-C",
    ];
    let commands = [
        "", "check", "convert", "rollup", "apply", "build", "watch", "export", "rules",
    ];
    for command in commands {
        let args: Vec<&str> = [command, "--help"]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let out = jxmb(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let help = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(help.contains("用法：") && help.contains("选项："), "{help}");
        for line in help
            .lines()
            .filter(|l| !l.trim_start().starts_with("jxmb "))
        {
            let mut word = String::new();
            let mut option = false;
            for c in line.chars().chain([' ']) {
                if c.is_ascii_alphanumeric()
                    || c == '_'
                    || c == '.'
                    || (c == '-' && !word.is_empty())
                {
                    word.push(c);
                    continue;
                }
                if c == '-' && word.is_empty() {
                    option = true;
                    continue;
                }
                let w = word.trim_matches('.');
                let english = w.chars().any(|c| c.is_ascii_alphabetic());
                assert!(
                    option || !english || allowed.contains(&w),
                    "“{w}” in jxmb {command} --help: {line}"
                );
                word.clear();
                option = false;
            }
        }
    }
}

/// Issue 14: a rule's documentation cites the official document, or says it is practice —
/// never a file of ours the user does not have.
#[test]
fn rule_docs_cite_no_file_of_ours() {
    for rule in jxmb::check::rules() {
        let d = &rule.doc;
        for text in [d.what, d.why, d.fires, d.quiet] {
            assert!(
                !text.contains("DOMAIN") && !text.contains(".md"),
                "{}: {text}",
                rule.code
            );
        }
    }
}

/// Issue 14: no dead ends. A folder without workbooks is said to be one (what was skipped
/// named), exits non-zero and writes nothing; a file given by name is named for what it is.
#[test]
fn a_folder_without_workbooks_is_said_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inbox = dir.path().join("收件箱");
    std::fs::create_dir(&inbox).expect("folder");
    std::fs::write(inbox.join("说明.pdf"), b"%PDF-1.4").expect("pdf");
    let out = dir.path().join("out");
    for args in [
        vec!["check", inbox.to_str().expect("utf-8")],
        vec![
            "convert",
            inbox.to_str().expect("utf-8"),
            "-o",
            out.to_str().expect("utf-8"),
        ],
    ] {
        let result = jxmb(&args);
        assert_eq!(result.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&result.stderr);
        assert!(
            err.contains("没有找到工作簿") && err.contains("说明.pdf"),
            "{err}"
        );
    }
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_word_document_without_tables_says_so_and_an_old_doc_asks_for_docx() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docx = dir.path().join("绩效目标.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&docx).expect("created"));
    for (name, text) in [
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", "<w/>"),
    ] {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        std::io::Write::write_all(&mut zip, text.as_bytes()).expect("written");
    }
    zip.finish().expect("finished");
    // Word 97-2003: a compound file with a WordDocument stream.
    let doc = dir.path().join("旧格式.doc");
    let mut cfb = cfb::create(&doc).expect("compound file");
    std::io::Write::write_all(
        &mut cfb.create_stream("/WordDocument").expect("stream"),
        &[0u8; 4096],
    )
    .expect("written");
    cfb.flush().expect("flushed");
    drop(cfb);
    let out = jxmb(&["check", dir.path().to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    let text = crate::common::stdout(&out);
    assert!(
        text.contains("绩效目标.docx: 警告[JX002]"),
        "a Word document is read, and has no table: {text}"
    );
    assert!(
        text.contains("旧格式.doc: 错误[JX001]") && text.contains("另存为 .docx"),
        "{text}"
    );
}

/// Issue 14: the corrected 项目支出预算表 keeps its year in its title.
#[test]
fn the_corrected_budget_table_keeps_its_year() {
    let (_dir, out) = converted(&samples().join("lunan-2025"));
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("corrected/项目支出预算表.xlsx")).expect("opens");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    assert_eq!(text(range.get((0, 0))), "2025年项目支出预算表");
}
