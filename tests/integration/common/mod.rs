//! Helpers shared by the integration tests: the seed, the layout writer, running the binary,
//! and comparing a model with the seed.

#![allow(dead_code)]

#[path = "../../../examples/make-samples/cases.rs"]
pub mod cases;
#[path = "../../../examples/make-samples/drift.rs"]
pub mod drift;
#[path = "../../../examples/make-samples/forms.rs"]
pub mod forms;
#[path = "../../../examples/make-samples/good.rs"]
pub mod good;
#[path = "../../../examples/make-samples/seed.rs"]
pub mod seed;
#[path = "../../../examples/make-samples/selfeval.rs"]
pub mod selfeval;
#[path = "../../../examples/make-samples/sheet.rs"]
pub mod sheet;
#[path = "../../../examples/make-samples/word.rs"]
pub mod word;

use jxmb::model::{Model, Target, WorkbookContents};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::str::FromStr;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn samples() -> PathBuf {
    repo().join("sample-workbooks")
}

/// Runs the jxmb binary with `args` from the repository root.
pub fn jxmb(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jxmb"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the jxmb binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Reads workbook bytes with the library, as one batch of one file.
pub fn read_model(bytes: Vec<u8>, ext: &str) -> Model {
    let contents = jxmb::read::read_bytes(bytes, ext, "test.xlsx").expect("the workbook reads");
    Model::from_workbooks(vec![contents])
}

pub fn read_path(path: &Path) -> WorkbookContents {
    jxmb::read::read_file(path, &path.display().to_string()).expect("the workbook reads")
}

pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal")
}

/// How strictly the 指标值 text must match the seed.
#[derive(Clone, Copy, PartialEq)]
pub enum Targets {
    /// The text exactly as the seed writes it.
    Exact,
    /// The same comparator, number and unit (full-width spellings and the like).
    Parsed,
}

/// Asserts the model holds the seed's projects, in order, with the seed's values.
pub fn assert_seed(model: &Model, projects: &[seed::SeedProject], targets: Targets) {
    let got: Vec<_> = model.projects().collect();
    assert_eq!(got.len(), projects.len(), "project count");
    for ((dept, p), want) in got.iter().zip(projects) {
        assert_eq!(dept.unit_code.as_deref(), Some(seed::UNIT_CODE));
        assert_eq!(dept.unit_name.as_deref(), Some(seed::UNIT_NAME));
        assert_eq!(p.code, want.code);
        assert_eq!(p.name, want.name);
        assert_eq!(
            p.budget.total,
            Some(dec(want.total)),
            "{} 预算数",
            want.name
        );
        assert_eq!(
            p.budget.fiscal,
            Some(dec(want.total)),
            "{} 财政资金",
            want.name
        );
        assert_eq!(p.budget.other, None, "{} 其他资金 is blank", want.name);
        assert_eq!(p.purpose, want.purpose);
        assert_eq!(p.goals, vec![want.goal.to_string()]);
        let plan: Vec<_> = p
            .spending_plan
            .iter()
            .map(|pp| (pp.by.as_str(), pp.percent))
            .collect();
        let want_plan: Vec<_> = seed::PLAN
            .iter()
            .map(|(by, pct)| (*by, Some(dec(pct.trim_end_matches('%')))))
            .collect();
        assert_eq!(plan, want_plan, "{} 资金支出计划", want.name);
        assert_eq!(p.indicators.len(), 7, "{} indicators", want.name);
        for (ind, w) in p.indicators.iter().zip(&want.indicators) {
            let row = format!("{} / {}", want.name, w[2]);
            assert_eq!(
                [
                    ind.level1.as_str(),
                    &ind.level2,
                    &ind.level3,
                    &ind.description
                ],
                [w[0], w[1], w[2], w[3]],
                "{row}"
            );
            assert_eq!(ind.basis, seed::BASIS, "{row}");
            let parsed = Target::parse(w[4]);
            assert_eq!(
                (
                    ind.target.op,
                    ind.target.value,
                    &ind.target.unit,
                    ind.target.kind
                ),
                (parsed.op, parsed.value, &parsed.unit, parsed.kind),
                "{row}: {:?}",
                ind.target.text
            );
            if targets == Targets::Exact {
                assert_eq!(ind.target.text, w[4], "{row}");
            }
        }
    }
}

/// Reads one in-code workbook and runs every rule over it.
pub fn check_book(bytes: Vec<u8>) -> (Model, Vec<jxmb::diag::Diagnostic>) {
    let model = read_model(bytes, "xlsx");
    let mut diags = Vec::new();
    jxmb::check::run(&model, &jxmb::config::Config::default(), &mut diags);
    jxmb::diag::sort(&mut diags);
    (model, diags)
}

/// The (code, cell, message) of every finding with the given code.
pub fn findings(diags: &[jxmb::diag::Diagnostic], code: &str) -> Vec<(String, String)> {
    diags
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            (
                d.cell.map(|c| c.to_string()).unwrap_or_default(),
                d.message.clone(),
            )
        })
        .collect()
}

/// Every file below `dir`, in any order (a missing folder has none).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            out.extend(files_under(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}
