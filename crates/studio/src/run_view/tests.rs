//! Tests of the run view: statuses, taken edges, progress, drill-down, details, table, playback, on histories
//! from real simulator runs.

use super::details::state_details;
use super::json_tree::{lines, render};
use super::playback::{Speed, project, usd};
use super::table::{
    Filter, PAGE_ROWS, Page, choices, export, page_of_position, page_to_show, rows,
    rows_unsummarised, summarise,
};
use super::*;
use asl::simulate::{Mocks, Options, run};
use serde_json::json;

const SAMPLE: &str = r#"{"StartAt": "Validate order", "States": {
  "Validate order": {"Type": "Pass", "Result": {"valid": true}, "ResultPath": "$.check", "Next": "Is valid?"},
  "Is valid?": {"Type": "Choice", "Choices": [{"Variable": "$.check.valid", "BooleanEquals": true, "Next": "Fulfil"}],
                "Default": "Reject"},
  "Fulfil": {"Type": "Parallel", "Branches": [
      {"StartAt": "Reserve stock", "States": {"Reserve stock": {"Type": "Pass", "End": true}}},
      {"StartAt": "Charge card", "States": {"Charge card": {"Type": "Pass", "End": true}}}], "Next": "Done"},
  "Reject": {"Type": "Fail", "Error": "InvalidOrder", "Cause": "The order did not pass validation"},
  "Done": {"Type": "Succeed"}}}"#;

const RETRY: &str = r#"{"StartAt": "Call", "States": {
  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
           "Parameters": {"FunctionName": "f", "Payload.$": "$"}, "ResultSelector": {"v.$": "$.Payload"},
           "ResultPath": "$.r",
           "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "MaxAttempts": 2, "BackoffRate": 2}],
           "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Handle"}], "Next": "Done"},
  "Handle": {"Type": "Pass", "Next": "Done"},
  "Done": {"Type": "Succeed"}}}"#;

const MAP: &str = r#"{"StartAt": "Each", "States": {
  "Each": {"Type": "Map", "ItemsPath": "$.items", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
    "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Check", "States": {
      "Check": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "Bad"}], "Default": "Ok"},
      "Bad": {"Type": "Fail", "Error": "Two"},
      "Ok": {"Type": "Pass", "End": true}}},
    "End": true},
  "Recover": {"Type": "Pass", "End": true}}}"#;

/// A MockConfigFile whose single test case gives `Call` these responses.
fn mocks(responses: serde_json::Value) -> Mocks {
    let cfg = json!({"StateMachines": {"M": {"TestCases": {"T": {"Call": "R"}}}},
                     "MockedResponses": {"R": responses}});
    Mocks::from_config(&cfg, "M", "T").unwrap()
}

struct Run {
    def: Value,
    events: Vec<Event>,
    graph: GraphInfo,
}

fn simulate(def: &str, input: Value, m: &Mocks) -> Run {
    let def: Value = serde_json::from_str(def).unwrap();
    let (_, events) = run(&def, input, m, &Options::default());
    let graph = GraphInfo::new(&FlowGraph::from_definition(&def));
    Run { def, events, graph }
}

fn statuses(r: &Run, position: usize, focus: &Focus) -> Vec<(String, &'static str)> {
    snapshot(&r.events, position, &r.graph, focus)
        .statuses
        .into_iter()
        .map(|(k, v)| (k, v.as_str()))
        .collect()
}

fn pairs(v: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    v.iter().map(|(k, s)| (k.to_string(), *s)).collect()
}

#[test]
fn sample_statuses_and_taken_path() {
    let r = simulate(SAMPLE, json!({"orderId": "A-1"}), &Mocks::default());
    let all = r.events.len();
    assert_eq!(
        statuses(&r, all, &Focus::new()),
        pairs(&[
            ("Charge card", "succeeded"),
            ("Done", "succeeded"),
            ("Fulfil", "succeeded"),
            ("Is valid?", "succeeded"),
            ("Reserve stock", "succeeded"),
            ("Validate order", "succeeded"),
        ])
    );
    let s = snapshot(&r.events, all, &r.graph, &Focus::new());
    assert_eq!(
        s.taken_ids().into_iter().collect::<Vec<_>>(),
        [
            "Fulfil->Done",
            "Is valid?->Fulfil",
            "Validate order->Is valid?"
        ]
    );
    assert_eq!(s.progress["Fulfil"].label(), "2/2");
    // Two events in: the first state is running, nothing taken yet.
    assert_eq!(
        statuses(&r, 2, &Focus::new()),
        pairs(&[("Validate order", "running")])
    );
    assert!(
        snapshot(&r.events, 2, &r.graph, &Focus::new())
            .taken
            .is_empty()
    );
    assert_eq!(
        snapshot(&r.events, 2, &r.graph, &Focus::new())
            .current
            .as_deref(),
        Some("Validate order")
    );
    // Positions past the end are the end.
    assert_eq!(
        snapshot(&r.events, all + 5, &r.graph, &Focus::new()),
        snapshot(&r.events, all, &r.graph, &Focus::new())
    );
}

#[test]
fn parallel_progress_counts_finished_branches() {
    let r = simulate(SAMPLE, json!({}), &Mocks::default());
    let after = |kind: &str, name: &str| {
        1 + r
            .events
            .iter()
            .position(|e| e.kind == kind && e.state_name() == Some(name))
            .unwrap()
    };
    let at = |p: usize| snapshot(&r.events, p, &r.graph, &Focus::new()).progress["Fulfil"].label();
    assert_eq!(at(after("ParallelStateEntered", "Fulfil")), "0/2");
    assert_eq!(at(after("PassStateExited", "Reserve stock")), "1/2");
    assert_eq!(at(after("PassStateExited", "Charge card")), "2/2");
}

#[test]
fn retried_then_caught_is_caught_and_details_show_retries() {
    let throw = json!({"Throw": {"Error": "Boom", "Cause": "kaboom"}});
    let r = simulate(RETRY, json!({"a": 1}), &mocks(json!({"0-2": throw})));
    let all = r.events.len();
    assert_eq!(
        statuses(&r, all, &Focus::new()),
        pairs(&[
            ("Call", "caught"),
            ("Done", "succeeded"),
            ("Handle", "succeeded")
        ])
    );
    let s = snapshot(&r.events, all, &r.graph, &Focus::new());
    assert!(s.taken.contains(&("Call".into(), "Handle".into())));
    assert!(!s.taken.contains(&("Call".into(), "Done".into())));

    let d = state_details(&r.def, &r.events, all, &r.graph, &Focus::new(), "Call");
    assert_eq!(d.status, Some(StateStatus::Caught));
    assert_eq!(d.error.as_deref(), Some("Boom"));
    assert_eq!(d.cause.as_deref(), Some("kaboom"));
    let delays: Vec<(usize, i64)> = d.retries.iter().map(|x| (x.attempt, x.delay_ms)).collect();
    assert_eq!(delays, [(1, 2000), (2, 4000)]);
    assert_eq!(d.input, Some(json!({"a": 1})));
    assert_eq!(
        d.output,
        Some(json!({"a": 1, "err": {"Error": "Boom", "Cause": "kaboom"}}))
    );
    let stages: Vec<&str> = d.stages.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        stages,
        [
            "input",
            "afterInputPath",
            "afterParameters",
            "output",
            "errorDetails"
        ]
    );
    assert_eq!(
        d.stages
            .iter()
            .find(|(k, _)| k == "errorDetails")
            .unwrap()
            .1,
        json!({"catchIndex": 0})
    );
}

#[test]
fn retried_then_succeeded_is_retried_with_every_stage() {
    let r = simulate(
        RETRY,
        json!({"a": 1}),
        &mocks(json!({"0": {"Throw": {"Error": "Boom"}}, "1": {"Return": {"Payload": {"x": 2}}}})),
    );
    let all = r.events.len();
    assert_eq!(
        statuses(&r, all, &Focus::new())[0],
        ("Call".into(), "retried")
    );
    let d = state_details(&r.def, &r.events, all, &r.graph, &Focus::new(), "Call");
    assert_eq!(d.error, None);
    assert_eq!(d.retries.len(), 1);
    let got: Vec<(&str, Value)> = d
        .stages
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("input", json!({"a": 1})),
            ("afterInputPath", json!({"a": 1})),
            (
                "afterParameters",
                json!({"FunctionName": "f", "Payload": {"a": 1}})
            ),
            ("result", json!({"Payload": {"x": 2}})),
            ("afterResultSelector", json!({"v": {"x": 2}})),
            ("afterResultPath", json!({"a": 1, "r": {"v": {"x": 2}}})),
            ("output", json!({"a": 1, "r": {"v": {"x": 2}}})),
        ]
    );
    // Before the state is entered there is nothing to show.
    let early = state_details(&r.def, &r.events, 1, &r.graph, &Focus::new(), "Call");
    assert!(!early.visited && early.stages.is_empty());
}

#[test]
fn map_progress_and_iteration_drill_down() {
    let r = simulate(MAP, json!({"items": [1, 2, 3]}), &Mocks::default());
    let all = r.events.len();
    let s = snapshot(&r.events, all, &r.graph, &Focus::new());
    // An inline Map stops at the first failed iteration; its Catch moves the run on.
    assert_eq!(s.progress["Each"].label(), "2/3 · 1 failed");
    assert_eq!(s.statuses["Each"], StateStatus::Caught);
    assert!(s.taken.contains(&("Each".into(), "Recover".into())));
    let its: Vec<(usize, &str)> = s.progress["Each"]
        .iterations
        .iter()
        .map(|(i, st)| (*i, st.as_str()))
        .collect();
    assert_eq!(its, [(0, "succeeded"), (1, "failed")]);
    // Drill into iteration 1: it took the Fail path; iteration 0 took the Pass path.
    let one = Focus::from([("Each".to_string(), 1)]);
    let st = statuses(&r, all, &one);
    assert!(st.contains(&("Bad".into(), "failed")), "{st:?}");
    assert!(!st.iter().any(|(k, _)| k == "Ok"), "{st:?}");
    let snap = snapshot(&r.events, all, &r.graph, &one);
    assert!(snap.taken.contains(&("Check".into(), "Bad".into())));
    let zero = Focus::from([("Each".to_string(), 0)]);
    let st = statuses(&r, all, &zero);
    assert!(st.contains(&("Ok".into(), "succeeded")), "{st:?}");
    assert!(!st.iter().any(|(k, _)| k == "Bad"), "{st:?}");
    // Details follow the drill-down: iteration 0's input is 1, iteration 1's is 2.
    let d = state_details(&r.def, &r.events, all, &r.graph, &zero, "Check");
    assert_eq!(d.input, Some(json!(1)));
    let d = state_details(&r.def, &r.events, all, &r.graph, &one, "Check");
    assert_eq!(d.input, Some(json!(2)));
    assert_eq!(d.visits, 1);
    // Halfway: the first iteration done, the second running.
    let mid = 1 + r
        .events
        .iter()
        .position(|e| e.kind == "MapIterationStarted" && e.details()["index"] == 1)
        .unwrap();
    assert_eq!(
        snapshot(&r.events, mid, &r.graph, &Focus::new()).progress["Each"].label(),
        "1/3"
    );
}

#[test]
fn variables_in_scope_and_assigned() {
    let def = r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {
      "A": {"Type": "Pass", "Assign": {"n": 1, "who": "{% $states.input.who %}"}, "Next": "B"},
      "B": {"Type": "Pass", "Assign": {"n": "{% $n + 1 %}"}, "Output": "{% {'n': $n} %}", "End": true}}}"#;
    let r = simulate(def, json!({"who": "ann"}), &Mocks::default());
    let all = r.events.len();
    let d = state_details(&r.def, &r.events, all, &r.graph, &Focus::new(), "B");
    assert_eq!(Value::Object(d.variables), json!({"n": 1, "who": "ann"}));
    assert_eq!(Value::Object(d.assigned.clone()), json!({"n": 2}));
    let stages: Vec<&str> = d.stages.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        stages,
        ["input", "afterOutput", "output", "assignedVariables"]
    );
}

#[test]
fn failed_execution_marks_open_states_failed() {
    let r = simulate(SAMPLE, json!({}), &Mocks::default());
    let def = SAMPLE.replace("\"BooleanEquals\": true", "\"BooleanEquals\": false");
    let r2 = simulate(&def, json!({}), &Mocks::default());
    assert_eq!(
        statuses(&r2, r2.events.len(), &Focus::new()),
        pairs(&[
            ("Is valid?", "succeeded"),
            ("Reject", "failed"),
            ("Validate order", "succeeded")
        ])
    );
    let d = state_details(
        &r2.def,
        &r2.events,
        r2.events.len(),
        &r2.graph,
        &Focus::new(),
        "Reject",
    );
    assert_eq!(d.error.as_deref(), Some("InvalidOrder"));
    assert!(r.events.len() > 3);
}

#[test]
fn breakpoints_and_stepping_positions() {
    let r = simulate(SAMPLE, json!({}), &Mocks::default());
    let bps = BTreeSet::from(["Fulfil".to_string(), "Done".to_string()]);
    let first = next_breakpoint(&r.events, 0, &bps).unwrap();
    assert_eq!(r.events[first - 1].state_name(), Some("Fulfil"));
    let second = next_breakpoint(&r.events, first, &bps).unwrap();
    assert_eq!(r.events[second - 1].state_name(), Some("Done"));
    assert_eq!(next_breakpoint(&r.events, second, &bps), None);
    assert_eq!(step_within(3, 5), Some(4));
    assert_eq!(step_within(5, 5), None);
}

#[test]
fn history_rows_filters_and_export() {
    let throw = json!({"Throw": {"Error": "Boom", "Cause": "kaboom"}});
    let r = simulate(RETRY, json!({"a": 1}), &mocks(json!({"0-2": throw})));
    let rows = rows(&r.events);
    assert_eq!(rows.len(), r.events.len());
    assert_eq!(
        (rows[0].kind.as_str(), rows[0].state.as_str()),
        ("ExecutionStarted", "")
    );
    let failed = Filter {
        state: Some("Call".into()),
        kind: Some("TaskFailed".into()),
    };
    let kept: Vec<(u64, &str, &str)> = rows
        .iter()
        .filter(|r| failed.keeps(r))
        .map(|r| (r.id, r.timestamp.as_str(), r.summary.as_str()))
        .collect();
    assert_eq!(
        kept,
        [
            (5, "2025-01-01T00:00:00.000Z", "Boom: kaboom"),
            (8, "2025-01-01T00:00:02.000Z", "Boom: kaboom"),
            (11, "2025-01-01T00:00:06.000Z", "Boom: kaboom"),
        ]
    );
    // Rows made without summaries and summarised when drawn are the same rows.
    let mut brief = rows_unsummarised(&r.events);
    assert!(brief.iter().all(|r| r.summary.is_empty()));
    for row in &mut brief {
        summarise(row, &r.events);
    }
    assert_eq!(brief, rows);
    let (states, kinds) = choices(&rows);
    assert_eq!(states, ["Call", "Handle", "Done"]);
    assert!(kinds.contains(&"TaskScheduled".to_string()));
    let exported: Value = serde_json::from_str(&export(&r.events)).unwrap();
    let evs = exported["events"].as_array().unwrap();
    assert_eq!(evs.len(), r.events.len());
    assert_eq!(evs[0]["type"], "ExecutionStarted");
    assert_eq!(evs[4]["taskFailedEventDetails"]["error"], "Boom");
    for e in evs {
        for key in ["timestamp", "type", "id", "previousEventId"] {
            assert!(e.get(key).is_some(), "{key} missing in {e}");
        }
    }
}

fn check_tree(v: Value, folded: &[&str], query: &str, expected: &str) {
    let folded: BTreeSet<String> = folded.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        render(&lines(&v, &folded, query)),
        expected.trim_matches('\n')
    );
}

#[test]
fn json_tree_folds_and_searches() {
    let v = json!({"order": {"id": "A-1", "items": [1, 2]}, "total": 42, "a/b": true});
    check_tree(
        v.clone(),
        &[],
        "",
        r#"
{
  order: {
    id: "A-1"
    items: [
      [0]: 1
      [1]: 2
    ]
  }
  total: 42
  a/b: true
}"#,
    );
    check_tree(
        v.clone(),
        &["/order"],
        "",
        r#"
{
  order: {…} (2)
  total: 42
  a/b: true
}"#,
    );
    // A search shows matches with their ancestors, unfolded; keys and values both match, case-insensitive.
    check_tree(
        v.clone(),
        &["/order"],
        "a-1",
        r#"
{
  order: {
    id: "A-1"
  }
}"#,
    );
    check_tree(v.clone(), &[], "TOTAL", "{\n  total: 42\n}");
    check_tree(v.clone(), &[], "nothing", "");
    check_tree(json!("plain"), &[], "", "\"plain\"");
    // Folding paths use JSON Pointer escapes.
    let paths: Vec<String> = lines(&v, &BTreeSet::new(), "")
        .into_iter()
        .map(|l| l.path)
        .collect();
    assert!(paths.contains(&"/a~1b".to_string()));
    assert!(paths.contains(&"/order/items/1".to_string()));
}

#[test]
fn json_tree_depth_is_bounded() {
    let mut v = json!(1);
    for _ in 0..500 {
        v = json!([v]);
    }
    let ls = lines(&v, &BTreeSet::new(), "");
    assert!(ls.len() < 200);
    // Dropping a deep value must not overflow either.
    asl_drop(v);
}

fn asl_drop(v: Value) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        if let Value::Array(a) = v {
            stack.extend(a);
        }
    }
}

#[test]
fn playback_delays_and_cost() {
    assert_eq!(Speed::Instant.delay_ms(0, 5000), None);
    assert_eq!(Speed::Scaled(1).delay_ms(0, 2000), Some(2060));
    assert_eq!(Speed::Scaled(10).delay_ms(0, 2000), Some(260));
    assert_eq!(Speed::Scaled(10).delay_ms(3000, 0), Some(60));
    assert_eq!(Speed::Scaled(1).delay_ms(0, 3_600_000), Some(30_000));
    assert_eq!(Speed::Scaled(1).delay_ms(i64::MIN, i64::MAX), Some(30_000));
    for (value, _) in Speed::CHOICES {
        assert_eq!(Speed::parse(value).value(), value);
    }
    assert_eq!(Speed::parse("nonsense"), Speed::Instant);
    let cost = asl::simulate::cost::estimate(4, 1, 10);
    let p = project(&cost, 1000);
    assert!((p.standard_month - 0.0001 * 30_000.0).abs() < 1e-9);
    assert!((p.express_month - cost.express_usd * 30_000.0).abs() < 1e-12);
    for (x, s) in [
        (0.0001, "$0.0001"),
        (0.000_002_04, "$0.00000204"),
        (3.0, "$3.00"),
        (1234.567, "$1,234.57"),
        (0.0, "$0.00"),
        (f64::NAN, "$?"),
    ] {
        assert_eq!(usd(x), s);
    }
}

#[test]
fn history_pages_follow_the_position() {
    let def = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Next": "A"}}}"#;
    let r = simulate(def, json!({}), &Mocks::default());
    let all = rows(&r.events);
    assert_eq!(all.len(), 25_001);
    let last = Page::new(all.len(), usize::MAX);
    assert_eq!(
        (last.index, last.count, last.start, last.end),
        (250, 251, 25_000, 25_001)
    );
    assert_eq!(last.label(), "Events 25,001–25,001 of 25,001");
    assert_eq!(Page::new(0, 3).label(), "No events");
    assert_eq!(Page::new(0, 3).count, 1);
    // Every page holds at most PAGE_ROWS rows and the pages cover all rows once.
    let covered: usize = (0..last.count)
        .map(|i| {
            let p = Page::new(all.len(), i);
            assert!(p.end - p.start <= PAGE_ROWS);
            p.end - p.start
        })
        .sum();
    assert_eq!(covered, all.len());
    // The page follows the position (position p shows event p as the last one).
    assert_eq!(page_of_position(&all, 0), 0);
    assert_eq!(page_of_position(&all, 100), 0);
    assert_eq!(page_of_position(&all, 101), 1);
    assert_eq!(page_of_position(&all, 25_001), 250);
    // A chosen page holds until the position moves.
    assert_eq!(page_to_show(&all, 500, Some((7, 500))).index, 7);
    assert_eq!(page_to_show(&all, 501, Some((7, 500))).index, 5);
    // Filtered rows: the page of the last kept row at or before the position.
    let f = Filter {
        state: None,
        kind: Some("PassStateEntered".into()),
    };
    let kept: Vec<_> = all.iter().filter(|r| f.keeps(r)).cloned().collect();
    assert_eq!(kept.len(), 12_500);
    // Entered events sit at positions 2, 4, 6, ...: position 403 shows the 201st as the last one.
    assert_eq!(page_of_position(&kept, 403), 2);
    assert_eq!(page_of_position(&kept, 401), 1);
}

fn stage<'a>(d: &'a details::StateDetails, key: &str) -> Option<&'a Value> {
    d.stages.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

#[test]
fn map_and_parallel_data_flow_stages() {
    let def = r#"{"StartAt": "Fan", "States": {
      "Fan": {"Type": "Map", "InputPath": "$.order", "ItemsPath": "$.lines",
        "ItemSelector": {"sku.$": "$$.Map.Item.Value.sku", "n.$": "$$.Map.Item.Index"},
        "ItemProcessor": {"StartAt": "Price", "States": {
          "Price": {"Type": "Pass", "Parameters": {"sku.$": "$.sku", "cents.$": "States.MathAdd($.n, 100)"}, "End": true}}},
        "ResultSelector": {"priced.$": "$"}, "ResultPath": "$.out", "OutputPath": "$.out", "Next": "Both"},
      "Both": {"Type": "Parallel", "Parameters": {"first.$": "$.priced[0]"}, "Next": "Done", "Branches": [
        {"StartAt": "L", "States": {"L": {"Type": "Pass", "Result": "left", "End": true}}},
        {"StartAt": "R1", "States": {"R1": {"Type": "Pass", "Next": "R2"}, "R2": {"Type": "Pass", "Result": "right", "End": true}}}]},
      "Done": {"Type": "Succeed"}}}"#;
    let input = json!({"order": {"lines": [{"sku": "a"}, {"sku": "b"}]}});
    let r = simulate(def, input.clone(), &Mocks::default());
    let all = r.events.len();
    let d = state_details(&r.def, &r.events, all, &r.graph, &Focus::new(), "Fan");
    let keys: Vec<&str> = d.stages.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "input",
            "afterInputPath",
            "afterItemsPath",
            "iterationInputs",
            "result",
            "afterResultSelector",
            "afterResultPath",
            "output"
        ]
    );
    assert_eq!(d.derived, ["iterationInputs", "result"]);
    assert_eq!(stage(&d, "input"), Some(&input));
    assert_eq!(
        stage(&d, "afterItemsPath"),
        Some(&json!([{"sku": "a"}, {"sku": "b"}]))
    );
    assert_eq!(
        stage(&d, "iterationInputs"),
        Some(&json!([{"sku": "a", "n": 0}, {"sku": "b", "n": 1}]))
    );
    let results = json!([{"sku": "a", "cents": 100}, {"sku": "b", "cents": 101}]);
    assert_eq!(stage(&d, "result"), Some(&results));
    assert_eq!(
        stage(&d, "afterResultSelector"),
        Some(&json!({"priced": results}))
    );
    assert_eq!(stage(&d, "output"), Some(&json!({"priced": results})));
    assert_eq!(d.output, Some(json!({"priced": results})));
    assert_eq!(d.note, None);
    // Drilled into one iteration, the Map's stages still count every iteration.
    let one = Focus::from([("Fan".to_string(), 1)]);
    let focused = state_details(&r.def, &r.events, all, &r.graph, &one, "Fan");
    assert_eq!(stage(&focused, "result"), Some(&results));

    let p = state_details(&r.def, &r.events, all, &r.graph, &Focus::new(), "Both");
    assert_eq!(
        stage(&p, "branchInputs"),
        Some(&json!([{"first": results[0]}, {"first": results[0]}]))
    );
    assert_eq!(stage(&p, "result"), Some(&json!(["left", "right"])));
    assert_eq!(stage(&p, "output"), Some(&json!(["left", "right"])));
    assert_eq!(p.derived, ["branchInputs", "result"]);

    // Halfway through the Map: the inputs so far, no result, a note saying why.
    let mid = 1 + r
        .events
        .iter()
        .position(|e| e.kind == "MapIterationStarted" && e.details()["index"] == 1)
        .unwrap();
    let half = state_details(&r.def, &r.events, mid, &r.graph, &Focus::new(), "Fan");
    assert_eq!(
        stage(&half, "iterationInputs"),
        Some(&json!([{"sku": "a", "n": 0}]))
    );
    assert_eq!(stage(&half, "result"), None);
    assert!(
        half.note.as_deref().unwrap().contains("not finished"),
        "{half:?}"
    );
}

#[test]
fn a_failed_map_shows_its_inputs_and_why_there_is_no_result() {
    let r = simulate(MAP, json!({"items": [1, 2, 3]}), &Mocks::default());
    let d = state_details(
        &r.def,
        &r.events,
        r.events.len(),
        &r.graph,
        &Focus::new(),
        "Each",
    );
    assert_eq!(stage(&d, "iterationInputs"), Some(&json!([1, 2])));
    assert_eq!(stage(&d, "result"), None);
    assert!(d.note.as_deref().unwrap().contains("failed"), "{d:?}");
}
