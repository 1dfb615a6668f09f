//! jxmb reads Chinese government budget performance-target tables (绩效目标表) into one
//! normalized model, checks them against the official rules, and reports every problem with
//! the file, sheet and cell where it sits.
//!
//! Data flows one way, through `pipeline` (load → check → fix → write): `batch` walks the
//! inputs → `read` (the only module that touches calamine) turns each workbook into `model`
//! values → `check` runs the rule catalog over the model, `reconcile` pairs projects with
//! budget lines → `write` (the only module that touches rust_xlsxwriter) writes the corrected
//! workbooks and the roll-up, whose sheets `rollup` defines; `diag::render` prints the findings.
//! `cli` parses and resolves the command line; `cmd` holds one short script per subcommand.

#![forbid(unsafe_code)]

pub mod batch;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod error;
pub mod memory;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod read;
pub mod reconcile;
pub mod rollup;
pub mod spill;
pub mod watch;
pub mod write;
