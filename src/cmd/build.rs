//! `jxmb build MODEL.json -o OUT`: standard workbooks from a model document, one per source file.

use super::{print, Outcome};
use crate::cli::BuildArgs;
use crate::error::Error;
use crate::model::{Model, MODEL_FORMAT};
use crate::output::safe_relative_xlsx;
use crate::write;
use std::path::{Path, PathBuf};

pub fn run(args: &BuildArgs) -> Result<Outcome, Error> {
    let text = std::fs::read_to_string(&args.model).map_err(|source| Error::Input {
        path: args.model.clone(),
        source,
    })?;
    let model = parse(&text)
        .map_err(|why| Error::Usage(format!("“{}”不是 jxmb 模型：{why}", args.model.display())))?;
    // Each source file becomes one workbook, named after it (never a path taken from the JSON).
    let place = |source: &str| -> PathBuf {
        let name = Path::new(source)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        safe_relative_xlsx(&name)
    };
    let progress = crate::batch::Progress::new(write::corrected::by_file(&model).len(), "写出");
    let written = write::corrected::write_all(
        &model,
        &[],
        &args.output,
        place,
        |_| false,
        || progress.tick(),
    )?;
    progress.done();
    let mut out = String::new();
    for w in &written {
        out.push_str(&format!("  {}\n", w.path.display()));
    }
    out.push_str(&format!(
        "已写出 {} 个工作簿到 {}\n",
        written.len(),
        args.output.display()
    ));
    print(&out)?;
    Ok(Outcome::Clean)
}

/// Reads a model document, line and column in the message when the JSON is broken.
pub fn parse(text: &str) -> Result<Model, String> {
    let model: Model = serde_json::from_str(text)
        .map_err(|e| format!("第 {} 行第 {} 列：{e}", e.line(), e.column()))?;
    if model.format != MODEL_FORMAT {
        return Err(format!(
            "format 应为 \"{MODEL_FORMAT}\"，实际为 \"{}\"",
            model.format
        ));
    }
    Ok(model)
}
