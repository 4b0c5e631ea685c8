//! Build script: reads the AWS-recorded conformance cases (never copied into the repo), runs them natively
//! through `asl`, and embeds case + native verdict in OUT_DIR so the wasm tests can compare byte for byte.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use verdict::diagnostics;

#[path = "src/verdict.rs"]
mod verdict;

fn conformance_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("STATEWRIGHT_CONFORMANCE") {
        return Some(PathBuf::from(dir)).filter(|d| d.is_dir());
    }
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    manifest
        .ancestors()
        .map(|a| a.join("shared/conformance"))
        .find(|d| d.is_dir())
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn main() {
    println!("cargo:rerun-if-env-changed=STATEWRIGHT_CONFORMANCE");
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let mut cases = Vec::new();
    let mut source = String::from("absent");
    if let Some(dir) = conformance_dir() {
        source = dir.display().to_string();
        println!("cargo:rerun-if-changed={}", dir.display());
        for sub in ["validate", "invalid-definitions"] {
            for file in json_files(&dir.join("localstack").join(sub)) {
                let Ok(case) =
                    std::fs::read_to_string(&file).map(|t| serde_json::from_str::<Value>(&t))
                else {
                    continue;
                };
                let Ok(case) = case else { continue };
                let text = case
                    .pointer("/request/definition")
                    .or_else(|| case.get("definition_text"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| case.get("definition").map(|d| d.to_string()));
                if let Some(text) = text {
                    let native = diagnostics(&text);
                    cases.push(json!({"kind": "validate", "name": format!("{sub}/{}", file.display()), "text": text, "native": native}));
                }
            }
        }
        // Every JSONPath execution case: its definition is validated and simulated natively here.
        for file in json_files(&dir.join("localstack/executions")) {
            let Ok(Ok(case)) =
                std::fs::read_to_string(&file).map(|t| serde_json::from_str::<Value>(&t))
            else {
                continue;
            };
            let Some(def) = case.get("definition") else {
                continue;
            };
            let text = serde_json::to_string_pretty(def).unwrap_or_default();
            let input = case.get("input").cloned().unwrap_or(Value::Null);
            let opts = asl::simulate::Options::default();
            let (outcome, history) =
                asl::simulate::run(def, input.clone(), &asl::simulate::Mocks::default(), &opts);
            let history: Vec<Value> = history.iter().map(|e| e.to_json()).collect();
            cases.push(json!({
                "kind": "execution", "name": format!("executions/{}", file.file_name().unwrap_or_default().to_string_lossy()),
                "text": text, "input": input, "native": diagnostics(&text),
                "native_outcome": outcome.to_json(), "native_history": history,
            }));
        }
    }
    let data = json!({"source": source, "cases": cases});
    std::fs::write(out.join("cases.json"), data.to_string()).expect("write cases.json");
}
