//! Browser storage glue for the theme (`localStorage`) and the theme the system prefers. Workflows are
//! saved by the library (web/src/library.rs), which reports storage failures to the person.

use leptos::prelude::window;

pub const THEME: &str = "statewright.theme";
/// The workflow's test cases (JSON array), saved with the document.
pub const TEST_CASES: &str = "statewright.testcases";

fn local() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn load(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

pub fn save(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(key, value);
    }
}

/// The saved theme, else the system's preference.
pub fn initial_theme() -> &'static str {
    match load(THEME).as_deref() {
        Some("dark") => "dark",
        Some("light") => "light",
        _ => {
            let dark = window()
                .match_media("(prefers-color-scheme: dark)")
                .ok()
                .flatten()
                .is_some_and(|m| m.matches());
            if dark { "dark" } else { "light" }
        }
    }
}
