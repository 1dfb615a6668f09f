//! `jxmb convert PATH… -o OUT`: the main job. Check, fix what can be fixed, and write the
//! corrected workbooks (mirroring the input tree), the roll-up `汇总.xlsx` and `report.json` —
//! streamed, so memory stays flat however many files (see `pipeline::streamed`).

use super::{print, Outcome};
use crate::cli::ConvertArgs;
use crate::diag::render;
use crate::error::Error;
use crate::output;
use crate::pipeline::{streamed, REPORT, ROLLUP};

pub fn run(args: &ConvertArgs) -> Result<Outcome, Error> {
    output::check_output_location(&args.output, &args.input.paths)?;
    let inputs = args.input.resolve(args.quiet)?;
    let done = streamed::convert(&inputs, &args.output, !args.quiet)?;
    let mut text = String::new();
    for file in &done.files {
        // `  3.劳务费.xlsx → out/corrected/3.劳务费.xlsx（修正 2 处，还有 3 个问题）`
        text.push_str(&match &file.written {
            Some(path) => format!(
                "  {} → {}（修正 {} 处，还有 {} 个问题）\n",
                file.path,
                path.display(),
                file.fixes,
                file.left
            ),
            None => format!(
                "  {} ✗ 未写出：{}\n",
                file.path,
                file.first.as_deref().unwrap_or("")
            ),
        });
    }
    text.push_str(&format!(
        "已写出 {} 个修正后的工作簿、{ROLLUP} 和 {REPORT} 到 {} · 修正 {} 处 · {}\n",
        done.written,
        args.output.display(),
        done.fixes,
        render::summary_line(done.summary.files, done.summary.projects, done.counts)
    ));
    text.push_str(&format!(
        "下一步：问题清单见 {}（错误在前）；修正后的工作簿里，每个问题都批注在它的单元格上\n",
        args.output.join(ROLLUP).display()
    ));
    print(&text)?;
    Ok(Outcome::of(done.counts, args.fail_on.severity()))
}
