//! Conformance of the simulator against executions recorded from real AWS (LocalStack's validated snapshots):
//! `executions/`, `executions-lambda/` (Task results fed as mocks) and `test-state/`. Prints pass counts per
//! category and query language (JSONPath / JSONata) and every failure with its reason; fails when a language's
//! pass rate drops below its floor.

use asl::jsonpath::values_equal;
use asl::simulate::{self, MockResponse, MockResult, Mocks, Options, test_state};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn data_dir() -> Option<PathBuf> {
    let dir = match std::env::var("STATEWRIGHT_CONFORMANCE") {
        Ok(d) => PathBuf::from(d),
        Err(_) => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance"),
    };
    let dir = dir.join("localstack");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: conformance data not found at {}", dir.display());
        None
    }
}

fn cases(dir: &std::path::Path, sub: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
        return out;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.extension().is_some_and(|e| e == "json")
            && let Ok(text) = std::fs::read_to_string(&p)
            && let Ok(v) = serde_json::from_str::<Value>(&text)
        {
            let file = p
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default();
            out.push((file, v));
        }
    }
    out
}

/// LocalStack's snapshot rewrite: inside an object, a string starting with `{` that parses as JSON becomes the
/// parsed value.
fn rewrite(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let nv = match v {
                        Value::String(s) if s.starts_with('{') => {
                            match serde_json::from_str::<Value>(s) {
                                Ok(parsed) => rewrite(&parsed),
                                Err(_) => v.clone(),
                            }
                        }
                        other => rewrite(other),
                    };
                    (k.clone(), nv)
                })
                .collect::<Map<_, _>>(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(rewrite).collect()),
        other => other.clone(),
    }
}

fn uses_jsonata(case: &Value) -> bool {
    case.pointer("/meta/query_language")
        .and_then(Value::as_array)
        .is_some_and(|l| l.iter().any(|q| q == "JSONata"))
        || case.to_string().contains("\"QueryLanguage\":\"JSONata\"")
}

/// Equal as JSON, numbers by value; a `{`-string on either side also equals its parsed value (the snapshot
/// rewrite was not applied everywhere).
fn loose_equal(a: &Value, e: &Value) -> bool {
    if values_equal(a, e) {
        return true;
    }
    let parsed = |v: &Value| match v {
        Value::String(s) if s.starts_with('{') || s.starts_with('[') => {
            serde_json::from_str::<Value>(s).ok()
        }
        _ => None,
    };
    match (a, e) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| loose_equal(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| loose_equal(v, w))
        }
        (Value::String(_), _) if parsed(a).is_some_and(|p| loose_equal(&p, e)) => true,
        (_, Value::String(_)) => parsed(e).is_some_and(|p| loose_equal(a, &p)),
        _ => false,
    }
}

/// `"04-11-2024, 11:02:29"` (day-month-year) as epoch milliseconds.
fn recorded_ms(case: &Value) -> Option<i64> {
    let s = case.pointer("/meta/recorded_date")?.as_str()?;
    let (date, time) = s.split_once(", ")?;
    let d: Vec<&str> = date.split('-').collect();
    let iso = format!("{}-{}-{}T{}Z", d.get(2)?, d.get(1)?, d.first()?, time);
    simulate::time::parse_timestamp(&iso)
}

fn check_execution(case: &Value, mocks: &Mocks) -> Result<(), String> {
    let def = case.get("definition").ok_or("no definition")?;
    let input = case.get("input").cloned().unwrap_or(Value::Null);
    let mut opts = Options::default();
    if let Some(ms) = recorded_ms(case) {
        opts.start_time_ms = ms;
    }
    let (out, events) = simulate::run(def, input.clone(), mocks, &opts);
    // A compiled plan runs exactly the same.
    let plan = simulate::Plan::compile(def);
    let (planned, planned_events) = plan.run(input.clone(), mocks, &opts);
    if planned != out || planned_events != events {
        return Err("Plan::run gave another outcome or history than run".into());
    }
    // Without history: the same outcome.
    if plan.outcome(input.clone(), mocks, &opts) != out
        || simulate::run_outcome(def, input, mocks, &opts) != out
    {
        return Err("a run without history gave another outcome than run".into());
    }
    let exp = case.get("expected").ok_or("no expected")?;
    let status = exp.get("status").and_then(Value::as_str).unwrap_or("");
    if out.status.as_str() != status {
        return Err(format!(
            "status {} (error {:?}, cause {:?}) but AWS gave {status}",
            out.status.as_str(),
            out.error,
            out.cause
        ));
    }
    if status == "SUCCEEDED" {
        let actual = rewrite(&out.output.clone().unwrap_or(Value::Null));
        let expected = exp.get("output").cloned().unwrap_or(Value::Null);
        if !loose_equal(&actual, &expected) {
            return Err(format!("output {actual} but AWS gave {expected}"));
        }
    } else {
        let e = exp.get("error").and_then(Value::as_str);
        let c = exp.get("cause").and_then(Value::as_str);
        if out.error.as_deref() != e || out.cause.as_deref() != c {
            return Err(format!(
                "error {:?} / cause {:?} but AWS gave {e:?} / {c:?}",
                out.error, out.cause
            ));
        }
    }
    Ok(())
}

/// Names of every Task state in a definition (nested Parallel branches and Map processors too).
fn task_states(def: &Value, out: &mut Vec<String>, depth: usize) {
    let Some(states) = def.get("States").and_then(Value::as_object) else {
        return;
    };
    if depth > 16 {
        return;
    }
    for (name, st) in states {
        if st.get("Type").and_then(Value::as_str) == Some("Task") {
            out.push(name.clone());
        }
        for b in st
            .get("Branches")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            task_states(b, out, depth + 1);
        }
        // A distributed Map runs child executions whose events (and so results) are not in the recorded
        // history: their Tasks stay unmocked.
        if let Some(p) = st.get("ItemProcessor").or_else(|| st.get("Iterator"))
            && p.pointer("/ProcessorConfig/Mode").and_then(Value::as_str) != Some("DISTRIBUTED")
        {
            task_states(p, out, depth + 1);
        }
    }
}

/// `meta.task_results` as mocks: the recorded results in order; an invocation past the recorded ones never
/// answered (AWS recorded no result), so it is a call that never returns and only a timeout ends it. (Tasks of
/// a distributed Map are not in the parent's history and stay unmocked.)
fn lambda_mocks(case: &Value) -> Mocks {
    let mut m = Mocks::default();
    let results = case.pointer("/meta/task_results").and_then(Value::as_array);
    for r in results.into_iter().flatten() {
        let state = r.get("state").and_then(Value::as_str).unwrap_or("");
        let text = |v: Option<&Value>| match v {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        };
        let result = match r.get("kind").and_then(Value::as_str) {
            Some("succeeded") => {
                MockResult::Return(r.get("output").cloned().unwrap_or(Value::Null))
            }
            _ => MockResult::Throw {
                error: text(r.get("error")).unwrap_or_default(),
                cause: text(r.get("cause")),
            },
        };
        m.push(
            state,
            MockResponse {
                result,
                duration_seconds: 0.0,
            },
        );
    }
    let mut tasks = Vec::new();
    if let Some(def) = case.get("definition") {
        task_states(def, &mut tasks, 0);
    }
    for t in tasks {
        m.push(
            &t,
            MockResponse {
                result: MockResult::Return(Value::Null),
                duration_seconds: f64::INFINITY,
            },
        );
    }
    m
}

fn check_test_state(case: &Value) -> Result<(), String> {
    let req = case.get("request").ok_or("no request")?;
    let actual = rewrite(&test_state::test_state(req, &Options::default()));
    let expected = case.get("expected").ok_or("no expected")?;
    if expected.get("exception_typename").is_some() {
        // The client raised: AWS answered with an API error whose message is in exception_value.
        let msg = expected
            .get("exception_value")
            .and_then(Value::as_str)
            .unwrap_or("");
        let code = expected
            .get("exception_typename")
            .and_then(Value::as_str)
            .unwrap_or("");
        let got_code = actual
            .pointer("/Error/Code")
            .and_then(Value::as_str)
            .unwrap_or("");
        let got_msg = actual
            .pointer("/Error/Message")
            .and_then(Value::as_str)
            .unwrap_or("");
        if got_code == code && msg.ends_with(got_msg) && !got_msg.is_empty() {
            return Ok(());
        }
        return Err(format!("got {actual} but AWS raised {code}: {msg}"));
    }
    let mut expected = rewrite(expected);
    if let Value::Object(m) = &mut expected {
        m.remove("message");
    }
    if loose_equal(&actual, &expected) {
        Ok(())
    } else {
        Err(format!("got {actual}\n        AWS {expected}"))
    }
}

struct Tally {
    by_category: BTreeMap<String, (usize, usize)>,
    failures: Vec<String>,
}

impl Tally {
    fn new() -> Self {
        Tally {
            by_category: BTreeMap::new(),
            failures: Vec::new(),
        }
    }

    fn record(&mut self, category: &str, file: &str, name: &str, r: Result<(), String>) {
        let e = self.by_category.entry(category.to_string()).or_default();
        let lang = category.split('/').next().unwrap_or("");
        let name = format!("[{lang}] {name}");
        e.1 += 1;
        match r {
            Ok(()) => e.0 += 1,
            Err(why) => self.failures.push(format!("  {file} {name}\n      {why}")),
        }
    }

    fn totals(&self) -> (usize, usize) {
        self.by_category
            .values()
            .fold((0, 0), |(p, t), (a, b)| (p + a, t + b))
    }

    /// Fail when a language's pass rate (percent) is below its floor.
    fn check_floor(&self, title: &str, json_path: usize, jsonata: usize) {
        for (lang, floor) in [("JSONPath", json_path), ("JSONata", jsonata)] {
            let (p, total) = self.lang_totals(lang);
            assert!(
                total == 0 || p * 100 >= total * floor,
                "{title} {lang} pass rate fell: {p}/{total} (floor {floor} %)"
            );
        }
    }

    /// Pass count and total of one query language (categories are `lang/category`).
    fn lang_totals(&self, lang: &str) -> (usize, usize) {
        self.by_category
            .iter()
            .filter(|(k, _)| k.split('/').next() == Some(lang))
            .fold((0, 0), |(p, t), (_, (a, b))| (p + a, t + b))
    }

    fn print(&self, title: &str) {
        let (p, t) = self.totals();
        println!("== {title}: {p}/{t} passed");
        for lang in ["JSONPath", "JSONata"] {
            let (a, b) = self.lang_totals(lang);
            println!("   {lang}: {a}/{b}");
        }
        for (cat, (a, b)) in &self.by_category {
            println!("   {cat}: {a}/{b}");
        }
        for f in &self.failures {
            println!("{f}");
        }
    }
}

/// `JSONPath/category` or `JSONata/category`.
fn lang_category(case: &Value, category: &str) -> String {
    let lang = if uses_jsonata(case) {
        "JSONata"
    } else {
        "JSONPath"
    };
    format!("{lang}/{category}")
}

fn short_name(case: &Value) -> String {
    let n = case.get("name").and_then(Value::as_str).unwrap_or("");
    n.rsplit("::").next().unwrap_or(n).to_string()
}

#[test]
fn executions_conformance() {
    let Some(dir) = data_dir() else { return };
    let mut t = Tally::new();
    for (file, case) in cases(&dir, "executions") {
        let cat = case
            .pointer("/meta/category")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let cat = lang_category(&case, cat);
        let r = std::panic::catch_unwind(|| check_execution(&case, &Mocks::default()))
            .unwrap_or_else(|_| Err("PANIC".into()));
        t.record(&cat, &file, &short_name(&case), r);
    }
    t.print("executions");
    t.check_floor("executions", 100, 98);
}

#[test]
fn executions_lambda_conformance() {
    let Some(dir) = data_dir() else { return };
    let mut t = Tally::new();
    for (file, case) in cases(&dir, "executions-lambda") {
        let cat = case
            .pointer("/meta/category")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let cat = lang_category(&case, cat);
        let mocks = lambda_mocks(&case);
        let r = std::panic::catch_unwind(|| check_execution(&case, &mocks))
            .unwrap_or_else(|_| Err("PANIC".into()));
        t.record(&cat, &file, &short_name(&case), r);
    }
    t.print("executions-lambda");
    t.check_floor("executions-lambda", 100, 100);
}

#[test]
fn test_state_conformance() {
    let Some(dir) = data_dir() else { return };
    let mut t = Tally::new();
    for (file, case) in cases(&dir, "test-state") {
        let r = std::panic::catch_unwind(|| check_test_state(&case))
            .unwrap_or_else(|_| Err("PANIC".into()));
        t.record(
            &lang_category(&case, "test_state"),
            &file,
            &short_name(&case),
            r,
        );
    }
    t.print("test-state");
    t.check_floor("test-state", 94, 98);
}
