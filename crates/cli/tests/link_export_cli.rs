//! `statewright link` and `statewright export` end to end: the link decodes back, templates carry the definition.

use serde_json::Value;
use std::process::Command;

fn statewright(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_statewright"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("statewright-link-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file");
    path.to_string_lossy().into_owned()
}

const MACHINE: &str = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Pass\",\n      \"End\": true\n    }\n  }\n}\n";

#[test]
fn link_round_trips_through_the_studio_codec() {
    let file = temp_file("m.asl.json", MACHINE);
    let (code, out, err) = statewright(&["link", &file, "--base", "https://example.test/studio/"]);
    assert_eq!(code, 0, "{err}");
    let link = out.trim();
    assert!(
        link.starts_with("https://example.test/studio/#v1:"),
        "{link}"
    );
    let envelope = studio::share::decode(link).expect("the printed link decodes");
    assert_eq!(envelope.definition, MACHINE);
}

#[test]
fn export_sam_and_cloudformation_carry_the_definition() {
    let file = temp_file("e.asl.json", MACHINE);
    let definition: Value = serde_json::from_str(MACHINE).unwrap();
    for (flag, ty) in [
        ("--sam", "AWS::Serverless::StateMachine"),
        ("--cloudformation", "AWS::StepFunctions::StateMachine"),
    ] {
        let (code, out, err) = statewright(&["export", flag, &file, "--name", "orders"]);
        assert_eq!(code, 0, "{err}");
        let template: Value = serde_json::from_str(&out).expect("a JSON template");
        assert_eq!(template["Resources"]["Orders"]["Type"], ty);
        assert_eq!(
            template["Resources"]["Orders"]["Properties"]["Definition"],
            definition
        );
    }
}

#[test]
fn export_refuses_an_invalid_definition_and_usage_errors() {
    let bad = temp_file(
        "bad.asl.json",
        r#"{"StartAt": "Nope", "States": {"A": {"Type": "Pass", "End": true}}}"#,
    );
    let (code, out, err) = statewright(&["export", "--sam", &bad]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("MISSING_TRANSITION_TARGET"), "{err}");
    assert_eq!(statewright(&["export", &bad]).0, 2);
    assert_eq!(statewright(&["link"]).0, 2);
}
