//! Handing freed memory back to the system between a long batch's phases: the allocator is
//! the binary's choice, so the binary says how ([`on_release`]); the library says when.

use std::sync::OnceLock;

static RELEASE: OnceLock<fn()> = OnceLock::new();

/// Sets how freed memory is handed back (once; the binary does it at start).
pub fn on_release(release: fn()) {
    let _ = RELEASE.set(release);
}

/// Hands the memory this thread freed back to the system, if the binary said how. A streamed
/// convert calls it when the views of the whole batch are dropped: otherwise the allocator
/// keeps their pages for this thread, and the writers, on other threads, take new ones.
pub fn release() {
    if let Some(release) = RELEASE.get() {
        release();
    }
}
