//! `statewright validate [--format text|json] [--type standard|express] FILE...`: the brief's fixed
//! interface. Text: `FILE:LINE:COL: error[CODE]: message`; json: one line per file. Exit 0 when no
//! file has an error, 1 when one has, 2 on usage or I/O errors. `-` reads standard input; YAML or
//! JSON is chosen by extension (.yaml/.yml, .json), else by content.

use crate::input::read_text;
use asl::syntax::Format;
use asl::{Diagnostic, MachineType, Options, Severity};
use serde_json::json;
use std::io::Write;

const USAGE: &str =
    "usage: statewright validate [--format text|json] [--type standard|express] FILE...";

/// Runs the subcommand; returns the exit code (0 clean, 1 an error found, 2 usage or I/O error).
pub fn main(args: &[String]) -> u8 {
    let mut format = "text";
    let mut machine_type = MachineType::Standard;
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        match name {
            "--format" | "--type" => {
                let Some(value) = inline.or_else(|| it.next().cloned()) else {
                    eprintln!("statewright validate: {name} needs a value\n{USAGE}");
                    return 2;
                };
                match (name, value.as_str()) {
                    ("--format", "text") => format = "text",
                    ("--format", "json") => format = "json",
                    ("--type", v) if v.eq_ignore_ascii_case("standard") => {
                        machine_type = MachineType::Standard;
                    }
                    ("--type", v) if v.eq_ignore_ascii_case("express") => {
                        machine_type = MachineType::Express;
                    }
                    _ => {
                        eprintln!("statewright validate: bad value {value:?} for {name}\n{USAGE}");
                        return 2;
                    }
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return 0;
            }
            f if f.starts_with("--") => {
                eprintln!("statewright validate: unknown option {f}\n{USAGE}");
                return 2;
            }
            f => files.push(f.to_string()),
        }
    }
    if files.is_empty() {
        eprintln!("{USAGE}");
        return 2;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
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
        let options = Options {
            machine_type,
            format: format_of(file),
            lints: true,
        };
        let analysis = asl::validate_with(&text, &options);
        let failed = analysis.has_errors();
        if failed && code == 0 {
            code = 1;
        }
        let written = match format {
            "json" => writeln!(out, "{}", json_line(file, failed, &analysis.diagnostics)),
            _ => analysis
                .diagnostics
                .iter()
                .try_for_each(|d| writeln!(out, "{}", text_line(file, d))),
        };
        if written.is_err() {
            // The reader went away (a closed pipe): stop quietly.
            return code;
        }
    }
    code
}

/// The format implied by a file name's extension, if any.
fn format_of(file: &str) -> Option<Format> {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        Some(Format::Yaml)
    } else if lower.ends_with(".json") {
        Some(Format::Json)
    } else {
        None
    }
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
    let message = d.message.lines().next().unwrap_or("");
    format!("{file}:{line}:{col}: {sev}[{}]: {message}", d.code)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(format_of("a.asl.yaml"), Some(Format::Yaml));
        assert_eq!(format_of("A.YML"), Some(Format::Yaml));
        assert_eq!(format_of("a.asl.json"), Some(Format::Json));
        assert_eq!(format_of("-"), None);
    }

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn exit_codes_follow_the_fixed_interface() {
        let dir = std::env::temp_dir().join(format!("statewright-validate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ok = dir.join("ok.asl.json");
        let bad = dir.join("bad.asl.yaml");
        std::fs::write(&ok, r#"{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}"#).unwrap();
        std::fs::write(
            &bad,
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n",
        )
        .unwrap();
        let ok = ok.to_string_lossy().to_string();
        let bad = bad.to_string_lossy().to_string();
        assert_eq!(main(&args(&[&ok])), 0);
        assert_eq!(main(&args(&["--format", "json", &ok, &bad])), 1);
        assert_eq!(
            main(&args(&["--format=text", "--type", "express", &bad])),
            1
        );
        assert_eq!(main(&args(&[&ok, "/nonexistent/statewright.json"])), 2);
        assert_eq!(main(&args(&[])), 2);
        assert_eq!(main(&args(&["--format", "xml", &ok])), 2);
        assert_eq!(main(&args(&["--bogus", &ok])), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn json_line_shape() {
        let a = asl::analyze(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}"#);
        let line = json_line("f.json", a.has_errors(), &a.diagnostics);
        assert_eq!(line["result"], "FAIL");
        let first = &line["diagnostics"][0];
        assert_eq!(first["code"], "MISSING_TRANSITION_TARGET");
        assert_eq!(first["location"], "/States/A/Next");
        assert_eq!(first["severity"], "ERROR");
        assert_eq!(
            (first["line"].as_u64(), first["column"].as_u64()),
            (Some(1), Some(52))
        );
    }

    #[test]
    fn text_line_uses_first_message_line() {
        let mut d = Diagnostic::error("INVALID_JSON_DESCRIPTION", "bad\n at [Source]", "x");
        d.span = Some(asl::Span::of("ab\ncd", 4, 4));
        assert_eq!(
            text_line("f.json", &d),
            "f.json:2:2: error[INVALID_JSON_DESCRIPTION]: bad"
        );
    }
}
