//! A mutation fuzzer for the reader that runs on stable Rust:
//! `cargo run --release --example fuzz-reader -- --iterations 1000000 [--seed N]`.
//!
//! Seeds are every file under `sample-workbooks/`. A zip package (.xlsx, .ods, .docx) is unpacked and
//! one of its XML parts mutated — bits flipped, bytes and runs deleted, duplicated or replaced,
//! digits and tags swapped, interesting strings spliced in — then packed again (stored), so the
//! mutations reach the XML parser and the layout finder instead of dying in the inflater; other
//! files (.xls) are mutated as bytes; anything may also be truncated. Each case must come back
//! as a model or a diagnostic: a contained panic (`Unreadable::Internal`) is saved under
//! `target/fuzz-crashes/` and the run fails. A single allocation over 1 GiB (memory the
//! reader's limits should have refused) stops the run at once, naming the case to `--dump`.
//! Prints executions and their rate.

use jxmb::read::{read_bytes, Unreadable};
use rayon::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The largest single allocation a case may make.
const MAX_ALLOCATION: usize = 1 << 30;

thread_local! {
    /// The case this thread is reading, for the allocation watch to name.
    static CASE: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// The system allocator, stopping the run when one allocation is over `MAX_ALLOCATION`
/// (the only unsafe code here: a pass-through to `System`).
struct Watched;

impl Watched {
    fn check(size: usize) {
        if size > MAX_ALLOCATION {
            let case = CASE.with(Cell::get);
            let mut line = [0u8; 160];
            let mut rest = &mut line[..];
            let _ = writeln!(
                rest,
                "case {case} asked for {size} bytes at once: rerun with --dump {case}"
            );
            let written = 160 - rest.len();
            let _ = std::io::stderr().write_all(&line[..written]);
            std::process::abort();
        }
    }
}

#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Watched {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::check(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::check(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::check(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Watched = Watched;

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

const SPLICES: &[&[u8]] = &[
    b"<c r=\"XFD1048576\"><v>1</v></c>",
    b"<c r=\"A1\" t=\"s\"><v>99999999</v></c>",
    b"<c r=\"B2\" t=\"e\"><v>#REF!</v></c>",
    b"<mergeCell ref=\"A1:XFD1048576\"/>",
    b"\xE9\xA1\xB9\xE7\x9B\xAE\xE7\xBC\x96\xE7\xA0\x81", // 项目编码
    b"\xE4\xB8\x80\xE7\xBA\xA7\xE6\x8C\x87\xE6\xA0\x87", // 一级指标
    b"<row r=\"0\">",
    b"<row r=\"4294967295\">",
    b"&#0;",
    b"<![CDATA[",
    b"-1e308",
    b"NaN",
];

fn mutate_bytes(data: &mut Vec<u8>, rng: &mut Rng) {
    if data.is_empty() {
        data.push(rng.next_u64() as u8);
        return;
    }
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len());
        match rng.below(8) {
            0 => data[at] ^= 1 << rng.below(8),
            1 => data[at] = [0, 0xFF, 0x7F, b'<', b'"', b'9'][rng.below(6)],
            2 => {
                let end = (at + 1 + rng.below(64)).min(data.len());
                data.drain(at..end);
            }
            3 => {
                let end = (at + 1 + rng.below(64)).min(data.len());
                let chunk = data[at..end].to_vec();
                let to = rng.below(data.len());
                data.splice(to..to, chunk);
            }
            4 => {
                let s = SPLICES[rng.below(SPLICES.len())];
                data.splice(at..at, s.iter().copied());
            }
            5 if data[at].is_ascii_digit() => data[at] = b'0' + rng.below(10) as u8,
            6 => {
                let b = rng.below(data.len());
                data.swap(at, b);
            }
            _ => data[at] = rng.next_u64() as u8,
        }
        if data.is_empty() {
            return;
        }
    }
}

/// Unpacks a zip, mutates one XML part, packs it again (stored: quick, and the parser sees it).
fn mutate_package(bytes: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).ok()?;
        let mut data = Vec::new();
        f.read_to_end(&mut data).ok()?;
        parts.push((f.name().ok()?.to_string(), data));
    }
    let xml: Vec<usize> = parts
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| n.ends_with(".xml"))
        .map(|(i, _)| i)
        .collect();
    let target = *xml.get(rng.below(xml.len()))?;
    mutate_bytes(&mut parts[target].1, rng);
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        out.start_file(name, stored).ok()?;
        out.write_all(&data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

fn seeds(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| {
            e.file_type().is_file()
                && e.path().extension().is_some_and(|x| {
                    ["xlsx", "xls", "ods", "docx"].contains(&x.to_str().unwrap_or(""))
                })
        })
        .filter_map(|e| {
            std::fs::read(e.path())
                .ok()
                .map(|b| (e.path().to_path_buf(), b))
        })
        .collect();
    out.retain(|(_, b)| !b.is_empty());
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let iterations = value("--iterations").unwrap_or(10_000) as usize;
    // Cases are a function of (seed, index): `--from N` runs a range, `--dump N` writes case N
    // (to reproduce one that aborts the process, which cannot be caught).
    let from = value("--from").unwrap_or(0) as usize;
    let dump = value("--dump").map(|n| n as usize);
    let seed = value("--seed").unwrap_or(2025);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = seeds(&root.join("sample-workbooks"));
    assert!(!corpus.is_empty(), "no seeds under sample-workbooks/");
    // Contained panics are counted, not printed.
    std::panic::set_hook(Box::new(|_| {}));
    let crashes = AtomicUsize::new(0);
    let crash_dir = root.join("target/fuzz-crashes");
    let start = Instant::now();
    let case_of = |i: usize| -> (String, Vec<u8>) {
        let mut rng = Rng(seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(i as u64)
            | 1);
        let (path, bytes) = &corpus[rng.below(corpus.len())];
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_string();
        let mut case = if bytes.starts_with(b"PK") && rng.below(4) != 0 {
            mutate_package(bytes, &mut rng).unwrap_or_else(|| bytes.clone())
        } else {
            let mut b = bytes.clone();
            mutate_bytes(&mut b, &mut rng);
            b
        };
        if rng.below(10) == 0 {
            let keep = rng.below(case.len() + 1);
            case.truncate(keep);
        }
        (ext, case)
    };
    if let Some(n) = dump {
        let (ext, case) = case_of(n);
        let path = root.join(format!("target/fuzz-case-{seed}-{n}.{ext}"));
        std::fs::write(&path, case).expect("written");
        println!("{}", path.display());
        return;
    }
    (from..from + iterations).into_par_iter().for_each(|i| {
        let (ext, case) = case_of(i);
        CASE.with(|c| c.set(i));
        if let Err(Unreadable::Internal) = read_bytes(case.clone(), &ext, "fuzz") {
            crashes.fetch_add(1, Ordering::Relaxed);
            let _ = std::fs::create_dir_all(&crash_dir);
            let _ = std::fs::write(crash_dir.join(format!("crash-{seed}-{i}.{ext}")), &case);
        }
    });
    let secs = start.elapsed().as_secs_f64();
    let found = crashes.load(Ordering::Relaxed);
    println!("{iterations} executions in {secs:.1} s ({:.0}/s), seed {seed}, {} seeds: {found} contained panics", iterations as f64 / secs, corpus.len());
    if found > 0 {
        eprintln!("inputs saved under {}", crash_dir.display());
        std::process::exit(1);
    }
}
