//! Hostile inputs end as one diagnostic each, in bounded time and memory, and the batch goes
//! on: a zip bomb, a sheet spanning A1:XFD1048576, 10,000 sheets, a 32,767-character cell, an
//! .xls whose string table is broken, an .ods whose repeated rows expand to millions of cells. Each test prints the time and peak memory it used.

use crate::common::samples;
use crate::common::sheet::{book, Sheet};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `jxmb check DIR --format json`; its report, wall time and its own peak memory.
///
/// The peak is the child's `VmHWM`, sampled while it runs: exec resets it and it only rises.
/// (`wait4`'s `ru_maxrss` would start from this test process's size at the spawn.)
fn check_measured(dir: &Path) -> (serde_json::Value, Duration, f64) {
    let start = Instant::now();
    let out = tempfile::NamedTempFile::new().expect("temp file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jxmb"))
        .args(["check", dir.to_str().expect("utf-8"), "--format", "json"])
        .stdout(Stdio::from(out.reopen().expect("reopened")))
        .stderr(Stdio::null())
        .spawn()
        .expect("spawned");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
            peak_kb = peak_kb.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    assert!(
        status.code().is_some_and(|c| c <= 1),
        "check ended badly: {status}"
    );
    let took = start.elapsed();
    let text = std::fs::read_to_string(out.path()).expect("report");
    (
        serde_json::from_str(&text).expect("a JSON report"),
        took,
        peak_kb as f64 / 1024.0,
    )
}

/// A folder with the hostile file and a good workbook beside it.
fn folder_with(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(name), bytes).expect("written");
    std::fs::copy(
        samples().join("lunan-2025/3.劳务费.xlsx"),
        dir.path().join("劳务费.xlsx"),
    )
    .expect("copied");
    dir
}

/// The one finding on `name`, and that the good workbook was still read.
fn one_finding(report: &serde_json::Value, name: &str) -> (String, String) {
    let on: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["file"].as_str().unwrap_or("").ends_with(name))
        .collect();
    assert_eq!(on.len(), 1, "{on:#?}");
    assert_eq!(
        report["summary"]["projects"], 1,
        "the good workbook beside it is read"
    );
    (
        on[0]["code"].as_str().unwrap_or("").to_string(),
        on[0]["message"].as_str().unwrap_or("").to_string(),
    )
}

/// A zip package with one part rewritten by `write` (given the old part and the new one's
/// writer); the others copied. `mimetype` stays stored, as ODF wants.
fn rewrite_part(
    package: Vec<u8>,
    part: &str,
    write: impl FnOnce(&mut dyn Read, &mut dyn Write),
) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(package)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut write = Some(write);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().expect("name").to_string();
        let options = zip::write::SimpleFileOptions::default().large_file(true);
        let options = if name == "mimetype" {
            options.compression_method(zip::CompressionMethod::Stored)
        } else {
            options.compression_level(Some(1))
        };
        out.start_file(name.clone(), options).expect("entry");
        match write.take_if(|_| name == part) {
            Some(write) => write(&mut entry, &mut out),
            None => {
                std::io::copy(&mut entry, &mut out).expect("copied");
            }
        }
    }
    out.finish().expect("finished").into_inner()
}

fn report_use(what: &str, took: Duration, peak: f64) {
    eprintln!("{what}: {took:.2?}, peak memory {peak:.0} MB");
}

/// Checks a folder with the hostile file `name` beside a good workbook: the file must end as
/// one JX001 (its message returned) within 30 s and 300 MB, printed as `what`.
fn refused(name: &str, bytes: &[u8], what: &str) -> String {
    let dir = folder_with(name, bytes);
    let (report, took, peak) = check_measured(dir.path());
    report_use(what, took, peak);
    let (code, message) = one_finding(&report, name);
    assert_eq!(code, "JX001", "{message}");
    assert!(peak < 300.0, "peak {peak} MB");
    assert!(took < Duration::from_secs(30), "took {took:?}");
    message
}

#[test]
fn a_zip_bomb_is_refused_before_it_inflates() {
    // A valid workbook whose first sheet is replaced by 400 MB of spaces (a few hundred KB packed).
    let valid = book(&[&Sheet::seed(&crate::common::seed::PROJECTS[0])]);
    let bomb = rewrite_part(valid, "xl/worksheets/sheet1.xml", |_, out| {
        let block = vec![b' '; 1 << 20];
        for _ in 0..400 {
            out.write_all(&block).expect("written");
        }
    });
    assert!(bomb.len() < 5 << 20, "packed small: {} bytes", bomb.len());
    let message = refused("炸弹.xlsx", &bomb, "zip bomb (400 MB inflated)");
    assert!(message.contains("压缩炸弹"), "{message}");
}

#[test]
fn a_sheet_spanning_the_whole_grid_is_refused() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "项目编码").expect("A1");
    ws.write_string(1_048_575, 16_383, "尾")
        .expect("XFD1048576");
    let message = refused(
        "全表.xlsx",
        &wb.save_to_buffer().expect("saved"),
        "A1:XFD1048576",
    );
    assert!(message.contains("A1:XFD1048576"), "{message}");
}

#[test]
fn ten_thousand_sheets_are_refused() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for i in 0..10_000 {
        wb.add_worksheet()
            .write_number(0, 0, f64::from(i))
            .expect("written");
    }
    let message = refused(
        "万表.xlsx",
        &wb.save_to_buffer().expect("saved"),
        "10,000 sheets",
    );
    assert!(message.contains("10000 个工作表"), "{message}");
}

#[test]
fn a_cell_of_32767_characters_is_read() {
    let long: String = "很长的描述".chars().cycle().take(32_767).collect();
    let mut sheet = Sheet::seed(&crate::common::seed::PROJECTS[0]);
    sheet.text("D10", &long);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("长文本.xlsx"), book(&[&sheet])).expect("written");
    let (report, took, peak) = check_measured(dir.path());
    report_use("32,767-character cell", took, peak);
    assert_eq!(report["summary"]["projects"], 1);
    let files = jxmb::batch::collect(&[dir.path().to_path_buf()]).expect("listed");
    let model = jxmb::batch::read(&files, &Default::default(), &Default::default()).model;
    assert_eq!(
        model.departments[0].projects[0].indicators[0]
            .description
            .chars()
            .count(),
        32_767
    );
}

#[test]
fn an_xls_with_a_broken_string_table_is_one_diagnostic() {
    let mut xls = std::fs::read(samples().join("layouts/合并一表.xls")).expect("sample");
    // The SST record (type 0x00FC): garble its unique-string count and first strings.
    let at = xls
        .windows(2)
        .position(|w| w == [0xFC, 0x00])
        .expect("an SST record");
    for b in xls.iter_mut().skip(at + 4).take(64) {
        *b = 0xFF;
    }
    let dir = folder_with("坏字符串表.xls", &xls);
    let (report, took, peak) = check_measured(dir.path());
    report_use("xls with a broken SST", took, peak);
    let on: Vec<_> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| {
            d["file"].as_str().unwrap_or("").ends_with("坏字符串表.xls") && d["code"] == "JX001"
        })
        .collect();
    assert!(on.len() <= 1, "at most one diagnostic: {on:#?}");
    assert!(
        !report.to_string().contains("内部出错"),
        "no contained panic"
    );
    assert!(took < Duration::from_secs(30));
}

#[test]
fn an_ods_whose_repeats_expand_to_millions_of_cells_is_refused() {
    // 24 KB on disk: the seed's table, LibreOffice's filler rows down to row 1,048,565, then
    // 30,000 rows of 30 values. calamine would lay out a million rows by 30 columns twice
    // (values and formulas) before any count of ours: 2 GB, measured before the pre-check.
    let sample = std::fs::read(samples().join("layouts/按项目分表.ods")).expect("sample");
    let bomb = rewrite_part(sample, "content.xml", |part, out| {
        let mut xml = String::new();
        part.read_to_string(&mut xml).expect("content");
        let end = xml.find("</table:table>").expect("a table");
        let rows = r#"<table:table-row table:number-rows-repeated="30000"><table:table-cell table:number-columns-repeated="30" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
        xml.insert_str(end, rows);
        out.write_all(xml.as_bytes()).expect("written");
    });
    assert!(
        bomb.len() < 100 << 10,
        "small on disk: {} bytes",
        bomb.len()
    );
    let message = refused("重复炸弹.ods", &bomb, "ods repeat bomb");
    assert!(message.contains("展开重复的行列后超过上限"), "{message}");
}

#[test]
fn limits_are_set_in_jxmb_toml() {
    let dir = folder_with(
        "多表.xlsx",
        &book(&[&Sheet::new("a"), &Sheet::new("b"), &Sheet::new("c")]),
    );
    std::fs::write(dir.path().join("jxmb.toml"), "[limits]\nmax_sheets = 2\n").expect("config");
    let (report, _, _) = check_measured(dir.path());
    let (code, message) = one_finding(&report, "多表.xlsx");
    assert_eq!(code, "JX001");
    assert!(message.contains("有 3 个工作表，超过上限 2"), "{message}");
}
