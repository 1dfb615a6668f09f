//! Inputs are never touched: every input file hashes the same before and after each command
//! (check, export, convert, rollup, apply, build, watch). Symlinks inside an input folder are
//! followed without looping, and an output path that is a symlink to an input makes the run
//! refuse, never write through it.

use crate::common::{jxmb, samples};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Every regular file under `dir` (symlinks resolved, the loop skipped) with a hash of its bytes.
fn hashes(dir: &Path, skip: &str) -> BTreeMap<PathBuf, u64> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .flatten()
    {
        let path = entry.path();
        if !entry.file_type().is_file() || path.components().any(|c| c.as_os_str() == skip) {
            continue;
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        std::fs::read(path).expect("readable").hash(&mut h);
        out.insert(path.to_path_buf(), h.finish());
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for e in std::fs::read_dir(from).expect("dir").flatten() {
        std::fs::copy(e.path(), to.join(e.file_name())).expect("copied");
    }
}

#[test]
fn no_command_changes_an_input() {
    let root = tempfile::tempdir().expect("temp dir");
    let input = root.path().join("in");
    copy_dir(&samples().join("lunan-2025"), &input);
    // A workbook reached through a symlink, and a folder symlinked to its own parent.
    let elsewhere = root.path().join("elsewhere");
    copy_dir(&samples().join("broken"), &elsewhere);
    std::os::unix::fs::symlink(
        samples().join("layouts/合并一表.xlsx"),
        input.join("链接.xlsx"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(&input, input.join("回环")).expect("loop");
    std::os::unix::fs::symlink(&elsewhere, input.join("别处")).expect("symlink dir");
    let before = hashes(&input, "_jxmb");
    let sample_before = hashes(&samples(), "_jxmb");
    let p = |x: &Path| x.to_str().expect("utf-8").to_string();
    let out = root.path().join("out");
    let (i, o) = (p(&input), p(&out));

    let checked = jxmb(&["check", &i, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&checked.stdout).expect("JSON");
    let paths: Vec<&str> = report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(
        paths.iter().any(|f| f.ends_with("链接.xlsx")),
        "a symlinked workbook is read"
    );
    assert!(
        !paths.iter().any(|f| f.contains("回环/回环")),
        "the loop is not followed round: {paths:?}"
    );
    assert_eq!(
        report["summary"]["projects"], 16,
        "lunan's 8 and the symlinked 8, each once"
    );

    jxmb(&["export", &i, "-o", &format!("{o}/model.json")]);
    jxmb(&[
        "export",
        &i,
        "--format",
        "csv",
        "-o",
        &format!("{o}/指标.csv"),
    ]);
    jxmb(&["convert", &i, "-o", &format!("{o}/c")]);
    jxmb(&["rollup", &i, "-o", &format!("{o}/r.xlsx")]);
    let rollup = out.join("c/汇总.xlsx");
    let model = out.join("model.json");
    let (rollup_before, model_before) = (
        hashes(&out.join("c"), "corrected"),
        std::fs::read(&model).expect("model"),
    );
    jxmb(&["apply", &p(&rollup), "-o", &format!("{o}/a")]);
    jxmb(&["build", &p(&model), "-o", &format!("{o}/b")]);
    assert_eq!(
        hashes(&out.join("c"), "corrected"),
        rollup_before,
        "apply leaves its roll-up as it was"
    );
    assert_eq!(
        std::fs::read(&model).expect("model"),
        model_before,
        "build leaves its model as it was"
    );

    // An output path that is a symlink to an input: the run refuses, nothing is written through.
    let target = out.join("again/corrected");
    std::fs::create_dir_all(&target).expect("dir");
    std::os::unix::fs::symlink(input.join("3.劳务费.xlsx"), target.join("3.劳务费.xlsx"))
        .expect("symlink");
    let refused = jxmb(&["convert", &i, "-o", &format!("{o}/again")]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("不会覆盖输入文件"));
    assert!(
        target.join("3.劳务费.xlsx").is_symlink(),
        "the link is left as it was"
    );

    let mut watch = std::process::Command::new(env!("CARGO_BIN_EXE_jxmb"))
        .args(["watch", &i, "--settle", "0.2", "-q"])
        .spawn()
        .expect("watch starts");
    let start = Instant::now();
    while !input.join("_jxmb/report.json").exists() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "watch wrote its report"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::process::Command::new("kill")
        .args(["-TERM", &watch.id().to_string()])
        .status()
        .expect("kill");
    watch.wait().expect("stopped");

    assert_eq!(hashes(&input, "_jxmb"), before, "every input is as it was");
    assert_eq!(
        hashes(&samples(), "_jxmb"),
        sample_before,
        "and the samples behind the symlinks too"
    );
}
