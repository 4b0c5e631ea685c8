//! Payload texts as history events keep them: the JSON text of a state's input or output, either written
//! already or derived on demand from the state's input text by a ResultPath merge. A chain of states that
//! merge their results into a growing payload would otherwise write the whole payload twice per state
//! (quadratic in the chain's length); a derived text costs its byte length (computed exactly, for the
//! payload limit and the cost estimate) and is written only when the history is read.

use super::payload;
use crate::jsonpath::{JsonPath, Segment, Selector};
use serde_json::Value;
use std::sync::{Arc, OnceLock};

/// A payload's compact JSON text (serde_json's bytes), shared between the events that show it.
#[derive(Clone)]
pub(crate) struct Text(Repr);

#[derive(Clone)]
enum Repr {
    /// A written text; `true` when its value is known to be within [`payload::MAX_DEPTH`].
    Ready(Arc<str>, bool),
    Merged(Arc<Merged>),
    /// A run that keeps no history (see [`super::run_outcome`]) writes no text: only the length of the text
    /// of a value known to be within [`payload::MAX_DEPTH`], for the payload limit and the cost estimate.
    Sized(usize, Shallow),
    /// Not written nor measured (a run that keeps no history): the text of a value not checked yet.
    Unknown,
}

/// Whether a measured value is known to be nested less deeply than [`payload::MAX_DEPTH`] (so it can be an
/// element of an array within the limit).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shallow(pub bool);

/// `base` with the value of `result` (a text) put at `path` (a ResultPath that succeeded on the live value).
struct Merged {
    /// `None` only while being dropped (see the `Drop` impl).
    base: Option<Text>,
    path: Arc<JsonPath>,
    result: Arc<str>,
    len: usize,
    text: OnceLock<Arc<str>>,
}

impl From<Arc<str>> for Text {
    fn from(t: Arc<str>) -> Text {
        Text(Repr::Ready(t, false))
    }
}

impl From<String> for Text {
    fn from(t: String) -> Text {
        Text(Repr::Ready(Arc::from(t), false))
    }
}

impl Text {
    /// The text of a value known to be within [`payload::MAX_DEPTH`].
    pub(crate) fn checked(t: impl Into<Arc<str>>) -> Text {
        Text(Repr::Ready(t.into(), true))
    }

    /// A value's text (its nesting checked on the way).
    pub(crate) fn of(v: &Value) -> Text {
        match payload::text_within(v, payload::MAX_DEPTH) {
            Some(t) => Text::checked(t),
            None => Text::from(payload::text(v)),
        }
    }

    /// The length of a text not written (a run that keeps no history), of a value known to be within
    /// [`payload::MAX_DEPTH`].
    pub(crate) fn sized(len: usize) -> Text {
        Text(Repr::Sized(len, Shallow(false)))
    }

    /// [`Text::sized`] for a value of a known depth (within [`payload::MAX_DEPTH`]).
    pub(crate) fn sized_at(len: usize, depth: usize) -> Text {
        Text(Repr::Sized(len, Shallow(depth < payload::MAX_DEPTH)))
    }

    /// The length of the text of a value known to be nested less deeply than [`payload::MAX_DEPTH`].
    pub(crate) fn shallow_len(&self) -> Option<usize> {
        match &self.0 {
            Repr::Sized(n, Shallow(true)) => Some(*n),
            _ => None,
        }
    }

    /// The text of a value neither written nor measured (a run that keeps no history).
    pub(crate) const UNKNOWN: Text = Text(Repr::Unknown);

    /// Whether the value this is the text of is known to be within [`payload::MAX_DEPTH`] (and the text's
    /// length known).
    pub(crate) fn depth_checked(&self) -> bool {
        match &self.0 {
            Repr::Ready(_, checked) => *checked,
            Repr::Merged(_) | Repr::Sized(..) => true,
            Repr::Unknown => false,
        }
    }

    /// The text's length in bytes, without writing it (0 for [`Text::UNKNOWN`]).
    pub(crate) fn len(&self) -> usize {
        match &self.0 {
            Repr::Ready(t, _) => t.len(),
            Repr::Merged(m) => m.len,
            Repr::Sized(n, _) => *n,
            Repr::Unknown => 0,
        }
    }

    /// The text, written now if it was derived and not read before (empty for a text a run without history
    /// did not write: such runs keep no events to read it from).
    pub(crate) fn get(&self) -> Arc<str> {
        match &self.0 {
            Repr::Ready(t, _) => t.clone(),
            Repr::Merged(m) => match m.text.get() {
                Some(t) => t.clone(),
                None => materialize(m),
            },
            Repr::Sized(..) | Repr::Unknown => Arc::from(""),
        }
    }

    /// The text of `base` after `result` is merged at `path` (what [`payload::set_result`] does to the value
    /// `base` is the text of), when that is cheap to know exactly: every step but the last exists (an object
    /// member or an array element) and the last is a member or an existing element. `None` otherwise.
    /// `raw` is the value before the merge, `result` the text of the value merged. The caller makes sure the
    /// merged value stays within [`payload::MAX_DEPTH`].
    pub(crate) fn merged(
        base: &Text,
        raw: &Value,
        path: &Arc<JsonPath>,
        result: Arc<str>,
    ) -> Option<Text> {
        let len = merged_len(base, raw, path, result.len())?;
        Some(Text(Repr::Merged(Arc::new(Merged {
            base: Some(base.clone()),
            path: path.clone(),
            result,
            len,
            text: OnceLock::new(),
        }))))
    }

    /// [`Text::merged`] for a run that keeps no history: the merged text's length only, from the length of
    /// the result's text.
    pub(crate) fn merged_sized(
        base: &Text,
        raw: &Value,
        path: &JsonPath,
        result_len: usize,
    ) -> Option<Text> {
        merged_len(base, raw, path, result_len).map(Text::sized)
    }
}

/// The length of `base` (the text of `raw`) after a text of `result_len` bytes is merged at `path`, when that
/// is cheap to know exactly (see [`Text::merged`]).
fn merged_len(base: &Text, raw: &Value, path: &JsonPath, result_len: usize) -> Option<usize> {
    if matches!(base.0, Repr::Unknown) {
        return None;
    }
    let (last, head) = path.segments.split_last()?;
    let mut cur = raw;
    for seg in head {
        cur = step(cur, seg)?;
    }
    let len = match (last, cur) {
        (Segment::Child(Selector::Name(n)), Value::Object(o)) => match o.get(n.as_str()) {
            Some(old) => (base.len() + result_len).checked_sub(payload::size(old))?,
            // `,"name":result` (no comma in an empty object)
            None => base.len() + usize::from(!o.is_empty()) + str_len(n) + 1 + result_len,
        },
        (Segment::Child(Selector::Index(_)), Value::Array(_)) => {
            let old = step(cur, last)?;
            (base.len() + result_len).checked_sub(payload::size(old))?
        }
        _ => return None,
    };
    Some(len)
}

/// One plain step of a path into a value: an existing member or element.
fn step<'v>(v: &'v Value, seg: &Segment) -> Option<&'v Value> {
    match (seg, v) {
        (Segment::Child(Selector::Name(n)), Value::Object(o)) => o.get(n.as_str()),
        (Segment::Child(Selector::Index(i)), Value::Array(a)) => {
            let len = a.len() as i64;
            let j = if *i < 0 { len + i } else { *i };
            usize::try_from(j).ok().and_then(|j| a.get(j))
        }
        _ => None,
    }
}

/// The byte length of a string's JSON text (quotes and escapes included), as [`payload::text`] writes it.
fn str_len(s: &str) -> usize {
    2 + s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t' => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
}

/// Write a derived text and every derived text it rests on that was not written yet (iteratively: a loop
/// can derive thousands of texts, one from the other).
fn materialize(top: &Arc<Merged>) -> Arc<str> {
    let mut chain = vec![top.clone()];
    let base = loop {
        let Some(last) = chain.last() else {
            return Arc::from("");
        };
        match last.base.as_ref().map(|b| &b.0) {
            Some(Repr::Ready(t, _)) => break t.clone(),
            Some(Repr::Merged(m)) => match m.text.get() {
                Some(t) => break t.clone(),
                None => {
                    let m = m.clone();
                    chain.push(m);
                }
            },
            // A run without history derives no texts from unwritten ones.
            Some(Repr::Sized(..) | Repr::Unknown) | None => return Arc::from(""),
        }
    };
    // The base texts were written from values within payload::MAX_DEPTH, which serde_json reads back.
    let mut value: Value = serde_json::from_str(&base).unwrap_or(Value::Null);
    let mut written = base;
    for m in chain.iter().rev() {
        let result = serde_json::from_str(&m.result).unwrap_or(Value::Null);
        let _ = payload::set_result(&mut value, &m.path, result);
        written = m.text.get_or_init(|| payload::shared_text(&value)).clone();
    }
    payload::dismantle(value);
    written
}

impl Drop for Merged {
    /// Unlink a long chain of derived texts one by one (dropping it recursively could exhaust the stack).
    fn drop(&mut self) {
        let mut next = self.base.take();
        while let Some(Text(Repr::Merged(m))) = next {
            next = match Arc::try_unwrap(m) {
                Ok(mut inner) => inner.base.take(),
                Err(_) => None,
            };
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        match (&self.0, &other.0) {
            (Repr::Merged(a), Repr::Merged(b)) if Arc::ptr_eq(a, b) => true,
            _ => self.len() == other.len() && self.get() == other.get(),
        }
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.get(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonpath::parse;
    use serde_json::json;

    fn merge(raw: &Value, path: &str, result: Value) -> (Option<Text>, String) {
        let base = Text::from(payload::text(raw));
        let path = Arc::new(parse(path).unwrap());
        let derived = Text::merged(&base, raw, &path, payload::shared_text(&result));
        let mut target = raw.clone();
        payload::set_result(&mut target, &path, result).unwrap();
        (derived, payload::text(&target))
    }

    #[test]
    fn derived_texts_equal_the_written_ones() {
        let raw = json!({"a": {"b": [1, {"c": 2}], "e": {}}, "q\"k": 1});
        for (path, result) in [
            ("$.a.new", json!({"x": "y\n"})),
            ("$.a.b", json!("replaced")),
            ("$.a.e.first", json!([1, 2])),
            ("$.a.b[1]", json!(null)),
            ("$.a.b[-1].c", json!(3.5)),
            ("$['q\"k']", json!({})),
            ("$['new\tkey']", json!(true)),
        ] {
            let (derived, written) = merge(&raw, path, result);
            let derived = derived.unwrap_or_else(|| panic!("{path} is derivable"));
            assert_eq!(derived.len(), written.len(), "{path}");
            assert_eq!(&*derived.get(), written, "{path}");
        }
        // Steps that do not exist yet are not derived (the caller writes the text).
        let base = Text::from(payload::text(&raw));
        for path in ["$.no.such", "$.a.b[5]", "$.a.b.c", "$"] {
            let path = Arc::new(parse(path).unwrap());
            assert!(Text::merged(&base, &raw, &path, Arc::from("1")).is_none());
        }
    }

    #[test]
    fn long_chains_are_written_and_dropped_without_recursion() {
        let mut raw = json!({"acc": {}});
        let mut text = Text::from(payload::text(&raw));
        let mut all = Vec::new();
        for i in 0..20_000 {
            let path = Arc::new(parse(&format!("$.acc.s{i}")).unwrap());
            let result = json!(i);
            let next = Text::merged(&text, &raw, &path, payload::shared_text(&result)).unwrap();
            payload::set_result(&mut raw, &path, result).unwrap();
            text = next;
            if i % 5000 == 0 {
                all.push(text.clone());
            }
        }
        assert_eq!(&*text.get(), payload::text(&raw));
        assert!(all.iter().all(|t| t.get().len() == t.len()));
        drop(all);
        let mut text = Text::from(payload::text(&json!({"acc": {}})));
        let mut raw = json!({"acc": {}});
        for i in 0..200_000 {
            let path = Arc::new(parse("$.acc.n").unwrap());
            let result = json!(i);
            text = Text::merged(&text, &raw, &path, payload::shared_text(&result)).unwrap();
            payload::set_result(&mut raw, &path, result).unwrap();
        }
        assert_eq!(text.len(), payload::text(&raw).len());
        drop(text);
    }
}
