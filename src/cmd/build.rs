//! `jxmb build MODEL.json -o OUT`: standard workbooks from a model document, one per source file.

use super::{print, Outcome};
use crate::cli::BuildArgs;
use crate::error::Error;
use crate::model::Model;
use crate::output::safe_relative_xlsx;
use crate::progress::Progress;
use crate::write;
use std::path::{Path, PathBuf};

pub fn run(args: &BuildArgs) -> Result<Outcome, Error> {
    let text = std::fs::read_to_string(&args.model).map_err(|source| Error::Input {
        path: args.model.clone(),
        source,
    })?;
    let model = Model::from_json(&text)
        .map_err(|why| Error::Usage(format!("“{}”不是 jxmb 模型：{why}", args.model.display())))?;
    // Each source file becomes one workbook, named after it (never a path taken from the JSON).
    let place = |source: &str| -> PathBuf {
        let name = Path::new(source)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        safe_relative_xlsx(&name)
    };
    let progress = Progress::new(write::corrected::by_file(&model).len(), "写出", false);
    let written = write::corrected::write_all(
        &write::Whole::new(&model, &[], []),
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
