//! Every starter template validates without errors and every test case runs in the simulator as expected.

use super::*;
use crate::share::{ShareEnvelope, encode};
use asl::Severity;
use asl::simulate::{Options, run};
use std::collections::BTreeSet;

#[test]
fn gallery_has_at_least_ten_unique_templates() {
    let all = templates();
    assert!(all.len() >= 10, "only {} templates", all.len());
    let ids: BTreeSet<_> = all.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), all.len(), "duplicate template ids");
}

#[test]
fn every_template_validates_without_errors() {
    for t in templates() {
        let analysis = asl::analyze(t.definition);
        for d in &analysis.diagnostics {
            println!(
                "{}: {:?} {} {} at {}",
                t.id, d.severity, d.code, d.message, d.location
            );
        }
        let errors: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{} {} at {}", d.code, d.message, d.location))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", t.id);
        assert!(analysis.definition.is_some(), "{} did not parse", t.id);
    }
}

#[test]
fn every_test_case_matches_its_expectation() {
    for t in templates() {
        assert!(!t.test_cases.is_empty(), "{} has no test case", t.id);
        let definition: Value = serde_json::from_str(t.definition).expect("template JSON");
        let mut names = BTreeSet::new();
        for c in &t.test_cases {
            assert!(
                names.insert(c.name),
                "{}: duplicate case '{}'",
                t.id,
                c.name
            );
            let mocks = c
                .mocks(t.id)
                .unwrap_or_else(|e| panic!("{} / {}: {e}", t.id, c.name));
            let states = state_names(&definition);
            for mocked in mocks.by_state.keys() {
                assert!(
                    states.contains(mocked.as_str()),
                    "{} / {}: mocks '{mocked}', which is no state of the template",
                    t.id,
                    c.name
                );
            }
            let (outcome, _history) =
                run(&definition, c.input.clone(), &mocks, &Options::default());
            let label = format!("{} / {}", t.id, c.name);
            assert!(
                outcome.warnings.is_empty(),
                "{label}: simulator warnings {:?}",
                outcome.warnings
            );
            assert_eq!(
                outcome.status,
                c.expected.status,
                "{label}: {:?}",
                outcome.to_json()
            );
            assert_eq!(outcome.output, c.expected.output, "{label}");
            assert_eq!(outcome.error.as_deref(), c.expected.error, "{label}");
            if let Some(ms) = c.expected.duration_ms {
                assert_eq!(outcome.duration_ms, ms, "{label}: duration");
            }
            if c.expected.cause.is_some() {
                assert_eq!(outcome.cause.as_deref(), c.expected.cause, "{label}");
            }
        }
    }
}

#[test]
fn share_links_stay_short() {
    for t in templates() {
        let input = t.test_cases.first().map(|c| c.input.to_string());
        let link = encode(&ShareEnvelope {
            definition: t.definition.to_string(),
            input,
            ..ShareEnvelope::default()
        });
        println!("link size: {} {}", t.id, link.len());
        let back = crate::share::decode(&link).expect("a template's link decodes");
        assert_eq!(back.definition, t.definition, "{}", t.id);
        assert!(
            link.len() <= 2_500,
            "{}: share link of {} chars",
            t.id,
            link.len()
        );
    }
}

/// Every state name of a definition, nested Parallel branches and Map processors included.
fn state_names(definition: &Value) -> BTreeSet<String> {
    fn walk(machine: &Value, out: &mut BTreeSet<String>, depth: usize) {
        let Some(states) = machine.get("States").and_then(Value::as_object) else {
            return;
        };
        if depth > 8 {
            return;
        }
        for (name, state) in states {
            out.insert(name.clone());
            for branch in state
                .get("Branches")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                walk(branch, out, depth + 1);
            }
            for key in ["ItemProcessor", "Iterator"] {
                if let Some(p) = state.get(key) {
                    walk(p, out, depth + 1);
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(definition, &mut out, 0);
    out
}

/// The approval request carries the callback token from `$$.Task.Token` to the approver.
#[test]
fn approval_request_carries_the_task_token() {
    let t = templates()
        .into_iter()
        .find(|t| t.id == "human-approval")
        .expect("the human-approval template");
    let c = &t.test_cases[0];
    let definition: Value = serde_json::from_str(t.definition).expect("template JSON");
    let mocks = c.mocks(t.id).expect("mocks");
    let (_, history) = run(&definition, c.input.clone(), &mocks, &Options::default());
    let scheduled = history
        .iter()
        .find(|e| e.kind == "TaskScheduled")
        .expect("a TaskScheduled event");
    assert_eq!(
        scheduled.details()["resource"],
        "sendMessage.waitForTaskToken"
    );
    let parameters: Value = serde_json::from_str(
        scheduled.details()["parameters"]
            .as_str()
            .expect("parameters text"),
    )
    .expect("parameters JSON");
    let token = parameters["MessageBody"]["taskToken"]
        .as_str()
        .expect("a task token string");
    assert!(token.len() >= 16, "token {token:?}");
    assert_eq!(parameters["MessageBody"]["requestId"], "chg-314");
}
