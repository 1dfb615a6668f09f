//! jxmb reads Chinese government budget performance-target tables (绩效目标表) into one
//! normalized model, checks them against the official rules, and reports every problem with
//! the file, sheet and cell where it sits.
//!
//! Data flows one way: `batch` walks the inputs → `read` (the only module that touches
//! calamine) turns each workbook into `model` values → `check` runs the rule catalog over the
//! model → `diag::render` prints the findings. `cmd` holds one file per subcommand.

#![forbid(unsafe_code)]

pub mod batch;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod error;
pub mod model;
pub mod output;
pub mod read;
pub mod reconcile;
pub mod write;
