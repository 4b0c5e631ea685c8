//! Fuzz target: `definition text \0 input JSON` → when `asl::analyze` finds no errors, run the simulator
//! with small limits and a seed; it must end and never panic, and a run without history
//! (`run_outcome`) must end exactly the same way.
#![no_main]

use asl::simulate::{Limits, Mocks, Options, run, run_outcome};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (def, input) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"{}"[..]),
    };
    let text = String::from_utf8_lossy(def);
    let analysis = asl::analyze(&text);
    if analysis.has_errors() {
        return;
    }
    let Some(definition) = analysis.definition else {
        return;
    };
    let input: Value = serde_json::from_slice(input).unwrap_or(Value::Null);
    let options = Options {
        seed: data.len() as u64,
        limits: Limits {
            max_payload_bytes: 64 * 1024,
            max_events: 2_000,
        },
        ..Options::default()
    };
    let (outcome, events) = run(&definition, input.clone(), &Mocks::default(), &options);
    assert_eq!(
        run_outcome(&definition, input, &Mocks::default(), &options),
        outcome,
        "a run without history ended differently"
    );
    assert!(
        events.len() <= 2_100,
        "history of {} events over the 2,000 limit",
        events.len()
    );
});
