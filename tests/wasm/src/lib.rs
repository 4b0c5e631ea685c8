//! The conformance cases embedded at build time (with their native verdicts), for the wasm tests.

/// JSON: `{"source": dir|"absent", "cases": [{kind, name, text, input?, native, native_outcome?, native_history?}]}`.
pub const CASES: &str = include_str!(concat!(env!("OUT_DIR"), "/cases.json"));

pub mod verdict;
