//! No panics on any input: every suite expression, and every prefix of it, is parsed and
//! evaluated (with a small step budget) against a few documents; errors are fine, panics are not.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn suite_dir() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("STATEWRIGHT_CONFORMANCE") {
        return Some(Path::new(&p).join("jsonata"));
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/conformance/jsonata"))
        .find(|p| p.exists())
}

fn expressions(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("groups"))
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    for f in files {
        let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        for c in cases {
            if let Some(e) = c["expr"].as_str() {
                out.push(e.to_string());
            }
        }
    }
    out
}

#[test]
fn no_panics_on_suite_expressions_and_their_prefixes() {
    let Some(dir) = suite_dir().filter(|d| d.exists()) else {
        println!("skipped: conformance data not found");
        return;
    };
    let exprs = expressions(&dir);
    let inputs = [
        json!({"a": [1, {"b": "x"}, [2, 3]], "c": {"d": null, "e": true}, "s": "text"}),
        json!([1, "two", {"three": 3}]),
        json!("str"),
    ];
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(move || {
            let mut b = jsonata::Bindings::default();
            b.environment.max_steps = 20_000;
            let mut evaluated = 0;
            for e in &exprs {
                let chars: Vec<char> = e.chars().collect();
                let step = (chars.len() / 12).max(1);
                let mut cut = 0;
                while cut <= chars.len() {
                    let src: String = chars[..cut].iter().collect();
                    if let Ok(x) = jsonata::parse(&src) {
                        for input in &inputs {
                            let _ = x.evaluate(Some(input), &b);
                            evaluated += 1;
                        }
                    }
                    cut += step;
                }
            }
            evaluated
        })
        .unwrap();
    let evaluated = handle
        .join()
        .expect("a panic while evaluating suite expressions");
    assert!(evaluated > 1000);
}
