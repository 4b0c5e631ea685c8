//! `statewright test-state REQUEST`: answer a TestState API request body offline, as AWS would.

use crate::input::read_text;
use asl::simulate::{Options, test_state};
use serde_json::Value;

/// Runs the subcommand; returns the exit code (0 a response, 1 an API error, 2 usage or I/O error).
pub fn main(args: &[String]) -> u8 {
    let [path] = args else {
        eprintln!(
            "usage: statewright test-state REQUEST   (a TestState request body as JSON; - reads stdin)"
        );
        return 2;
    };
    let text = match read_text(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("statewright test-state: {e}");
            return 2;
        }
    };
    let request: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("statewright test-state: {path}: not valid JSON: {e}");
            return 2;
        }
    };
    let response = test_state::test_state(&request, &Options::default());
    println!("{response}");
    if response.get("Error").is_some() {
        1
    } else {
        0
    }
}
