//! Idempotent installation of the tool chain: wasm target, Trunk, wasm-bindgen-cli, npm packages
//! (wasm-opt from `binaryen`, Playwright) and Debian's Chromium with ChromeDriver.

use crate::root;
use std::path::PathBuf;
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";

/// PATH with the project's npm binaries (wasm-opt) and cargo's bin folder first.
pub fn tool_path() -> String {
    let mut parts = vec![root().join("tests/e2e/node_modules/.bin"), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        parts.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(parts)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"));
    home.join("bin")
}

/// The stdout of a command run with the tool PATH, when it ran and succeeded.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .env("PATH", tool_path())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn has_nextest() -> bool {
    output("cargo", &["nextest", "--version"]).is_some()
}

/// Install everything `serve` needs; with `for_tests`, also Chromium and ChromeDriver.
pub fn all(for_tests: bool) -> Result<(), String> {
    wasm_target()?;
    npm_packages()?;
    trunk()?;
    wasm_bindgen_cli()?;
    crate::run(Command::new("cargo").args(["fetch", "--locked"]))
        .or_else(|_| crate::run(Command::new("cargo").args(["fetch"])))?;
    if for_tests {
        chromium()?;
    }
    Ok(())
}

fn wasm_target() -> Result<(), String> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    crate::run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn trunk() -> Result<(), String> {
    let have = output("trunk", &["--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(TRUNK_VERSION) {
        return Ok(());
    }
    println!(
        "xtask: installing trunk {TRUNK_VERSION} (cargo install: about 17 minutes of CPU, longer on a busy machine)"
    );
    crate::run(Command::new("cargo").args([
        "install",
        "trunk",
        "--version",
        TRUNK_VERSION,
        "--locked",
    ]))
}

/// The wasm-bindgen version that Cargo.lock resolves; wasm-bindgen-cli must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err("Cargo.lock resolves no wasm-bindgen".into())
}

fn wasm_bindgen_cli() -> Result<(), String> {
    let want = locked_wasm_bindgen_version()?;
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = output("wasm-bindgen-test-runner", &["--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) && !runner.is_empty() {
        return Ok(());
    }
    println!("xtask: installing wasm-bindgen-cli {want} (cargo install: about 7 minutes of CPU)");
    // `--locked` fails on a yanked transitive dependency of this release, so it is left out.
    crate::run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &want]))
}

/// `npm ci` in tests/e2e when node_modules is missing or older than package-lock.json.
fn npm_packages() -> Result<(), String> {
    let dir = root().join("tests/e2e");
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules/.package-lock.json");
    let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&lock), modified(&stamp)) {
        (Some(l), Some(s)) => s >= l && dir.join("node_modules/.bin/wasm-opt").exists(),
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    crate::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
    )
}

fn chromium() -> Result<(), String> {
    let present = ["/usr/bin/chromium", "/usr/bin/chromedriver"]
        .iter()
        .all(|p| std::path::Path::new(p).exists());
    if present {
        return Ok(());
    }
    crate::run(Command::new("apt-get").arg("update"))?;
    crate::run(
        Command::new("apt-get")
            .args(["install", "-y", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}
