//! `cargo xtask bench`: runs the criterion benchmarks (crates/asl/benches/workloads.rs,
//! crates/jsonata/benches/expressions.rs) and the npm peers (bench/peers/run.mjs) on the shared
//! workloads in the same run, then prints per workload Statewright's median, the peer's median and the
//! ratio peer ÷ Statewright (above 1 means Statewright is faster). Also prints the peak memory (max RSS)
//! of the 10,000-item map run, for the `statewright` CLI and for the peer in Node.
//!
//! `cargo xtask bench ui` instead runs the canvas benchmark (tests/e2e/perf, Playwright in Chromium) against the
//! release build on a generated 1,000-state workflow and prints its timings.
//!
//! Absolute times on shared machines drift; only same-run ratios mean anything.

use crate::{root, run};
use std::path::{Path, PathBuf};
use std::process::Command;

/// (row label, criterion id under target/criterion, peer name in run.mjs's output, name in bench/wasm's
/// output). `run-*` keep the whole history; `outcome-*` are the same runs without it (`Plan::outcome`, what
/// `statewright run` does without `--history`): the result alone, which is what the peer gives.
const ROWS: [(&str, &str, &str, &str); 11] = [
    (
        "validate-2000",
        "asl/validate-2000",
        "validate-2000",
        "validate-2000",
    ),
    ("loop", "asl/run-loop", "loop", "loop"),
    ("loop outcome", "asl/outcome-loop", "loop", "outcome-loop"),
    ("map", "asl/run-map", "map", "map"),
    ("map outcome", "asl/outcome-map", "map", "outcome-map"),
    ("chain", "asl/run-chain-x100", "chain", "chain"),
    (
        "chain outcome",
        "asl/outcome-chain-x100",
        "chain",
        "outcome-chain",
    ),
    (
        "jsonata-map",
        "jsonata/jsonata-map",
        "jsonata-map",
        "jsonata-map",
    ),
    (
        "jsonata-filter",
        "jsonata/jsonata-filter",
        "jsonata-filter",
        "jsonata-filter",
    ),
    (
        "jsonata-string",
        "jsonata/jsonata-string",
        "jsonata-string",
        "jsonata-string",
    ),
    (
        "jsonata-fields",
        "jsonata/jsonata-fields",
        "jsonata-fields",
        "jsonata-fields",
    ),
];

pub fn bench(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("ui") {
        return ui();
    }
    let workloads = workloads_dir();
    if !workloads.join("map.asl.json").is_file() {
        return Err(format!(
            "benchmark workloads not found at {}",
            workloads.display()
        ));
    }
    let target = target_dir();
    run(Command::new("cargo")
        .args(["bench", "-p", "asl", "--bench", "workloads"])
        .env("STATEWRIGHT_BENCH_WORKLOADS", &workloads))?;
    run(Command::new("cargo").args(["bench", "-p", "jsonata", "--bench", "expressions"]))?;

    let peers_dir = root().join("bench/peers");
    if !peers_dir.join("node_modules").is_dir() {
        run(Command::new("npm").arg("ci").current_dir(&peers_dir))?;
    }
    println!("xtask: timing the peers (node bench/peers/run.mjs)");
    let out = Command::new("node")
        .arg("run.mjs")
        .current_dir(&peers_dir)
        .env("WORKLOADS", with_slash(&workloads))
        .output()
        .map_err(|e| format!("could not start node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "node run.mjs failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let peers = String::from_utf8_lossy(&out.stdout).into_owned();
    let wasm = match wasm_timings(&workloads) {
        Ok(w) => Some(w),
        Err(e) => {
            println!("xtask: wasm timings skipped: {e}");
            None
        }
    };

    println!();
    println!(
        "{:<16} {:>14} {:>10} {:>12} {:>12} {:>12}",
        "workload", "native ms", "peer ms", "peer/native", "wasm ms", "peer/wasm"
    );
    let ms = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:.2}"));
    let ratio = |ours: Option<f64>, theirs: Option<f64>| match (ours, theirs) {
        (Some(o), Some(t)) if o > 0.0 => format!("{:.1}x", t / o),
        _ => "-".into(),
    };
    for (label, id, peer, wasm_name) in ROWS {
        let ours = criterion_median_ms(&target, id);
        let theirs = json_number(&peers, peer);
        let in_wasm = wasm.as_deref().and_then(|w| json_number(w, wasm_name));
        println!(
            "{:<16} {:>14} {:>10} {:>12} {:>12} {:>12}",
            label,
            ms(ours),
            ms(theirs),
            ratio(ours, theirs),
            ms(in_wasm),
            ratio(in_wasm, theirs)
        );
    }
    println!("(ratio = peer time / Statewright time: above 1 means Statewright is faster)");
    println!();
    memory(&workloads, &peers_dir)
}

/// Build bench/wasm for wasm32 (the studio's release settings), bind it for Node, time it with bench/wasm/run.mjs.
fn wasm_timings(workloads: &Path) -> Result<String, String> {
    let dir = root().join("bench/wasm");
    run(Command::new("cargo")
        .args(["build", "--release", "--target", "wasm32-unknown-unknown"])
        .current_dir(&dir)
        .env_remove("CARGO_TARGET_DIR"))?;
    run(Command::new("wasm-bindgen")
        .args(["--target", "nodejs", "--out-dir", "pkg"])
        .arg("target/wasm32-unknown-unknown/release/statewright_bench_wasm.wasm")
        .current_dir(&dir))?;
    println!("xtask: timing Statewright as wasm in node (node bench/wasm/run.mjs)");
    let out = Command::new("node")
        .arg("run.mjs")
        .current_dir(&dir)
        .env("WORKLOADS", with_slash(workloads))
        .output()
        .map_err(|e| format!("could not start node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "node bench/wasm/run.mjs failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Peak memory of the 10,000-item map: the native bench binary in a fresh process (it reads its own
/// VmHWM), and the peer in Node under /usr/bin/time -v.
fn memory(workloads: &Path, peers_dir: &Path) -> Result<(), String> {
    // One fresh process per mode: the peak is a high-water mark.
    for mode in ["history", "outcome"] {
        let out = Command::new("cargo")
            .args(["bench", "--quiet", "-p", "asl", "--bench", "workloads"])
            .current_dir(root())
            .env("STATEWRIGHT_BENCH_WORKLOADS", workloads)
            .env("STATEWRIGHT_BENCH_PEAK_MEMORY", mode)
            .output()
            .map_err(|e| format!("could not start cargo bench: {e}"))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let ours = stdout
            .lines()
            .find(|l| l.starts_with("peak-memory:"))
            .ok_or_else(|| format!("no peak-memory line from the bench: {stdout}"))?;
        println!("statewright (native) {ours}");
    }
    let peer = max_rss_kib(
        Command::new("node")
            .args(["run.mjs", "map"])
            .current_dir(peers_dir)
            .env("RUNS", "1")
            .env("WORKLOADS", with_slash(workloads)),
    )?;
    println!(
        "aws-local-stepfunctions in node, one map run (construction included): peak RSS {:.0} KiB",
        peer
    );
    Ok(())
}

/// Run a command under `/usr/bin/time -v` (output discarded) and return its maximum resident set size in KiB.
fn max_rss_kib(cmd: &mut Command) -> Result<f64, String> {
    let mut timed = Command::new("/usr/bin/time");
    timed.arg("-v").arg(cmd.get_program()).args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        timed.current_dir(dir);
    }
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            timed.env(k, v);
        }
    }
    let out = timed
        .output()
        .map_err(|e| format!("could not start /usr/bin/time: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| "no maximum resident set size in /usr/bin/time's output".into())
}

fn workloads_dir() -> PathBuf {
    std::env::var_os("STATEWRIGHT_BENCH_WORKLOADS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/bench/workloads"))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn with_slash(dir: &Path) -> String {
    let s = dir.to_string_lossy();
    if s.ends_with('/') {
        s.into_owned()
    } else {
        format!("{s}/")
    }
}

/// Criterion's median estimate for a benchmark id, in milliseconds.
fn criterion_median_ms(target: &Path, id: &str) -> Option<f64> {
    let path = target.join("criterion").join(id).join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let median = text.get(text.find("\"median\"")?..)?;
    json_number(median, "point_estimate").map(|ns| ns / 1e6)
}

/// The number after the first `"key":` in a JSON text (enough for the flat outputs read here).
fn json_number(text: &str, key: &str) -> Option<f64> {
    let at = text.find(&format!("\"{key}\""))? + key.len() + 2;
    let rest = text.get(at..)?.trim_start().strip_prefix(':')?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(rest.len());
    rest.get(..end)?.parse().ok()
}

/// `cargo xtask bench ui`: the canvas benchmark (tests/e2e/perf) in headless Chromium against the
/// release build, on the generated 1,000-state workflow. It prints its figures; nothing is pass/fail.
fn ui() -> Result<(), String> {
    crate::setup::all(true)?;
    crate::build_release()?;
    let server = crate::serve_static::start(&root().join("dist"))?;
    let url = format!("http://{}", server.addr);
    run(Command::new("npx")
        .args(["playwright", "test", "-c", "perf.config.ts"])
        .current_dir(root().join("tests/e2e"))
        .env("PATH", crate::setup::tool_path())
        .env("STATEWRIGHT_URL", &url))
}
