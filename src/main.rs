//! The `jxmb` binary: parse the command line, run, map the outcome to an exit code.

use jxmb::cmd::{self, Outcome};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[allow(unsafe_code)] // mimalloc's own call: frees this thread's unused pages to the system
fn release_memory() {
    // SAFETY: mi_collect takes no pointers; it only returns this thread's free pages.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

fn main() -> ExitCode {
    jxmb::memory::on_release(release_memory);
    let cli = jxmb::cli::Cli::parse_localized();
    match cmd::run(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(e) => {
            eprintln!("jxmb: 错误：{e}");
            ExitCode::from(2)
        }
    }
}
