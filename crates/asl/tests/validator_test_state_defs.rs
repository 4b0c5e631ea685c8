//! The definitions recorded in localstack/test-state: every one AWS accepted must pass
//! `analyze_state` (or `analyze` for whole machines) without errors, and the ones AWS refused with
//! InvalidDefinition must fail with AWS's message.

use asl::{Options, Severity};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn dir() -> Option<PathBuf> {
    let dir = std::env::var_os("STATEWRIGHT_CONFORMANCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance")
        })
        .join("localstack/test-state");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: conformance data not found at {}", dir.display());
        None
    }
}

#[test]
fn test_state_definitions() {
    let Some(dir) = dir() else { return };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let (mut ok, mut total) = (0, 0);
    let mut failures = Vec::new();
    for f in files {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let def = &case["request"]["definition"];
        let def: Value = match def {
            Value::String(s) => serde_json::from_str(s).unwrap_or(Value::Null),
            v => v.clone(),
        };
        if !def.is_object() {
            continue;
        }
        let expected = &case["expected"];
        let invalid_definition = expected["Error"]["Code"] == "InvalidDefinition"
            && expected["Error"]["Message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Invalid State Machine Definition"));
        if expected["Error"]["Code"] == "InvalidDefinition" && !invalid_definition {
            continue; // a TestState-specific refusal (Map/Parallel unsupported, ...), not the validator's
        }
        total += 1;
        let diags = if def.get("States").is_some() {
            asl::analyze_with(
                &def.to_string(),
                &Options {
                    lints: false,
                    ..Options::default()
                },
            )
            .diagnostics
        } else {
            asl::analyze_state(
                &def,
                &Options {
                    lints: false,
                    ..Options::default()
                },
            )
        };
        let errors: Vec<_> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let good = if invalid_definition {
            asl::creation_error_message(&diags).as_deref() == expected["Error"]["Message"].as_str()
        } else {
            errors.is_empty()
        };
        if good {
            ok += 1;
        } else {
            failures.push(format!(
                "{}: {:?}",
                f.display(),
                errors
                    .iter()
                    .map(|d| format!("{} {} {}", d.code, d.location, d.message))
                    .collect::<Vec<_>>()
            ));
        }
    }
    println!("localstack/test-state definitions: {ok}/{total} as AWS judged them");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
