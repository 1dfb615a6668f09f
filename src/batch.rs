//! A batch: the input paths walked into a sorted list of files, every file read (in parallel),
//! the tables merged into one model, and each file's fate recorded. One broken file never stops
//! the batch; it becomes a finding.

use crate::check;
use crate::diag::render::{FileEntry, FileStatus};
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::model::{Model, WorkbookContents};
use crate::read::{self, Unreadable, WORKBOOK_EXTENSIONS};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Folders the tool writes itself; never read back as input.
pub const OUTPUT_FOLDER_NAMES: &[&str] = &["_jxmb"];

/// One file to read: where it is, and how it is shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    pub shown: String,
    /// Where the file sits under its input folder (`2025/劳务费.xlsx`), prefixed with the
    /// folder's name when several inputs are given: the corrected copy goes to the same place.
    pub relative: PathBuf,
    /// Listed so the user sees it was passed over (not a workbook extension).
    pub skipped: bool,
}

/// Everything read from the inputs.
#[derive(Debug, Default)]
pub struct Batch {
    /// The input files, in order.
    pub inputs: Vec<InputFile>,
    pub files: Vec<FileEntry>,
    pub model: Model,
    /// File-level findings (JX001, JX002) found while reading.
    pub diagnostics: Vec<Diagnostic>,
}

/// Excel/WPS lock files (`~$劳务费.xlsx`) and hidden files are never inputs.
fn is_ignored_name(name: &str) -> bool {
    name.starts_with("~$") || name.starts_with('.')
}

fn is_workbook_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Walks the input paths: folders recursively in name order (symlinks followed, loops
/// skipped), files as given. A path that does not exist stops the run (exit 2).
pub fn collect(paths: &[PathBuf]) -> Result<Vec<InputFile>, Error> {
    let mut files = Vec::new();
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|source| Error::Input {
            path: root.clone(),
            source,
        })?;
        // With several inputs, each one's files go under its own name so they cannot collide.
        let prefix = if paths.len() > 1 {
            root.file_name().map(PathBuf::from).unwrap_or_default()
        } else {
            PathBuf::new()
        };
        if meta.is_file() {
            let name = root.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !name.starts_with("~$") {
                files.push(InputFile {
                    path: root.clone(),
                    shown: root.display().to_string(),
                    relative: PathBuf::from(name),
                    skipped: false,
                });
            }
            continue;
        }
        let walk = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let name = e.file_name().to_str().unwrap_or("");
                e.depth() == 0
                    || !(is_ignored_name(name)
                        || (e.file_type().is_dir() && OUTPUT_FOLDER_NAMES.contains(&name)))
            });
        for entry in walk {
            // A loop or an unreadable folder deep inside is passed over: the rest is still read.
            let Ok(entry) = entry else { continue };
            if entry.file_type().is_dir() {
                continue;
            }
            let path = entry.path().to_path_buf();
            let relative = prefix.join(path.strip_prefix(root).unwrap_or(&path));
            let skipped = !is_workbook_name(&path);
            files.push(InputFile {
                shown: path.display().to_string(),
                path,
                relative,
                skipped,
            });
        }
    }
    Ok(files)
}

/// What reading one file gave.
enum Outcome {
    Read(WorkbookContents),
    Unreadable(Unreadable),
    Skipped,
}

fn read_one(file: &InputFile) -> Outcome {
    if file.skipped {
        return Outcome::Skipped;
    }
    // A panic in a reader is a bug, but it must cost only this file, never the batch.
    let read = std::panic::catch_unwind(|| read::read_file(&file.path, &file.shown));
    match read {
        Ok(Ok(contents)) => Outcome::Read(contents),
        Ok(Err(why)) => Outcome::Unreadable(why),
        Err(_) => Outcome::Unreadable(Unreadable::Corrupt(
            "读取时发生内部错误，请把此文件报告给 jxmb 开发者".into(),
        )),
    }
}

/// Reads the inputs of a command: the files, `--budget` if given, and the config; runs every
/// rule. The batch's diagnostics are sorted and carry their configured severities.
pub fn load(input: &crate::cli::InputArgs) -> Result<(Batch, crate::config::Config), Error> {
    let config = crate::config::Config::for_inputs(input.config.as_deref(), &input.paths)?;
    let mut batch = read_inputs(input)?;
    check::run(&batch.model, &config, &mut batch.diagnostics);
    crate::diag::sort(&mut batch.diagnostics);
    Ok((batch, config))
}

/// Reads the input files and `--budget` into a batch, without running the rules.
pub fn read_inputs(input: &crate::cli::InputArgs) -> Result<Batch, Error> {
    let files = collect(&input.paths)?;
    let mut batch = read(&files);
    if let Some(path) = &input.budget {
        let lines = read::read_budget_file(path)
            .map_err(|why| Error::Usage(format!("无法读取预算文件“{}”：{why}", path.display())))?;
        batch.model.replace_budget_lines(lines);
    }
    Ok(batch)
}

/// Reads every file (in parallel, results kept in input order) into one batch.
pub fn read(files: &[InputFile]) -> Batch {
    let outcomes: Vec<Outcome> = files.par_iter().map(read_one).collect();
    let mut batch = Batch::default();
    let mut contents = Vec::new();
    // File-level findings get their configured severity later, in `check::run`.
    let defaults = crate::config::Config::default();
    for (file, outcome) in files.iter().zip(outcomes) {
        let mut entry = FileEntry {
            path: file.shown.clone(),
            status: FileStatus::Ok,
            projects: Vec::new(),
            tables: 0,
        };
        match outcome {
            Outcome::Skipped => entry.status = FileStatus::Skipped,
            Outcome::Unreadable(why) => {
                entry.status = FileStatus::Unreadable;
                check::findings("JX001", &defaults, &mut batch.diagnostics)
                    .file(&file.shown, why.to_string());
            }
            Outcome::Read(c) if c.is_rollup => entry.status = FileStatus::Skipped,
            Outcome::Read(c) if c.table_count() == 0 => {
                entry.status = FileStatus::NoTable;
                check::findings("JX002", &defaults, &mut batch.diagnostics).file(
                    &file.shown,
                    "工作簿中没有找到绩效目标表或项目支出预算表（没有“项目编码”“项目名称”“一级指标”等标签）".into(),
                );
            }
            Outcome::Read(c) => {
                entry.tables = c.table_count();
                entry.projects = c.projects.iter().map(|(_, p)| p.code.clone()).collect();
                contents.push(c);
            }
        }
        batch.files.push(entry);
    }
    batch.model = Model::from_workbooks(contents);
    batch.inputs = files.to_vec();
    batch
}
