//! `statewright validate [--format text|json] FILE...`: the brief's fixed interface.

use crate::input::read_text;
use asl::{Diagnostic, Severity};
use serde_json::json;

/// Runs the subcommand; returns the exit code (0 clean, 1 an error found, 2 usage or I/O error).
pub fn main(args: &[String]) -> u8 {
    let mut format = "text";
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--format" => match it.next().map(String::as_str) {
                Some(f @ ("text" | "json")) => format = f,
                other => {
                    eprintln!("statewright validate: --format takes text or json, got {other:?}");
                    return 2;
                }
            },
            f if f.starts_with("--format=") => match &f[9..] {
                "text" => format = "text",
                "json" => format = "json",
                other => {
                    eprintln!("statewright validate: --format takes text or json, got {other:?}");
                    return 2;
                }
            },
            f if f.starts_with("--") => {
                eprintln!("statewright validate: unknown option {f}");
                return 2;
            }
            f => files.push(f.to_string()),
        }
    }
    if files.is_empty() {
        eprintln!("usage: statewright validate [--format text|json] FILE...");
        return 2;
    }
    let mut code = 0;
    for file in &files {
        let text = match read_text(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("statewright validate: {e}");
                code = 2;
                continue;
            }
        };
        let analysis = asl::analyze(&text);
        let failed = analysis.has_errors();
        if failed && code == 0 {
            code = 1;
        }
        match format {
            "json" => println!("{}", json_line(file, failed, &analysis.diagnostics)),
            _ => {
                for d in &analysis.diagnostics {
                    println!("{}", text_line(file, d));
                }
            }
        }
    }
    code
}

fn position(d: &Diagnostic) -> (usize, usize) {
    d.span.map_or((1, 1), |s| (s.line, s.column))
}

fn text_line(file: &str, d: &Diagnostic) -> String {
    let (line, col) = position(d);
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!("{file}:{line}:{col}: {sev}[{}]: {}", d.code, d.message)
}

fn json_line(file: &str, failed: bool, diags: &[Diagnostic]) -> serde_json::Value {
    let diagnostics: Vec<_> = diags
        .iter()
        .map(|d| {
            let (line, col) = position(d);
            json!({"severity": d.severity, "code": d.code, "message": d.message,
                   "location": d.location, "line": line, "column": col})
        })
        .collect();
    json!({"file": file, "result": if failed { "FAIL" } else { "OK" }, "diagnostics": diagnostics})
}
