//! What native and wasm runs must agree on for one text: every diagnostic's code, message, location and position.

use serde_json::{Value, json};

/// The diagnostics of `asl::analyze(text)` as a comparable JSON value.
pub fn diagnostics(text: &str) -> Value {
    let analysis = asl::analyze(text);
    json!(
        analysis
            .diagnostics
            .iter()
            .map(|d| json!([
                d.code,
                d.message,
                d.location,
                d.span.map(|s| [s.line, s.column])
            ]))
            .collect::<Vec<_>>()
    )
}
