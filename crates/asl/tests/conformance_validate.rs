//! Conformance of `asl::analyze` with AWS, on the recorded data in `shared/conformance`:
//! localstack/validate (codes, locations, messages), localstack/invalid-definitions (all rejected),
//! every definition AWS ran in localstack/executions* (no false errors), and the asl-validator
//! fixtures (agreement except where AWS disagrees, listed below with the reason).

use asl::{Analysis, MachineType, Options, Severity, analyze_with};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn conformance_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("STATEWRIGHT_CONFORMANCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance")
        });
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: conformance data not found at {}", dir.display());
        None
    }
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn run(text: &str, machine_type: MachineType) -> Analysis {
    analyze_with(
        text,
        &Options {
            machine_type,
            format: None,
            lints: false,
        },
    )
}

fn errors(a: &Analysis) -> Vec<String> {
    a.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {} {}", d.code, d.location, d.message))
        .collect()
}

/// LocalStack's recorder wrote fixture calls (`create_lambda_function()[...]`) where the real
/// test substituted an ARN it had just created. Put a well-formed ARN of that kind back.
fn restore_fixture_arns(v: &mut Value) {
    match v {
        Value::String(s) if s.contains("()[") && !s.starts_with("arn:") => {
            *s = if s.contains("activity") {
                "arn:aws:states:us-east-1:111111111111:activity:recorded".into()
            } else if s.contains("state_machine") {
                "arn:aws:states:us-east-1:111111111111:stateMachine:recorded".into()
            } else {
                "arn:aws:lambda:us-east-1:111111111111:function:recorded".into()
            };
        }
        Value::Array(items) => items.iter_mut().for_each(restore_fixture_arns),
        Value::Object(map) => map.values_mut().for_each(restore_fixture_arns),
        _ => {}
    }
}

fn machine_type_of(case: &Value) -> MachineType {
    let meta = &case["meta"];
    let declared = meta["state_machine_type"]
        .as_str()
        .or_else(|| case["request"]["type"].as_str());
    match declared {
        Some("EXPRESS") => MachineType::Express,
        Some(_) => MachineType::Standard,
        None => {
            let hint = format!("{} {}", meta["category"], case["name"]).to_lowercase();
            if hint.contains("express") {
                MachineType::Express
            } else {
                MachineType::Standard
            }
        }
    }
}

fn key_of(d: &Value) -> (String, String, String, String) {
    (
        d["severity"].as_str().unwrap_or("").to_string(),
        d["code"].as_str().unwrap_or("").to_string(),
        d["location"].as_str().unwrap_or("").to_string(),
        d["message"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn localstack_validate() {
    let Some(root) = conformance_dir() else {
        return;
    };
    let files = json_files(&root.join("localstack/validate"));
    let (mut pass, mut exact) = (0, 0);
    let mut failures = Vec::new();
    for f in &files {
        let case = read_json(f);
        let text = case["request"]["definition"].as_str().unwrap_or("");
        let a = run(text, machine_type_of(&case));
        let expected = &case["expected"];
        let mut want: Vec<_> = expected["diagnostics"]
            .as_array()
            .map(|d| d.iter().map(key_of).collect())
            .unwrap_or_default();
        let mut got: Vec<_> = a
            .diagnostics
            .iter()
            .map(|d| {
                key_of(&serde_json::json!({"severity": d.severity, "code": d.code,
                    "location": d.location, "message": d.message}))
            })
            .collect();
        want.sort();
        got.sort();
        let result = if a.has_errors() { "FAIL" } else { "OK" };
        let codes_locs = |v: &[(String, String, String, String)]| {
            v.iter()
                .map(|(s, c, l, _)| (s.clone(), c.clone(), l.clone()))
                .collect::<Vec<_>>()
        };
        if result == expected["result"].as_str().unwrap_or("")
            && codes_locs(&want) == codes_locs(&got)
        {
            pass += 1;
            if want == got {
                exact += 1;
            }
        } else {
            failures.push(format!("{}: want {want:?}\n   got {got:?}", f.display()));
        }
    }
    println!(
        "localstack/validate: {pass}/{} codes and locations, {exact}/{} messages too",
        files.len(),
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn localstack_invalid_definitions() {
    let Some(root) = conformance_dir() else {
        return;
    };
    let files = json_files(&root.join("localstack/invalid-definitions"));
    let (mut rejected, mut message) = (0, 0);
    let mut failures = Vec::new();
    for f in &files {
        let case = read_json(f);
        let text = case["definition_text"].as_str().unwrap_or("");
        let mut def: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        restore_fixture_arns(&mut def);
        let text = if def.is_null() {
            text.to_string()
        } else {
            serde_json::to_string(&def).unwrap()
        };
        let a = run(&text, machine_type_of(&case));
        if a.has_errors() {
            rejected += 1;
            let want = case["expected"]["message"].as_str().unwrap_or("");
            if want.starts_with("Invalid State Machine Definition") {
                // AWS's own words: the whole CreateStateMachine message must match.
                let got = asl::creation_error_message(&a.diagnostics).unwrap_or_default();
                if got == want {
                    message += 1;
                } else {
                    failures.push(format!("{}: want {want}\n   got {got}", f.display()));
                }
            } else {
                // LocalStack's wording (`Error=ValueError Args=[...]`, Python reprs): our message
                // must be the one inside it.
                let unescaped = want.replace("\\\\", "\\").replace("\\'", "'");
                if a.diagnostics.iter().any(|d| unescaped.contains(&d.message)) {
                    message += 1;
                } else {
                    failures.push(format!(
                        "{}: want {want}\n   got {:?}",
                        f.display(),
                        errors(&a)
                    ));
                }
            }
        } else {
            failures.push(format!(
                "{} accepted: {}",
                f.display(),
                case["expected"]["message"]
            ));
        }
    }
    println!(
        "localstack/invalid-definitions: {rejected}/{} rejected, {message}/{} with the recorded message",
        files.len(),
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn localstack_executions_are_accepted() {
    let Some(root) = conformance_dir() else {
        return;
    };
    let mut total = 0;
    let mut failures = Vec::new();
    for dir in ["localstack/executions", "localstack/executions-lambda"] {
        for f in json_files(&root.join(dir)) {
            let case = read_json(&f);
            let mut def = case["definition"].clone();
            restore_fixture_arns(&mut def);
            let text = serde_json::to_string_pretty(&def).unwrap();
            let a = run(&text, machine_type_of(&case));
            total += 1;
            let errs = errors(&a);
            if !errs.is_empty() {
                failures.push(format!("{}: {errs:?}", f.display()));
            }
        }
    }
    println!(
        "localstack/executions*: {}/{total} accepted",
        total - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// asl-validator fixtures whose verdict AWS does not share, with the reason.
const AWS_DISAGREES: &[(&str, &str)] = &[
    (
        "invalid/invalid-cfn-definition-substitutions.json",
        "Resource \"${lambdaArn\" is not an ARN; AWS only checks the shape of strings starting with \
         'arn:' (CloudFormation substitutions reach it already replaced), so we do not reject it",
    ),
    (
        "valid/valid-task-intrisic-function.json",
        "Resource is a CloudFormation intrinsic object ({\"Fn::GetAtt\": ...}); AWS only ever sees \
         the resolved string and rejects an object: Expected value of type [STRING]",
    ),
    (
        "valid/valid-task-credentials.json",
        "Credentials without RoleArn: AWS requires it (recorded in localstack/invalid-definitions: \
         'The field 'RoleArn' is required but was missing')",
    ),
    (
        "valid/valid-map-with-item-batcher-jsonata.json",
        "a state declaring QueryLanguage JSONPath under a JSONata machine: AWS rejects the downgrade \
         (recorded in localstack/validate INVALID_DOWNGRADE_QUERY_LANGUAGE)",
    ),
    (
        "invalid/invalid-json-surround-syntax-extra-spaces.json",
        "asl-validator policy on whitespace inside {% %}; the text between the delimiters is a \
         JSONata expression, and JSONata ignores surrounding whitespace",
    ),
    (
        "invalid/invalid-jsonata-surround-syntax-no-spaces.json",
        "asl-validator policy: {%10%} has the delimiters, and the expression needs no spaces",
    ),
    (
        "invalid/invalid-jsonata-surround-syntax-no-open.json",
        "'10 %}' does not start with '{%', so in a JSONata state it is a literal string, not an \
         expression",
    ),
];

#[test]
fn asl_validator_fixtures() {
    let Some(root) = conformance_dir() else {
        return;
    };
    let dir = root.join("asl-validator");
    let manifest = read_json(&dir.join("manifest.json"));
    let mut agree = 0;
    let mut disagreements = BTreeMap::new();
    let cases = manifest["cases"].as_array().cloned().unwrap_or_default();
    for case in &cases {
        let file = case["file"].as_str().unwrap_or("");
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let a = run(&text, MachineType::Standard);
        let valid = !a.has_errors();
        if valid == case["expected_valid"].as_bool().unwrap_or(true) {
            agree += 1;
        } else {
            disagreements.insert(file.to_string(), errors(&a));
        }
    }
    println!(
        "asl-validator: {agree}/{} agree, {} disagreements where AWS disagrees",
        cases.len(),
        disagreements.len()
    );
    let listed: Vec<&str> = AWS_DISAGREES.iter().map(|(f, _)| *f).collect();
    let unexpected: Vec<_> = disagreements
        .iter()
        .filter(|(f, _)| !listed.contains(&f.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "unlisted disagreements: {unexpected:#?}"
    );
}
