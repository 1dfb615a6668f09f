//! convert streamed (flat memory, spill files) writes byte for byte what the in-memory path
//! writes (`pipeline::convert`, which watch uses); its spill files leave nothing behind.

use crate::common::samples;
use jxmb::pipeline::{self, streamed, Inputs};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Every output file's bytes by its path under `dir`; a workbook as its parts, less
/// docProps/core.xml (which holds the time it was written).
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(dir)
            .expect("under")
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(entry.path()).expect("read");
        if !name.ends_with(".xlsx") {
            out.insert(name, bytes);
            continue;
        }
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a package");
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).expect("part");
            let part_name = part.name().expect("a part name").into_owned();
            if part_name == "docProps/core.xml" {
                continue;
            }
            let key = format!("{name}!{part_name}");
            let mut data = Vec::new();
            part.read_to_end(&mut data).expect("part read");
            out.insert(key, data);
        }
    }
    out
}

fn both_ways(
    paths: Vec<PathBuf>,
    budget: Option<PathBuf>,
) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = Inputs::new(paths, budget, None, true).expect("inputs");
    let (whole, flat) = (dir.path().join("whole"), dir.path().join("flat"));
    let mut batch = pipeline::read(&inputs).expect("read");
    let a = pipeline::convert(&mut batch, &inputs.config, &whole, true).expect("in memory");
    let b = streamed::convert(&inputs, &flat, true).expect("streamed");
    assert_eq!(a.written.len(), b.written);
    assert_eq!(a.counts, b.counts);
    assert_eq!(a.fixed.report.iter().filter(|d| d.fixed).count(), b.fixes);
    (outputs(&whole), outputs(&flat))
}

fn assert_same(whole: &BTreeMap<String, Vec<u8>>, flat: &BTreeMap<String, Vec<u8>>) {
    let only = |a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>| {
        a.keys()
            .filter(|k| !b.contains_key(*k))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(only(whole, flat), Vec::<String>::new(), "in memory only");
    assert_eq!(only(flat, whole), Vec::<String>::new(), "streamed only");
    for (name, bytes) in whole {
        assert!(flat[name] == *bytes, "{name} differs");
    }
}

#[test]
fn every_shipped_sample_converts_to_the_same_bytes_streamed() {
    let (whole, flat) = both_ways(vec![samples()], None);
    // Workbooks, Word documents, 自评表, the defect files, the drift and layout folders.
    assert!(whole.len() > 300, "{} parts", whole.len());
    assert!(whole.contains_key("report.json"));
    assert!(whole
        .keys()
        .any(|k| k.starts_with("汇总.xlsx!xl/worksheets/")));
    assert_same(&whole, &flat);
}

#[test]
fn several_inputs_and_a_budget_file_convert_to_the_same_bytes_streamed() {
    let s = samples();
    let (whole, flat) = both_ways(
        vec![
            s.join("lunan-2025"),
            s.join("lunan-2025-selfeval"),
            s.join("defects"),
        ],
        Some(s.join("lunan-2025/项目支出预算表.xlsx")),
    );
    assert_same(&whole, &flat);
}

#[test]
fn a_spill_file_left_by_a_killed_run_is_removed_by_the_next() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("dir");
    // The name a spill file has for an instant before it is unlinked, from a run long gone.
    let stale = out.join(".spill-Ab3dE9.jxmb-4194304.tmp");
    std::fs::write(&stale, b"[]").expect("written");
    let inputs = Inputs::new(vec![samples().join("lunan-2025")], None, None, true).expect("inputs");
    streamed::convert(&inputs, &out, false).expect("converted");
    assert!(!stale.exists(), "swept");
    let temporaries: Vec<_> = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(temporaries.is_empty(), "{temporaries:?}");
}

/// The bench corpus (`cargo bench --bench batch -- corpus 1000` writes it): run with
/// `cargo test --release --test integration -- --ignored bench_corpus`; `JXMB_BENCH_CORPUS=10000`
/// for another size.
#[test]
#[ignore = "needs the generated bench corpus; minutes in a debug build"]
fn the_bench_corpus_converts_to_the_same_bytes_streamed() {
    let size = std::env::var("JXMB_BENCH_CORPUS").unwrap_or_else(|_| "1000".into());
    let corpus = crate::common::repo()
        .join("target/bench-corpus")
        .join(&size);
    assert!(
        corpus.is_dir(),
        "write it first: cargo bench --bench batch -- corpus {size}"
    );
    let (whole, flat) = both_ways(vec![corpus.clone()], None);
    eprintln!(
        "{}: {} files and parts the same",
        corpus.display(),
        whole.len()
    );
    assert!(whole.len() > 10_000, "{} parts", whole.len());
    assert_same(&whole, &flat);
}
