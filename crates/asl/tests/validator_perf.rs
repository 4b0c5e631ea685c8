//! Speed of `analyze` on the 2,000-state bench definition (shared/bench): printed, and bounded.

use std::path::Path;
use std::time::Instant;

#[test]
fn validates_2000_states_quickly() {
    let path = std::env::var_os("STATEWRIGHT_BENCH")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("STATEWRIGHT_CONFORMANCE")
                .map(|c| Path::new(&c).join("../bench/workloads/validate-2000.asl.json"))
        })
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/bench/workloads/validate-2000.asl.json")
        });
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: bench definition not found at {}", path.display());
        return;
    };
    let first = asl::analyze(&text);
    assert!(!first.has_errors(), "{:?}", first.diagnostics.first());
    let runs = 20;
    let start = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(asl::analyze(std::hint::black_box(&text)));
    }
    let per_run = start.elapsed() / runs;
    println!("analyze(validate-2000.asl.json): {per_run:?} per run");
    // A smoke bound, generous for unoptimised debug builds on a loaded 2-core machine (release-native
    // measures about 4x serde_json::from_str of the same text).
    assert!(per_run.as_millis() < 2000, "{per_run:?}");
}

#[test]
fn thousands_of_diagnostics_stay_fast() {
    // 2,000 states, each with a warning and an error: spans must not rescan the text each time.
    let states: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                "\"S{i}\": {{\"Type\": \"Pass\", \"Parameters\": {{\"a\": \"$.x\"}}, \"Bogus\": 1, \"Next\": \"S{}\"}}",
                i + 1
            )
        })
        .collect();
    let text = format!(
        "{{\"StartAt\": \"S0\", \"States\": {{\n{},\n\"S2000\": {{\"Type\": \"Succeed\"}}}}}}",
        states.join(",\n")
    );
    let start = Instant::now();
    let a = asl::analyze(&text);
    let took = start.elapsed();
    assert_eq!(a.diagnostics.len(), 4000);
    println!("4,000 diagnostics in {took:?}");
    assert!(took.as_millis() < 4000, "{took:?}");
}
