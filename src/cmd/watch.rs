//! `jxmb watch DIR`: the hot folder. A first pass over what is there, then every workbook that
//! lands, changes or is removed (recursively) is processed once it is complete — its size and
//! modification time unchanged for `--settle` seconds and no `~$` lock file beside it — and
//! `DIR/_jxmb/` is kept current: `report.json`, `report.txt`, `corrected/`, `汇总.xlsx`, each
//! replaced atomically. One line per event on stdout. Stops on Ctrl-C or SIGTERM. This file
//! only turns file events into calls on [`crate::watch::Folder`].

use super::Outcome;
use crate::cli::WatchArgs;
use crate::error::Error;
use crate::pipeline::Inputs;
use crate::watch::Folder;
use notify::Watcher;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// How often the loop looks at its pending files and at the stop flag.
const TICK: Duration = Duration::from_millis(100);

pub fn run(args: &WatchArgs) -> Result<Outcome, Error> {
    if !args.dir.is_dir() {
        let source = std::io::Error::new(std::io::ErrorKind::NotFound, "不是文件夹");
        return Err(Error::Input {
            path: args.dir.clone(),
            source,
        });
    }
    // File events name absolute paths: `收件箱` or `.` is watched as the folder it is, so an
    // event under it is never mistaken for one outside it (or its own `_jxmb/` for an input).
    let dir = std::fs::canonicalize(&args.dir).map_err(|source| Error::Input {
        path: args.dir.clone(),
        source,
    })?;
    let inputs = Inputs::new(
        vec![dir.clone()],
        args.budget.clone(),
        args.config.as_deref(),
        true,
    )?;
    let budget = inputs.budget_lines()?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // The handler only raises a flag: a write under way finishes (and is renamed into place)
    // before the loop sees it, so a stop never leaves a temporary file behind.
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .map_err(|e| Error::Usage(format!("无法接管 Ctrl-C：{e}")))?;
    let (tx, rx) = mpsc::channel();
    let cannot_watch = |e: notify::Error| Error::Usage(format!("无法监视“{}”：{e}", dir.display()));
    let mut watcher: Box<dyn Watcher> = match args.poll {
        Some(secs) => {
            let every = Duration::from_secs_f64(secs.max(0.1));
            let config = notify::Config::default().with_poll_interval(every);
            Box::new(notify::PollWatcher::new(tx, config).map_err(cannot_watch)?)
        }
        None => Box::new(notify::recommended_watcher(tx).map_err(cannot_watch)?),
    };
    watcher
        .watch(&dir, notify::RecursiveMode::Recursive)
        .map_err(cannot_watch)?;

    let settle = Duration::from_secs_f64(args.settle.max(0.0));
    let mut folder = Folder::new(dir.clone(), settle, inputs.config, budget);
    folder.first_pass(Instant::now())?;
    let mut first = true;
    while !stop.load(Ordering::SeqCst) {
        let mut events = Vec::new();
        match rx.recv_timeout(TICK) {
            Ok(event) => events.push(event),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        events.extend(rx.try_iter());
        for event in events.into_iter().flatten().filter(changes_contents) {
            event.paths.iter().for_each(|p| folder.touch(p));
        }
        let events = folder.step(Instant::now());
        if events.is_empty() && (!first || folder.has_pending()) {
            continue;
        }
        first = false;
        let lines = folder.refresh(&events)?;
        if !args.quiet {
            super::print(&lines)?;
        }
    }
    drop(watcher);
    Ok(Outcome::Clean)
}

/// Events that can change what a file holds. Reading a file makes the system report that it
/// was opened and read: reacting to those would read it again, forever.
fn changes_contents(event: &notify::Event) -> bool {
    !matches!(event.kind, notify::EventKind::Access(_))
}
