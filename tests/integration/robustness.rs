//! Reading never panics: truncated and byte-flipped copies of every sample give a model or a
//! diagnostic, never a crash (and never the reader's contained-panic fallback).

use crate::common::samples;
use jxmb::read::{read_bytes, Unreadable};

/// A small deterministic generator, so a failure names a reproducible case.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn sample_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for dir in ["lunan-2025", "lunan-2025-word", "layouts"] {
        for e in std::fs::read_dir(samples().join(dir)).expect("samples") {
            files.push(e.expect("entry").path());
        }
    }
    files.sort();
    files
}

#[test]
fn truncated_and_byte_flipped_samples_never_crash() {
    let mut rng = Lcg(2025);
    let mut cases = 0;
    let mut failures = Vec::new();
    for path in sample_files() {
        let bytes = std::fs::read(&path).expect("sample");
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_string();
        let mut variants: Vec<(String, Vec<u8>)> = Vec::new();
        for k in 1..=20 {
            let cut = bytes.len() * k / 21;
            variants.push((format!("truncated at {cut}"), bytes[..cut].to_vec()));
        }
        for _ in 0..30 {
            let mut b = bytes.clone();
            let flips = 1 + rng.next() % 8;
            for _ in 0..flips {
                let at = (rng.next() as usize) % b.len();
                b[at] ^= 1 << (rng.next() % 8);
            }
            variants.push((format!("{flips} bits flipped"), b));
        }
        for (what, b) in variants {
            cases += 1;
            if let Err(Unreadable::Internal) = read_bytes(b, &ext, "fuzz") {
                failures.push(format!("{}: {what}", path.display()));
            }
        }
    }
    assert!(cases >= 500, "only {cases} cases");
    assert!(
        failures.is_empty(),
        "the reader panicked on {} of {cases} cases: {failures:#?}",
        failures.len()
    );
}
