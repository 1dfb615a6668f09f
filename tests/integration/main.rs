//! One integration test binary (faster to build than one per file).

mod broken;
mod checks;
mod common;
mod fields;
mod layouts;
mod robustness;
mod roundtrip;
mod rules;
mod samples;
