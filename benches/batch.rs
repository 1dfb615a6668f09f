//! The batch benchmark (SPEC §7): `cargo bench --bench batch`.
//!
//! On one generated corpus, in one run, it times (each as a child process, so each has its own
//! peak memory): a bare floor that opens every workbook and reads every cell and merged region
//! with calamine, files in parallel on all cores; `jxmb check`; a floor that reads every cell
//! and writes as much as convert does with rust_xlsxwriter (see `floor_convert`); `jxmb convert`. It prints workbooks/s, MB/s, peak
//! memory and each command's ratio to its floor (medians of several rounds, interleaved, since
//! the machine is shared and noisy). `--files N` sets the corpus size (default 1000);
//! `--memory N` also checks and converts a corpus of N workbooks and compares each command's
//! peak memory there with its peak on the first. `--own-texts` uses corpora whose projects
//! word their goals and indicator descriptions their own way (see `corpus::Texts`).

mod corpus;

use calamine::{open_workbook_auto, Data, Reader, Sheets};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("floor-read") => return floor_read(Path::new(&args[1])),
        Some("floor-convert") => return floor_convert(Path::new(&args[1]), Path::new(&args[2])),
        // `cargo bench --bench batch -- corpus 100000`: only write a corpus (to run a command
        // on it by hand, as the README's 100,000-workbook convert was).
        Some("corpus") => {
            let n: usize = args.get(1).and_then(|n| n.parse().ok()).expect("a count");
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
            let dir = corpus::dir(&root, n, texts_of(&args));
            let bytes = corpus::ensure(&dir, n, texts_of(&args)).expect("corpus written");
            return println!(
                "{n} workbooks, {:.1} MB, in {}",
                bytes as f64 / 1e6,
                dir.display()
            );
        }
        _ => {}
    }
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<usize>().ok())
    };
    let files = value("--files").unwrap_or(1000);
    let rounds = value("--rounds").unwrap_or(3);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    let texts = texts_of(&args);
    let corpus = corpus::dir(&root, files, texts);
    let bytes = corpus::ensure(&corpus, files, texts).expect("corpus written");
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {files} workbooks, {mb:.1} MB, in {}",
        corpus.display()
    );
    println!(
        "machine: {} cores",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    let out = root.join("out");
    let me = std::env::current_exe().expect("bench binary");
    let jxmb = PathBuf::from(env!("CARGO_BIN_EXE_jxmb"));
    let dir = corpus.to_str().expect("utf-8");
    let out_str = out.to_str().expect("utf-8");
    let floor_read_cmd = || run(&me, &["floor-read", dir]);
    let check_cmd = || run(&jxmb, &["check", dir, "-q"]);
    let floor_convert_cmd = || {
        let _ = std::fs::remove_dir_all(&out);
        run(&me, &["floor-convert", dir, out_str])
    };
    let convert_cmd = || {
        let _ = std::fs::remove_dir_all(&out);
        run(&jxmb, &["convert", dir, "-o", out_str, "-q"])
    };
    let (mut a, mut b, mut c, mut d) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        a.push(floor_read_cmd());
        b.push(check_cmd());
        c.push(floor_convert_cmd());
        d.push(convert_cmd());
    }
    let (a, b, c, d) = (median(a), median(b), median(c), median(d));
    println!();
    println!(
        "{:<24}{:>10}{:>14}{:>10}{:>12}{:>10}",
        "", "time", "workbooks/s", "MB/s", "peak RSS", "ratio"
    );
    let line = |name: &str, m: &Measure, floor: Option<&Measure>| {
        let secs = m.time.as_secs_f64();
        let ratio = floor
            .map(|f| format!("{:.2}×", secs / f.time.as_secs_f64()))
            .unwrap_or_else(|| "floor".into());
        println!(
            "{name:<24}{:>9.2}s{:>14.0}{:>10.1}{:>9.0} MB{:>10}",
            secs,
            files as f64 / secs,
            mb / secs,
            m.peak_mb,
            ratio
        );
    };
    line("bare calamine read", &a, None);
    line("jxmb check", &b, Some(&a));
    line("calamine + xlsxwriter", &c, None);
    line("jxmb convert", &d, Some(&c));
    if let Some(big) = value("--memory") {
        let big_dir = corpus::dir(&root, big, texts);
        corpus::ensure(&big_dir, big, texts).expect("corpus written");
        let big_str = big_dir.to_str().expect("utf-8");
        let big_out = root.join("out-big");
        let big_out_str = big_out.to_str().expect("utf-8");
        println!();
        let check_big = || run(&jxmb, &["check", big_str, "-q"]);
        let convert_big = || {
            let _ = std::fs::remove_dir_all(&big_out);
            run(&jxmb, &["convert", big_str, "-o", big_out_str, "-q"])
        };
        memory_line("check", big, files, rounds, check_big, check_cmd);
        memory_line("convert", big, files, rounds, convert_big, convert_cmd);
        let _ = std::fs::remove_dir_all(&big_out);
    }
}

fn texts_of(args: &[String]) -> corpus::Texts {
    if args.iter().any(|a| a == "--own-texts") {
        corpus::Texts::Own
    } else {
        corpus::Texts::Seed
    }
}

/// Peak memory of a command on the big corpus against its peak on the small one: medians of
/// `rounds` runs each (peaks vary from run to run with thread timing and the allocator), with
/// the range seen.
fn memory_line(
    name: &str,
    big: usize,
    small: usize,
    rounds: usize,
    big_cmd: impl Fn() -> Measure,
    small_cmd: impl Fn() -> Measure,
) {
    let (mut big_runs, mut small_peaks) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        big_runs.push(big_cmd());
        small_peaks.push(small_cmd().peak_mb);
    }
    let mut big_peaks: Vec<f64> = big_runs.iter().map(|m| m.peak_mb).collect();
    big_peaks.sort_by(f64::total_cmp);
    small_peaks.sort_by(f64::total_cmp);
    let (big_peak, small_peak) = (big_peaks[rounds / 2], small_peaks[rounds / 2]);
    let time = median(big_runs).time.as_secs_f64();
    println!(
        "jxmb {name} on {big} workbooks: {time:.2}s, peak RSS {big_peak:.0} MB ({:.0}–{:.0}) = {:.2}× the peak for {small} ({small_peak:.0} MB, {:.0}–{:.0}); medians of {rounds}",
        big_peaks[0],
        big_peaks[rounds - 1],
        big_peak / small_peak,
        small_peaks[0],
        small_peaks[rounds - 1],
    );
}

struct Measure {
    time: Duration,
    peak_mb: f64,
}

fn median(mut list: Vec<Measure>) -> Measure {
    list.sort_by_key(|x| x.time);
    let mid = list.len() / 2;
    list.swap_remove(mid)
}

/// Runs a command to completion; its wall time and its own peak resident memory (wait4).
#[allow(unsafe_code)] // wait4: the only way to read one child's own peak memory
#[allow(clippy::zombie_processes)] // the child is reaped by wait4, not Child::wait
fn run(program: &Path, args: &[&str]) -> Measure {
    let start = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawned");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for this child's pid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child process; the pointers are to live locals.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let time = start.elapsed();
    assert!(pid > 0, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
        "{} {args:?} failed: {status}",
        program.display()
    );
    Measure {
        time,
        peak_mb: usage.ru_maxrss as f64 / 1024.0,
    }
}

fn workbooks(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();
    files
}

/// Every cell of every sheet, and the merged regions.
fn read_all(path: &Path) -> Vec<(String, calamine::Range<Data>)> {
    let mut book = open_workbook_auto(path).expect("opens");
    if let Sheets::Xlsx(x) = &mut book {
        for name in x.sheet_names() {
            std::hint::black_box(
                x.merge_cells_by_sheet_name(&name)
                    .expect("merged regions")
                    .len(),
            );
        }
    }
    book.worksheets()
}

fn floor_read(dir: &Path) {
    let cells: usize = workbooks(dir)
        .par_iter()
        .map(|p| {
            read_all(p)
                .iter()
                .map(|(_, r)| {
                    r.used_cells()
                        .filter(|(_, _, v)| !matches!(v, Data::Empty))
                        .count()
                })
                .sum::<usize>()
        })
        .sum();
    println!("{cells} cells");
}

/// The convert floor reads every cell and writes as much as convert does: each workbook's cells
/// again (convert's corrected copies) and one list workbook with a row per cell read (the size
/// of convert's roll-up, which lists every indicator and every finding).
fn floor_convert(dir: &Path, out: &Path) {
    std::fs::create_dir_all(out).expect("out dir");
    let listed: Vec<Vec<(String, u32, u32, Data)>> = workbooks(dir)
        .par_iter()
        .map(|p| {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let mut cells = Vec::new();
            for (name, range) in read_all(p) {
                let ws = wb.add_worksheet();
                ws.set_name(&name).expect("name");
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, v) in range.used_cells() {
                    let (r, c) = (r0 + r as u32, c0 + c as u32);
                    write_cell(ws, r, c as u16, v);
                    cells.push((name.clone(), r, c, v.clone()));
                }
            }
            let bytes = wb.save_to_buffer().expect("saved");
            std::fs::write(out.join(p.file_name().expect("name")), bytes).expect("written");
            cells
        })
        .collect();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().expect("sheet");
    for (row, (sheet, r, c, v)) in listed.iter().flatten().enumerate() {
        let row = row as u32;
        ws.write_string(row, 0, sheet).expect("written");
        ws.write_number(row, 1, f64::from(*r)).expect("written");
        ws.write_number(row, 2, f64::from(*c)).expect("written");
        write_cell(ws, row, 3, v);
    }
    wb.save(out.join("list.xlsx")).expect("saved");
}

fn write_cell(ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: &Data) {
    match v {
        Data::String(s) => ws.write_string(r, c, s).map(|_| ()),
        Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()),
        Data::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()),
        _ => Ok(()),
    }
    .expect("written");
}
