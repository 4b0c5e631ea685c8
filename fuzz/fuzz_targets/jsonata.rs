//! Fuzz target: `expression \0 input JSON` → `jsonata::parse` then `evaluate` with a small step budget.
//! It must never panic and must stop within the budget.
#![no_main]

use jsonata::{Bindings, parse};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (expr, input) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (
            data,
            &b"{\"a\": [1, 2, {\"b\": \"x\"}], \"s\": \"hello\"}"[..],
        ),
    };
    let expr = String::from_utf8_lossy(expr);
    let Ok(expression) = parse(&expr) else {
        return;
    };
    let input: Option<Value> = serde_json::from_slice(input).ok();
    let mut bindings = Bindings::default();
    bindings.environment.max_steps = 20_000;
    bindings.environment.seed = 7;
    bindings.bind("v", serde_json::json!({"k": [1, "two", null, true]}));
    let _ = expression.evaluate(input.as_ref(), &bindings);
});
