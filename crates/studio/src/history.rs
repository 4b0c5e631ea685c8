//! Undo/redo over [`Edit`]s. One undo step may hold many edits: everything between
//! [`History::begin_group`] and [`History::end_group`] (a drag), or consecutive edits carrying the same
//! coalescing key (a typing burst in one field). Selection and viewport are not history.

use crate::document::Document;
use crate::edit::{Edit, EditError, apply};

/// Undo steps kept by default; the oldest are dropped beyond it.
pub const DEFAULT_LIMIT: usize = 500;

#[derive(Debug, Clone, Default, PartialEq)]
struct Step {
    /// Inverses in the order the edits were applied; undo applies them last to first.
    inverses: Vec<Edit>,
    key: Option<String>,
}

/// The undo and redo stacks of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    open: Option<Step>,
    depth: usize,
    /// Whether the top undo step may still absorb edits with its key.
    coalescing: bool,
    limit: usize,
}

impl Default for History {
    fn default() -> Self {
        History::new(DEFAULT_LIMIT)
    }
}

impl History {
    pub fn new(limit: usize) -> History {
        History {
            undo: Vec::new(),
            redo: Vec::new(),
            open: None,
            depth: 0,
            coalescing: false,
            limit: limit.max(1),
        }
    }

    /// Applies an edit as its own undo step (or into the open group).
    pub fn apply(&mut self, doc: &mut Document, edit: Edit) -> Result<(), EditError> {
        self.apply_keyed(doc, edit, None)
    }

    /// Applies an edit; consecutive edits with the same `key` (e.g. `"code"` for the code view, or
    /// `"field:Name/Comment"`) merge into one undo step until [`History::seal`] or a different edit.
    pub fn apply_keyed(
        &mut self,
        doc: &mut Document,
        edit: Edit,
        key: Option<&str>,
    ) -> Result<(), EditError> {
        let inverse = apply(doc, edit)?;
        self.redo.clear();
        if let Some(open) = &mut self.open {
            open.inverses.push(inverse);
            return Ok(());
        }
        if let (Some(k), true, Some(top)) = (key, self.coalescing, self.undo.last_mut())
            && top.key.as_deref() == Some(k)
        {
            top.inverses.push(inverse);
            return Ok(());
        }
        self.push(Step {
            inverses: vec![inverse],
            key: key.map(str::to_string),
        });
        self.coalescing = key.is_some();
        Ok(())
    }

    fn push(&mut self, step: Step) {
        self.undo.push(step);
        if self.undo.len() > self.limit {
            let extra = self.undo.len() - self.limit;
            self.undo.drain(..extra);
        }
    }

    /// Starts a group: every edit until the matching [`History::end_group`] is one undo step.
    /// Groups nest; only the outermost one makes the step.
    pub fn begin_group(&mut self) {
        if self.depth == 0 {
            self.open = Some(Step::default());
        }
        self.depth += 1;
    }

    /// Ends a group; an empty group leaves no step.
    pub fn end_group(&mut self) {
        if self.depth == 0 {
            return;
        }
        self.depth -= 1;
        if self.depth == 0
            && let Some(step) = self.open.take()
            && !step.inverses.is_empty()
        {
            self.push(step);
            self.coalescing = false;
        }
    }

    /// True while a group is open.
    pub fn in_group(&self) -> bool {
        self.depth > 0
    }

    /// Stops coalescing: the next keyed edit starts a new step (call on blur or after a pause).
    pub fn seal(&mut self) {
        self.coalescing = false;
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Undoes the last step; `Ok(false)` when there is nothing to undo. Closes an open group first.
    pub fn undo(&mut self, doc: &mut Document) -> Result<bool, EditError> {
        self.close_groups();
        let Some(step) = self.undo.pop() else {
            return Ok(false);
        };
        self.coalescing = false;
        match run(doc, &step) {
            Ok(redo) => {
                self.redo.push(Step {
                    inverses: redo,
                    key: None,
                });
                Ok(true)
            }
            Err(e) => {
                self.undo.push(step);
                Err(e)
            }
        }
    }

    /// Redoes the last undone step; `Ok(false)` when there is nothing to redo.
    pub fn redo(&mut self, doc: &mut Document) -> Result<bool, EditError> {
        self.close_groups();
        let Some(step) = self.redo.pop() else {
            return Ok(false);
        };
        self.coalescing = false;
        match run(doc, &step) {
            Ok(undo) => {
                self.push(Step {
                    inverses: undo,
                    key: None,
                });
                Ok(true)
            }
            Err(e) => {
                self.redo.push(step);
                Err(e)
            }
        }
    }

    /// Forgets everything (a new document was loaded).
    pub fn clear(&mut self) {
        *self = History::new(self.limit);
    }

    /// Number of undo and redo steps.
    pub fn len(&self) -> (usize, usize) {
        (self.undo.len(), self.redo.len())
    }

    fn close_groups(&mut self) {
        while self.depth > 0 {
            self.end_group();
        }
    }
}

/// Applies a step's inverses last to first; returns their inverses as a step (same convention). On error
/// the already applied part is rolled back.
fn run(doc: &mut Document, step: &Step) -> Result<Vec<Edit>, EditError> {
    let mut done: Vec<Edit> = Vec::with_capacity(step.inverses.len());
    for inv in step.inverses.iter().rev() {
        match apply(doc, inv.clone()) {
            Ok(back) => done.push(back),
            Err(e) => {
                for back in done.into_iter().rev() {
                    let _ = apply(doc, back);
                }
                return Err(e);
            }
        }
    }
    // `done` holds the inverses in reverse application order, so running it last to first replays
    // them in the original order.
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::tests_support::random_edit;
    use crate::testgen::{self, Rng};
    use proptest::prelude::*;
    use serde_json::json;

    fn field(state: &str, value: i64) -> Edit {
        Edit::SetField {
            scope: vec![],
            state: state.into(),
            field: "Comment".into(),
            value: Some(json!(value)),
        }
    }

    fn doc() -> Document {
        Document::from_value(
            json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}),
        )
    }

    #[test]
    fn a_group_is_one_step() {
        let mut d = doc();
        let original = d.text().to_string();
        let mut h = History::default();
        h.begin_group();
        for x in 0..10 {
            h.apply(&mut d, field("A", x)).unwrap();
        }
        h.begin_group();
        h.apply(&mut d, field("B", 1)).unwrap();
        h.end_group();
        h.end_group();
        let dragged = d.text().to_string();
        assert_eq!(h.len(), (1, 0));
        assert!(h.undo(&mut d).unwrap());
        assert_eq!(d.text(), original);
        assert!(!h.undo(&mut d).unwrap());
        assert!(h.redo(&mut d).unwrap());
        assert_eq!(d.text(), dragged);
        assert!(!h.redo(&mut d).unwrap());
        // an empty group makes no step
        h.begin_group();
        h.end_group();
        assert_eq!(h.len(), (1, 0));
    }

    #[test]
    fn typing_bursts_coalesce_until_sealed() {
        let mut d = doc();
        let original = d.text().to_string();
        let mut h = History::default();
        let mut text = original.clone();
        for ch in ["x", "y", "z"] {
            text = text.replacen("Pass", &format!("Pass{ch}"), 1);
            h.apply_keyed(
                &mut d,
                Edit::ReplaceText { text: text.clone() },
                Some("code"),
            )
            .unwrap();
        }
        assert_eq!(h.len(), (1, 0));
        h.seal();
        h.apply_keyed(
            &mut d,
            Edit::ReplaceText {
                text: original.replace("Succeed", "Fail"),
            },
            Some("code"),
        )
        .unwrap();
        assert_eq!(h.len(), (2, 0));
        h.apply_keyed(&mut d, field("A", 1), Some("other")).unwrap();
        assert_eq!(h.len(), (3, 0));
        h.undo(&mut d).unwrap();
        h.undo(&mut d).unwrap();
        assert_eq!(d.text(), text);
        h.undo(&mut d).unwrap();
        assert_eq!(d.text(), original);
    }

    #[test]
    fn a_new_edit_clears_redo_and_the_limit_drops_old_steps() {
        let mut d = doc();
        let mut h = History::new(3);
        for x in 0..5 {
            h.apply(&mut d, field("A", x)).unwrap();
        }
        assert_eq!(h.len(), (3, 0));
        h.undo(&mut d).unwrap();
        assert_eq!(h.len(), (2, 1));
        h.apply(&mut d, field("B", 9)).unwrap();
        assert_eq!(h.len(), (3, 0));
        assert!(h.apply(&mut d, field("Nope", 1)).is_err());
        assert_eq!(h.len(), (3, 0), "a failed edit is not history");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(60))]
        #[test]
        fn undo_all_then_redo_all(seed in any::<u64>(), compact in any::<bool>(), steps in 1usize..25) {
            let mut rng = Rng::new(seed);
            let def = testgen::definition(&mut rng, 6, 2);
            let text = if compact { serde_json::to_string(&def).unwrap() } else { crate::document::render(&def) };
            let mut d = Document::new(text.clone());
            let mut h = History::default();
            for i in 0..steps {
                if rng.chance(20) { h.begin_group(); }
                let e = random_edit(&mut rng, &d);
                let _ = h.apply_keyed(&mut d, e, if i % 3 == 0 { Some("k") } else { None });
                if rng.chance(20) { h.end_group(); }
            }
            let last = d.text().to_string();
            while h.undo(&mut d).unwrap() {}
            prop_assert_eq!(d.text(), text.as_str());
            while h.redo(&mut d).unwrap() {}
            prop_assert_eq!(d.text(), last.as_str());
        }
    }
}
