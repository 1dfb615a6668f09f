//! The progress bar on stderr while a long batch is read, checked or written.

/// A progress bar on stderr for batches that take a moment; hidden when stderr is not a
/// terminal (indicatif checks), for small batches, and with `-q`.
pub struct Progress(Option<indicatif::ProgressBar>);

/// Fewer files than this finish before a bar would be worth drawing.
const PROGRESS_FROM: usize = 50;

impl Progress {
    /// A bar for `total` files; `doing` says what is being done to them (读取, 检查, 写出);
    /// none with `quiet` (`-q`).
    pub fn new(total: usize, doing: &'static str, quiet: bool) -> Progress {
        if total < PROGRESS_FROM || quiet {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{msg} {bar:40} {pos}/{len} 个文件 · {rate} · 剩余 {eta}",
        ) {
            // Whole files a second: indicatif's own {per_sec} shows four decimals.
            let rate = |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "每秒 {:.0} 个", state.per_sec());
            };
            bar.set_style(style.with_key("rate", rate));
        }
        bar.set_message(doing);
        Progress(Some(bar))
    }

    /// A spinner for a step over a batch of `files` that has no count of its own (fixing);
    /// hidden as the bar is.
    pub fn working(files: usize, doing: &'static str, quiet: bool) -> Progress {
        if files < PROGRESS_FROM || quiet {
            return Progress(None);
        }
        let spinner =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} · {elapsed}") {
            spinner.set_style(style);
        }
        spinner.set_message(doing);
        spinner.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress(Some(spinner))
    }

    pub fn tick(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    pub fn done(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }

    /// Runs `f` with the bar out of the way (for writing to the terminal).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.0 {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }
}

impl Default for Progress {
    /// No bar: for callers that show none (tests, `watch`).
    fn default() -> Progress {
        Progress(None)
    }
}
