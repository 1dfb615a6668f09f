//! Crash consistency: convert, apply and watch killed with SIGKILL at 50 moments each. After
//! every kill each output under its final name is complete (it reads back: workbooks open,
//! report.json parses); a temporary file may be left, never a half-written final one. A
//! rerun then finishes the job.

use crate::common::{files_under, jxmb, samples};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 50;

/// Spread, repeatable moments within `span`.
fn moments(span: Duration, seed: u64) -> Vec<Duration> {
    let mut x = seed | 1;
    (0..KILLS)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            span.mul_f64((x % 10_000) as f64 / 10_000.0)
        })
        .collect()
}

/// No temporary file is left (a rerun sweeps what a kill left).
fn no_temporaries(dir: &Path) {
    let left: Vec<PathBuf> = files_under(dir)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(
        left.is_empty(),
        "temporary files left after the rerun: {left:?}"
    );
}

/// Every output under its final name is whole.
fn all_complete(dir: &Path, after: &str) {
    for path in files_under(dir) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".tmp") {
            continue; // left by the kill; never under a final name
        }
        if name.ends_with(".xlsx") {
            let read = jxmb::read::read_file(&path, "x");
            assert!(
                read.is_ok(),
                "{after}: {} is incomplete: {:?}",
                path.display(),
                read.err()
            );
        } else if name.ends_with(".json") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                "{after}: {} is incomplete",
                path.display()
            );
        } else if name == "report.txt" {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(text.contains("个文件"), "{after}: report.txt is incomplete");
        }
    }
}

/// Runs `args` and kills it after `delay`; returns whether it had already finished.
fn kill_after(args: &[&str], delay: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jxmb"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawned");
    std::thread::sleep(delay);
    let finished = child.try_wait().expect("wait").is_some();
    let _ = child.kill();
    let _ = child.wait();
    finished
}

fn timed(args: &[&str]) -> Duration {
    let start = Instant::now();
    let out = jxmb(args);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}");
    start.elapsed()
}

#[test]
fn convert_killed_anywhere_leaves_only_whole_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let (input, o) = ("sample-workbooks/lunan-2025", out.to_str().expect("utf-8"));
    let full = timed(&["convert", input, "-o", o]);
    std::fs::remove_dir_all(&out).expect("cleared");
    let mut interrupted = 0;
    for (n, at) in moments(full, 7).into_iter().enumerate() {
        interrupted += usize::from(!kill_after(&["convert", input, "-o", o], at));
        all_complete(&out, &format!("convert killed at {at:?} (#{n})"));
    }
    assert!(
        interrupted >= KILLS / 2,
        "most kills land mid-run ({interrupted} of {KILLS})"
    );
    timed(&["convert", input, "-o", o]);
    all_complete(&out, "the rerun");
    no_temporaries(&out);
    assert_eq!(
        files_under(&out.join("corrected"))
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
            .count(),
        9,
        "the rerun finished the job"
    );
}

#[test]
fn apply_killed_anywhere_leaves_only_whole_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let converted = dir.path().join("c");
    timed(&[
        "convert",
        "sample-workbooks/lunan-2025",
        "-o",
        converted.to_str().expect("utf-8"),
    ]);
    let rollup = converted.join("汇总.xlsx");
    let out = dir.path().join("applied");
    let (r, o) = (
        rollup.to_str().expect("utf-8"),
        out.to_str().expect("utf-8"),
    );
    let full = timed(&["apply", r, "-o", o]);
    std::fs::remove_dir_all(&out).expect("cleared");
    for (n, at) in moments(full, 11).into_iter().enumerate() {
        kill_after(&["apply", r, "-o", o], at);
        all_complete(&out, &format!("apply killed at {at:?} (#{n})"));
    }
    timed(&["apply", r, "-o", o]);
    all_complete(&out, "the rerun");
    no_temporaries(&out);
    assert!(out.join("汇总.xlsx").is_file() && out.join("corrected/3.劳务费.xlsx").is_file());
}

#[test]
fn watch_killed_anywhere_leaves_only_whole_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let hot = dir.path().join("hot");
    std::fs::create_dir(&hot).expect("dir");
    for e in std::fs::read_dir(samples().join("lunan-2025"))
        .expect("samples")
        .flatten()
    {
        std::fs::copy(e.path(), hot.join(e.file_name())).expect("copied");
    }
    let h = hot.to_str().expect("utf-8");
    let report = hot.join("_jxmb/report.json");
    // How long the first pass takes, to spread the kills over it.
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jxmb"))
        .args(["watch", h, "-q"])
        .spawn()
        .expect("spawned");
    while !report.exists() {
        assert!(start.elapsed() < Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(5));
    }
    let full = start.elapsed() + Duration::from_millis(50);
    let _ = child.kill();
    let _ = child.wait();
    std::fs::remove_dir_all(hot.join("_jxmb")).expect("cleared");
    for (n, at) in moments(full, 13).into_iter().enumerate() {
        kill_after(&["watch", h, "-q"], at);
        all_complete(
            &hot.join("_jxmb"),
            &format!("watch killed at {at:?} (#{n})"),
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_jxmb"))
        .args(["watch", h, "-q"])
        .spawn()
        .expect("spawned");
    let start = Instant::now();
    loop {
        let done = std::fs::read_to_string(&report)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .is_some_and(|r| r["summary"]["projects"] == 8);
        if done {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the rerun finishes"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    child.wait().expect("stopped");
    all_complete(&hot.join("_jxmb"), "the rerun");
    no_temporaries(&hot.join("_jxmb"));
}
