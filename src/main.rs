//! The `jxmb` binary: parse the command line, run, map the outcome to an exit code.

use jxmb::cmd::{self, Outcome};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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
