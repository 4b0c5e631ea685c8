//! Canvas editing tests: drop targets, the edit each gesture makes (checked by applying it and undoing
//! it), keyboard navigation, the clipboard and icons.

use super::clipboard;
use super::icons::icon_for;
use super::nav::{NavKey, neighbour};
use super::*;
use crate::catalog::catalog;
use crate::edit::apply;
use crate::layout::layout;
use crate::testgen::{self, Rng};
use proptest::prelude::*;
use serde_json::json;

fn sample() -> Value {
    json!({"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "C",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.x", "IsPresent": true, "Next": "P"},
            {"Variable": "$.y", "IsPresent": true, "Next": "P"}], "Default": "F"},
        "P": {"Type": "Parallel", "Next": "E", "Branches": [
            {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Next": "B2"}, "B2": {"Type": "Pass", "End": true}}},
            {"StartAt": "X", "States": {}},
            {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}}}}]},
        "E": {"Type": "Succeed"},
        "F": {"Type": "Fail"}}})
}

/// Applies an edit, returns the new definition, and checks that undo restores the text exactly.
fn applied(doc: &Document, edit: Edit) -> Value {
    let mut d = doc.clone();
    let before = d.text().to_string();
    let inverse = apply(&mut d, edit.clone()).unwrap_or_else(|e| panic!("{edit:?}: {e}"));
    let after = d.value().cloned().unwrap();
    apply(&mut d, inverse).unwrap();
    assert_eq!(d.text(), before, "undo of {edit:?}");
    after
}

fn target<'t>(targets: &'t [DropTarget], id: &str) -> &'t DropTarget {
    targets.iter().find(|t| t.id == id).unwrap_or_else(|| {
        panic!(
            "no target {id}: {:?}",
            targets.iter().map(|t| &t.id).collect::<Vec<_>>()
        )
    })
}

#[test]
fn every_edge_and_empty_branch_is_a_drop_target() {
    let doc = Document::from_value(sample());
    let g = doc.graph();
    let l = layout(&g);
    let targets = drop_targets(&g, &l);
    let ids: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "A->C", "A->F", "C->P", "C->P", "C->F", "P->E", "B1->B2", "P#1"
        ]
    );
    // The two rules of the Choice that lead to the same state are two targets with their own rule.
    let rules: Vec<_> = targets
        .iter()
        .filter(|t| t.id == "C->P")
        .map(|t| t.place.clone())
        .collect();
    assert_eq!(
        rules,
        [
            Place::OnTransition {
                from: "C".into(),
                transition: Transition::Choice(0)
            },
            Place::OnTransition {
                from: "C".into(),
                transition: Transition::Choice(1)
            },
        ]
    );
    // The empty branch has a slot inside its container; hit testing finds it.
    let slot = target(&targets, "P#1");
    let p = l.node_named("P").unwrap();
    assert!(Rect::of_node(p).contains_rect(&slot.area));
    assert_eq!(
        target_at(&targets, slot.area.center()),
        targets.iter().position(|t| t.id == "P#1")
    );
    let on_edge = target(&targets, "A->C").area.center();
    assert_eq!(
        target_at(&targets, on_edge).map(|i| targets[i].id.as_str()),
        Some("A->C")
    );
    assert_eq!(target_at(&targets, Point::new(-50.0, -50.0)), None);
}

#[test]
fn dropping_new_states_on_targets() {
    let doc = Document::from_value(sample());
    let g = doc.graph();
    let targets = drop_targets(&g, &layout(&g));
    let pass = json!({"Type": "Pass"});
    // Between two states on an edge.
    let v = applied(
        &doc,
        drop_new(target(&targets, "A->C"), "N".into(), pass.clone()),
    );
    assert_eq!(v["States"]["A"]["Next"], "N");
    assert_eq!(v["States"]["N"]["Next"], "C");
    // Onto a Catch.
    let v = applied(
        &doc,
        drop_new(target(&targets, "A->F"), "Log".into(), pass.clone()),
    );
    assert_eq!(v["States"]["A"]["Catch"][0]["Next"], "Log");
    assert_eq!(v["States"]["Log"]["Next"], "F");
    assert_eq!(v["States"]["A"]["Next"], "C");
    // Into an empty Parallel branch.
    let v = applied(
        &doc,
        drop_new(target(&targets, "P#1"), "N".into(), pass.clone()),
    );
    assert_eq!(
        v["States"]["P"]["Branches"][1],
        json!({"StartAt": "N", "States": {"N": {"Type": "Pass", "End": true}}})
    );
    // Into a Map's processor (on the edge inside a branch works the same way).
    let v = applied(&doc, drop_new(target(&targets, "B1->B2"), "N".into(), pass));
    assert_eq!(v["States"]["P"]["Branches"][0]["States"]["N"]["Next"], "B2");
}

#[test]
fn moving_a_state_reconnects_both_places() {
    let doc = Document::from_value(sample());
    let g = doc.graph();
    let targets = drop_targets(&g, &layout(&g));
    // Within a scope: C moves onto P->E; A now flows to P... no: A's Next follows C's Next? C is a
    // Choice (no Next), so A's transition to C is redirected... RemoveState semantics: A ends.
    let v = applied(
        &doc,
        move_to(&doc, "B2", target(&targets, "B1->B2")).unwrap(),
    );
    assert_eq!(
        v,
        sample(),
        "a drop onto its own incoming edge changes nothing"
    );
    // Across scopes: B1 leaves branch 0 (B2 becomes its start) and goes into the empty branch.
    let v = applied(&doc, move_to(&doc, "B1", target(&targets, "P#1")).unwrap());
    assert_eq!(v["States"]["P"]["Branches"][0]["StartAt"], "B2");
    assert_eq!(
        v["States"]["P"]["Branches"][1],
        json!({"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}})
    );
    // Out of a branch onto a top-level edge.
    let v = applied(&doc, move_to(&doc, "B2", target(&targets, "P->E")).unwrap());
    assert_eq!(v["States"]["P"]["Next"], "B2");
    assert_eq!(v["States"]["B2"]["Next"], "E");
    assert_eq!(v["States"]["P"]["Branches"][0]["States"]["B1"]["End"], true);
    // A container cannot go into itself; a state cannot go onto its own outgoing edge.
    assert!(move_to(&doc, "P", target(&targets, "B1->B2")).is_err());
    assert!(move_to(&doc, "A", target(&targets, "A->C")).is_err());
    assert!(move_to(&doc, "Nope", target(&targets, "A->C")).is_err());
}

#[test]
fn connecting_and_retargeting_transitions() {
    let mut def = sample();
    def["States"]["C"]
        .as_object_mut()
        .unwrap()
        .remove("Default");
    let doc = Document::from_value(def);
    let g = doc.graph();
    let l = layout(&g);
    let v = applied(&doc, connect(&g, "C", "E").unwrap());
    assert_eq!(v["States"]["C"]["Default"], "E");
    let v = applied(&doc, connect(&g, "B2", "B1").unwrap());
    assert_eq!(
        v["States"]["P"]["Branches"][0]["States"]["B2"]["Next"],
        "B1"
    );
    assert!(connect(&g, "E", "A").is_err(), "Succeed has no transition");
    assert!(connect(&g, "A", "B1").is_err(), "across scopes");
    // Retarget each kind of edge by its index in the layout.
    let edge = |from: &str, to: &str, nth: usize| {
        l.edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.from == from && e.to == to)
            .nth(nth)
            .unwrap()
            .0
    };
    let v = applied(&doc, retarget(&g, &l, edge("C", "P", 1), "F").unwrap());
    assert_eq!(v["States"]["C"]["Choices"][0]["Next"], "P");
    assert_eq!(v["States"]["C"]["Choices"][1]["Next"], "F");
    let v = applied(&doc, retarget(&g, &l, edge("A", "F", 0), "E").unwrap());
    assert_eq!(v["States"]["A"]["Catch"][0]["Next"], "E");
    assert_eq!(v["States"]["A"]["Next"], "C");
    let v = applied(&doc, retarget(&g, &l, edge("A", "C", 0), "P").unwrap());
    assert_eq!(v["States"]["A"]["Next"], "P");
    assert!(retarget(&g, &l, edge("A", "C", 0), "B1").is_err());
    assert!(retarget(&g, &l, 999, "P").is_err());
}

#[test]
fn delete_and_duplicate_several_states_as_one_edit() {
    let doc = Document::from_value(sample());
    let g = doc.graph();
    let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    // P covers B1 (inside it); A is reconnected: its Next goes to C's successor... C is a Choice, so
    // A ends; the catcher to F stays.
    let v = applied(&doc, delete(&g, &names(&["P", "B1", "E"])).unwrap());
    assert_eq!(
        v["States"].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["A", "C", "F"]
    );
    assert!(v["States"]["C"]["Choices"].as_array().unwrap().is_empty());
    assert_eq!(delete(&g, &names(&["Nope"])), None);
    let (edit, new) = duplicate(&doc, &names(&["B1", "A"])).unwrap();
    assert_eq!(new, ["A copy", "B1 copy"]);
    let v = applied(&doc, edit);
    assert_eq!(v["States"]["A copy"]["Next"], "C");
    assert_eq!(
        v["States"]["P"]["Branches"][0]["States"]["B1 copy"]["Next"],
        "B2"
    );
}

#[test]
fn keyboard_navigation_follows_the_flow() {
    let doc = Document::from_value(sample());
    let g = doc.graph();
    let l = layout(&g);
    let idx = |n: &str| g.nodes.iter().position(|s| s.name == n).unwrap();
    let go = |from: &str, key| neighbour(&g, &l, idx(from), key).map(|i| g.nodes[i].name.clone());
    for (from, key, to) in [
        ("A", NavKey::Down, Some("C")),
        ("C", NavKey::Down, Some("P")),
        ("P", NavKey::Down, Some("B1")),
        ("B1", NavKey::Down, Some("B2")),
        ("B2", NavKey::Down, Some("E")),
        ("I", NavKey::Down, Some("E")),
        ("E", NavKey::Down, None),
        ("C", NavKey::Up, Some("A")),
        ("B2", NavKey::Up, Some("B1")),
        ("B1", NavKey::Up, Some("P")),
        ("I", NavKey::Up, Some("M")),
        ("A", NavKey::Up, None),
        ("B1", NavKey::Right, Some("M")),
        ("M", NavKey::Left, Some("B1")),
        ("B1", NavKey::Left, None),
    ] {
        assert_eq!(go(from, key).as_deref(), to, "{from} {key:?}");
    }
    assert_eq!(NavKey::from_key("ArrowLeft"), Some(NavKey::Left));
    assert_eq!(NavKey::from_key("a"), None);
    assert_eq!(neighbour(&g, &l, 999, NavKey::Down), None);
}

#[test]
fn copy_gives_a_machine_and_paste_renames() {
    let doc = Document::from_value(sample());
    let names: BTreeSet<String> = ["A", "C"].iter().map(|s| s.to_string()).collect();
    let text = clipboard::copy_states(&doc, &names).unwrap();
    let copied: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(copied["StartAt"], "A");
    assert_eq!(copied["States"]["A"]["Next"], "C");
    assert!(
        copied["States"]["C"].get("Default").is_none(),
        "F is outside the copy"
    );
    assert!(asl::analyze(&text).definition.is_some());
    let states = clipboard::parse(&text).unwrap();
    let (edit, new) = clipboard::paste(&doc, states, Some("E"));
    assert_eq!(new, ["A 2", "C 2"]);
    let v = applied(&doc, edit);
    assert_eq!(
        v["States"]["A 2"]["Next"], "C 2",
        "transitions follow the renames"
    );
    // Paste into a branch, after a nested state.
    let (edit, new) = clipboard::paste(
        &doc,
        clipboard::parse(r#"{"Type": "Wait", "Seconds": 1, "End": true}"#).unwrap(),
        Some("B1"),
    );
    assert_eq!(new, ["Wait"]);
    let v = applied(&doc, edit);
    assert_eq!(
        v["States"]["P"]["Branches"][0]["States"]["Wait"]["Seconds"],
        1
    );
    for (bad, msg) in [
        ("", "empty"),
        ("hello", "does not hold ASL JSON"),
        ("[1, 2]", "not a state"),
        (r#"{"States": []}"#, "not an object"),
        (r#"{"States": {}}"#, "no states"),
        (r#"{"A": {"Type": "Nope"}}"#, "unknown Type"),
        (r#"{"A": {"Next": "B"}}"#, "no \"Type\""),
        (r#"{"A": 3}"#, "no \"Type\""),
    ] {
        let e = clipboard::parse(bad).unwrap_err();
        assert!(e.contains(msg), "{bad}: {e}");
    }
}

#[test]
fn icons_by_type_and_service() {
    for (kind, res, id) in [
        ("Choice", None, "choice"),
        ("Task", Some("arn:aws:states:::lambda:invoke"), "lambda"),
        (
            "Task",
            Some("arn:aws:lambda:us-east-1:1:function:f"),
            "lambda",
        ),
        ("Task", Some("arn:aws:states:::aws-sdk:s3:getObject"), "s3"),
        (
            "Task",
            Some("arn:aws:states:::aws-sdk:kms:encrypt"),
            "aws-sdk",
        ),
        ("Task", Some("arn:aws:states:::ecs:runTask.sync"), "ecs"),
        (
            "Task",
            Some("arn:aws:states:us-east-1:1:activity:a"),
            "activity",
        ),
        ("Task", Some("nonsense"), "task"),
        ("Task", None, "task"),
        ("Bogus", None, "unknown"),
    ] {
        assert_eq!(icon_for(kind, res).id, id, "{kind} {res:?}");
    }
    // Every service of the palette has its own icon.
    for e in catalog()
        .iter()
        .filter(|e| e.resource.is_some() && e.id != "aws-sdk")
    {
        let i = icon_for(e.state_type, e.resource);
        assert!(!matches!(i.id, "task" | "aws-sdk"), "{} has no icon", e.id);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]
    /// Every drop target of a generated workflow accepts a new state and a moved state, as one edit
    /// whose inverse restores the text exactly; navigation never leaves the graph.
    #[test]
    fn drops_and_moves_on_generated_workflows(seed in any::<u64>(), pick in any::<usize>()) {
        let def = testgen::definition(&mut Rng::new(seed), 6, 2);
        let doc = Document::from_value(def);
        let g = doc.graph();
        let l = layout(&g);
        let targets = drop_targets(&g, &l);
        prop_assert_eq!(targets.iter().filter(|t| t.edge.is_some()).count(), l.edges.len());
        if let Some(t) = targets.get(pick % targets.len().max(1)) {
            let mut d = doc.clone();
            let before = d.text().to_string();
            let inv = apply(&mut d, drop_new(t, "Dropped".into(), json!({"Type": "Pass"})));
            prop_assert!(inv.is_ok(), "{:?}: {:?}", t, inv);
            apply(&mut d, inv.unwrap()).unwrap();
            prop_assert_eq!(d.text(), before.as_str());
            if let Some(n) = g.nodes.get(pick % g.nodes.len().max(1))
                && let Ok(edit) = move_to(&doc, &n.name, t)
            {
                let mut d = doc.clone();
                if let Ok(inv) = apply(&mut d, edit) {
                    apply(&mut d, inv).unwrap();
                    prop_assert_eq!(d.text(), before.as_str());
                }
            }
        }
        for i in 0..g.nodes.len() {
            for key in [NavKey::Up, NavKey::Down, NavKey::Left, NavKey::Right] {
                if let Some(j) = neighbour(&g, &l, i, key) {
                    prop_assert!(j < g.nodes.len() && j != i);
                }
            }
        }
    }
}

#[test]
fn e2e_fixtures_come_from_the_generators() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e/fixtures");
    for (file, def) in [
        ("nested-60.asl.json", testgen::nested(60)),
        ("generated-1000.asl.json", testgen::nested(1000)),
    ] {
        let text = crate::document::render(&def);
        let path = dir.join(file);
        if std::env::var_os("STUDIO_WRITE_FIXTURES").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (STUDIO_WRITE_FIXTURES=1 writes it)",
                path.display()
            )
        });
        assert_eq!(
            on_disk, text,
            "{file} is stale: run with STUDIO_WRITE_FIXTURES=1"
        );
        let a = asl::analyze(&text);
        let errors: Vec<_> = a
            .diagnostics
            .iter()
            .filter(|d| d.severity == asl::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
}
