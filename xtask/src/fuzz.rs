//! `cargo xtask fuzz <target> [seconds]`: installs cargo-fuzz when missing, writes seed corpora from
//! files in the repository, then runs one libFuzzer target (on stable rustc via `RUSTC_BOOTSTRAP=1`).
//!
//! Targets (fuzz/fuzz_targets): `analyze`, `simulate`, `jsonata`, `share_decode`. The working corpus
//! is fuzz/corpus/<target> (gitignored); crashes land in fuzz/artifacts/<target>. The repository's
//! test corpus and, when present, the shared conformance folder are passed as read-only seed folders
//! (libFuzzer only writes into the first corpus folder, so nothing is copied into the repository).

use crate::{root, run};
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGETS: [&str; 4] = ["analyze", "simulate", "jsonata", "share_decode"];

pub fn fuzz(args: &[String]) -> Result<(), String> {
    let target = args.first().map(String::as_str).unwrap_or("");
    if !TARGETS.contains(&target) {
        return Err(format!(
            "usage: cargo xtask fuzz <{}> [seconds]",
            TARGETS.join("|")
        ));
    }
    let seconds: u64 = match args.get(1) {
        Some(s) => s
            .parse()
            .map_err(|_| format!("seconds must be a number, got {s:?}"))?,
        None => 60,
    };
    install_cargo_fuzz()?;
    let fuzz_dir = root().join("fuzz");
    let corpus = fuzz_dir.join("corpus").join(target);
    std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let mut seed_dirs = Vec::new();
    match target {
        "analyze" | "simulate" => {
            seed_dirs.push(root().join("crates/asl/tests/corpus"));
            let conformance = conformance_dir();
            for sub in ["asl-validator", "localstack"] {
                let d = conformance.join(sub);
                if d.is_dir() {
                    seed_dirs.push(d);
                }
            }
        }
        "jsonata" => {
            let seeds = fuzz_dir.join("corpus").join("jsonata-seeds");
            let n = write_string_seeds(
                &root().join("crates/jsonata/tests/expressions.rs"),
                &seeds,
                |s| !s.is_empty(),
            )?;
            println!(
                "xtask: {n} jsonata seed expressions from crates/jsonata/tests/expressions.rs"
            );
            seed_dirs.push(seeds);
        }
        _ => {
            let seeds = fuzz_dir.join("corpus").join("share_decode-seeds");
            let n = write_string_seeds(
                &root().join("crates/studio/src/share/mod.rs"),
                &seeds,
                |s| s.starts_with("#v"),
            )?;
            println!("xtask: {n} share link seeds from crates/studio/src/share/mod.rs");
            seed_dirs.push(seeds);
        }
    }
    let mut cmd = Command::new("cargo");
    cmd.args(["fuzz", "run", target])
        .arg(&corpus)
        .args(&seed_dirs)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg("-timeout=10")
        .arg("-rss_limit_mb=2048")
        .arg("-max_len=65536")
        .arg("-print_final_stats=1")
        .current_dir(&fuzz_dir)
        // Sanitizer builds stay in fuzz/target, away from the workspace's normal artifacts.
        .env_remove("CARGO_TARGET_DIR")
        .env("RUSTC_BOOTSTRAP", "1");
    run(&mut cmd)
}

/// The shared conformance data: `STATEWRIGHT_CONFORMANCE` or `../shared/conformance` from the repository.
fn conformance_dir() -> PathBuf {
    std::env::var_os("STATEWRIGHT_CONFORMANCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/conformance"))
}

fn install_cargo_fuzz() -> Result<(), String> {
    let present = Command::new("cargo")
        .args(["fuzz", "--version"])
        .env("PATH", crate::setup::tool_path())
        .output()
        .is_ok_and(|o| o.status.success());
    if present {
        return Ok(());
    }
    run(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))
}

/// Write every string literal of a Rust source file that passes `keep` as one seed file; returns how many.
fn write_string_seeds(
    source: &Path,
    dir: &Path,
    keep: impl Fn(&str) -> bool,
) -> Result<usize, String> {
    let text = std::fs::read_to_string(source).map_err(|e| format!("{}: {e}", source.display()))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut count = 0;
    for literal in string_literals(&text).into_iter().filter(|s| keep(s)) {
        let path = dir.join(format!("seed-{:016x}", fnv1a(literal.as_bytes())));
        std::fs::write(&path, literal.as_bytes())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        count += 1;
    }
    Ok(count)
}

/// The contents of the plain `"..."` literals in Rust source (common escapes resolved; raw strings skipped).
fn string_literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        // Skip char literals such as '"' so they do not open a string.
        if c == '\'' && chars.peek() == Some(&'"') {
            chars.next();
            prev = '"';
            continue;
        }
        if c != '"' || prev == '#' || prev == 'r' {
            prev = c;
            continue;
        }
        let mut s = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => s.push('\n'),
                    Some('t') => s.push('\t'),
                    Some('\n') => {
                        while chars.peek().is_some_and(|c| c.is_whitespace()) {
                            chars.next();
                        }
                    }
                    Some(other) => s.push(other),
                    None => break,
                },
                _ => s.push(c),
            }
        }
        out.push(s);
        prev = '"';
    }
    out
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
