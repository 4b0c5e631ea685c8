//! Benchmark wrapper: exposes the shared workloads (validate, simulate, JSONata) to Node through
//! wasm-bindgen, so bench/wasm/run.mjs can time the same code the studio ships as wasm.
//! Definitions and inputs are parsed once at construction, and a workload's definition compiled into a
//! `Plan`, as the native criterion benches do (outside the timing, like the peer's `StateMachine`).

use asl::simulate::{Limits, Mocks, Options, Plan};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// `asl::validate` on a definition's text; returns how many diagnostics it found.
#[wasm_bindgen]
pub fn analyze(text: &str) -> usize {
    asl::validate(text).diagnostics.len()
}

/// A definition's text held in wasm memory, so each timed `analyze` call measures the analysis
/// (parse and validate), not the copy of the string from JS (the native bench borrows its text too).
#[wasm_bindgen]
pub struct Definition {
    text: String,
}

#[wasm_bindgen]
impl Definition {
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Definition {
        Definition {
            text: text.to_string(),
        }
    }

    /// `asl::validate` on the text (the diagnostics, as the peer gives only its verdict and errors);
    /// returns how many diagnostics it found (the definition must parse).
    pub fn analyze(&self) -> Result<usize, JsError> {
        let validation = asl::validate(&self.text);
        if validation.format.is_none() {
            return Err(JsError::new("the definition did not parse"));
        }
        Ok(validation.diagnostics.len())
    }
}

/// A definition (compiled) and its input, parsed once.
#[wasm_bindgen]
pub struct Workload {
    plan: Plan,
    input: Value,
    /// Copies of the input for the next `run` (the run takes its input by value), made by `prepare` outside
    /// the timing, as the native criterion bench does with `iter_batched`.
    prepared: Vec<Value>,
}

#[wasm_bindgen]
impl Workload {
    #[wasm_bindgen(constructor)]
    pub fn new(definition: &str, input: &str) -> Result<Workload, JsError> {
        let definition: Value = serde_json::from_str(definition)?;
        Ok(Workload {
            plan: Plan::compile(&definition),
            input: serde_json::from_str(input)?,
            prepared: Vec::new(),
        })
    }

    /// Copy the input `repeat` times for the next `run` (not timed).
    pub fn prepare(&mut self, repeat: u32) {
        self.prepared = vec![self.input.clone(); repeat as usize];
    }

    /// Run the execution once per prepared input (`prepare` first), keeping the history as the studio's
    /// worker does; returns the last status (`SUCCEEDED`, or the error).
    pub fn run(&mut self) -> String {
        let options = bench_options();
        let mut status = String::new();
        for input in std::mem::take(&mut self.prepared) {
            let (outcome, _events) = self.plan.run(input, &Mocks::default(), &options);
            status = status_of(outcome);
        }
        status
    }

    /// [`Workload::run`] without the history (`Plan::outcome`): the result alone, as the peer gives it.
    pub fn outcome(&mut self) -> String {
        let options = bench_options();
        let mut status = String::new();
        for input in std::mem::take(&mut self.prepared) {
            status = status_of(self.plan.outcome(input, &Mocks::default(), &options));
        }
        status
    }
}

/// `SUCCEEDED`, or the status, error and cause.
fn status_of(outcome: asl::simulate::Outcome) -> String {
    match outcome.error {
        Some(e) if outcome.status != asl::simulate::Status::Succeeded => {
            format!(
                "{}: {e}: {}",
                outcome.status.as_str(),
                outcome.cause.unwrap_or_default()
            )
        }
        _ => outcome.status.as_str().to_string(),
    }
}

/// AWS's payload (256 KiB) and history (25,000 events) limits lifted: the workloads exceed both (the map's
/// input is 560 KiB), and the peer enforces neither. Same as the native criterion bench.
fn bench_options() -> Options {
    Options {
        limits: Limits {
            max_payload_bytes: usize::MAX,
            max_events: usize::MAX,
        },
        ..Options::default()
    }
}

/// A parsed JSONata expression and its input document.
#[wasm_bindgen]
pub struct Query {
    expression: jsonata::Expression,
    input: Value,
}

#[wasm_bindgen]
impl Query {
    #[wasm_bindgen(constructor)]
    pub fn new(expression: &str, input: &str) -> Result<Query, JsError> {
        Ok(Query {
            expression: jsonata::parse(expression).map_err(|e| JsError::new(&e.to_string()))?,
            input: serde_json::from_str(input)?,
        })
    }

    /// Evaluate once; returns whether the result was defined.
    pub fn evaluate(&self) -> Result<bool, JsError> {
        self.expression
            .evaluate(Some(&self.input), &jsonata::Bindings::default())
            .map(|v| v.is_some())
            .map_err(|e| JsError::new(&e.to_string()))
    }
}
