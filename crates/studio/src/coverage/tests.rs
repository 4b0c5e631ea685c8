//! Coverage from real simulator histories: Next, Choice rules and Default, Catch, retries, Map and
//! Parallel scopes.

use super::*;
use asl::simulate::{Options, run};
use serde_json::{Value, json};

/// Run `def` on each input (with `mocks`: a MockConfigFile of machine "M", case "C"), then list
/// the covered and uncovered edges as `from->to kind` and the unreached states.
fn check(def: Value, inputs: &[Value], mocks: Option<Value>, covered: &[&str], unreached: &[&str]) {
    let graph = FlowGraph::from_definition(&def);
    let mocks = mocks
        .map(|m| asl::simulate::Mocks::from_config(&m, "M", "C").unwrap())
        .unwrap_or_default();
    let histories: Vec<Vec<Event>> = inputs
        .iter()
        .map(|i| run(&def, i.clone(), &mocks, &Options::default()).1)
        .collect();
    let c = Coverage::of_runs(&graph, Some(&def), histories.iter().map(Vec::as_slice));
    let edge_name = |i: usize| {
        let e = &graph.edges[i];
        format!(
            "{}->{} {}",
            graph.nodes[e.from].name,
            graph.nodes[e.to].name,
            e.kind.as_str()
        )
    };
    let got: Vec<String> = (0..graph.edges.len())
        .filter(|&i| c.edges[i])
        .map(edge_name)
        .collect();
    assert_eq!(got, covered, "covered edges");
    let missing: Vec<&str> = (0..graph.nodes.len())
        .filter(|&i| !c.states[i])
        .map(|i| graph.nodes[i].name.as_str())
        .collect();
    assert_eq!(missing, unreached, "unreached states");
}

fn choice_def() -> Value {
    json!({"StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
            {"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Small"}],
            "Default": "Zero"},
        "Big": {"Type": "Pass", "Next": "Done"},
        "Small": {"Type": "Pass", "Next": "Done"},
        "Zero": {"Type": "Fail", "Error": "Zero"},
        "Done": {"Type": "Succeed"}}})
}

#[test]
fn choice_rules_and_default() {
    check(
        choice_def(),
        &[json!({"n": 5})],
        None,
        &["Check->Small choice", "Small->Done next"],
        &["Big", "Zero"],
    );
    check(
        choice_def(),
        &[json!({"n": 50}), json!({"n": 0})],
        None,
        &["Check->Big choice", "Check->Zero default", "Big->Done next"],
        &["Small"],
    );
    check(
        choice_def(),
        &[],
        None,
        &[],
        &["Check", "Big", "Small", "Zero", "Done"],
    );
}

#[test]
fn catch_edges_and_retries() {
    let def = json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2}],
                 "Catch": [{"ErrorEquals": ["Boom"], "Next": "Recover"}], "Next": "Ok"},
        "Ok": {"Type": "Succeed"},
        "Recover": {"Type": "Pass", "End": true}}});
    let mocks = |table: Value| json!({"StateMachines": {"M": {"TestCases": {"C": {"Call": "R"}}}}, "MockedResponses": {"R": table}});
    // Retried once, then succeeded: Next, not Catch.
    check(
        def.clone(),
        &[json!({})],
        Some(mocks(
            json!({"0": {"Throw": {"Error": "Busy"}}, "1": {"Return": {}}}),
        )),
        &["Call->Ok next"],
        &["Recover"],
    );
    check(
        def,
        &[json!({})],
        Some(mocks(
            json!({"0": {"Throw": {"Error": "Boom", "Cause": "x"}}}),
        )),
        &["Call->Recover catch"],
        &["Ok"],
    );
}

#[test]
fn loops_map_and_parallel_scopes() {
    let def = json!({"StartAt": "Fan", "States": {
        "Fan": {"Type": "Map", "ItemsPath": "$.items", "Next": "Both",
            "ItemProcessor": {"StartAt": "Odd?", "States": {
                "Odd?": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "One"}],
                         "Default": "Other"},
                "One": {"Type": "Pass", "End": true},
                "Other": {"Type": "Pass", "End": true}}}},
        "Both": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "A1", "States": {"A1": {"Type": "Pass", "Next": "A2"}, "A2": {"Type": "Pass", "End": true}}},
            {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}}]}}});
    check(
        def.clone(),
        &[json!({"items": [1, 1]})],
        None,
        &["Fan->Both next", "Odd?->One choice", "A1->A2 next"],
        &["Other"],
    );
    check(
        def,
        &[json!({"items": [2, 1]})],
        None,
        &[
            "Fan->Both next",
            "Odd?->One choice",
            "Odd?->Other default",
            "A1->A2 next",
        ],
        &[],
    );
    // A loop to the event limit: both loop edges are taken; the exit is not.
    let looped = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "End"}], "Default": "A"},
        "End": {"Type": "Succeed"}}});
    check(
        looped,
        &[json!({})],
        None,
        &["A->B next", "B->A default"],
        &["End"],
    );
}

#[test]
fn templates_cases_cover_their_workflows_mostly() {
    for t in crate::templates::templates() {
        let def: Value = serde_json::from_str(t.definition).unwrap();
        let graph = FlowGraph::from_definition(&def);
        let histories: Vec<Vec<Event>> = crate::testcase::from_template(&t)
            .iter()
            .map(|c| {
                let m = c.mock_ref(None).unwrap().unwrap().load().unwrap();
                run(&def, c.input.clone(), &m, &Options::default()).1
            })
            .collect();
        let c = Coverage::of_runs(&graph, Some(&def), histories.iter().map(Vec::as_slice));
        let s = c.summary();
        assert!(
            s.states > 0 && s.states <= s.states_total,
            "{}: {s:?}",
            t.id
        );
        assert!(s.transitions <= s.transitions_total);
        assert_eq!(
            c.uncovered(&graph).len(),
            s.transitions_total - s.transitions,
            "{}",
            t.id
        );
        // The lookup through the layout's description (ends, kind, rule) finds each edge.
        for (i, e) in graph.edges.iter().enumerate() {
            assert_eq!(
                c.edge(&graph, e.from, e.to, e.kind, e.rule),
                Some(c.edges[i]),
                "{}",
                t.id
            );
        }
    }
}

#[test]
fn order_saga_coverage_in_detail() {
    let t = crate::templates::templates()
        .into_iter()
        .find(|t| t.id == "order-saga")
        .unwrap();
    let def: Value = serde_json::from_str(t.definition).unwrap();
    let graph = FlowGraph::from_definition(&def);
    let runs: Vec<Vec<Event>> = crate::testcase::from_template(&t)
        .iter()
        .map(|c| {
            let m = c.mock_ref(None).unwrap().unwrap().load().unwrap();
            run(&def, c.input.clone(), &m, &Options::default()).1
        })
        .collect();
    let c = Coverage::of_runs(&graph, Some(&def), runs.iter().map(Vec::as_slice));
    // The saga's cases exercise at least one Catch edge.
    let catches = graph
        .edges
        .iter()
        .zip(&c.edges)
        .filter(|(e, c)| e.kind == EdgeKind::Catch && **c)
        .count();
    assert!(catches >= 1, "{:?}", c.uncovered(&graph));
}

#[test]
fn histories_naming_unknown_states_are_ignored() {
    let graph = FlowGraph::from_definition(&choice_def());
    let ev = |id: u64, kind: &str, name: &str| {
        Event::from_parts(id, id - 1, 0, kind.into(), json!({"name": name}), None)
    };
    let mut c = Coverage::new(&graph);
    c.add(
        &graph,
        Some(&choice_def()),
        &[
            ev(1, "PassStateExited", "Nope"),
            ev(2, "PassStateEntered", "Ghost"),
            ev(3, "ChoiceStateEntered", "Check"),
            ev(4, "ChoiceStateExited", "Check"),
            ev(5, "PassStateEntered", "Big"),
        ],
    );
    assert_eq!(
        c.summary(),
        Summary {
            states: 2,
            states_total: 5,
            transitions: 1,
            transitions_total: 5
        }
    );
}

/// The covered edges as `from->to kind rule`.
fn covered_rules(def: &Value, inputs: &[Value], with_definition: bool) -> Vec<String> {
    let graph = FlowGraph::from_definition(def);
    let histories: Vec<Vec<Event>> = inputs
        .iter()
        .map(|i| run(def, i.clone(), &Default::default(), &Options::default()).1)
        .collect();
    let c = Coverage::of_runs(
        &graph,
        with_definition.then_some(def),
        histories.iter().map(Vec::as_slice),
    );
    graph
        .edges
        .iter()
        .zip(&c.edges)
        .filter(|(_, c)| **c)
        .map(|(e, _)| {
            format!(
                "{}->{} {} {}",
                graph.nodes[e.from].name,
                graph.nodes[e.to].name,
                e.kind.as_str(),
                e.rule
            )
        })
        .collect()
}

#[test]
fn choice_rules_with_one_target_are_told_apart() {
    // Rules 0 and 1 and the Default all go to "Same"; rule 2 to "Other". Rule 1 reads a variable.
    let def = json!({"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"limit": 100}, "Next": "Route"},
        "Route": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericEquals": 1, "Next": "Same"},
            {"Variable": "$.n", "NumericGreaterThanPath": "$limit", "Next": "Same"},
            {"Variable": "$.n", "NumericEquals": 2, "Next": "Other"}],
            "Default": "Same"},
        "Same": {"Type": "Succeed"},
        "Other": {"Type": "Succeed"}}});
    let route = |n: i64| covered_rules(&def, &[json!({ "n": n })], true);
    assert_eq!(route(1), ["Set->Route next 0", "Route->Same choice 0"]);
    assert_eq!(route(500), ["Set->Route next 0", "Route->Same choice 1"]);
    assert_eq!(route(7), ["Set->Route next 0", "Route->Same default 0"]);
    assert_eq!(route(2), ["Set->Route next 0", "Route->Other choice 2"]);
    // Without the definition the first edge to the target is counted (the history alone cannot tell).
    assert_eq!(
        covered_rules(&def, &[json!({"n": 7})], false),
        ["Set->Route next 0", "Route->Same choice 0"]
    );
}

#[test]
fn choice_rules_inside_a_map_iteration_see_its_input() {
    let def = json!({"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "Which", "States": {
            "Which": {"Type": "Choice", "Choices": [
                {"Variable": "$", "NumericLessThan": 0, "Next": "Done"},
                {"Variable": "$", "NumericGreaterThan": 10, "Next": "Done"}],
                "Default": "Done"},
            "Done": {"Type": "Succeed"}}}}}});
    assert_eq!(
        covered_rules(&def, &[json!([-1, 50])], true),
        ["Which->Done choice 0", "Which->Done choice 1"]
    );
    assert_eq!(
        covered_rules(&def, &[json!([5])], true),
        ["Which->Done default 0"]
    );
}
