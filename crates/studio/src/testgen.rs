//! Test-only generators of random but well-formed state machine definitions (nested Parallel/Map,
//! Choice fans, Catch handlers, loops), shared by the layout, edit and share property tests.

use serde_json::{Map, Value, json};

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A random definition with about `size` states per scope, nesting up to `depth` levels.
pub fn definition(rng: &mut Rng, size: usize, depth: usize) -> Value {
    let mut counter = 0;
    scope(rng, size, depth, &mut counter)
}

fn scope(rng: &mut Rng, size: usize, depth: usize, counter: &mut usize) -> Value {
    let n = 1 + rng.below(size.max(1));
    let names: Vec<String> = (0..n)
        .map(|_| {
            *counter += 1;
            format!("S{counter}")
        })
        .collect();
    let mut states = Map::new();
    for (i, name) in names.iter().enumerate() {
        let forward = |rng: &mut Rng| -> Option<String> {
            if i + 1 < n && rng.chance(85) {
                Some(
                    names[i + 1 + rng.below(n - i - 1).min(if rng.chance(70) { 0 } else { n })]
                        .clone(),
                )
            } else if rng.chance(15) {
                Some(names[rng.below(n)].clone())
            } else {
                None
            }
        };
        let kind = rng.below(10);
        let mut s = Map::new();
        match kind {
            0 | 1 => {
                s.insert("Type".into(), json!("Task"));
                s.insert("Resource".into(), json!("arn:aws:states:::lambda:invoke"));
                if rng.chance(40) {
                    let t = names[rng.below(n)].clone();
                    s.insert(
                        "Catch".into(),
                        json!([{"ErrorEquals": ["States.ALL"], "Next": t}]),
                    );
                }
            }
            2 => {
                s.insert("Type".into(), json!("Choice"));
                let rules: Vec<Value> = (0..1 + rng.below(3))
                    .map(|r| {
                        json!({"Variable": "$.x", "NumericEquals": r, "Next": names[rng.below(n)].clone()})
                    })
                    .collect();
                s.insert("Choices".into(), Value::Array(rules));
                if rng.chance(80) {
                    s.insert("Default".into(), json!(names[rng.below(n)].clone()));
                }
                states.insert(name.clone(), Value::Object(s));
                continue;
            }
            3 if depth > 0 => {
                s.insert("Type".into(), json!("Parallel"));
                let branches: Vec<Value> = (0..1 + rng.below(3))
                    .map(|_| scope(rng, size / 2 + 1, depth - 1, counter))
                    .collect();
                s.insert("Branches".into(), Value::Array(branches));
            }
            4 if depth > 0 => {
                s.insert("Type".into(), json!("Map"));
                s.insert(
                    "ItemProcessor".into(),
                    scope(rng, size / 2 + 1, depth - 1, counter),
                );
            }
            5 => {
                s.insert("Type".into(), json!("Wait"));
                s.insert("Seconds".into(), json!(5));
            }
            6 if i + 1 == n => {
                s.insert("Type".into(), json!("Succeed"));
                states.insert(name.clone(), Value::Object(s));
                continue;
            }
            _ => {
                s.insert("Type".into(), json!("Pass"));
                if rng.chance(20) {
                    s.insert("Comment".into(), json!("unknown fields survive"));
                    s.insert("XUnknown".into(), json!({"z": 1, "a": [1, 2]}));
                }
            }
        }
        match forward(rng) {
            Some(t) => {
                s.insert("Next".into(), json!(t));
            }
            None => {
                s.insert("End".into(), json!(true));
            }
        }
        states.insert(name.clone(), Value::Object(s));
    }
    json!({"StartAt": names[0].clone(), "States": states})
}

/// A linear-ish workflow of exactly `n` top-level states with a Choice every few states, some Catch
/// handlers and a polling loop: the shape of real workflows, for size and speed measurements.
pub fn realistic(n: usize) -> Value {
    let mut states = Map::new();
    let name = |i: usize| format!("Step {i:04}");
    for i in 0..n {
        let next = if i + 1 < n { Some(name(i + 1)) } else { None };
        let s = match (i % 7, &next) {
            (3, Some(nx)) if i + 3 < n => json!({
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.status", "StringEquals": "DONE", "Next": nx},
                    {"Variable": "$.count", "NumericGreaterThan": 3, "Next": name(i + 2)}
                ],
                "Default": if i % 14 == 10 { name(i - 2) } else { name((i + 3).min(n - 1)) }
            }),
            (5, Some(nx)) => json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:work", "Payload.$": "$"},
                "ResultPath": "$.result",
                "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": name(n - 1), "ResultPath": "$.error"}],
                "Next": nx
            }),
            (6, Some(nx)) => json!({"Type": "Wait", "Seconds": 10, "Next": nx}),
            (_, Some(nx)) => {
                json!({"Type": "Pass", "Result": {"step": i}, "ResultPath": "$.last", "Next": nx})
            }
            (_, None) => json!({"Type": "Succeed"}),
        };
        states.insert(name(i), s);
    }
    json!({"Comment": "generated", "StartAt": name(0), "States": states})
}

const SERVICES: [&str; 8] = [
    "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::dynamodb:putItem",
    "arn:aws:states:::sns:publish",
    "arn:aws:states:::sqs:sendMessage",
    "arn:aws:states:::aws-sdk:s3:putObject",
    "arn:aws:states:::bedrock:invokeModel",
    "arn:aws:states:::events:putEvents",
    "arn:aws:states:::glue:startJobRun",
];

/// A chain of `k` (at most 26) Task states named `{prefix}a`, `{prefix}b`, ... inside one scope,
/// ending with `End`.
fn task_chain(prefix: &str, k: usize, salt: usize) -> Value {
    let name = |i: usize| format!("{prefix}{}", char::from(b'a' + (i % 26) as u8));
    let mut states = Map::new();
    for i in 0..k {
        let mut s = json!({"Type": "Task", "Resource": SERVICES[(i + salt) % SERVICES.len()]});
        if i + 1 < k {
            s["Next"] = json!(name(i + 1));
        } else {
            s["End"] = json!(true);
        }
        states.insert(name(i), s);
    }
    json!({"StartAt": name(0), "States": states})
}

/// A realistic workflow of about `n` states (nested ones counted) with every construct the canvas
/// draws: service Tasks with Catch handlers, Choice fans with readable conditions and a loop,
/// Parallel branches (one holding a Map) and a Map whose processor holds a Parallel. For screenshots
/// and the canvas benchmark (the e2e fixtures are written from it).
pub fn nested(n: usize) -> Value {
    let mut states = Map::new();
    let mut count = 0usize;
    let mut seg = 0usize;
    let failure = "Handle failure".to_string();
    while count + 4 < n.max(5) {
        seg += 1;
        let p = |s: &str| format!("{s} {seg}");
        let next_seg = format!("Fetch {}", seg + 1);
        let last = count + 19 + 4 >= n.max(5);
        let after = if last { "Done".to_string() } else { next_seg };
        states.insert(
            p("Fetch"),
            json!({"Type": "Task", "Resource": SERVICES[seg % SERVICES.len()], "Next": p("Route"),
                   "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],
                   "Catch": [{"ErrorEquals": ["States.ALL"], "Next": failure, "ResultPath": "$.error"}]}),
        );
        states.insert(
            p("Route"),
            json!({"Type": "Choice", "Choices": [
                {"Variable": "$.kind", "StringEquals": "batch", "Next": p("Fan out")},
                {"Variable": "$.priority", "NumericGreaterThan": 5, "Next": p("Process items")},
                {"Variable": "$.retry", "BooleanEquals": true, "Next": p("Wait")}
            ], "Default": p("Skip")}),
        );
        states.insert(
            p("Wait"),
            json!({"Type": "Wait", "Seconds": 30, "Next": p("Fetch")}),
        );
        states.insert(p("Skip"), json!({"Type": "Pass", "Next": after}));
        let inner_map = task_chain(&p("Item"), 2, seg);
        states.insert(
            p("Fan out"),
            json!({"Type": "Parallel", "Next": p("Merge"),
                   "Catch": [{"ErrorEquals": ["States.ALL"], "Next": failure}],
                   "Branches": [
                task_chain(&p("Enrich"), 2, seg),
                task_chain(&p("Audit"), 3, seg + 1),
                {"StartAt": p("Each file"), "States": {p("Each file"): {"Type": "Map", "End": true,
                    "ItemProcessor": inner_map}}}
            ]}),
        );
        let mut proc = task_chain(&p("Transform"), 2, seg + 2);
        proc["States"][format!("{}b", p("Transform"))] = json!({"Type": "Parallel", "End": true, "Branches": [
            task_chain(&p("Store"), 1, seg + 3), task_chain(&p("Notify"), 1, seg + 4)]});
        states.insert(
            p("Process items"),
            json!({"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 5, "Next": p("Merge"),
                   "ItemProcessor": proc}),
        );
        states.insert(p("Merge"), json!({"Type": "Pass", "Next": after}));
        count += 19;
    }
    states.insert(
        failure,
        json!({"Type": "Fail", "Error": "Failed", "Cause": "A step failed"}),
    );
    states.insert("Done".into(), json!({"Type": "Succeed"}));
    json!({"Comment": "generated nested workflow", "StartAt": "Fetch 1", "States": states})
}
