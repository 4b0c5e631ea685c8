//! `statewright jsonata EXPR [--input FILE|-] [--bindings FILE]`: evaluate a JSONata expression.

use crate::input::read_text;
use serde_json::{Value, json};

const USAGE: &str = "usage: statewright jsonata EXPR [--input FILE|-] [--bindings FILE]";

fn read_json(path: &str, what: &str) -> Result<Value, String> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| format!("{what} {path}: {e}"))
}

/// Runs the subcommand; returns the exit code (0 a result or undefined, 1 an evaluation or
/// syntax error, 2 usage or I/O errors).
pub fn main(args: &[String]) -> u8 {
    let mut expr: Option<&str> = None;
    let mut input_path: Option<&str> = None;
    let mut bindings_path: Option<&str> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--input" => match it.next() {
                Some(p) => input_path = Some(p),
                None => {
                    eprintln!("statewright jsonata: --input needs a file (or -)\n{USAGE}");
                    return 2;
                }
            },
            "--bindings" => match it.next() {
                Some(p) => bindings_path = Some(p),
                None => {
                    eprintln!("statewright jsonata: --bindings needs a file\n{USAGE}");
                    return 2;
                }
            },
            a if a.starts_with("--input=") => input_path = Some(&a[8..]),
            a if a.starts_with("--bindings=") => bindings_path = Some(&a[11..]),
            a if a.starts_with("--") => {
                eprintln!("statewright jsonata: unknown option {a}\n{USAGE}");
                return 2;
            }
            a => {
                if expr.is_some() {
                    eprintln!("statewright jsonata: more than one expression given\n{USAGE}");
                    return 2;
                }
                expr = Some(a);
            }
        }
    }
    let Some(expr) = expr else {
        eprintln!("{USAGE}");
        return 2;
    };
    let input = match input_path.map(|p| read_json(p, "input")).transpose() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("statewright jsonata: {e}");
            return 2;
        }
    };
    let mut bindings = jsonata::Bindings::default();
    if let Some(p) = bindings_path {
        match read_json(p, "bindings") {
            Ok(Value::Object(m)) => bindings.variables = m,
            Ok(_) => {
                eprintln!("statewright jsonata: bindings {p}: must be a JSON object");
                return 2;
            }
            Err(e) => {
                eprintln!("statewright jsonata: {e}");
                return 2;
            }
        }
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    bindings.environment.now_millis = now;
    bindings.environment.seed = now as u64;
    let result = jsonata::parse(expr).and_then(|e| e.evaluate(input.as_ref(), &bindings));
    match result {
        Ok(Some(v)) => {
            println!("{v}");
            0
        }
        Ok(None) => 0,
        Err(e) => {
            println!("{}", json!({"code": e.code, "message": e.message}));
            1
        }
    }
}
