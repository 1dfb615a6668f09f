//! A batch: the input paths walked into a sorted list of files, every file read (in parallel),
//! the tables merged into one model, and each file's fate recorded. One broken file never stops
//! the batch; it becomes a finding.

use crate::check::{self, Code};
use crate::config::Config;
use crate::diag::render::{FileEntry, FileStatus};
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::model::{Model, WorkbookContents};
use crate::progress::Progress;
use crate::read::{self, INPUT_EXTENSIONS};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Folders the tool writes itself; never read back as input.
pub const OUTPUT_FOLDER_NAMES: &[&str] = &["_jxmb"];

/// One file to read: where it is, and how it is shown to the user. A batch lists every file
/// for the whole run, so this is kept small: its shown name and place are derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// The input it was found under (shared by that input's files).
    under: Arc<Under>,
    /// Listed so the user sees it was passed over (not a workbook extension).
    pub skipped: bool,
}

/// An input folder (or a file's folder) and the name its files go under in the outputs.
#[derive(Debug, PartialEq, Eq)]
pub struct Under {
    pub root: PathBuf,
    pub prefix: PathBuf,
}

impl InputFile {
    pub fn new(path: PathBuf, under: &Arc<Under>, skipped: bool) -> InputFile {
        InputFile {
            path,
            under: under.clone(),
            skipped,
        }
    }

    /// How findings and the report name the file: its path as found.
    pub fn shown(&self) -> String {
        self.path.display().to_string()
    }

    /// Where the file sits under its input folder (`2025/劳务费.xlsx`), prefixed with the
    /// folder's name when several inputs are given: the corrected copy goes to the same place.
    pub fn relative(&self) -> PathBuf {
        let inside = self
            .path
            .strip_prefix(&self.under.root)
            .unwrap_or(&self.path);
        self.under.prefix.join(inside)
    }
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
        .is_some_and(|e| INPUT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
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
                // A file given by name goes to the top of the outputs, whatever its folder.
                let folder = root.parent().unwrap_or(Path::new("")).to_path_buf();
                let under = Arc::new(Under {
                    root: folder,
                    prefix: PathBuf::new(),
                });
                files.push(InputFile::new(root.clone(), &under, false));
            }
            continue;
        }
        let under = Arc::new(Under {
            root: root.clone(),
            prefix,
        });
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
            let skipped = !is_workbook_name(&path);
            files.push(InputFile::new(path, &under, skipped));
        }
    }
    Ok(files)
}

/// One file read: its line in the report, its file-level finding (JX001/JX002) if any, and
/// the tables it holds.
#[derive(Clone)]
pub struct FileRead {
    pub entry: FileEntry,
    pub finding: Option<Diagnostic>,
    pub contents: Option<WorkbookContents>,
}

/// Reads one file: its report line, file-level finding and tables.
pub fn read_one(file: &InputFile, config: &Config) -> FileRead {
    let mut entry = FileEntry {
        path: file.shown(),
        status: FileStatus::Ok,
        projects: Vec::new(),
        tables: 0,
    };
    let mut findings = Vec::new();
    let mut contents = None;
    if file.skipped {
        entry.status = FileStatus::Skipped;
    } else {
        match read::read_file_within(&file.path, &entry.path, &config.limits) {
            Err(why) => {
                entry.status = FileStatus::Unreadable;
                if let Some(mut f) = check::findings(Code::JX001, config, &mut findings) {
                    f.file(&entry.path, why.to_string());
                }
            }
            Ok(c) if c.is_rollup => entry.status = FileStatus::Skipped,
            Ok(c) if c.table_count() == 0 => {
                entry.status = FileStatus::NoTable;
                if let Some(mut f) = check::findings(Code::JX002, config, &mut findings) {
                    f.file(&entry.path, check::NO_TABLE_MESSAGE.into());
                }
            }
            Ok(c) => {
                entry.tables = c.table_count();
                entry.projects = c.projects.iter().map(|(_, p)| p.code.clone()).collect();
                contents = Some(c);
            }
        }
    }
    FileRead {
        entry,
        finding: findings.pop(),
        contents,
    }
}

/// Reads every file (in parallel, results kept in input order) into one batch, within `limits`,
/// ticking `progress` for each.
pub fn read(files: &[InputFile], limits: &read::Limits, progress: &Progress) -> Batch {
    // File-level findings get their configured severity later, in `check::run`.
    let defaults = Config {
        limits: *limits,
        ..Config::default()
    };
    let reads: Vec<FileRead> = files
        .par_iter()
        .map(|f| {
            let r = read_one(f, &defaults);
            progress.tick();
            r
        })
        .collect();
    progress.done();
    assemble(files.to_vec(), reads)
}

/// A batch from files already read (in input order): what `read` and `watch` share.
pub fn assemble(inputs: Vec<InputFile>, reads: Vec<FileRead>) -> Batch {
    let mut batch = Batch {
        inputs,
        ..Batch::default()
    };
    let mut contents = Vec::new();
    for r in reads {
        batch.files.push(r.entry);
        batch.diagnostics.extend(r.finding);
        contents.extend(r.contents);
    }
    batch.model = Model::from_workbooks(contents);
    batch
}

/// One file checked on its own: its findings (sorted), each rendered for output by the worker
/// that found it, and a compact copy of its tables (no indicators, plans or goals) for the
/// rules that need the whole batch.
pub struct Checked {
    pub entry: FileEntry,
    pub findings: Vec<Diagnostic>,
    pub rendered: Vec<String>,
    pub compact: WorkbookContents,
}

/// Renders one finding for output.
pub type Render = dyn Fn(&Diagnostic) -> String + Sync;

fn check_one(file: &InputFile, config: &Config, render: &Render) -> Checked {
    let FileRead {
        entry,
        finding,
        contents,
    } = read_one(file, config);
    let mut findings: Vec<Diagnostic> = finding.into_iter().collect();
    let compact = match contents {
        Some(c) => {
            let model = Model::from_workbooks(vec![c]);
            check::run_file(&model, config, &mut findings);
            model.into_compact_contents()
        }
        None => WorkbookContents::default(),
    };
    crate::diag::sort(&mut findings);
    let rendered = findings.iter().map(render).collect();
    Checked {
        entry,
        findings,
        rendered,
        compact,
    }
}

/// Results that may wait for their turn: enough to keep every core busy, few enough that
/// memory stays flat however long the batch.
const IN_FLIGHT_PER_THREAD: usize = 8;

/// Checks the files on the worker threads and hands each result to `on_file` in input order.
/// Workers take files in order (`par_bridge`), so results arrive nearly in order; a bounded
/// channel holds the rest back. Memory holds a few files' results, never the whole batch.
pub fn stream(files: &[InputFile], config: &Config, render: &Render, on_file: impl FnMut(Checked)) {
    stream_with(files, |f| check_one(f, config, render), on_file);
}

/// [`stream`] with any work per file: `work` runs on the worker threads, `on_file` gets the
/// results in input order.
pub fn stream_with<T: Send>(
    files: &[InputFile],
    work: impl Fn(&InputFile) -> T + Sync,
    mut on_file: impl FnMut(T),
) {
    let in_flight = IN_FLIGHT_PER_THREAD * rayon::current_num_threads().max(1);
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, T)>(in_flight);
    let work = &work;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            files
                .iter()
                .enumerate()
                .par_bridge()
                .for_each_with(tx, |tx, (i, f)| {
                    // The receiver only goes away if the run is ending; nothing to do then.
                    let _ = tx.send((i, work(f)));
                });
        });
        let mut next = 0;
        let mut waiting: std::collections::BTreeMap<usize, T> = std::collections::BTreeMap::new();
        for (i, checked) in rx {
            waiting.insert(i, checked);
            while let Some(ready) = waiting.remove(&next) {
                on_file(ready);
                next += 1;
            }
        }
    });
}
