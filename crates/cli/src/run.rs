//! `statewright run DEFINITION [...]`: simulate a whole execution offline (the brief's fixed interface).

use crate::input::read_text;
use asl::simulate::{self, Mocks, Options, time};
use serde_json::{Map, Value, json};

const USAGE: &str = "usage: statewright run DEFINITION [--input FILE|-] [--input-json TEXT] [--mock-config FILE [--state-machine NAME] [--test-case NAME]] [--start-time RFC3339] [--seed N] [--history] [--cost] [--format json|text]";

struct Args {
    definition: String,
    input: Option<String>,
    input_json: Option<String>,
    mock_config: Option<String>,
    state_machine: Option<String>,
    test_case: Option<String>,
    start_time: Option<String>,
    seed: u64,
    history: bool,
    cost: bool,
    format: String,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args {
        definition: String::new(),
        input: None,
        input_json: None,
        mock_config: None,
        state_machine: None,
        test_case: None,
        start_time: None,
        seed: 0,
        history: false,
        cost: false,
        format: "json".into(),
    };
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag {
            "--input" => out.input = Some(value("--input")?),
            "--input-json" => out.input_json = Some(value("--input-json")?),
            "--mock-config" => out.mock_config = Some(value("--mock-config")?),
            "--state-machine" => out.state_machine = Some(value("--state-machine")?),
            "--test-case" => out.test_case = Some(value("--test-case")?),
            "--start-time" => out.start_time = Some(value("--start-time")?),
            "--seed" => {
                let v = value("--seed")?;
                out.seed = v
                    .parse()
                    .map_err(|_| format!("--seed takes a non-negative integer, got {v:?}"))?;
            }
            "--history" => out.history = true,
            "--cost" => out.cost = true,
            "--format" => {
                let v = value("--format")?;
                if v != "json" && v != "text" {
                    return Err(format!("--format takes json or text, got {v:?}"));
                }
                out.format = v;
            }
            f if f.starts_with("--") => return Err(format!("unknown option {f}")),
            f => positional.push(f.to_string()),
        }
    }
    match positional.as_slice() {
        [d] => out.definition = d.clone(),
        [] => return Err("missing DEFINITION".into()),
        more => return Err(format!("expected one DEFINITION, got {}", more.len())),
    }
    if out.input.is_some() && out.input_json.is_some() {
        return Err("give --input or --input-json, not both".into());
    }
    if out.mock_config.is_none() && (out.state_machine.is_some() || out.test_case.is_some()) {
        return Err("--state-machine and --test-case need --mock-config".into());
    }
    Ok(out)
}

/// The single key of an object, for defaulting `--state-machine` / `--test-case`.
fn only_key(v: Option<&Value>, what: &str) -> Result<String, String> {
    let keys: Vec<&String> = v
        .and_then(Value::as_object)
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    match keys.as_slice() {
        [k] => Ok((*k).clone()),
        [] => Err(format!("the mock config has no {what}")),
        _ => Err(format!(
            "the mock config has several {what}s ({}); choose one with --{}",
            keys.iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if what == "state machine" {
                "state-machine"
            } else {
                "test-case"
            }
        )),
    }
}

fn load_mocks(a: &Args) -> Result<(Mocks, Option<String>), String> {
    let Some(path) = &a.mock_config else {
        return Ok((Mocks::default(), None));
    };
    let text = read_text(path)?;
    let config: Value =
        serde_json::from_str(&text).map_err(|e| format!("{path}: not valid JSON: {e}"))?;
    let machine = match &a.state_machine {
        Some(m) => m.clone(),
        None => only_key(config.get("StateMachines"), "state machine")?,
    };
    let case = match &a.test_case {
        Some(c) => c.clone(),
        None => only_key(
            config.pointer(&format!(
                "/StateMachines/{}/TestCases",
                machine.replace('~', "~0").replace('/', "~1")
            )),
            "test case",
        )?,
    };
    let mocks = Mocks::from_config(&config, &machine, &case).map_err(|e| format!("{path}: {e}"))?;
    Ok((mocks, Some(machine)))
}

/// Runs the subcommand; returns the exit code (0 SUCCEEDED, 1 not succeeded, 2 usage error or invalid definition).
pub fn main(args: &[String]) -> u8 {
    let a = match parse_args(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("statewright run: {e}\n{USAGE}");
            return 2;
        }
    };
    let text = match read_text(&a.definition) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("statewright run: {e}");
            return 2;
        }
    };
    let analysis = asl::analyze(&text);
    let definition = match (&analysis.definition, analysis.has_errors()) {
        (Some(d), false) => d.clone(),
        _ => {
            for d in &analysis.diagnostics {
                let (line, col) = d.span.map_or((1, 1), |s| (s.line, s.column));
                eprintln!(
                    "{}:{line}:{col}: error[{}]: {}",
                    a.definition, d.code, d.message
                );
            }
            if analysis.diagnostics.is_empty() {
                eprintln!("{}: not a state machine definition", a.definition);
            }
            return 2;
        }
    };
    let input: Value = match (&a.input, &a.input_json) {
        (Some(path), _) => match read_text(path).and_then(|t| {
            serde_json::from_str(&t).map_err(|e| format!("{path}: not valid JSON: {e}"))
        }) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("statewright run: {e}");
                return 2;
            }
        },
        (None, Some(t)) => match serde_json::from_str(t) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("statewright run: --input-json is not valid JSON: {e}");
                return 2;
            }
        },
        (None, None) => json!({}),
    };
    let (mocks, machine) = match load_mocks(&a) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("statewright run: {e}");
            return 2;
        }
    };
    let mut opts = Options {
        seed: a.seed,
        ..Options::default()
    };
    if let Some(m) = machine {
        opts.state_machine_name = m;
    }
    if let Some(t) = &a.start_time {
        match time::parse_timestamp(t) {
            Some(ms) => opts.start_time_ms = ms,
            None => {
                eprintln!(
                    "statewright run: --start-time must be an RFC 3339 timestamp such as 2025-01-01T00:00:00Z, got {t:?}"
                );
                return 2;
            }
        }
    }
    // Without --history nothing reads the events: the run keeps none (the outcome is the same).
    let (outcome, history) = if a.history {
        simulate::run(&definition, input, &mocks, &opts)
    } else {
        (
            simulate::run_outcome(&definition, input, &mocks, &opts),
            Vec::new(),
        )
    };
    for w in &outcome.warnings {
        eprintln!("warning: {w}");
    }
    if a.format == "text" {
        println!("status: {}", outcome.status.as_str());
        if let Some(o) = &outcome.output {
            println!(
                "output: {}",
                serde_json::to_string_pretty(o).unwrap_or_default()
            );
        }
        if let Some(e) = &outcome.error {
            println!("error: {e}");
        }
        if let Some(c) = &outcome.cause {
            println!("cause: {c}");
        }
        let c = &outcome.cost;
        println!(
            "cost: standard ${:.6} ({} state transitions); express ${:.8} ({} ms billed at {} MB)",
            c.standard_usd,
            c.state_transitions,
            c.express_usd,
            c.express_billed_ms,
            c.express_billed_mb
        );
        if a.history {
            for e in &history {
                let details = e.details();
                let name = details.get("name").and_then(Value::as_str).unwrap_or("");
                println!(
                    "{:>5} {:>5} {} {:<28} {name}{}",
                    e.id,
                    e.previous_event_id,
                    time::format_timestamp(e.timestamp_ms),
                    e.kind,
                    e.note
                        .as_deref()
                        .map(|n| format!("  ({n})"))
                        .unwrap_or_default()
                );
            }
        }
    } else {
        let mut m = Map::new();
        m.insert("status".into(), json!(outcome.status.as_str()));
        match &outcome.output {
            Some(o) => {
                m.insert("output".into(), o.clone());
            }
            None => {
                m.insert("error".into(), json!(outcome.error));
                m.insert("cause".into(), json!(outcome.cause));
            }
        }
        if a.cost {
            m.insert(
                "cost".into(),
                serde_json::to_value(&outcome.cost).unwrap_or(Value::Null),
            );
        }
        if a.history {
            m.insert(
                "history".into(),
                Value::Array(history.iter().map(|e| e.to_json()).collect()),
            );
        }
        println!("{}", Value::Object(m));
    }
    if outcome.status == simulate::Status::Succeeded {
        0
    } else {
        1
    }
}
