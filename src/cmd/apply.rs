//! `jxmb apply 汇总.xlsx -o OUT`: edits made in a roll-up (指标明细, and the amounts in 项目汇总)
//! flow back into the model kept inside it; the corrected workbooks and the roll-up are written
//! anew. Every change is listed. One invalid edit (an unknown 项目编码, a malformed number, a
//! deleted key column) rejects the whole apply, naming the cell, and nothing is written.

use super::{print, Outcome};
use crate::cli::ApplyArgs;
use crate::config::Config;
use crate::diag::render;
use crate::error::Error;
use crate::output;
use crate::pipeline::{self, CORRECTED, REPORT, ROLLUP};
use std::path::Path;

pub fn run(args: &ApplyArgs) -> Result<Outcome, Error> {
    output::check_output_location(&args.output, std::slice::from_ref(&args.rollup))?;
    let folder = args.rollup.parent().unwrap_or(Path::new(".")).to_path_buf();
    let config = Config::for_inputs(args.config.as_deref(), &[folder])?;
    let done = pipeline::apply(&args.rollup, &config, &args.output, args.quiet)?;
    let mut text: String = done.changes.iter().map(|c| c.line()).collect();
    if done.changes.is_empty() {
        text.push_str("没有发现修改。\n");
    }
    text.push_str(&format!(
        "已写回 {} 处修改 · 写出 {} 个工作簿到 {}、{ROLLUP} 和 {REPORT} · {}\n",
        done.changes.len(),
        done.written.len(),
        args.output.join(CORRECTED).display(),
        render::summary_line(done.summary.files, done.summary.projects, done.counts)
    ));
    print(&text)?;
    Ok(Outcome::of(done.counts, args.fail_on.severity()))
}
