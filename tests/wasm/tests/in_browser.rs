//! In headless Chromium: the wasm build of `asl` gives the same diagnostics, outcomes and histories as native.

use serde_json::Value;
use wasm_bindgen_test::*;
use wasm_conformance::verdict::diagnostics;

wasm_bindgen_test_configure!(run_in_browser);

fn cases() -> (String, Vec<Value>) {
    let data: Value = serde_json::from_str(wasm_conformance::CASES).expect("embedded cases parse");
    let source = data["source"].as_str().unwrap_or("absent").to_string();
    (
        source,
        data["cases"].as_array().cloned().unwrap_or_default(),
    )
}

#[wasm_bindgen_test]
fn validator_in_wasm_matches_native() {
    let (source, cases) = cases();
    if cases.is_empty() {
        console_log!("skipped: conformance data not found at build time ({source})");
        return;
    }
    let mut mismatches = Vec::new();
    for case in &cases {
        let text = case["text"].as_str().unwrap_or_default();
        if diagnostics(text) != case["native"] {
            mismatches.push(case["name"].as_str().unwrap_or("?").to_string());
        }
    }
    console_log!(
        "wasm validator: {} of {} cases identical to native",
        cases.len() - mismatches.len(),
        cases.len()
    );
    assert!(mismatches.is_empty(), "differ from native: {mismatches:?}");
}

#[wasm_bindgen_test]
fn simulator_in_wasm_matches_native_histories() {
    let (source, cases) = cases();
    let runs: Vec<&Value> = cases.iter().filter(|c| c["kind"] == "execution").collect();
    if runs.is_empty() {
        console_log!("skipped: conformance data not found at build time ({source})");
        return;
    }
    let mut mismatches = Vec::new();
    let mut events = 0;
    for case in &runs {
        let Some(def) = asl::analyze(case["text"].as_str().unwrap_or_default()).definition else {
            mismatches.push(format!("{}: did not parse", case["name"]));
            continue;
        };
        let opts = asl::simulate::Options::default();
        let (outcome, history) = asl::simulate::run(
            &def,
            case["input"].clone(),
            &asl::simulate::Mocks::default(),
            &opts,
        );
        let history: Vec<Value> = history.iter().map(|e| e.to_json()).collect();
        events += history.len();
        if outcome.to_json() != case["native_outcome"]
            || Value::from(history) != case["native_history"]
        {
            mismatches.push(case["name"].as_str().unwrap_or("?").to_string());
        }
    }
    console_log!(
        "wasm simulator: {} of {} executions identical to native ({events} history events)",
        runs.len() - mismatches.len(),
        runs.len()
    );
    assert!(mismatches.is_empty(), "differ from native: {mismatches:?}");
}
