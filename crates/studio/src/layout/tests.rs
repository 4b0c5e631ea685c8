//! Layout tests: geometric invariants on generated definitions (no overlaps, containment, endpoints on
//! borders, no edge through a node), determinism and speed.

use super::*;
use crate::testgen::{self, Rng};
use proptest::prelude::*;
use serde_json::{Value, json};

fn lay(def: &Value) -> Layout {
    layout(&FlowGraph::from_definition(def))
}

/// Points along an SVG path made of M, L and C commands (curves sampled).
fn sample(d: &str) -> Vec<(f64, f64)> {
    let mut pts = Vec::new();
    let mut cur = (0.0, 0.0);
    // Commands start with a letter; numbers are comma/space separated.
    let mut tokens: Vec<(char, Vec<f64>)> = Vec::new();
    let mut letter = ' ';
    let mut nums = String::new();
    for ch in d.chars() {
        if ch.is_ascii_alphabetic() {
            if letter != ' ' {
                tokens.push((letter, parse_nums(&nums)));
            }
            letter = ch;
            nums.clear();
        } else {
            nums.push(ch);
        }
    }
    if letter != ' ' {
        tokens.push((letter, parse_nums(&nums)));
    }
    for (c, n) in tokens {
        match (c, n.as_slice()) {
            ('M', [x, y]) => {
                cur = (*x, *y);
                pts.push(cur);
            }
            ('L', [x, y]) => {
                for i in 1..=20 {
                    let t = i as f64 / 20.0;
                    pts.push((cur.0 + (x - cur.0) * t, cur.1 + (y - cur.1) * t));
                }
                cur = (*x, *y);
            }
            ('C', [a, b, c2, d2, x, y]) => {
                for i in 1..=20 {
                    let t = i as f64 / 20.0;
                    let u = 1.0 - t;
                    let px = u * u * u * cur.0
                        + 3.0 * u * u * t * a
                        + 3.0 * u * t * t * c2
                        + t * t * t * x;
                    let py = u * u * u * cur.1
                        + 3.0 * u * u * t * b
                        + 3.0 * u * t * t * d2
                        + t * t * t * y;
                    pts.push((px, py));
                }
                cur = (*x, *y);
            }
            other => panic!("unexpected path command {other:?} in {d}"),
        }
    }
    pts
}

fn parse_nums(s: &str) -> Vec<f64> {
    s.split([',', ' '])
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().unwrap())
        .collect()
}

fn inside(n: &NodeBox, p: (f64, f64), margin: f64) -> bool {
    p.0 > n.x + margin && p.0 < n.x + n.w - margin && p.1 > n.y + margin && p.1 < n.y + n.h - margin
}

fn ancestors(l: &Layout, mut i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    while let Some(p) = l.nodes[i].parent {
        out.push(p);
        i = p;
    }
    out
}

/// Checks every geometric invariant; returns a description of the first violation.
fn check_invariants(l: &Layout) -> Result<(), String> {
    for n in &l.nodes {
        for v in [n.x, n.y, n.w, n.h] {
            if !v.is_finite() {
                return Err(format!("non-finite box {n:?}"));
            }
        }
        if n.x < 0.0 || n.y < 0.0 || n.x + n.w > l.width + 0.01 || n.y + n.h > l.height + 0.01 {
            return Err(format!("{} outside the drawing", n.name));
        }
        if let Some(p) = n.parent {
            let p = &l.nodes[p];
            if n.x < p.x || n.y < p.y || n.x + n.w > p.x + p.w || n.y + n.h > p.y + p.h {
                return Err(format!("{} not inside its container {}", n.name, p.name));
            }
        }
    }
    // Siblings never overlap (states of different branches of one container are siblings of a sort too:
    // any two boxes overlap only when one contains the other).
    for a in &l.nodes {
        for b in &l.nodes {
            if a.index >= b.index {
                continue;
            }
            let overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
            if overlap
                && !ancestors(l, a.index).contains(&b.index)
                && !ancestors(l, b.index).contains(&a.index)
            {
                return Err(format!("{} overlaps {}", a.name, b.name));
            }
        }
    }
    for e in &l.edges {
        let pts = sample(&e.d);
        let (f, t) = (&l.nodes[e.from_index], &l.nodes[e.to_index]);
        let first = pts[0];
        let last = *pts.last().unwrap();
        let on_bottom =
            (first.1 - (f.y + f.h)).abs() < 0.11 && first.0 >= f.x && first.0 <= f.x + f.w;
        let on_top = (last.1 - t.y).abs() < 0.11 && last.0 >= t.x && last.0 <= t.x + t.w;
        if !on_bottom || !on_top {
            return Err(format!(
                "edge {}->{} does not start/end on borders: {}",
                e.from, e.to, e.d
            ));
        }
        let scope = ancestors(l, e.from_index);
        for n in &l.nodes {
            if scope.contains(&n.index) {
                continue;
            }
            if let Some(p) = pts.iter().find(|&&p| inside(n, p, 0.5)) {
                return Err(format!(
                    "edge {}->{} passes through {} at {p:?}: {}",
                    e.from, e.to, n.name, e.d
                ));
            }
        }
        if e.label.is_some() {
            let (lx, ly, lw) = (e.label_x, e.label_y, e.label_w);
            for n in &l.nodes {
                if scope.contains(&n.index) {
                    continue;
                }
                let hits = lx + lw / 2.0 > n.x
                    && lx - lw / 2.0 < n.x + n.w
                    && ly > n.y
                    && ly - 10.0 < n.y + n.h;
                if hits {
                    return Err(format!("label of {}->{} overlaps {}", e.from, e.to, n.name));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn parallel_children_sit_inside_their_container_side_by_side() {
    let def = json!({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
        {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}});
    let l = lay(&def);
    check_invariants(&l).unwrap();
    assert!(l.nodes[0].container);
    assert!(
        l.nodes[1].x + l.nodes[1].w <= l.nodes[2].x,
        "branches side by side"
    );
    assert_eq!(
        l.nodes[1].y, l.nodes[2].y,
        "branches start at the same height"
    );
}

#[test]
fn map_processor_is_nested() {
    let def = json!({"StartAt":"M","States":{"M":{"Type":"Map","Next":"Done","ItemProcessor":
        {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}},
        "Done":{"Type":"Succeed"}}});
    let l = lay(&def);
    check_invariants(&l).unwrap();
    let names: Vec<_> = l
        .nodes
        .iter()
        .map(|n| (n.name.as_str(), n.parent))
        .collect();
    assert_eq!(
        names,
        [("M", None), ("Done", None), ("A", Some(0)), ("B", Some(0))]
    );
    assert!(
        l.nodes[1].y >= l.nodes[0].y + l.nodes[0].h,
        "Done below the Map"
    );
}

#[test]
fn a_chain_is_a_straight_vertical_spine() {
    let def = json!({"StartAt":"A","States":{
        "A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}});
    let l = lay(&def);
    let xs: Vec<f64> = l.nodes.iter().map(|n| n.x + n.w / 2.0).collect();
    assert!(xs.windows(2).all(|w| (w[0] - w[1]).abs() < 0.01), "{xs:?}");
    assert!(l.nodes[0].y < l.nodes[1].y && l.nodes[1].y < l.nodes[2].y);
    assert!(l.edges.iter().all(|e| !e.d.contains('C')), "straight lines");
}

#[test]
fn choice_fans_in_rule_order_centred_over_its_branches_with_labels() {
    let def = json!({"StartAt":"Check","States":{
        "Check":{"Type":"Choice","Choices":[
            {"Variable":"$.x","NumericEquals":1,"Next":"One"},
            {"Variable":"$.x","NumericEquals":2,"Next":"Two"}],"Default":"Other"},
        "One":{"Type":"Pass","End":true},"Two":{"Type":"Pass","End":true},"Other":{"Type":"Pass","End":true}}});
    let l = lay(&def);
    check_invariants(&l).unwrap();
    let cx = |i: usize| l.nodes[i].x + l.nodes[i].w / 2.0;
    assert!(
        cx(1) < cx(2) && cx(2) < cx(3),
        "rules left to right, Default last"
    );
    assert!((cx(0) - cx(2)).abs() < 0.5, "choice centred over its fan");
    let labels: Vec<_> = l
        .edges
        .iter()
        .map(|e| (e.kind, e.label.clone().unwrap()))
        .collect();
    assert_eq!(
        labels,
        vec![
            (EdgeKind::Choice, "$.x == 1".to_string()),
            (EdgeKind::Choice, "$.x == 2".to_string()),
            (EdgeKind::Default, "Default".to_string())
        ]
    );
    // labels do not overlap each other
    for a in &l.edges {
        for b in &l.edges {
            if a.to != b.to && (a.label_y - b.label_y).abs() < 10.0 {
                assert!(
                    (a.label_x - b.label_x).abs() >= (a.label_w + b.label_w) / 2.0,
                    "{a:?} {b:?}"
                );
            }
        }
    }
}

#[test]
fn loops_are_back_edges_routed_around() {
    let def = json!({"StartAt":"Submit","States":{
        "Submit":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Wait"},
        "Wait":{"Type":"Wait","Seconds":5,"Next":"Status"},
        "Status":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Done?",
                  "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Failed"}]},
        "Done?":{"Type":"Choice","Choices":[{"Variable":"$.done","BooleanEquals":true,"Next":"Ok"}],"Default":"Wait"},
        "Ok":{"Type":"Succeed"},"Failed":{"Type":"Fail"}}});
    let l = lay(&def);
    check_invariants(&l).unwrap();
    let back: Vec<_> = l
        .edges
        .iter()
        .filter(|e| e.back)
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(back, vec![("Done?", "Wait")]);
    let catch = l.edges.iter().find(|e| e.kind == EdgeKind::Catch).unwrap();
    assert_eq!(catch.label.as_deref(), Some("States.ALL"));
    // the back edge runs right of every node
    let loop_edge = l.edges.iter().find(|e| e.back).unwrap();
    let max_x = sample(&loop_edge.d).iter().map(|p| p.0).fold(0.0, f64::max);
    assert!(l.nodes.iter().all(|n| n.x + n.w < max_x));
}

#[test]
fn self_loops_and_empty_and_malformed_definitions_do_not_break() {
    for def in [
        json!({"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[],"Default":"A"}}}),
        json!({}),
        json!({"States": 3}),
        json!({"StartAt":"X","States":{"A":{"Type":"Pass","Next":"Missing"}}}),
        json!({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"States":{}}, 4, {"StartAt":"Q","States":{"Q":{}}}],"End":true}}}),
    ] {
        let l = lay(&def);
        check_invariants(&l).unwrap();
    }
}

#[test]
fn deeply_nested_definitions_are_bounded() {
    let mut def = json!({"StartAt":"Leaf","States":{"Leaf":{"Type":"Pass","End":true}}});
    for i in 0..100 {
        def = json!({"StartAt":format!("P{i}"),"States":{format!("P{i}"):{"Type":"Parallel","End":true,"Branches":[def]}}});
    }
    let l = lay(&def);
    assert!(l.nodes.len() <= crate::graph::MAX_DEPTH + 2);
    check_invariants(&l).unwrap();
}

#[test]
fn numbers_in_paths_have_one_decimal() {
    for (v, s) in [
        (0.0, "0.0"),
        (1.25, "1.3"),
        (-0.04, "0.0"),
        (-3.96, "-4.0"),
        (123.44, "123.4"),
        (f64::NAN, "0.0"),
    ] {
        let mut out = String::new();
        push_num(&mut out, v);
        assert_eq!(out, s, "{v}");
    }
}

#[test]
fn long_labels_are_shortened() {
    let long = "a".repeat(80);
    let def = json!({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Condition":format!("{{% {long} %}}"),"Next":"A"}],"Default":"A"},
        "A":{"Type":"Succeed"}}});
    let l = lay(&def);
    let e = &l.edges[0];
    assert_eq!(e.label.as_ref().unwrap().chars().count(), LABEL_MAX_CHARS);
    assert!(e.label.as_ref().unwrap().ends_with('…'));
    assert_eq!(e.full_label.as_ref().unwrap().len(), 80 + 6);
    check_invariants(&l).unwrap();
}

#[test]
fn realistic_large_workflows_keep_the_invariants_and_are_deterministic() {
    for n in [10, 120, 300] {
        let def = testgen::realistic(n);
        let a = lay(&def);
        check_invariants(&a).unwrap_or_else(|e| panic!("{n} states: {e}"));
        assert_eq!(a, lay(&def), "deterministic");
    }
}

#[test]
fn a_small_edit_moves_little() {
    let mut def = testgen::realistic(40);
    let before = lay(&def);
    def["States"]["Step 0039"]["Comment"] = json!("edited");
    def["States"]["Step 0020"]["Result"] = json!({"changed": true});
    assert_eq!(
        before,
        lay(&def),
        "edits that do not touch the flow change nothing"
    );
}

#[test]
fn thousand_states_lay_out_quickly() {
    for def in [testgen::realistic(1000), testgen::nested(1000)] {
        thousand_states(&def);
    }
}

fn thousand_states(def: &Value) {
    let g = FlowGraph::from_definition(def);
    let mut ms = f64::INFINITY;
    let mut l = Layout::default();
    for _ in 0..5 {
        let t = std::time::Instant::now();
        l = layout(&g);
        ms = ms.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "1000-state layout: {ms:.1} ms ({} edges, {:.0}x{:.0})",
        l.edges.len(),
        l.width,
        l.height
    );
    assert!(l.nodes.len() >= 1000);
    // Debug builds are ~10-30x slower than release; this bound catches a quadratic blow-up.
    assert!(ms < 3000.0, "{ms} ms");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]
    #[test]
    fn generated_definitions_keep_the_invariants(seed in any::<u64>(), size in 1usize..9, depth in 0usize..3) {
        let def = testgen::definition(&mut Rng::new(seed), size, depth);
        let l = lay(&def);
        if let Err(e) = check_invariants(&l) {
            prop_assert!(false, "{e}\n{}", serde_json::to_string_pretty(&def).unwrap());
        }
        prop_assert_eq!(&l, &lay(&def));
        prop_assert_eq!(l.edges.len(), FlowGraph::from_definition(&def).edges.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]
    #[test]
    fn layouts_after_an_edit_keep_the_invariants(a in any::<u64>(), b in any::<u64>(), size in 1usize..9, depth in 0usize..3) {
        // Any previous layout (of an unrelated definition, or of the same one with one transition
        // changed) gives a valid layout, the same one each time.
        let before = testgen::definition(&mut Rng::new(a), size, depth);
        let prev = lay(&before);
        let mut edited = before.clone();
        let names: Vec<String> = edited["States"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
        if let (Some(x), Some(y)) = (names.get(b as usize % names.len().max(1)), names.get((b >> 8) as usize % names.len().max(1)))
            && edited["States"][x].get("Next").is_some()
        {
            edited["States"][x]["Next"] = json!(y);
        }
        for def in [edited, testgen::definition(&mut Rng::new(b), size, depth)] {
            let g = FlowGraph::from_definition(&def);
            let l = layout_after(&g, Some(&prev));
            if let Err(e) = check_invariants(&l) {
                prop_assert!(false, "{e}\n{}\nafter\n{}", serde_json::to_string_pretty(&def).unwrap(), serde_json::to_string_pretty(&before).unwrap());
            }
            prop_assert_eq!(&l, &layout_after(&g, Some(&prev)));
            prop_assert_eq!(l.edges.len(), g.edges.len());
        }
        // Laying out the same graph again moves nothing.
        let again = layout_after(&FlowGraph::from_definition(&before), Some(&prev));
        prop_assert!(moved(&prev, &again).is_empty(), "{:?}", moved(&prev, &again));
    }
}

/// Renders a layout as a standalone SVG (for looking at layouts while working on them).
fn to_svg(l: &Layout) -> String {
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-family='sans-serif'>\
         <defs><marker id='a' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' markerHeight='7' orient='auto'>\
         <path d='M0,0 L10,5 L0,10 z'/></marker></defs><rect width='100%' height='100%' fill='white'/>",
        l.width, l.height
    );
    for n in &l.nodes {
        let fill = if n.container { "#eef3ff" } else { "#fff7e6" };
        s += &format!(
            "<rect x='{}' y='{}' width='{}' height='{}' rx='8' fill='{fill}' stroke='#555'/>",
            n.x, n.y, n.w, n.h
        );
        let (tx, ty, anchor) = if n.container {
            (n.x + 10.0, n.y + 20.0, "start")
        } else {
            (n.x + n.w / 2.0, n.y + 27.0, "middle")
        };
        s += &format!(
            "<text x='{tx}' y='{ty}' font-size='13' text-anchor='{anchor}'>{} ({})</text>",
            n.name, n.kind
        );
    }
    for e in &l.edges {
        let color = match e.kind {
            EdgeKind::Next => "#333",
            EdgeKind::Choice => "#1a5fb4",
            EdgeKind::Default => "#613583",
            EdgeKind::Catch => "#c01c28",
        };
        let dash = if e.kind == EdgeKind::Catch {
            " stroke-dasharray='5,3'"
        } else {
            ""
        };
        s += &format!(
            "<path d='{}' fill='none' stroke='{color}'{dash} marker-end='url(#a)'/>",
            e.d
        );
        if let Some(lbl) = &e.label {
            s += &format!(
                "<text x='{}' y='{}' font-size='10' text-anchor='middle' fill='{color}' stroke='white' stroke-width='3' paint-order='stroke'>{}</text>",
                e.label_x,
                e.label_y,
                lbl.replace('<', "&lt;").replace('&', "&amp;")
            );
        }
    }
    s + "</svg>"
}

#[test]
fn write_svgs_when_asked() {
    // STUDIO_SVG_DIR=/tmp/svg cargo test -p studio write_svgs -- then open the files.
    let Ok(dir) = std::env::var("STUDIO_SVG_DIR") else {
        return;
    };
    let samples = [
        ("realistic30", testgen::realistic(30)),
        ("random", testgen::definition(&mut Rng::new(7), 8, 2)),
        ("random2", testgen::definition(&mut Rng::new(12345), 8, 2)),
    ];
    for (name, def) in samples {
        let l = lay(&def);
        std::fs::write(format!("{dir}/{name}.svg"), to_svg(&l)).unwrap();
    }
}

#[test]
fn appending_a_state_at_the_end_leaves_the_top_in_place() {
    let mut def = testgen::realistic(40);
    let before = lay(&def);
    def["States"]["Step 0039"] = json!({"Type": "Pass", "Next": "Extra"});
    def["States"]["Extra"] = json!({"Type": "Succeed"});
    let after = lay(&def);
    let moved: Vec<_> = before
        .nodes
        .iter()
        .filter(|b| {
            let a = after.node_named(&b.name).unwrap();
            (a.x - b.x).abs() > 0.5 || (a.y - b.y).abs() > 0.5
        })
        .map(|b| b.name.as_str())
        .collect();
    println!("moved after appending: {moved:?}");
    assert!(moved.len() <= 2, "{moved:?}");
}

#[test]
fn big_random_nested_definitions_keep_the_invariants() {
    for seed in 0..12 {
        let def = testgen::definition(&mut Rng::new(seed), 30, 3);
        let l = lay(&def);
        check_invariants(&l).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    }
}

#[test]
fn polling_workflow_snapshot() {
    let def = json!({"StartAt": "Submit job", "States": {
        "Submit job": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Wait 30s"},
        "Wait 30s": {"Type": "Wait", "Seconds": 30, "Next": "Get status"},
        "Get status": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done?",
                       "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]},
        "Done?": {"Type": "Choice", "Choices": [
            {"Variable": "$.status", "StringEquals": "FAILED", "Next": "Failed"},
            {"Variable": "$.status", "StringEquals": "SUCCEEDED", "Next": "Fan out"}], "Default": "Wait 30s"},
        "Fan out": {"Type": "Parallel", "Next": "Succeeded", "Branches": [
            {"StartAt": "Notify", "States": {"Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true}}},
            {"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true, "ItemProcessor": {
                "StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": true}}}}}}]},
        "Failed": {"Type": "Fail"},
        "Succeeded": {"Type": "Succeed"}}});
    let l = lay(&def);
    check_invariants(&l).unwrap();
    if let Ok(dir) = std::env::var("STUDIO_SVG_DIR") {
        std::fs::write(format!("{dir}/polling.svg"), to_svg(&l)).unwrap();
    }
    insta::assert_json_snapshot!(l);
}

#[test]
fn inserting_a_state_moves_only_what_follows_it() {
    // Dropping one state onto an arrow in the middle: everything above stays exactly in place, and
    // what follows only moves down (by one layer), never sideways.
    let def = testgen::realistic(40);
    let mut doc = crate::Document::from_value(def);
    let before = layout(&doc.graph());
    crate::apply(
        &mut doc,
        crate::Edit::InsertOnTransition {
            scope: Vec::new(),
            from: "Step 0020".into(),
            transition: crate::Transition::Next,
            name: "Inserted".into(),
            state: Some(json!({"Type": "Pass"})),
        },
    )
    .unwrap();
    let after = layout(&doc.graph());
    let pivot = before.node_named("Step 0020").unwrap().y;
    let mut moved_sideways = Vec::new();
    for b in &before.nodes {
        let a = after.node_named(&b.name).unwrap();
        if b.y <= pivot {
            assert_eq!(
                (a.x, a.y),
                (b.x, b.y),
                "{} above the insertion moved",
                b.name
            );
        } else if (a.x - b.x).abs() > 0.5 {
            moved_sideways.push(b.name.as_str());
        }
    }
    assert!(moved_sideways.len() <= 2, "{moved_sideways:?}");
}

/// States of `b` whose box is not where it was in `a`.
/// The states of `b` that are new or moved or resized by half a pixel or more against `a`. (A layout after an
/// edit places a container's contents once near their old places where a fresh layout sweeps: its width can
/// come out a tenth of a pixel apart.)
fn moved<'a>(a: &Layout, b: &'a Layout) -> Vec<&'a str> {
    let apart = |p: f64, q: f64| (p - q).abs() >= 0.5;
    b.nodes
        .iter()
        .filter(|n| {
            a.node_named(&n.name).is_none_or(|o| {
                apart(o.x, n.x) || apart(o.y, n.y) || apart(o.w, n.w) || apart(o.h, n.h)
            })
        })
        .map(|n| n.name.as_str())
        .collect()
}

#[test]
fn breaking_and_restoring_a_transition_after_an_edit_moves_little() {
    // The canvas benchmark's edit: one transition retargeted to a missing state (the rest of the
    // workflow becomes unreachable), then restored.
    let def = testgen::nested(1000);
    let g0 = FlowGraph::from_definition(&def);
    let l0 = layout(&g0);
    let mut broken = def.clone();
    broken["States"]["Fetch 7"]["Next"] = json!("Nowhere");
    let g1 = FlowGraph::from_definition(&broken);
    let l1 = layout_after(&g1, Some(&l0));
    check_invariants(&l1).unwrap();
    let m1 = moved(&l0, &l1);
    let fresh = moved(&l0, &layout(&g1)).len();
    let redrawn = l1
        .edges
        .iter()
        .filter(|e| {
            !l0.edges.iter().any(|o| {
                o.from == e.from
                    && o.to == e.to
                    && o.rule == e.rule
                    && o.kind == e.kind
                    && o.d == e.d
            })
        })
        .count();
    println!(
        "break: {} moved ({fresh} afresh), {redrawn} of {} arrows redrawn",
        m1.len(),
        l1.edges.len()
    );
    for n in [
        "Fetch 1",
        "Fetch 7",
        "Route 7",
        "Fetch 30",
        "Handle failure",
    ] {
        let (a, b) = (l0.node_named(n).unwrap(), l1.node_named(n).unwrap());
        println!(
            "{n}: {:?} -> {:?}",
            (a.x, a.y, a.layer),
            (b.x, b.y, b.layer)
        );
    }
    assert!(m1.len() <= 10, "{m1:?}");
    assert!(redrawn <= 10, "{redrawn} arrows redrawn");
    let l2 = layout_after(&g0, Some(&l1));
    check_invariants(&l2).unwrap();
    let m2 = moved(&l1, &l2);
    println!(
        "restore: {} moved, {} from the original",
        m2.len(),
        moved(&l0, &l2).len()
    );
    assert!(m2.len() <= 10, "{m2:?}");
    assert_eq!(l1, layout_after(&g1, Some(&l0)), "deterministic");
}
