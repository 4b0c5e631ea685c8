//! Edit tests: each edit kind on real definitions (expected JSON after), and property tests that the
//! inverse of any edit restores the exact text, on canonical and hand-formatted documents.

use super::*;
use crate::FlowGraph;
use crate::testgen::{self, Rng};
use proptest::prelude::*;
use serde_json::json;

fn top() -> Vec<ScopeStep> {
    Vec::new()
}

fn linear() -> Value {
    json!({"Comment": "keep me", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Comment": "b", "Next": "C", "XUnknown": 1},
        "C": {"Type": "Succeed"}}})
}

/// Applies `edit` to the canonical rendering of `before`, checks the result against `after` (key order
/// included, compared as text) and that the inverse restores `before` exactly.
fn check(before: Value, edit: Edit, after: Value) {
    let mut doc = Document::from_value(before);
    let original = doc.text().to_string();
    let inverse = apply(&mut doc, edit.clone()).unwrap_or_else(|e| panic!("{edit:?}: {e}"));
    assert_eq!(
        doc.text(),
        crate::document::render(&after),
        "after {edit:?}"
    );
    let redo = apply(&mut doc, inverse).unwrap();
    assert_eq!(doc.text(), original, "undo of {edit:?}");
    apply(&mut doc, redo).unwrap();
    assert_eq!(
        doc.text(),
        crate::document::render(&after),
        "redo of {edit:?}"
    );
}

fn check_err(before: Value, edit: Edit, err: EditError) {
    let mut doc = Document::from_value(before);
    let original = doc.text().to_string();
    assert_eq!(apply(&mut doc, edit), Err(err));
    assert_eq!(doc.text(), original);
}

#[test]
fn add_state_after_takes_over_the_transition() {
    check(
        linear(),
        Edit::AddState {
            scope: top(),
            name: "N".into(),
            state: json!({"Type": "Wait", "Seconds": 1}),
            after: Some("A".into()),
        },
        json!({"Comment": "keep me", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "N"},
            "N": {"Type": "Wait", "Seconds": 1, "Next": "B"},
            "B": {"Type": "Pass", "Comment": "b", "Next": "C", "XUnknown": 1},
            "C": {"Type": "Succeed"}}}),
    );
    // after an End state: End becomes Next (in place), the new state ends
    check(
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Comment": "x"}}}),
        Edit::AddState {
            scope: top(),
            name: "N".into(),
            state: json!({"Type": "Pass"}),
            after: Some("A".into()),
        },
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "N", "Comment": "x"}, "N": {"Type": "Pass", "End": true}}}),
    );
    // unlinked into an empty machine: becomes the start, gets End
    check(
        json!({"States": {}}),
        Edit::AddState {
            scope: top(),
            name: "First".into(),
            state: json!({"Type": "Pass"}),
            after: None,
        },
        json!({"States": {"First": {"Type": "Pass", "End": true}}, "StartAt": "First"}),
    );
    // after a Choice without Default: becomes the Default
    check(
        json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": []}}}),
        Edit::AddState {
            scope: top(),
            name: "D".into(),
            state: json!({"Type": "Pass"}),
            after: Some("C".into()),
        },
        json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [], "Default": "D"}, "D": {"Type": "Pass", "End": true}}}),
    );
}

#[test]
fn add_state_errors_leave_the_document_alone() {
    let add = |name: &str, after: Option<&str>, state: Value| Edit::AddState {
        scope: top(),
        name: name.into(),
        state,
        after: after.map(Into::into),
    };
    check_err(
        linear(),
        add("B", None, json!({"Type": "Pass"})),
        EditError::NameTaken("B".into()),
    );
    check_err(
        linear(),
        add("", None, json!({"Type": "Pass"})),
        EditError::EmptyName,
    );
    check_err(
        linear(),
        add("N", Some("Zed"), json!({"Type": "Pass"})),
        EditError::NoSuchState("Zed".into()),
    );
    check_err(
        linear(),
        add("N", Some("C"), json!({"Type": "Pass"})),
        EditError::CannotLink("C".into()),
    );
    check_err(
        linear(),
        add("N", None, json!(3)),
        EditError::NotAnObject("N".into()),
    );
    let choice =
        json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [], "Default": "C"}}});
    check_err(
        choice,
        add("N", Some("C"), json!({"Type": "Pass"})),
        EditError::CannotLink("C".into()),
    );
    let mut unparsed = Document::new("{ nope");
    assert_eq!(
        apply(&mut unparsed, add("N", None, json!({}))),
        Err(EditError::NotParsed)
    );
    let nested = Edit::AddState {
        scope: vec![ScopeStep {
            state: "A".into(),
            branch: 0,
        }],
        name: "N".into(),
        state: json!({}),
        after: None,
    };
    check_err(linear(), nested, EditError::NoSuchScope);
}

#[test]
fn remove_state_reconnects_the_flow() {
    check(
        linear(),
        Edit::RemoveState {
            scope: top(),
            name: "B".into(),
        },
        json!({"Comment": "keep me", "StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Succeed"}}}),
    );
    check(
        linear(),
        Edit::RemoveState {
            scope: top(),
            name: "A".into(),
        },
        json!({"Comment": "keep me", "StartAt": "B", "States": {
            "B": {"Type": "Pass", "Comment": "b", "Next": "C", "XUnknown": 1}, "C": {"Type": "Succeed"}}}),
    );
    // removing a terminal state: Next → End, Default/rules/catchers pointing at it go away
    check(
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "r", "Next": "Ch", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
            "Ch": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "F"}, {"Variable": "$.b", "IsPresent": true, "Next": "T"}], "Default": "F"},
            "P": {"Type": "Pass", "Next": "F", "Comment": "after"},
            "F": {"Type": "Fail"}}}),
        Edit::RemoveState {
            scope: top(),
            name: "F".into(),
        },
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "r", "Next": "Ch"},
            "Ch": {"Type": "Choice", "Choices": [{"Variable": "$.b", "IsPresent": true, "Next": "T"}]},
            "P": {"Type": "Pass", "End": true, "Comment": "after"}}}),
    );
}

#[test]
fn rename_updates_every_reference_in_its_scope_only() {
    let def = json!({"StartAt": "Go", "States": {
        "Go": {"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": true, "Next": "Work"}], "Default": "Work"},
        "Work": {"Type": "Parallel", "Next": "Go", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Work"}],
                 "Branches": [{"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Next": "Inner2"}, "Inner2": {"Type": "Succeed"}}}]}}});
    check(
        def.clone(),
        Edit::RenameState {
            scope: top(),
            from: "Work".into(),
            to: "Do it".into(),
        },
        json!({"StartAt": "Go", "States": {
            "Go": {"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": true, "Next": "Do it"}], "Default": "Do it"},
            "Do it": {"Type": "Parallel", "Next": "Go", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Do it"}],
                     "Branches": [{"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Next": "Inner2"}, "Inner2": {"Type": "Succeed"}}}]}}}),
    );
    let branch = vec![ScopeStep {
        state: "Work".into(),
        branch: 0,
    }];
    check(
        def.clone(),
        Edit::RenameState {
            scope: branch.clone(),
            from: "Inner".into(),
            to: "In".into(),
        },
        json!({"StartAt": "Go", "States": {
            "Go": {"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": true, "Next": "Work"}], "Default": "Work"},
            "Work": {"Type": "Parallel", "Next": "Go", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Work"}],
                     "Branches": [{"StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "Inner2"}, "Inner2": {"Type": "Succeed"}}}]}}}),
    );
    check_err(
        def.clone(),
        Edit::RenameState {
            scope: top(),
            from: "Go".into(),
            to: "Inner2".into(),
        },
        EditError::NameTaken("Inner2".into()),
    );
    check_err(
        def,
        Edit::RenameState {
            scope: branch,
            from: "Go".into(),
            to: "X".into(),
        },
        EditError::NoSuchState("Go".into()),
    );
}

#[test]
fn set_transition_field_start_and_machine_field() {
    let choice = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "X"}], "Default": "X"},
        "X": {"Type": "Pass", "Next": "Y"}, "Y": {"Type": "Succeed"}}});
    let set = |state: &str, transition, target: Option<&str>| Edit::SetTransition {
        scope: top(),
        state: state.into(),
        transition,
        target: target.map(Into::into),
    };
    check(
        choice.clone(),
        set("C", Transition::Choice(0), Some("Y")),
        json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "Y"}], "Default": "X"},
        "X": {"Type": "Pass", "Next": "Y"}, "Y": {"Type": "Succeed"}}}),
    );
    check(
        choice.clone(),
        set("C", Transition::Default, None),
        json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "X"}]},
        "X": {"Type": "Pass", "Next": "Y"}, "Y": {"Type": "Succeed"}}}),
    );
    check(
        choice.clone(),
        set("X", Transition::Next, None),
        json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "X"}], "Default": "X"},
        "X": {"Type": "Pass", "End": true}, "Y": {"Type": "Succeed"}}}),
    );
    check_err(
        choice.clone(),
        set("C", Transition::Choice(3), Some("Y")),
        EditError::NoSuchTransition("C".into()),
    );
    check_err(
        choice.clone(),
        set("C", Transition::Catch(0), Some("Y")),
        EditError::NoSuchTransition("C".into()),
    );
    check_err(
        choice.clone(),
        set("C", Transition::Choice(0), None),
        EditError::NoSuchTransition("C".into()),
    );
    check_err(
        choice.clone(),
        set("C", Transition::Default, Some("Nope")),
        EditError::NoSuchState("Nope".into()),
    );
    check(
        choice.clone(),
        Edit::SetField {
            scope: top(),
            state: "X".into(),
            field: "Type".into(),
            value: Some(json!("Wait")),
        },
        json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "X"}], "Default": "X"},
            "X": {"Type": "Wait", "Next": "Y"}, "Y": {"Type": "Succeed"}}}),
    );
    check(
        choice.clone(),
        Edit::SetField {
            scope: top(),
            state: "Y".into(),
            field: "Comment".into(),
            value: Some(json!("done")),
        },
        json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "X"}], "Default": "X"},
            "X": {"Type": "Pass", "Next": "Y"}, "Y": {"Type": "Succeed", "Comment": "done"}}}),
    );
    check(
        choice.clone(),
        Edit::SetStartAt {
            scope: top(),
            name: "X".into(),
        },
        json!({"StartAt": "X", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "X"}], "Default": "X"},
            "X": {"Type": "Pass", "Next": "Y"}, "Y": {"Type": "Succeed"}}}),
    );
    check(
        json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}),
        Edit::SetMachineField {
            scope: top(),
            field: "QueryLanguage".into(),
            value: Some(json!("JSONata")),
        },
        json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}, "QueryLanguage": "JSONata"}),
    );
}

#[test]
fn move_reorder_duplicate_paste() {
    check(
        linear(),
        Edit::MoveState {
            scope: top(),
            name: "A".into(),
            after: Some("B".into()),
        },
        json!({"Comment": "keep me", "StartAt": "B", "States": {
            "B": {"Type": "Pass", "Comment": "b", "Next": "A", "XUnknown": 1},
            "A": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Succeed"}}}),
    );
    check(
        linear(),
        Edit::MoveState {
            scope: top(),
            name: "B".into(),
            after: None,
        },
        json!({"Comment": "keep me", "StartAt": "B", "States": {
            "B": {"Type": "Pass", "Comment": "b", "Next": "A", "XUnknown": 1},
            "A": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Succeed"}}}),
    );
    check(
        linear(),
        Edit::ReorderState {
            scope: top(),
            name: "C".into(),
            index: 0,
        },
        json!({"Comment": "keep me", "StartAt": "A", "States": {
            "C": {"Type": "Succeed"}, "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Comment": "b", "Next": "C", "XUnknown": 1}}}),
    );
    check(
        linear(),
        Edit::DuplicateState {
            scope: top(),
            name: "A".into(),
            new_name: "A 2".into(),
        },
        json!({"Comment": "keep me", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"}, "A 2": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Comment": "b", "Next": "C", "XUnknown": 1}, "C": {"Type": "Succeed"}}}),
    );
    let clip = json!({"A": {"Type": "Pass", "Next": "Z"}, "Z": {"Type": "Pass", "Next": "A"}});
    check(
        linear(),
        Edit::PasteStates {
            scope: top(),
            states: clip.as_object().unwrap().clone(),
            after: Some("A".into()),
        },
        json!({"Comment": "keep me", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "A 2": {"Type": "Pass", "Next": "Z"}, "Z": {"Type": "Pass", "Next": "A 2"},
            "B": {"Type": "Pass", "Comment": "b", "Next": "C", "XUnknown": 1}, "C": {"Type": "Succeed"}}}),
    );
}

#[test]
fn pasted_states_are_linked_into_the_flow_after_the_selection() {
    let paste = |clip: &Value, after: &str| Edit::PasteStates {
        scope: top(),
        states: clip.as_object().unwrap().clone(),
        after: Some(after.into()),
    };
    // A chain X → Y (Y ends) goes between A and B.
    let clip = json!({"X": {"Type": "Pass", "Next": "Y"}, "Y": {"Type": "Pass", "End": true}});
    check(
        linear(),
        paste(&clip, "A"),
        json!({"Comment": "keep me", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "X"},
            "X": {"Type": "Pass", "Next": "Y"}, "Y": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Comment": "b", "Next": "C", "XUnknown": 1}, "C": {"Type": "Succeed"}}}),
    );
    // A copied state keeps a Next to a state that was not copied: it flows on to A's old Next instead;
    // its catcher into the group stays, and a pasted Fail is left as it is.
    let clip = json!({"X": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Gone",
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}]}, "Oops": {"Type": "Fail"}});
    check(
        linear(),
        paste(&clip, "A"),
        json!({"Comment": "keep me", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "X"},
            "X": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "B",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}]},
            "Oops": {"Type": "Fail"},
            "B": {"Type": "Pass", "Comment": "b", "Next": "C", "XUnknown": 1}, "C": {"Type": "Succeed"}}}),
    );
    // After a Succeed there is nowhere to link: the states are only placed.
    let clip = json!({"X": {"Type": "Pass", "End": true}});
    check(
        linear(),
        paste(&clip, "C"),
        json!({"Comment": "keep me", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Comment": "b", "Next": "C", "XUnknown": 1}, "C": {"Type": "Succeed"},
            "X": {"Type": "Pass", "End": true}}}),
    );
}

#[test]
fn copies_of_containers_get_fresh_nested_names() {
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Map", "End": true,
            "ItemProcessor": {"StartAt": "C", "States": {"C": {"Type": "Pass", "Next": "C"}}}}}}]}}});
    check(
        def.clone(),
        Edit::DuplicateState {
            scope: top(),
            name: "P".into(),
            new_name: "P 2".into(),
        },
        json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Map", "End": true,
                    "ItemProcessor": {"StartAt": "C", "States": {"C": {"Type": "Pass", "Next": "C"}}}}}}]},
            "P 2": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "A 2", "States": {"A 2": {"Type": "Pass", "Next": "B 2"}, "B 2": {"Type": "Map", "End": true,
                    "ItemProcessor": {"StartAt": "C 2", "States": {"C 2": {"Type": "Pass", "Next": "C 2"}}}}}}]}}}),
    );
    let clip = def["States"].as_object().unwrap().clone();
    let mut doc = Document::from_value(def);
    apply(
        &mut doc,
        Edit::PasteStates {
            scope: top(),
            states: clip,
            after: None,
        },
    )
    .unwrap();
    assert_eq!(doc.state_names().len(), 8, "{}", doc.text());
}

#[test]
fn text_edits_splice_and_hand_formatting_survives_undo() {
    let typed = "{\"StartAt\":\"A\",\n \"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}";
    let mut doc = Document::new(typed);
    let inv = apply(
        &mut doc,
        Edit::SetField {
            scope: top(),
            state: "A".into(),
            field: "Comment".into(),
            value: Some(json!("é")),
        },
    )
    .unwrap();
    assert!(doc.is_canonical());
    assert!(matches!(inv, Edit::SpliceText { .. }), "{inv:?}");
    apply(&mut doc, inv).unwrap();
    assert_eq!(doc.text(), typed);
    // typing: the inverse is a small splice, not a copy of the text
    let inv = apply(
        &mut doc,
        Edit::ReplaceText {
            text: typed.replace("Pass", "Passé"),
        },
    )
    .unwrap();
    assert_eq!(
        inv,
        Edit::SpliceText {
            at: 44,
            remove: 2,
            insert: String::new()
        }
    );
    apply(&mut doc, inv).unwrap();
    assert_eq!(doc.text(), typed);
    for bad in [
        Edit::SpliceText {
            at: 1000,
            remove: 0,
            insert: "x".into(),
        },
        Edit::SpliceText {
            at: 0,
            remove: usize::MAX,
            insert: "x".into(),
        },
    ] {
        assert_eq!(apply(&mut doc, bad), Err(EditError::BadSplice));
    }
    let mut uni = Document::new("\"é\"");
    assert_eq!(
        apply(
            &mut uni,
            Edit::SpliceText {
                at: 2,
                remove: 0,
                insert: "x".into()
            }
        ),
        Err(EditError::BadSplice)
    );
}

#[test]
fn insert_on_transition_puts_a_state_on_any_edge() {
    let choice = json!({"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "r", "Next": "C",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "D"}],
              "Default": "F"},
        "D": {"Type": "Pass", "Next": "E"},
        "E": {"Type": "Succeed"},
        "F": {"Type": "Fail"}}});
    let ins = |from: &str, transition, name: &str, state: Option<Value>| Edit::InsertOnTransition {
        scope: top(),
        from: from.into(),
        transition,
        name: name.into(),
        state,
    };
    let with = |edits: &[(&str, Value)]| {
        let mut v = choice.clone();
        for (ptr, val) in edits {
            *v.pointer_mut(ptr).unwrap() = val.clone();
        }
        v
    };
    // A new state on a Next edge, on a Choice rule, on a Default and on a Catch.
    let mut after = with(&[("/States/A/Next", json!("N"))]);
    after["States"].as_object_mut().unwrap().shift_insert(
        1,
        "N".into(),
        json!({"Type": "Pass", "Next": "C"}),
    );
    check(
        choice.clone(),
        ins("A", Transition::Next, "N", Some(json!({"Type": "Pass"}))),
        after,
    );
    let mut after = with(&[("/States/C/Choices/0/Next", json!("N"))]);
    after["States"].as_object_mut().unwrap().shift_insert(
        2,
        "N".into(),
        json!({"Type": "Pass", "Next": "D"}),
    );
    check(
        choice.clone(),
        ins(
            "C",
            Transition::Choice(0),
            "N",
            Some(json!({"Type": "Pass"})),
        ),
        after,
    );
    let mut after = with(&[("/States/A/Catch/0/Next", json!("Log"))]);
    after["States"].as_object_mut().unwrap().shift_insert(
        1,
        "Log".into(),
        json!({"Type": "Pass", "Next": "F"}),
    );
    check(
        choice.clone(),
        ins(
            "A",
            Transition::Catch(0),
            "Log",
            Some(json!({"Type": "Pass"})),
        ),
        after,
    );
    // A Choice dropped on an edge takes the old target as its Default.
    let mut after = with(&[("/States/C/Default", json!("C2"))]);
    after["States"].as_object_mut().unwrap().shift_insert(
        2,
        "C2".into(),
        json!({"Type": "Choice", "Choices": [], "Default": "F"}),
    );
    check(
        choice.clone(),
        ins(
            "C",
            Transition::Default,
            "C2",
            Some(json!({"Type": "Choice", "Choices": []})),
        ),
        after,
    );
    // Moving an existing state: D leaves C→D→E (C's rule now goes to E) and goes between A and C.
    check(
        choice.clone(),
        ins("A", Transition::Next, "D", None),
        with(&[
            ("/States/A/Next", json!("D")),
            ("/States/D/Next", json!("C")),
            ("/States/C/Choices/0/Next", json!("E")),
        ]),
    );
    // Dropping a state on its own incoming edge changes nothing.
    check(
        choice.clone(),
        ins("C", Transition::Choice(0), "D", None),
        choice.clone(),
    );
    for (edit, err) in [
        (
            ins(
                "A",
                Transition::Choice(0),
                "N",
                Some(json!({"Type": "Pass"})),
            ),
            EditError::NoSuchTransition("A".into()),
        ),
        (
            ins("E", Transition::Next, "N", Some(json!({"Type": "Pass"}))),
            EditError::NoSuchTransition("E".into()),
        ),
        (
            ins("A", Transition::Next, "D", Some(json!({"Type": "Pass"}))),
            EditError::NameTaken("D".into()),
        ),
        (
            ins("A", Transition::Next, "A", None),
            EditError::CannotLink("A".into()),
        ),
        (
            ins("Nope", Transition::Next, "N", Some(json!({}))),
            EditError::NoSuchState("Nope".into()),
        ),
    ] {
        check_err(choice.clone(), edit, err);
    }
}

#[test]
fn batches_are_all_or_nothing() {
    let batch = Edit::Batch {
        edits: vec![
            Edit::SetField {
                scope: top(),
                state: "A".into(),
                field: "Comment".into(),
                value: Some(json!(1)),
            },
            Edit::RemoveState {
                scope: top(),
                name: "Nope".into(),
            },
        ],
    };
    check_err(linear(), batch, EditError::NoSuchState("Nope".into()));
    let mut deep = Edit::Batch { edits: vec![] };
    for _ in 0..40 {
        deep = Edit::Batch { edits: vec![deep] };
    }
    check_err(linear(), deep, EditError::TooDeep);
}

#[test]
fn edits_round_trip_through_json() {
    let e = Edit::SetTransition {
        scope: vec![ScopeStep {
            state: "P".into(),
            branch: 1,
        }],
        state: "A".into(),
        transition: Transition::Choice(2),
        target: None,
    };
    let s = serde_json::to_string(&e).unwrap();
    assert_eq!(
        s,
        r#"{"op":"SetTransition","scope":[{"state":"P","branch":1}],"state":"A","transition":{"Choice":2},"target":null}"#
    );
    assert_eq!(serde_json::from_str::<Edit>(&s).unwrap(), e);
}

/// A random edit against the document (often valid, sometimes not).
pub(crate) fn random_edit(rng: &mut Rng, doc: &Document) -> Edit {
    let g = doc.graph();
    let (scope, names): (Vec<ScopeStep>, Vec<String>) = if g.nodes.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let i = rng.below(g.nodes.len());
        let scope = g.scope_of(i);
        let names = (0..g.nodes.len())
            .filter(|&j| g.scope_of(j) == scope)
            .map(|j| g.nodes[j].name.clone())
            .collect();
        (scope, names)
    };
    let pick = |rng: &mut Rng| -> String {
        if names.is_empty() || rng.chance(5) {
            "Missing".to_string()
        } else {
            names[rng.below(names.len())].clone()
        }
    };
    let fresh = doc.unique_name("New");
    let any_transition = |rng: &mut Rng| match rng.below(4) {
        0 => Transition::Next,
        1 => Transition::Default,
        2 => Transition::Choice(rng.below(3)),
        _ => Transition::Catch(rng.below(2)),
    };
    match rng.below(17) {
        14 => Edit::InsertOnTransition {
            scope,
            from: pick(rng),
            transition: any_transition(rng),
            name: fresh,
            state: Some(
                [
                    json!({"Type": "Pass"}),
                    json!({"Type": "Choice", "Choices": []}),
                    json!({"Type": "Fail"}),
                ][rng.below(3)]
                .clone(),
            ),
        },
        15 => Edit::InsertOnTransition {
            scope,
            from: pick(rng),
            transition: any_transition(rng),
            name: pick(rng),
            state: None,
        },
        16 => {
            // A move across scopes, as the canvas does it: remove here, insert there, as one batch.
            let name = pick(rng);
            let value = doc
                .state(&scope, &name)
                .cloned()
                .unwrap_or(json!({"Type": "Pass"}));
            let j = rng.below(g.nodes.len().max(1));
            let (to_scope, from) = g
                .nodes
                .get(j)
                .map(|n| (g.scope_of(j), n.name.clone()))
                .unwrap_or_default();
            Edit::Batch {
                edits: vec![
                    Edit::RemoveState {
                        scope: scope.clone(),
                        name: name.clone(),
                    },
                    Edit::InsertOnTransition {
                        scope: to_scope,
                        from,
                        transition: any_transition(rng),
                        name,
                        state: Some(value),
                    },
                ],
            }
        }
        0 => Edit::AddState {
            scope,
            name: fresh,
            state: json!({"Type": "Pass"}),
            after: if rng.chance(60) {
                Some(pick(rng))
            } else {
                None
            },
        },
        1 => Edit::RemoveState {
            scope,
            name: pick(rng),
        },
        2 => Edit::RenameState {
            scope,
            from: pick(rng),
            to: if rng.chance(80) { fresh } else { pick(rng) },
        },
        3 => {
            let transition = match rng.below(4) {
                0 => Transition::Next,
                1 => Transition::Default,
                2 => Transition::Choice(rng.below(3)),
                _ => Transition::Catch(rng.below(2)),
            };
            Edit::SetTransition {
                scope,
                state: pick(rng),
                transition,
                target: if rng.chance(80) {
                    Some(pick(rng))
                } else {
                    None
                },
            }
        }
        4 => Edit::SetStartAt {
            scope,
            name: pick(rng),
        },
        5 => Edit::SetField {
            scope,
            state: pick(rng),
            field: ["Comment", "Type", "Next", "ResultPath"][rng.below(4)].into(),
            value: if rng.chance(70) {
                Some(json!({"v": rng.below(9)}))
            } else {
                None
            },
        },
        6 => Edit::MoveState {
            scope,
            name: pick(rng),
            after: if rng.chance(70) {
                Some(pick(rng))
            } else {
                None
            },
        },
        7 => Edit::ReorderState {
            scope,
            name: pick(rng),
            index: rng.below(names.len() + 2),
        },
        8 => Edit::DuplicateState {
            scope,
            name: pick(rng),
            new_name: fresh,
        },
        9 => {
            let mut m = Map::new();
            let a = pick(rng);
            m.insert(a.clone(), json!({"Type": "Pass", "Next": a}));
            m.insert("Pasted".into(), json!({"Type": "Succeed"}));
            Edit::PasteStates {
                scope,
                states: m,
                after: if rng.chance(50) {
                    Some(pick(rng))
                } else {
                    None
                },
            }
        }
        10 => Edit::SetMachineField {
            scope,
            field: "Comment".into(),
            value: if rng.chance(50) {
                Some(json!("c"))
            } else {
                None
            },
        },
        11 => {
            let t = doc.text();
            let mut at = rng.below(t.len() + 1);
            while !t.is_char_boundary(at) {
                at -= 1;
            }
            Edit::SpliceText {
                at,
                remove: 0,
                insert: " ".into(),
            }
        }
        12 => Edit::ReplaceText {
            text: doc.text().replacen("Pass", "Wait", 1),
        },
        _ => Edit::Batch {
            edits: vec![random_edit(rng, doc), random_edit(rng, doc)],
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn inverse_restores_the_exact_text(seed in any::<u64>(), compact in any::<bool>(), steps in 1usize..12) {
        let mut rng = Rng::new(seed);
        let def = testgen::definition(&mut rng, 6, 2);
        let text = if compact { serde_json::to_string(&def).unwrap() } else { crate::document::render(&def) };
        let mut doc = Document::new(text);
        for _ in 0..steps {
            let edit = random_edit(&mut rng, &doc);
            let before = doc.text().to_string();
            match apply(&mut doc, edit.clone()) {
                Ok(inverse) => {
                    let after = doc.text().to_string();
                    let redo = apply(&mut doc, inverse).unwrap();
                    prop_assert_eq!(doc.text(), before.as_str(), "undo {:?}", edit);
                    apply(&mut doc, redo).unwrap();
                    prop_assert_eq!(doc.text(), after.as_str(), "redo {:?}", edit);
                    // the graph is always derivable
                    let _ = FlowGraph::from_definition(doc.value().unwrap_or(&Value::Null));
                }
                Err(_) => prop_assert_eq!(doc.text(), before.as_str(), "failed edit changed the text"),
            }
        }
    }
}
