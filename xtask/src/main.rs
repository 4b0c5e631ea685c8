//! `cargo xtask serve | test | setup | build`: installs what is missing, then builds, serves and tests.
//!
//! Every step checks before it installs, so a warm run costs seconds. Nothing is downloaded from
//! anywhere but the package registries (crates.io, npm, Debian).

mod bench;
mod fuzz;
mod serve_static;
mod setup;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask <command>

  serve    install what is missing, build the studio and serve it on http://127.0.0.1:8080
  test     install what the tests need, then run every test (native, wasm in Chromium, Playwright)
  setup    only install the tools (idempotent)
  build    install the tools and make a release build of the studio in dist/ (prints the wasm size)
  fuzz     fuzz <analyze|simulate|jsonata|share_decode> [seconds]: run one cargo-fuzz target (default 60 s)
  bench    run the criterion benchmarks and the npm peers on the shared workloads; print the ratios
  bench ui the canvas benchmark in Chromium on a generated 1,000-state workflow (release build)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("test") => test(&args[1..]),
        Some("setup") => setup::all(true),
        Some("build") => setup::all(false).and_then(|()| build_release()),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent")
        .to_path_buf()
}

/// Run a command in the repository root with the project's tool PATH; fail on a non-zero exit.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    println!("xtask: $ {shown}");
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(root());
    }
    let status = cmd
        .env("PATH", setup::tool_path())
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

fn serve() -> Result<(), String> {
    setup::all(false)?;
    run(Command::new("trunk").args([
        "serve",
        "--offline",
        "--address",
        "127.0.0.1",
        "--port",
        "8080",
    ]))
}

/// Release build of the studio into dist/; prints the wasm size raw and gzip.
fn build_release() -> Result<(), String> {
    run(Command::new("trunk").args(["build", "--offline", "--release"]))?;
    report_wasm_size()
}

/// Prints the raw and gzip size of every wasm module in dist/ (the app and the simulation worker).
fn report_wasm_size() -> Result<(), String> {
    let dist = root().join("dist");
    let mut wasms: Vec<_> = std::fs::read_dir(&dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .collect();
    if wasms.is_empty() {
        return Err("no .wasm in dist/".into());
    }
    wasms.sort();
    for wasm in wasms {
        let raw = std::fs::metadata(&wasm).map_err(|e| e.to_string())?.len();
        let out = Command::new("gzip")
            .args(["-9", "-c"])
            .arg(&wasm)
            .output()
            .map_err(|e| e.to_string())?;
        println!(
            "xtask: wasm size: {} raw, {} gzip ({})",
            kib(raw),
            kib(out.stdout.len() as u64),
            wasm.file_name().unwrap_or_default().to_string_lossy()
        );
    }
    Ok(())
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// Every test: native, wasm-bindgen in Chromium, then Playwright against the release build.
fn test(args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    setup::all(true)?;
    println!("xtask: setup checked in {:.1?}", started.elapsed());
    let only = args.first().map(String::as_str);
    let mut failures = Vec::new();
    let mut step = |name: &str, f: &dyn Fn() -> Result<(), String>| {
        if only.is_none() || only == Some(name) {
            let t = Instant::now();
            match f() {
                Ok(()) => println!("xtask: {name} tests passed in {:.1?}", t.elapsed()),
                Err(e) => {
                    println!("xtask: {name} tests FAILED: {e}");
                    failures.push(name.to_string());
                }
            }
        }
    };
    step("lint", &lint);
    step("native", &native_tests);
    step("wasm", &wasm_tests);
    step("e2e", &e2e_tests);
    println!("xtask: all done in {:.1?}", started.elapsed());
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", failures.join(", ")))
    }
}

/// `cargo fmt --check` and clippy with warnings as errors, natively and for the wasm app.
fn lint() -> Result<(), String> {
    run(Command::new("cargo").args(["fmt", "--all", "--check"]))?;
    run(Command::new("cargo").args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--exclude",
        "web",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(Command::new("cargo").args([
        "clippy",
        "-p",
        "web",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))
}

/// Crates whose tests only run in wasm (`cargo xtask test wasm`).
const WASM_ONLY: [&str; 4] = ["--exclude", "web", "--exclude", "wasm-conformance"];

fn native_tests() -> Result<(), String> {
    let cargo = |args: &[&str]| {
        let mut cmd = Command::new("cargo");
        cmd.args(args).args(WASM_ONLY);
        run(&mut cmd)
    };
    if setup::has_nextest() {
        cargo(&["nextest", "run", "--workspace", "--no-fail-fast"])?;
        // nextest does not run doc tests.
        cargo(&["test", "--workspace", "--doc", "--quiet"])
    } else {
        cargo(&["test", "--workspace", "--no-fail-fast"])
    }
}

fn wasm_tests() -> Result<(), String> {
    run(Command::new("cargo")
        .args([
            "test",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "web",
            "-p",
            "wasm-conformance",
        ])
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))
}

fn e2e_tests() -> Result<(), String> {
    // STATEWRIGHT_E2E_DEV=1 tests a debug build: minutes faster while iterating on the app.
    if std::env::var_os("STATEWRIGHT_E2E_DEV").is_some() {
        run(Command::new("trunk").args(["build", "--offline"]))?;
    } else {
        build_release()?;
    }
    let server = serve_static::start(&root().join("dist"))?;
    let url = format!("http://{}", server.addr);
    println!("xtask: serving dist/ on {url}");
    run(Command::new("npx")
        .args(["playwright", "test"])
        .current_dir(root().join("tests/e2e"))
        .env("STATEWRIGHT_URL", &url))
    .map_err(|e| e.replace("\"npx\"", "playwright"))
}
