//! `jxmb watch`: a workbook copied in slowly (in chunks, as a network copy would) is processed
//! once complete and never reported as corrupt; another lands, one is edited, one deleted;
//! after each step `_jxmb/report.json` and `汇总.xlsx` reflect the folder. SIGTERM stops it
//! within a second, leaving no temporary file. No fixed sleeps: each step polls for its state.

use crate::common::{files_under, samples};
use calamine::Reader;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(20);

struct Watching {
    child: Child,
    dir: tempfile::TempDir,
}

impl Watching {
    fn start(extra: &[&str]) -> Watching {
        let dir = tempfile::tempdir().expect("temp dir");
        let arg = dir.path().to_path_buf();
        Watching::start_as(dir, Path::new("/"), &arg, extra)
    }

    /// Watches `dir` given as `arg` (relative to `cwd`, as a user types `jxmb watch 收件箱`).
    fn start_as(dir: tempfile::TempDir, cwd: &Path, arg: &Path, extra: &[&str]) -> Watching {
        let log = std::fs::File::create(dir.path().join(".watch.log")).expect("log");
        let child = Command::new(env!("CARGO_BIN_EXE_jxmb"))
            .current_dir(cwd)
            .arg("watch")
            .arg(arg)
            .args(["--settle", "0.5"])
            .args(extra)
            .stdout(Stdio::from(log))
            .stderr(Stdio::null())
            .spawn()
            .expect("watch starts");
        Watching { child, dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn report(&self) -> Option<Value> {
        let text = std::fs::read_to_string(self.path("_jxmb/report.json")).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Polls until `ok` holds for the report, checking `never` on every look.
    fn until(&self, what: &str, ok: impl Fn(&Value) -> bool, never: impl Fn(&Value)) -> Value {
        let start = Instant::now();
        loop {
            if let Some(report) = self.report() {
                never(&report);
                if ok(&report) {
                    return report;
                }
            }
            assert!(
                start.elapsed() < DEADLINE,
                "{what}: not reached; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.path(".watch.log")).unwrap_or_default()
    }

    /// Sends SIGTERM; returns how long the process took to end.
    fn stop(mut self) -> (Duration, tempfile::TempDir) {
        let start = Instant::now();
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "watch exits cleanly: {status}");
                return (start.elapsed(), self.dir);
            }
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "watch did not stop"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn files(report: &Value) -> Vec<(String, String)> {
    report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let name = Path::new(f["path"].as_str().unwrap_or(""))
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, f["status"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

fn no_jx001(report: &Value) {
    let bad: Vec<&Value> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == "JX001")
        .collect();
    assert!(
        bad.is_empty(),
        "a half-copied file was reported as unreadable: {bad:?}"
    );
}

/// 预算数 of a project in the roll-up's 项目汇总, by code.
fn rollup_total(dir: &Path, code: &str) -> Option<f64> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.join("_jxmb/汇总.xlsx")).ok()?;
    let range = book.worksheet_range("项目汇总").ok()?;
    let row = range.rows().find(|r| {
        r.first()
            .is_some_and(|c| matches!(c, calamine::Data::String(s) if s == code))
    })?;
    // 项目编码, 项目名称, 预算数…
    match row.get(2)? {
        calamine::Data::Float(f) => Some(*f),
        _ => None,
    }
}

/// Writes `bytes` into `path` in four chunks with pauses, as a slow copy does.
fn copy_slowly(bytes: &[u8], path: &Path, watching: &Watching) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).expect("created");
    for k in 0..4 {
        f.write_all(&bytes[k * bytes.len() / 4..(k + 1) * bytes.len() / 4])
            .expect("chunk");
        f.flush().expect("flushed");
        let pause = Instant::now();
        while pause.elapsed() < Duration::from_millis(300) {
            if let Some(r) = watching.report() {
                no_jx001(&r);
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

const LABOUR: &str = "13020225P00003810001B";
const LIFT: &str = "13020225P000039100011";

#[test]
fn the_hot_folder_follows_its_files() {
    let w = Watching::start(&[]);
    w.until(
        "the first pass over an empty folder",
        |r| r["summary"]["files"] == 0,
        |_| {},
    );
    assert!(w.path("_jxmb/汇总.xlsx").is_file());

    let labour = std::fs::read(samples().join("lunan-2025/3.劳务费.xlsx")).expect("sample");
    copy_slowly(&labour, &w.path("劳务费.xlsx"), &w);
    w.until(
        "the slowly copied workbook is read",
        |r| files(r) == [("劳务费.xlsx".to_string(), "ok".to_string())],
        no_jx001,
    );
    assert_eq!(rollup_total(w.dir.path(), LABOUR), Some(112.0));
    assert!(w.path("_jxmb/corrected/劳务费.xlsx").is_file());

    std::fs::copy(
        samples().join("lunan-2025/1.电梯维保费.xlsx"),
        w.path("电梯维保费.xlsx"),
    )
    .expect("copied");
    w.until(
        "a second workbook",
        |r| r["summary"]["projects"] == 2,
        no_jx001,
    );

    // An edit, saved the way Excel saves: a new file renamed over the old one.
    let mut sheet = crate::common::sheet::Sheet::seed(&crate::common::seed::PROJECTS[2]);
    sheet.number("C4", 113.0).number("E4", 113.0);
    std::fs::write(w.path(".~edit.tmp"), crate::common::sheet::book(&[&sheet])).expect("saved");
    std::fs::rename(w.path(".~edit.tmp"), w.path("劳务费.xlsx")).expect("renamed");
    let start = Instant::now();
    while rollup_total(w.dir.path(), LABOUR) != Some(113.0) {
        assert!(
            start.elapsed() < DEADLINE,
            "the edit reaches 汇总.xlsx; log:\n{}",
            w.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    std::fs::remove_file(w.path("电梯维保费.xlsx")).expect("deleted");
    w.until(
        "the deleted workbook is gone",
        |r| r["summary"]["projects"] == 1,
        no_jx001,
    );
    assert_eq!(rollup_total(w.dir.path(), LIFT), None);
    assert!(
        !w.path("_jxmb/corrected/电梯维保费.xlsx").exists(),
        "its corrected copy is removed"
    );

    let log = w.log();
    for line in [
        "劳务费.xlsx: 0 错误 ",
        "电梯维保费.xlsx: 0 错误",
        "电梯维保费.xlsx: 已移除",
    ] {
        assert!(log.contains(line), "{line} in\n{log}");
    }
    let (took, dir) = w.stop();
    assert!(took < Duration::from_secs(1), "stopped in {took:?}");
    let leftovers: Vec<PathBuf> = files_under(dir.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files: {leftovers:?}");
}

#[test]
fn polling_finds_files_where_events_do_not_arrive() {
    let w = Watching::start(&["--poll", "0.2"]);
    w.until("the first pass", |r| r["summary"]["files"] == 0, |_| {});
    std::fs::copy(
        samples().join("lunan-2025/1.电梯维保费.xlsx"),
        w.path("电梯维保费.xlsx"),
    )
    .expect("copied");
    w.until(
        "a polled workbook",
        |r| r["summary"]["projects"] == 1,
        no_jx001,
    );
    let lock = w.path("~$劳务费.xlsx");
    std::fs::write(&lock, b"owner").expect("lock file");
    std::fs::copy(
        samples().join("lunan-2025/3.劳务费.xlsx"),
        w.path("劳务费.xlsx"),
    )
    .expect("copied");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        w.report().map(|r| r["summary"]["projects"].clone()),
        Some(Value::from(1)),
        "still open in Excel: not read yet"
    );
    std::fs::remove_file(&lock).expect("closed");
    w.until(
        "read once the lock file is gone",
        |r| r["summary"]["projects"] == 2,
        no_jx001,
    );
    let (took, _) = w.stop();
    assert!(took < Duration::from_secs(1));
}

#[test]
fn a_folder_given_relative_or_as_dot_is_watched_as_itself() {
    for relative in ["收件箱", "."] {
        let dir = tempfile::tempdir().expect("temp dir");
        let (cwd, arg) = if relative == "." {
            (dir.path().to_path_buf(), PathBuf::from("."))
        } else {
            // `jxmb watch 收件箱` from the folder above it: the watched folder is the temp dir.
            let parent = dir.path().parent().expect("parent").to_path_buf();
            let name = dir.path().file_name().expect("name").to_owned();
            (parent, PathBuf::from(name))
        };
        let w = Watching::start_as(dir, &cwd, &arg, &[]);
        w.until("the first pass", |r| r["summary"]["files"] == 0, |_| {});
        for name in ["1.电梯维保费.xlsx", "3.劳务费.xlsx"] {
            std::fs::copy(samples().join("lunan-2025").join(name), w.path(name)).expect("copied");
            std::thread::sleep(Duration::from_millis(700));
        }
        let report = w.until(
            &format!("two workbooks in {relative}"),
            |r| r["summary"]["projects"] == 2,
            no_jx001,
        );
        assert_eq!(
            files(&report),
            [
                ("1.电梯维保费.xlsx".to_string(), "ok".to_string()),
                ("3.劳务费.xlsx".to_string(), "ok".to_string())
            ],
            "its own _jxmb/ is never an input"
        );
        let corrected: Vec<String> = std::fs::read_dir(w.path("_jxmb/corrected"))
            .expect("corrected/")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(corrected.len(), 2, "{relative}: {corrected:?}");
        assert!(
            corrected.iter().all(|n| n.ends_with(".xlsx")),
            "{corrected:?}"
        );
        let (_, _) = w.stop();
    }
}
