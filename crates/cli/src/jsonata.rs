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
    let (code, out) = run(args);
    if !out.is_empty() {
        println!("{out}");
    }
    code
}

/// The exit code and what to print on standard output (usage problems go to standard error).
fn run(args: &[String]) -> (u8, String) {
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
                    return (2, String::new());
                }
            },
            "--bindings" => match it.next() {
                Some(p) => bindings_path = Some(p),
                None => {
                    eprintln!("statewright jsonata: --bindings needs a file\n{USAGE}");
                    return (2, String::new());
                }
            },
            a if a.starts_with("--input=") => input_path = Some(&a[8..]),
            a if a.starts_with("--bindings=") => bindings_path = Some(&a[11..]),
            a if a.starts_with("--") => {
                eprintln!("statewright jsonata: unknown option {a}\n{USAGE}");
                return (2, String::new());
            }
            a => {
                if expr.is_some() {
                    eprintln!("statewright jsonata: more than one expression given\n{USAGE}");
                    return (2, String::new());
                }
                expr = Some(a);
            }
        }
    }
    let Some(expr) = expr else {
        eprintln!("{USAGE}");
        return (2, String::new());
    };
    let input = match input_path.map(|p| read_json(p, "input")).transpose() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("statewright jsonata: {e}");
            return (2, String::new());
        }
    };
    let mut bindings = jsonata::Bindings::default();
    if let Some(p) = bindings_path {
        match read_json(p, "bindings") {
            Ok(Value::Object(m)) => bindings.variables = m,
            Ok(_) => {
                eprintln!("statewright jsonata: bindings {p}: must be a JSON object");
                return (2, String::new());
            }
            Err(e) => {
                eprintln!("statewright jsonata: {e}");
                return (2, String::new());
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
        Ok(Some(v)) => (0, v.to_string()),
        Ok(None) => (0, String::new()),
        Err(e) => (1, json!({"code": e.code, "message": e.message}).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::run;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    fn temp_file(name: &str, text: &str) -> String {
        let p =
            std::env::temp_dir().join(format!("statewright-jsonata-{}-{name}", std::process::id()));
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }

    #[test]
    fn prints_result_undefined_and_errors() {
        let input = temp_file("in.json", r#"{"items": [{"p": 2}, {"p": 3}]}"#);
        let bindings = temp_file("b.json", r#"{"rate": 10}"#);
        let rows: &[(&[&str], u8, &str)] = &[
            (
                &[
                    "$sum(items.p) * $rate",
                    "--input",
                    &input,
                    "--bindings",
                    &bindings,
                ],
                0,
                "50",
            ),
            (
                &["items.{'q': p}", "--input", &input],
                0,
                r#"[{"q":2},{"q":3}]"#,
            ),
            (&["nothing", "--input", &input], 0, ""),
            (
                &["1 +"],
                1,
                r#"{"code":"S0207","message":"Unexpected end of expression"}"#,
            ),
            (
                &["'a' - 1"],
                1,
                r#"{"code":"T2001","message":"The left side of the \"-\" operator must evaluate to a number"}"#,
            ),
            (&[], 2, ""),
            (&["1", "--bogus"], 2, ""),
            (&["1", "--input", "/nonexistent/statewright.json"], 2, ""),
        ];
        for (a, code, out) in rows {
            assert_eq!(run(&args(a)), (*code, out.to_string()), "{a:?}");
        }
    }
}
