//! Criterion benchmarks on the shared workloads (the same files the npm peers are timed on by
//! bench/peers/run.mjs): validate-2000 (`asl::validate`: the diagnostics, as the peer gives only its
//! verdict and errors), run-loop, run-map and run-chain-x100
//! (`asl::simulate::Plan::run`). The workloads are read at bench time from `STATEWRIGHT_BENCH_WORKLOADS` or
//! `../shared/bench/workloads` relative to the repository root; without them the benches are skipped.
//!
//! The definition is compiled into a `Plan` (its paths and intrinsic calls parsed) outside the timing, as the
//! peer builds its `StateMachine` outside its timing; each timed run then produces the full outcome and
//! history (the history's payload texts that a ResultPath merge derived are written when the history is
//! read, which the timing does not do; the peer keeps no history at all).

/// The allocator the `statewright` binary runs the same code with (crates/cli/src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use asl::simulate::{Limits, Mocks, Options, Plan};
use criterion::{BatchSize, Criterion, criterion_group};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

fn workloads() -> PathBuf {
    std::env::var_os("STATEWRIGHT_BENCH_WORKLOADS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/workloads")
        })
}

fn read(name: &str) -> Option<String> {
    std::fs::read_to_string(workloads().join(name)).ok()
}

fn json(name: &str) -> Option<Value> {
    serde_json::from_str(&read(name)?).ok()
}

fn benches(c: &mut Criterion) {
    let Some(text) = read("validate-2000.asl.json") else {
        eprintln!(
            "skipped: benchmark workloads not found at {}",
            workloads().display()
        );
        return;
    };
    let mut g = c.benchmark_group("asl");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    g.bench_function("validate-2000", |b| {
        b.iter(|| {
            let validation = asl::validate(&text);
            assert!(validation.format.is_some());
            validation
        })
    });
    let mocks = Mocks::default();
    // AWS's payload (256 KiB) and history (25,000 events) limits lifted: the workloads exceed both (the
    // map's input is 560 KiB), and the peer enforces neither.
    let options = Options {
        limits: Limits {
            max_payload_bytes: usize::MAX,
            max_events: usize::MAX,
        },
        ..Options::default()
    };
    for (id, name, repeat) in [
        ("run-loop", "loop", 1),
        ("run-map", "map", 1),
        ("run-chain-x100", "chain", 100),
    ] {
        let (Some(definition), Some(input)) = (
            json(&format!("{name}.asl.json")),
            json(&format!("{name}.input.json")),
        ) else {
            continue;
        };
        let plan = Plan::compile(&definition);
        // The input is cloned outside the timing: `run` takes it by value.
        g.bench_function(id, |b| {
            b.iter_batched(
                || vec![input.clone(); repeat],
                |inputs| {
                    for input in inputs {
                        let (outcome, _events) = plan.run(input, &mocks, &options);
                        succeeded(id, &outcome);
                    }
                },
                BatchSize::PerIteration,
            )
        });
        // The same run without history: what `statewright run` does without `--history`, and what the
        // peer gives (the result alone).
        let id = id.replacen("run-", "outcome-", 1);
        g.bench_function(&id, |b| {
            b.iter_batched(
                || vec![input.clone(); repeat],
                |inputs| {
                    for input in inputs {
                        succeeded(&id, &plan.outcome(input, &mocks, &options));
                    }
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

fn succeeded(id: &str, outcome: &asl::simulate::Outcome) {
    assert_eq!(
        outcome.status,
        asl::simulate::Status::Succeeded,
        "{id}: {:?} {:?}",
        outcome.error,
        outcome.cause
    );
}

/// Kernel's high-water mark of this process's resident memory, in KiB (Linux; `None` elsewhere).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `STATEWRIGHT_BENCH_PEAK_MEMORY=history|outcome`: instead of timing, run the 10,000-item map once in this
/// fresh process, keeping its history or not (`Plan::outcome`), and print the peak RSS before (definition
/// and input parsed) and after the run.
fn peak_memory(mode: &str) {
    let (Some(definition), Some(input)) = (json("map.asl.json"), json("map.input.json")) else {
        eprintln!(
            "skipped: benchmark workloads not found at {}",
            workloads().display()
        );
        return;
    };
    let before = peak_rss_kib().unwrap_or(0);
    let options = Options {
        limits: Limits {
            max_payload_bytes: usize::MAX,
            max_events: usize::MAX,
        },
        ..Options::default()
    };
    let plan = Plan::compile(&definition);
    let (outcome, kept) = if mode == "outcome" {
        (plan.outcome(input, &Mocks::default(), &options), 0)
    } else {
        let (outcome, events) = plan.run(input, &Mocks::default(), &options);
        (outcome, events.len())
    };
    let after = peak_rss_kib().unwrap_or(0);
    println!(
        "peak-memory: map ({mode}) {} keeping {kept} events; peak RSS {after} KiB (before the run {before} KiB)",
        outcome.status.as_str(),
    );
}

/// `STATEWRIGHT_BENCH_ONCE=loop|map|chain|validate`: instead of timing, run that workload once (chain: 100
/// times, as timed) in this process, for instruction counts under `valgrind --tool=callgrind`.
fn once(name: &str) {
    if name == "validate" {
        let Some(text) = read("validate-2000.asl.json") else {
            eprintln!(
                "skipped: validate-2000 not found at {}",
                workloads().display()
            );
            return;
        };
        let validation = asl::validate(&text);
        println!(
            "once: validate-2000: {} diagnostics",
            validation.diagnostics.len()
        );
        return;
    }
    let repeat = if name == "chain" { 100 } else { 1 };
    let (Some(definition), Some(input)) = (
        json(&format!("{name}.asl.json")),
        json(&format!("{name}.input.json")),
    ) else {
        eprintln!(
            "skipped: workload {name} not found at {}",
            workloads().display()
        );
        return;
    };
    let options = Options {
        limits: Limits {
            max_payload_bytes: usize::MAX,
            max_events: usize::MAX,
        },
        ..Options::default()
    };
    let plan = Plan::compile(&definition);
    let mut events = 0;
    for _ in 0..repeat {
        let (outcome, history) = plan.run(input.clone(), &Mocks::default(), &options);
        assert_eq!(outcome.status, asl::simulate::Status::Succeeded);
        events += history.len();
    }
    println!("once: {name} x{repeat}: {events} events");
}

criterion_group!(workload_benches, benches);

fn main() {
    if let Some(mode) = std::env::var_os("STATEWRIGHT_BENCH_PEAK_MEMORY") {
        peak_memory(&mode.to_string_lossy());
        return;
    }
    if let Some(name) = std::env::var_os("STATEWRIGHT_BENCH_ONCE") {
        once(&name.to_string_lossy());
        return;
    }
    workload_benches();
    Criterion::default().configure_from_args().final_summary();
}
