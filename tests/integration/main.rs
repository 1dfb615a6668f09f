//! One integration test binary (faster to build than one per file).

mod apply;
mod broken;
mod checks;
mod common;
mod convert;
mod crash;
mod documents;
mod drift;
mod evaluation;
mod fields;
mod fuzz_findings;
mod hostile;
mod layouts;
mod libreoffice;
mod robustness;
mod roundtrip;
mod rules;
mod samples;
mod streamed;
mod untouched;
mod watch;
mod word;
