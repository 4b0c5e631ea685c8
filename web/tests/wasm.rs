//! wasm-bindgen tests: the `asl` and `studio` crates compiled to wasm and run in headless Chromium.

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn analyze_runs_in_wasm() {
    let ok = asl::analyze(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#);
    assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
    let bad = asl::analyze(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}"#);
    assert_eq!(bad.diagnostics[0].code, "MISSING_TRANSITION_TARGET");
    let broken = asl::analyze("{ not json");
    assert_eq!(broken.diagnostics[0].code, "INVALID_JSON_DESCRIPTION");
}

#[wasm_bindgen_test]
fn layout_runs_in_wasm() {
    let def: serde_json::Value = serde_json::from_str(
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}"#,
    )
    .unwrap();
    let layout = studio::layout(&studio::FlowGraph::from_definition(&def));
    assert_eq!(layout.nodes.len(), 2);
    assert!(layout.nodes[1].y > layout.nodes[0].y);
}
