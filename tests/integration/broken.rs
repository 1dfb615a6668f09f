//! A folder of broken files: one clear diagnostic for each, nothing for the lock file, exit 1,
//! and the good workbook beside them still read.

use crate::common::{jxmb, samples, stdout};
use serde_json::Value;

#[test]
fn broken_folder_gives_one_diagnostic_per_file_and_reads_the_good_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(samples().join("broken")).expect("broken/") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copied");
    }
    std::fs::copy(
        samples().join("lunan-2025/3.劳务费.xlsx"),
        dir.path().join("劳务费.xlsx"),
    )
    .expect("copied");
    let path = dir.path().to_str().expect("utf-8 path");
    let out = jxmb(&["check", path, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "unreadable files are findings");
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("JSON report");
    let diags = doc["diagnostics"].as_array().cloned().unwrap_or_default();
    let by_file = |name: &str| -> Vec<(String, String)> {
        diags
            .iter()
            .filter(|d| d["file"].as_str().unwrap_or("").ends_with(name) && d["project"].is_null())
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["message"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let one = |name: &str, code: &str, words: &str| {
        let found = by_file(name);
        assert_eq!(found.len(), 1, "{name}: {found:?}");
        assert_eq!(found[0].0, code, "{name}");
        assert!(found[0].1.contains(words), "{name}: {}", found[0].1);
    };
    one("空文件.xlsx", "JX001", "为空");
    one("文本改名.xlsx", "JX001", "文本文件");
    one("复制中断.xlsx", "JX001", "被截断");
    one("加密.xlsx", "JX001", "密码");
    one("通讯录.xlsx", "JX002", "没有找到");
    assert!(
        by_file("~$劳务费.xlsx").is_empty(),
        "the lock file is skipped silently"
    );
    let files = doc["files"].as_array().cloned().unwrap_or_default();
    assert!(files
        .iter()
        .all(|f| !f["path"].as_str().unwrap_or("").contains("~$")));
    let good = files
        .iter()
        .find(|f| f["path"].as_str().unwrap_or("").ends_with("/劳务费.xlsx"))
        .expect("the good file is listed");
    assert_eq!(good["status"], "ok");
    assert_eq!(good["projects"][0], "13020225P00003810001B");
    assert_eq!(doc["summary"]["projects"], 1);
    assert_eq!(doc["summary"]["files"], 6);
}

#[test]
fn text_output_names_each_file_and_sums_up() {
    let out = jxmb(&["check", "sample-workbooks/broken"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("sample-workbooks/broken/加密.xlsx: 错误[JX001] 工作簿设有打开密码"),
        "{text}"
    );
    assert!(
        text.contains("sample-workbooks/broken/通讯录.xlsx: 警告[JX002]"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("5 个文件 · 0 个项目 · 4 错误 · 1 警告 · 0 提示"),
        "{text}"
    );
}

#[test]
fn a_missing_path_is_a_tool_error() {
    let out = jxmb(&["check", "no/such/folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不存在"));
}

#[test]
fn fail_on_warning_counts_warnings() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        samples().join("broken/通讯录.xlsx"),
        dir.path().join("通讯录.xlsx"),
    )
    .expect("copied");
    let path = dir.path().to_str().expect("utf-8");
    assert_eq!(
        jxmb(&["check", path]).status.code(),
        Some(0),
        "a warning alone passes by default"
    );
    assert_eq!(
        jxmb(&["check", path, "--fail-on", "warning"]).status.code(),
        Some(1)
    );
}
