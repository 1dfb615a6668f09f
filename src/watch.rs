//! The hot folder's state: what is known of each file in a watched folder, which files are
//! complete (size and modification time unchanged for the settle time, no `~$` lock file beside
//! them), and the outputs in `DIR/_jxmb/` rewritten for the folder as it now is. `cmd/watch.rs`
//! feeds it file events; everything here can be driven by hand, as its tests do.

use crate::batch::{self, FileRead, InputFile, Under, OUTPUT_FOLDER_NAMES};
use crate::check::Code;
use crate::config::Config;
use crate::diag::render::{self, FileStatus};
use crate::diag::{Counts, Diagnostic, Severity};
use crate::error::Error;
use crate::model::{BudgetLine, Unit};
use crate::output;
use crate::pipeline::{self, CORRECTED};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// The folder inside DIR where the results go; never read as input, never a trigger.
pub const OUTPUT_DIR: &str = "_jxmb";

/// A file that does not read as a workbook is reported only once it has stayed unchanged this
/// long: a copy that pauses mid-way is not a broken file.
const BROKEN_GRACE: Duration = Duration::from_secs(5);

/// What is known of one file in the folder.
struct Tracked {
    size: u64,
    modified: Option<SystemTime>,
    /// When its size or modification time was last seen to change.
    changed: Instant,
    /// Its settled read, once there is one, and the size and time it was read at.
    read: Option<FileRead>,
    read_at: Option<(u64, Option<SystemTime>)>,
}

/// What happened to a file, for the event lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Processed(PathBuf),
    Removed(PathBuf),
}

/// A watched folder: its files as last seen, and those that need a look.
pub struct Folder {
    dir: PathBuf,
    /// Where the outputs go (`DIR/_jxmb`).
    out: PathBuf,
    /// The watched folder as the files' input: their places in the outputs are under it.
    under: Arc<Under>,
    settle: Duration,
    config: Config,
    /// `--budget FILE`'s lines, which replace any budget table in the folder.
    budget: Option<Vec<(Unit, BudgetLine)>>,
    files: BTreeMap<PathBuf, Tracked>,
    pending: BTreeSet<PathBuf>,
}

fn is_candidate(dir: &Path, path: &Path) -> bool {
    let inside_output = path.strip_prefix(dir).is_ok_and(|rel| {
        rel.components()
            .any(|c| OUTPUT_FOLDER_NAMES.iter().any(|o| c.as_os_str() == *o))
    });
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !inside_output && !name.starts_with('.')
}

/// The workbook a `~$name.xlsx` lock file belongs to.
fn locked_workbook(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    Some(path.with_file_name(name.strip_prefix("~$")?))
}

fn has_lock_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    path.with_file_name(format!("~${name}")).exists()
        // Excel shortens long names in its lock file: `~$` replaces the first two characters.
        || name.chars().count() > 2 && path.with_file_name(format!("~${}", name.chars().skip(2).collect::<String>())).exists()
}

impl Folder {
    /// A folder to watch, its outputs in `DIR/_jxmb`; nothing is looked at yet.
    pub fn new(
        dir: PathBuf,
        settle: Duration,
        config: Config,
        budget: Option<Vec<(Unit, BudgetLine)>>,
    ) -> Folder {
        Folder {
            out: dir.join(OUTPUT_DIR),
            under: Arc::new(Under {
                root: dir.clone(),
                prefix: PathBuf::new(),
            }),
            dir,
            settle,
            config,
            budget,
            files: BTreeMap::new(),
            pending: BTreeSet::new(),
        }
    }

    /// The first pass: every workbook already there, counted as settled unless it changed
    /// within the settle time.
    pub fn first_pass(&mut self, start: Instant) -> Result<(), Error> {
        let settle = self.settle;
        for f in batch::collect(std::slice::from_ref(&self.dir))?
            .into_iter()
            .filter(|f| !f.skipped)
        {
            let meta = std::fs::metadata(&f.path).ok();
            let age = meta
                .as_ref()
                .and_then(|m| m.modified().ok())
                .and_then(|m| SystemTime::now().duration_since(m).ok())
                .unwrap_or_default();
            let changed = if age >= settle {
                start.checked_sub(settle).unwrap_or(start)
            } else {
                start
            };
            let (size, modified) = (
                meta.as_ref().map(|m| m.len()).unwrap_or(0),
                meta.and_then(|m| m.modified().ok()),
            );
            self.files.insert(
                f.path.clone(),
                Tracked {
                    size,
                    modified,
                    changed,
                    read: None,
                    read_at: None,
                },
            );
            self.pending.insert(f.path);
        }
        Ok(())
    }

    /// True while some file waits to settle (or to be looked at).
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Marks a path (or, for a folder, every workbook in it) as needing a look.
    pub fn touch(&mut self, path: &Path) {
        if !is_candidate(&self.dir, path) {
            return;
        }
        if let Some(workbook) = locked_workbook(path) {
            self.pending.insert(workbook);
            return;
        }
        if path.is_dir() {
            for f in batch::collect(&[path.to_path_buf()])
                .unwrap_or_default()
                .into_iter()
                .filter(|f| !f.skipped)
            {
                self.pending.insert(f.path);
            }
            return;
        }
        let is_workbook = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            crate::read::INPUT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
        });
        if is_workbook || self.files.contains_key(path) {
            self.pending.insert(path.to_path_buf());
        }
    }

    fn input(&self, path: &Path) -> InputFile {
        InputFile::new(path.to_path_buf(), &self.under, false)
    }

    /// Looks at every pending file; processes those that are complete.
    pub fn step(&mut self, now: Instant) -> Vec<Event> {
        let mut events = Vec::new();
        for path in std::mem::take(&mut self.pending) {
            let Ok(meta) = std::fs::metadata(&path) else {
                if self.files.remove(&path).is_some() {
                    events.push(Event::Removed(path));
                }
                continue;
            };
            let (size, modified) = (meta.len(), meta.modified().ok());
            let t = self.files.entry(path.clone()).or_insert(Tracked {
                size,
                modified,
                changed: now,
                read: None,
                read_at: None,
            });
            if t.size != size || t.modified != modified {
                (t.size, t.modified, t.changed) = (size, modified, now);
            }
            if t.read.is_some() && t.read_at == Some((size, modified)) {
                continue; // already read as it is
            }
            if now.duration_since(t.changed) < self.settle || has_lock_file(&path) {
                self.pending.insert(path);
                continue;
            }
            let read = batch::read_one(&self.input(&path), &self.config);
            let t = self.files.get_mut(&path).expect("tracked above");
            if read.entry.status == FileStatus::Unreadable
                && now.duration_since(t.changed) < BROKEN_GRACE
            {
                // Perhaps a copy that paused: look again before calling it broken.
                self.pending.insert(path);
                continue;
            }
            t.read = Some(read);
            t.read_at = Some((size, modified));
            events.push(Event::Processed(path));
        }
        events
    }
}

impl Folder {
    /// Rewrites `_jxmb/` for the folder as it now is; returns the event lines.
    pub fn refresh(&self, events: &[Event]) -> Result<String, Error> {
        let (folder, out) = (self, &self.out);
        let (inputs, reads): (Vec<InputFile>, Vec<FileRead>) = folder
            .files
            .iter()
            .filter_map(|(path, t)| t.read.clone().map(|r| (folder.input(path), r)))
            .unzip();
        let mut batch = batch::assemble(inputs, reads);
        if let Some(lines) = folder.budget.clone() {
            batch.model.replace_budget_lines(lines);
        }
        let done = pipeline::convert(&mut batch, &folder.config, out, true)?;
        remove_stale(
            &out.join(CORRECTED),
            &done.written.iter().map(|w| w.path.clone()).collect(),
        );
        let mut text = String::new();
        for d in done.fixed.remaining() {
            text.push_str(&render::line(d, false));
            text.push('\n');
        }
        text.push_str(&render::summary_line(
            done.summary.files,
            done.summary.projects,
            done.counts,
        ));
        text.push('\n');
        output::write_atomically(&out.join("report.txt"), text.as_bytes())?;
        let time = chrono::Local::now().format("%H:%M:%S");
        let mut lines = String::new();
        // Each file's findings, gathered once (a first pass can report thousands of files).
        let mut by_file: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
        for d in done.fixed.remaining() {
            by_file.entry(&d.file).or_default().push(d);
        }
        for event in events {
            match event {
                Event::Removed(path) => {
                    lines.push_str(&format!("[{time}] {}: 已移除\n", shown(folder, path)))
                }
                Event::Processed(path) => {
                    // Findings name files as they sit in the folder (`2025/劳务费.xlsx`).
                    let file = shown(folder, path);
                    let mine = by_file
                        .get(file.as_str())
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    let c = Counts::of(mine.iter().copied());
                    let unreadable = mine
                        .iter()
                        .find(|d| d.code == Code::JX001 && d.severity == Severity::Error);
                    match unreadable {
                        Some(d) => lines.push_str(&format!(
                            "[{time}] {}: {}\n",
                            shown(folder, path),
                            d.message
                        )),
                        None => lines.push_str(&format!(
                            "[{time}] {}: {} 错误 {} 警告\n",
                            shown(folder, path),
                            c.errors,
                            c.warnings
                        )),
                    }
                }
            }
        }
        if events.is_empty() {
            lines.push_str(&format!(
                "[{time}] {}\n",
                render::summary_line(done.summary.files, done.summary.projects, done.counts)
            ));
        }
        Ok(lines)
    }
}

fn shown(folder: &Folder, path: &Path) -> String {
    path.strip_prefix(&folder.dir)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Corrected copies whose input is gone.
fn remove_stale(dir: &Path, keep: &BTreeSet<PathBuf>) {
    let Ok(walk) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in walk.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_stale(&path, keep);
        } else if !keep.contains(&path) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTLE: Duration = Duration::from_secs(1);

    fn sample() -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-workbooks/lunan-2025/1.电梯维保费.xlsx");
        std::fs::read(path).expect("sample")
    }

    fn folder(dir: &Path) -> Folder {
        Folder::new(dir.to_path_buf(), SETTLE, Config::default(), None)
    }

    #[test]
    fn a_workbook_is_processed_once_it_has_settled_and_only_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut f = folder(dir.path());
        let book = dir.path().join("a.xlsx");
        std::fs::write(&book, sample()).expect("written");
        let t0 = Instant::now();
        f.touch(&book);
        assert_eq!(f.step(t0), [], "not settled yet");
        assert!(f.has_pending());
        assert_eq!(f.step(t0 + SETTLE / 2), []);
        assert_eq!(f.step(t0 + SETTLE * 2), [Event::Processed(book.clone())]);
        assert!(!f.has_pending());
        // Touched again but unchanged: already read as it is.
        f.touch(&book);
        assert_eq!(f.step(t0 + SETTLE * 3), []);
    }

    #[test]
    fn a_lock_file_holds_its_workbook_back_and_its_removal_releases_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut f = folder(dir.path());
        let book = dir.path().join("劳务费.xlsx");
        let lock = dir.path().join("~$劳务费.xlsx");
        std::fs::write(&book, sample()).expect("written");
        std::fs::write(&lock, b"owner").expect("written");
        let t0 = Instant::now();
        f.touch(&book);
        assert_eq!(f.step(t0 + SETTLE * 2), [], "Excel still has it open");
        std::fs::remove_file(&lock).expect("removed");
        f.touch(&lock);
        assert_eq!(f.step(t0 + SETTLE * 3), [Event::Processed(book)]);
    }

    #[test]
    fn a_removed_workbook_is_reported_and_outputs_and_other_files_are_not_inputs() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut f = folder(dir.path());
        let book = dir.path().join("a.xlsx");
        std::fs::write(&book, sample()).expect("written");
        let t0 = Instant::now();
        f.first_pass(t0 - SETTLE * 10).expect("listed");
        assert_eq!(f.step(t0), [Event::Processed(book.clone())]);
        let out = dir.path().join(OUTPUT_DIR).join("汇总.xlsx");
        std::fs::create_dir_all(out.parent().expect("folder")).expect("made");
        std::fs::write(&out, sample()).expect("written");
        f.touch(&out);
        f.touch(&dir.path().join("说明.txt"));
        assert!(
            !f.has_pending(),
            "its own outputs and non-workbooks are no input"
        );
        std::fs::remove_file(&book).expect("removed");
        f.touch(&book);
        assert_eq!(f.step(t0 + SETTLE), [Event::Removed(book)]);
    }

    #[test]
    fn a_file_that_does_not_read_is_called_broken_only_after_the_grace() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut f = folder(dir.path());
        let book = dir.path().join("半截.xlsx");
        let bytes = sample();
        std::fs::write(&book, &bytes[..bytes.len() / 2]).expect("written");
        let t0 = Instant::now();
        f.touch(&book);
        assert_eq!(f.step(t0), [], "first seen");
        assert_eq!(f.step(t0 + SETTLE * 2), [], "perhaps a copy that paused");
        assert!(f.has_pending());
        assert_eq!(f.step(t0 + BROKEN_GRACE + SETTLE), [Event::Processed(book)]);
    }
}
