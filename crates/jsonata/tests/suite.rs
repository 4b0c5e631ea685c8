//! Runs the official JSONata test suite's AWS Step Functions profile (JSONata 2.0.6 without
//! `$eval`) under the suite README's judging rules, prints the pass count and the failures,
//! and fails if fewer cases pass than the recorded floor.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// The number of profile cases known to pass; a regression below this fails the test.
const FLOOR: usize = 1613;

fn suite_dir() -> PathBuf {
    match std::env::var("STATEWRIGHT_CONFORMANCE") {
        Ok(p) => Path::new(&p).join("jsonata"),
        Err(_) => {
            let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
            let default = manifest.join("../../../shared/conformance/jsonata");
            // a worktree may sit deeper than the main checkout: look in the ancestors too
            manifest
                .ancestors()
                .map(|a| a.join("shared/conformance/jsonata"))
                .find(|p| p.exists())
                .unwrap_or(default)
        }
    }
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn unordered_eq(a: &Value, b: &Value) -> bool {
    let (Value::Array(x), Value::Array(y)) = (a, b) else {
        return json_eq(a, b);
    };
    if x.len() != y.len() {
        return false;
    }
    let mut used = vec![false; y.len()];
    x.iter().all(|p| {
        for (i, q) in y.iter().enumerate() {
            if !used[i] && json_eq(p, q) {
                used[i] = true;
                return true;
            }
        }
        false
    })
}

/// Judge one case; `Err` describes the failure.
fn judge(case: &Value, dir: &Path, now: i64) -> Result<(), String> {
    let expr = case["expr"].as_str().unwrap_or("");
    let expected_code = case.get("code").and_then(Value::as_str);
    let compiled = match jsonata::parse(expr) {
        Ok(c) => c,
        Err(e) => {
            return if expected_code == Some(e.code.as_str()) {
                Ok(())
            } else {
                Err(format!("compile error {} ({})", e.code, e.message))
            };
        }
    };
    let input: Option<Value> = if let Some(d) = case.get("data") {
        Some(d.clone())
    } else {
        match case.get("dataset").and_then(Value::as_str) {
            Some(name) => {
                let text =
                    std::fs::read_to_string(dir.join("datasets").join(format!("{name}.json")))
                        .map_err(|e| e.to_string())?;
                Some(serde_json::from_str(&text).map_err(|e| e.to_string())?)
            }
            None => None,
        }
    };
    let mut bindings = jsonata::Bindings::default();
    if let Some(Value::Object(b)) = case.get("bindings") {
        bindings.variables = b.clone();
    }
    bindings.environment.now_millis = now;
    bindings.environment.seed = 7;
    if let (Some(t), Some(d)) = (
        case.get("timelimit").and_then(Value::as_u64),
        case.get("depth").and_then(Value::as_u64),
    ) {
        bindings.environment.max_depth = d as usize;
        bindings.environment.max_steps = t * 2000;
    }
    let result = compiled.evaluate(input.as_ref(), &bindings);
    match (result, expected_code) {
        (Err(e), Some(code)) if e.code == code => Ok(()),
        (Err(e), _) => Err(format!("error {} ({})", e.code, e.message)),
        (Ok(v), Some(code)) => Err(format!("expected error {code}, got {v:?}")),
        (Ok(v), None) => {
            if case.get("undefinedResult").and_then(Value::as_bool) == Some(true) {
                return match v {
                    None => Ok(()),
                    Some(v) => Err(format!("expected undefined, got {v}")),
                };
            }
            let Some(expected) = case.get("result") else {
                return Err("case has no expected outcome".into());
            };
            let Some(v) = v else {
                return Err(format!("got undefined, expected {expected}"));
            };
            let unordered = case.get("unordered").and_then(Value::as_bool) == Some(true);
            let ok = if unordered {
                unordered_eq(&v, expected)
            } else {
                json_eq(&v, expected)
            };
            if ok {
                Ok(())
            } else {
                Err(format!("got {v}, expected {expected}"))
            }
        }
    }
}

fn run_suite(dir: &Path) -> (usize, usize, Vec<String>) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    let profile: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("profiles/aws-step-functions.json")).unwrap(),
    )
    .unwrap();
    let max_since = profile["maxSince"].as_str().unwrap_or("2.0.6").to_string();
    let excluded: Vec<String> = profile["excludeGroups"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|g| g.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    // JSONATA_SUITE_ALL=1: every case of the suite (for information; not the acceptance run)
    let all = std::env::var("JSONATA_SUITE_ALL").is_ok_and(|v| v == "1");
    let mut groups: Vec<PathBuf> = std::fs::read_dir(dir.join("groups"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    groups.sort();
    let (mut pass, mut fail, mut failures) = (0, 0, Vec::new());
    for g in groups {
        let group = g.file_stem().unwrap().to_string_lossy().to_string();
        if excluded.contains(&group) && !all {
            continue;
        }
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(&g).unwrap()).unwrap();
        for case in cases {
            if !all && case.get("since").and_then(Value::as_str) != Some(max_since.as_str()) {
                continue;
            }
            let id = case["id"].as_str().unwrap_or("?").to_string();
            let outcome = std::panic::catch_unwind(|| judge(&case, dir, now))
                .unwrap_or_else(|_| Err("PANIC".to_string()));
            match outcome {
                Ok(()) => pass += 1,
                Err(why) => {
                    fail += 1;
                    let expr: String = case["expr"]
                        .as_str()
                        .unwrap_or("")
                        .chars()
                        .take(160)
                        .collect();
                    let why: String = why.chars().take(300).collect();
                    failures.push(format!("{group}/{id}: {expr}\n    {why}"));
                }
            }
        }
    }
    (pass, fail, failures)
}

#[test]
fn jsonata_suite_aws_profile() {
    let dir = suite_dir();
    if !dir.join("profiles/aws-step-functions.json").exists() {
        println!("skipped: conformance data not found at {}", dir.display());
        return;
    }
    let handle = std::thread::Builder::new()
        .stack_size(512 * 1024 * 1024)
        .spawn(move || run_suite(&dir))
        .unwrap();
    let (pass, fail, failures) = handle.join().unwrap();
    let report = format!(
        "jsonata suite: {pass} passed, {fail} failed (of {})\n{}\n",
        pass + fail,
        failures.join("\n")
    );
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("jsonata-suite-failures.txt");
    let _ = std::fs::write(&out, &report);
    println!(
        "jsonata suite: {pass} passed, {fail} failed (of {})",
        pass + fail
    );
    println!("failures written to {}", out.display());
    for f in failures.iter().take(60) {
        println!("{f}");
    }
    if std::env::var("JSONATA_SUITE_ALL").is_ok_and(|v| v == "1") {
        return;
    }
    assert!(pass >= FLOOR, "regression: {pass} passed, floor is {FLOOR}");
}
