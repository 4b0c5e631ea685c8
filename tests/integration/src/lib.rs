//! Helpers shared by the cross-crate integration tests (the tests live in `tests/`).

use std::path::PathBuf;

/// The repository root (from the manifest directory cargo gives the running test, else the one it was built in).
pub fn repo_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("../..")
        .canonicalize()
        .expect("repo root")
}
