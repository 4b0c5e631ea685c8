//! The local library of workflows: what is stored per workflow, how the list is built from storage, ids,
//! names, duplicates, the migration of the old single-document autosave, and the revision rules that keep
//! two tabs from silently overwriting each other. Pure logic: the web app reads and writes the storage
//! (`localStorage`) and passes the clock in.
//!
//! Storage layout (one key per workflow, so there is no shared index that two tabs could race on):
//! - `statewright.wf.<id>` → a [`Workflow`] as JSON (definition, input, mocks, test cases, revision);
//! - the list is every key with that prefix, newest first ([`list`]).
//!
//! Conflicts: a tab remembers the revision it last read or wrote. Saving over a stored workflow whose
//! revision moved on (another tab wrote it) is a [`SaveDecision::Conflict`], never a silent overwrite;
//! the person chooses "Reload theirs" (take the stored one) or "Keep mine" ([`keep_mine`], written one
//! revision above theirs).

use crate::share::ShareEnvelope;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;

/// Prefix of every workflow's storage key.
pub const KEY_PREFIX: &str = "statewright.wf.";
/// The old single-document autosave (before the library), migrated once by [`migrate_legacy`].
pub const LEGACY_DEFINITION_KEY: &str = "statewright.definition";
pub const LEGACY_INPUT_KEY: &str = "statewright.input";
/// Longest workflow name kept.
pub const MAX_NAME_CHARS: usize = 120;

/// One stored workflow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workflow {
    pub id: String,
    pub name: String,
    /// The ASL text exactly as the user has it.
    pub definition: String,
    /// The execution input text.
    #[serde(default)]
    pub input: String,
    /// The MockConfigFile text (empty for none).
    #[serde(default)]
    pub mocks: String,
    /// Test cases, kept as given (from a share link or the test-case panel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_cases: Option<Value>,
    /// Bumped by every write; see [`plan_save`].
    #[serde(default)]
    pub revision: u64,
    /// Milliseconds since the Unix epoch.
    #[serde(default)]
    pub created_ms: f64,
    #[serde(default)]
    pub updated_ms: f64,
    /// A fingerprint of the share link this workflow was opened from (so opening it again reuses it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// What the editor changes in a workflow (everything but identity, name and bookkeeping).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Content {
    pub definition: String,
    pub input: String,
    pub mocks: String,
    pub test_cases: Option<Value>,
}

impl Workflow {
    /// A new workflow at revision 0 (not yet stored).
    pub fn new(id: &str, name: &str, content: Content, now_ms: f64) -> Workflow {
        Workflow {
            id: id.to_string(),
            name: clean_name(name),
            definition: content.definition,
            input: content.input,
            mocks: content.mocks,
            test_cases: content.test_cases,
            revision: 0,
            created_ms: now_ms,
            updated_ms: now_ms,
            origin: None,
        }
    }

    pub fn content(&self) -> Content {
        Content {
            definition: self.definition.clone(),
            input: self.input.clone(),
            mocks: self.mocks.clone(),
            test_cases: self.test_cases.clone(),
        }
    }

    pub fn set_content(&mut self, content: Content) {
        self.definition = content.definition;
        self.input = content.input;
        self.mocks = content.mocks;
        self.test_cases = content.test_cases;
    }

    /// Its storage key.
    pub fn key(&self) -> String {
        key(&self.id)
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// What a share link of this workflow carries.
    pub fn envelope(&self) -> ShareEnvelope {
        ShareEnvelope {
            definition: self.definition.clone(),
            input: Some(self.input.clone()).filter(|i| !i.is_empty()),
            mocks: serde_json::from_str::<Value>(&self.mocks).ok(),
            test_cases: self.test_cases.clone(),
            view: None,
        }
    }
}

/// The storage key of a workflow id.
pub fn key(id: &str) -> String {
    format!("{KEY_PREFIX}{id}")
}

/// The workflow id of a storage key (None for other keys).
pub fn id_of_key(key: &str) -> Option<&str> {
    key.strip_prefix(KEY_PREFIX).filter(|id| !id.is_empty())
}

/// Reads a stored workflow; a damaged entry is an error naming its key, never a panic.
pub fn parse(key: &str, text: &str) -> Result<Workflow, String> {
    let mut wf: Workflow = serde_json::from_str(text)
        .map_err(|e| format!("the saved workflow {key} is damaged: {e}"))?;
    if let Some(id) = id_of_key(key) {
        wf.id = id.to_string();
    }
    Ok(wf)
}

/// How many states a JSON definition has at the top level (`None` when it is not JSON, not an object or
/// its `States` is not an object): what `serde_json::Value` would say, without building the value (the
/// list reads every stored workflow, and a 1,000-state one is 200 KB). Repeated keys count as the
/// value does: the last `States` wins and a repeated state name counts once.
fn top_level_states(definition: &str) -> Option<usize> {
    serde_json::from_str::<count::Top>(definition).ok()?.0
}

mod count {
    //! Serde visitors that walk a JSON text like `serde_json::Value` does (the same errors, numbers
    //! included) while keeping only the top-level `States` member's distinct keys.
    use serde::Deserialize;
    use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::collections::HashSet;
    use std::fmt;

    /// Any JSON value, read and dropped.
    pub struct Skip;

    impl<'de> Deserialize<'de> for Skip {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Any(|_| ())).map(|()| Skip)
        }
    }

    /// The top-level object: the distinct keys of its (last) `States` object.
    pub struct Top(pub Option<usize>);

    impl<'de> Deserialize<'de> for Top {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Any(|m: Option<Members>| m.and_then(|m| m.states)))
                .map(Top)
        }
    }

    /// An object's members as far as `Top` needs them.
    pub struct Members {
        states: Option<usize>,
    }

    /// A visitor for any JSON value: `f` is given the object's members when it is an object, `None`
    /// for anything else.
    struct Any<F>(F);

    impl<'de, T, F: FnOnce(Option<Members>) -> T> Visitor<'de> for Any<F> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<T, E> {
            Ok((self.0)(None))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
            Ok((self.0)(None))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<T, E> {
            Ok((self.0)(None))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
            Ok((self.0)(None))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<T, E> {
            Ok((self.0)(None))
        }
        fn visit_unit<E: de::Error>(self) -> Result<T, E> {
            Ok((self.0)(None))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
            while seq.next_element::<Skip>()?.is_some() {}
            Ok((self.0)(None))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut states = None;
            while let Some(key) = map.next_key::<String>()? {
                if key == "States" {
                    states = map.next_value::<Keys>()?.0;
                } else {
                    map.next_value::<Skip>()?;
                }
            }
            Ok((self.0)(Some(Members { states })))
        }
    }

    /// The number of distinct keys of an object (`None` for anything else).
    struct Keys(Option<usize>);

    impl<'de> Deserialize<'de> for Keys {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct KeysVisitor;
            impl<'de> Visitor<'de> for KeysVisitor {
                type Value = Keys;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("any JSON value")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                    let mut keys = HashSet::new();
                    while let Some(key) = map.next_key::<String>()? {
                        map.next_value::<Skip>()?;
                        keys.insert(key);
                    }
                    Ok(Keys(Some(keys.len())))
                }
                fn visit_bool<E: de::Error>(self, _: bool) -> Result<Keys, E> {
                    Ok(Keys(None))
                }
                fn visit_i64<E: de::Error>(self, _: i64) -> Result<Keys, E> {
                    Ok(Keys(None))
                }
                fn visit_u64<E: de::Error>(self, _: u64) -> Result<Keys, E> {
                    Ok(Keys(None))
                }
                fn visit_f64<E: de::Error>(self, _: f64) -> Result<Keys, E> {
                    Ok(Keys(None))
                }
                fn visit_str<E: de::Error>(self, _: &str) -> Result<Keys, E> {
                    Ok(Keys(None))
                }
                fn visit_unit<E: de::Error>(self) -> Result<Keys, E> {
                    Ok(Keys(None))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Keys, A::Error> {
                    while seq.next_element::<Skip>()?.is_some() {}
                    Ok(Keys(None))
                }
            }
            d.deserialize_any(KeysVisitor)
        }
    }
}

/// One row of the library list.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub id: String,
    pub name: String,
    pub updated_ms: f64,
    /// Number of states at the top level (None when the text does not parse).
    pub states: Option<usize>,
}

/// The library from every `(key, value)` pair in storage: workflows newest first (then by name); keys
/// of other features are ignored; damaged entries are returned separately (shown, never deleted).
pub fn list<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (Vec<Summary>, Vec<String>) {
    let mut out = Vec::new();
    let mut damaged = Vec::new();
    for (k, v) in pairs {
        if id_of_key(k).is_none() {
            continue;
        }
        match parse(k, v) {
            Ok(wf) => out.push(Summary {
                states: top_level_states(&wf.definition),
                id: wf.id,
                name: wf.name,
                updated_ms: wf.updated_ms,
            }),
            Err(e) => damaged.push(e),
        }
    }
    out.sort_by(|a, b| {
        b.updated_ms
            .total_cmp(&a.updated_ms)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
    damaged.sort();
    (out, damaged)
}

/// A fresh id: the time in base 36 and a salt (random in the app), unique among `taken`.
pub fn new_id(now_ms: f64, salt: u64, taken: &BTreeSet<String>) -> String {
    let t = if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        0
    };
    let base = format!("{}{}", base36(t), base36(salt % 1_679_616)); // ≤ 4 salt digits
    if !taken.contains(&base) {
        return base;
    }
    (2u64..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken.contains(c))
        .unwrap_or(base)
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A name as stored: one line, trimmed, at most [`MAX_NAME_CHARS`], never empty.
pub fn clean_name(name: &str) -> String {
    let one_line: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed: String = one_line.trim().chars().take(MAX_NAME_CHARS).collect();
    if trimmed.trim().is_empty() {
        "Untitled workflow".into()
    } else {
        trimmed.trim().to_string()
    }
}

/// `base`, or `base (2)`, `base (3)`... — the first not among `taken`.
pub fn unique_name(base: &str, taken: &BTreeSet<String>) -> String {
    let base = clean_name(base);
    if !taken.contains(&base) {
        return base;
    }
    (2u64..)
        .map(|n| format!("{base} ({n})"))
        .find(|c| !taken.contains(c))
        .unwrap_or(base)
}

/// A name for a definition: its `Comment` (first line), else its first state, else "Untitled workflow".
pub fn name_for(definition: &str) -> String {
    let value = serde_json::from_str::<Value>(definition).ok();
    let comment = value
        .as_ref()
        .and_then(|v| v.get("Comment"))
        .and_then(Value::as_str)
        .and_then(|c| c.lines().next())
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| c.chars().take(60).collect::<String>());
    let start = value
        .as_ref()
        .and_then(|v| v.get("StartAt"))
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty());
    clean_name(comment.as_deref().or(start).unwrap_or("Untitled workflow"))
}

/// A copy under a new id and the name "<name> copy" (made unique), at revision 0.
pub fn duplicate(wf: &Workflow, id: &str, taken_names: &BTreeSet<String>, now_ms: f64) -> Workflow {
    let mut copy = Workflow::new(
        id,
        &unique_name(&format!("{} copy", wf.name), taken_names),
        wf.content(),
        now_ms,
    );
    copy.origin = None;
    copy
}

/// The old single-document autosave as the library's first workflow (when the library is empty and
/// there is a saved definition).
pub fn migrate_legacy(
    definition: Option<&str>,
    input: Option<&str>,
    library_is_empty: bool,
    id: &str,
    now_ms: f64,
) -> Option<Workflow> {
    let definition = definition.filter(|d| !d.trim().is_empty())?;
    if !library_is_empty {
        return None;
    }
    Some(Workflow::new(
        id,
        &name_for(definition),
        Content {
            definition: definition.to_string(),
            input: input.unwrap_or_default().to_string(),
            ..Content::default()
        },
        now_ms,
    ))
}

/// What to do with an autosave, given the tab's copy (`mine`, with the revision the tab last read or
/// wrote) and what storage holds now.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveDecision {
    /// Storage already holds exactly this.
    Unchanged,
    /// Write this (one revision up).
    Write(Workflow),
    /// Another tab wrote the same content: take its revision, nothing to write.
    Adopt(Workflow),
    /// Another tab wrote something else since this tab last read: ask the person.
    Conflict(Workflow),
}

/// The decision for saving `mine` over `stored` (None when the key is absent: it was deleted elsewhere or
/// never written; writing it again loses nothing).
pub fn plan_save(mine: &Workflow, stored: Option<&Workflow>, now_ms: f64) -> SaveDecision {
    let bumped = |base: u64| {
        let mut w = mine.clone();
        w.revision = base + 1;
        w.updated_ms = now_ms;
        w
    };
    match stored {
        None => SaveDecision::Write(bumped(mine.revision)),
        Some(s) if s.revision == mine.revision => {
            if s.content() == mine.content() && s.name == mine.name {
                SaveDecision::Unchanged
            } else {
                SaveDecision::Write(bumped(mine.revision))
            }
        }
        Some(s) if s.content() == mine.content() && s.name == mine.name => {
            SaveDecision::Adopt(s.clone())
        }
        Some(s) => SaveDecision::Conflict(s.clone()),
    }
}

/// How a tab reacts to another tab's write of the workflow it has open (`stored` None: deleted there).
#[derive(Debug, Clone, PartialEq)]
pub enum External {
    /// Nothing to do (an echo of this tab's own write, or an older revision).
    Ignore,
    /// Same content: take the revision silently.
    Adopt(Workflow),
    /// Different content: show the conflict choice.
    Conflict(Workflow),
    /// Deleted in another tab: this tab still holds it and writes it back on its next edit.
    Deleted,
}

pub fn external_change(mine: &Workflow, stored: Option<&Workflow>) -> External {
    match stored {
        None => External::Deleted,
        Some(s) if s.revision <= mine.revision && s.content() == mine.content() => External::Ignore,
        Some(s) if s.content() == mine.content() && s.name == mine.name => {
            External::Adopt(s.clone())
        }
        Some(s) if s.revision < mine.revision => External::Ignore,
        Some(s) if s.content() == mine.content() => {
            // only the name changed elsewhere (a rename in the library of another tab): take it
            let mut w = mine.clone();
            w.name = s.name.clone();
            w.revision = s.revision;
            External::Adopt(w)
        }
        Some(s) => External::Conflict(s.clone()),
    }
}

/// "Keep mine": this tab's content, written one revision above the other tab's.
pub fn keep_mine(mine: &Workflow, theirs: &Workflow, now_ms: f64) -> Workflow {
    let mut w = mine.clone();
    w.revision = theirs.revision.max(mine.revision) + 1;
    w.updated_ms = now_ms;
    w
}

/// A short fingerprint of a share link's fragment (FNV-1a, hex): opening the same link twice reuses
/// the workflow it created (while that workflow is unchanged).
pub fn origin_of(fragment: &str) -> String {
    let h = fragment
        .trim_start_matches('#')
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    format!("{h:016x}")
}

/// A workflow for a decoded share link.
pub fn from_envelope(
    env: &ShareEnvelope,
    fragment: &str,
    id: &str,
    taken_names: &BTreeSet<String>,
    now_ms: f64,
) -> Workflow {
    let mut wf = Workflow::new(
        id,
        &unique_name(&name_for(&env.definition), taken_names),
        Content {
            definition: env.definition.clone(),
            input: env.input.clone().unwrap_or_default(),
            mocks: env
                .mocks
                .as_ref()
                .map(|m| serde_json::to_string_pretty(m).unwrap_or_default())
                .unwrap_or_default(),
            test_cases: env.test_cases.clone(),
        },
        now_ms,
    );
    wf.origin = Some(origin_of(fragment));
    wf
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// What the list said before `top_level_states`: the count from the whole `Value`.
    fn by_value(text: &str) -> Option<usize> {
        serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|d| d.get("States").and_then(Value::as_object).map(|s| s.len()))
    }

    #[test]
    fn top_level_states_are_counted_as_the_value_counts_them() {
        for text in [
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "B": {}}}"#,
            r#"{"States": {"A": 1, "A": 2, "B": [1, {"States": {}}]}}"#,
            r#"{"States": {"A": 1}, "States": {"B": 1, "C": 1}}"#,
            r#"{"States": [1, 2]}"#,
            r#"{"States": null, "Comment": "x"}"#,
            r#"{"Comment": "no states"}"#,
            r#"{"States": {"A": 1e400}}"#,
            r#"{"States": {"A": 1}} trailing"#,
            r#"{"States": {"A": "\u00e9\"q"}}"#,
            "[1, 2, 3]",
            "\"text\"",
            "StartAt: A\nStates:\n  A: {Type: Pass, End: true}\n",
            "",
            "{",
        ] {
            assert_eq!(top_level_states(text), by_value(text), "{text}");
        }
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[a-cS\"\\\\é]{0,4}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::vec(
                    (prop_oneof![Just("States".to_string()), "[A-C]{1,2}"], inner),
                    0..5
                )
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn top_level_states_match_the_value(v in json_value(), cut in 0usize..64) {
            let text = serde_json::to_string(&v).unwrap();
            prop_assert_eq!(top_level_states(&text), by_value(&text));
            // A cut-off text too.
            let end = text.char_indices().map(|(i, _)| i).find(|&i| i >= cut).unwrap_or(text.len());
            prop_assert_eq!(top_level_states(&text[..end]), by_value(&text[..end]));
        }
    }

    fn wf(id: &str, def: &str, rev: u64) -> Workflow {
        let mut w = Workflow::new(
            id,
            "W",
            Content {
                definition: def.into(),
                ..Content::default()
            },
            1000.0,
        );
        w.revision = rev;
        w
    }

    #[test]
    fn stored_form_round_trips_and_keys_map_to_ids() {
        let mut w = wf("abc", "{\"StartAt\":\"A\"}", 3);
        w.test_cases = Some(json!([{"name": "happy"}]));
        w.mocks = "{}".into();
        let back = parse(&w.key(), &w.to_json()).unwrap();
        assert_eq!(back, w);
        assert_eq!(w.key(), "statewright.wf.abc");
        assert_eq!(id_of_key("statewright.wf.abc"), Some("abc"));
        for other in ["statewright.wf.", "statewright.theme", "x"] {
            assert_eq!(id_of_key(other), None);
        }
        assert!(
            parse("statewright.wf.x", "{not json")
                .unwrap_err()
                .contains("damaged")
        );
        // an old entry without the newer fields still reads
        let minimal = parse(
            "statewright.wf.m",
            r#"{"id":"q","name":"N","definition":"{}"}"#,
        )
        .unwrap();
        assert_eq!((minimal.id.as_str(), minimal.revision), ("m", 0));
    }

    #[test]
    fn the_list_is_newest_first_and_skips_other_keys() {
        let mut a = wf("a", r#"{"StartAt":"X","States":{"X":{},"Y":{}}}"#, 1);
        a.updated_ms = 5.0;
        a.name = "Alpha".into();
        let mut b = wf("b", "broken", 1);
        b.updated_ms = 9.0;
        b.name = "Beta".into();
        let (aj, bj, ak, bk) = (a.to_json(), b.to_json(), a.key(), b.key());
        let pairs = vec![
            ("statewright.theme", "dark"),
            (ak.as_str(), aj.as_str()),
            ("statewright.wf.bad", "{"),
            (bk.as_str(), bj.as_str()),
        ];
        let (rows, damaged) = list(pairs);
        let names: Vec<_> = rows.iter().map(|r| (r.name.as_str(), r.states)).collect();
        assert_eq!(names, [("Beta", None), ("Alpha", Some(2))]);
        assert_eq!(damaged.len(), 1);
    }

    #[test]
    fn names() {
        for (input, expected) in [
            ("  Order flow ", "Order flow"),
            ("", "Untitled workflow"),
            ("a\nb\tc", "a b c"),
            ("   ", "Untitled workflow"),
        ] {
            assert_eq!(clean_name(input), expected, "{input:?}");
        }
        assert_eq!(clean_name(&"x".repeat(500)).chars().count(), MAX_NAME_CHARS);
        let taken: BTreeSet<String> = ["Flow", "Flow (2)"].map(String::from).into();
        assert_eq!(unique_name("Flow", &taken), "Flow (3)");
        assert_eq!(unique_name("Other", &taken), "Other");
        for (def, expected) in [
            (r#"{"Comment":"Orders\nmore","StartAt":"A"}"#, "Orders"),
            (r#"{"StartAt":"Begin","States":{}}"#, "Begin"),
            ("not json", "Untitled workflow"),
            (r#"{"Comment":"  ","StartAt":""}"#, "Untitled workflow"),
        ] {
            assert_eq!(name_for(def), expected, "{def}");
        }
    }

    #[test]
    fn ids_are_unique() {
        let mut taken = BTreeSet::new();
        let a = new_id(1_700_000_000_000.0, 42, &taken);
        taken.insert(a.clone());
        let b = new_id(1_700_000_000_000.0, 42, &taken);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(new_id(f64::NAN, 0, &BTreeSet::new()), "00");
    }

    #[test]
    fn duplicate_gets_a_new_identity_and_the_same_content() {
        let mut w = wf("a", "{}", 7);
        w.name = "Flow".into();
        w.origin = Some("o".into());
        let taken: BTreeSet<String> = ["Flow".into(), "Flow copy".into()].into();
        let c = duplicate(&w, "b", &taken, 2000.0);
        assert_eq!(
            (c.id.as_str(), c.name.as_str(), c.revision, c.origin.clone()),
            ("b", "Flow copy (2)", 0, None)
        );
        assert_eq!(c.content(), w.content());
    }

    #[test]
    fn migration_of_the_old_autosave() {
        let m = migrate_legacy(
            Some(r#"{"Comment":"Mine"}"#),
            Some("{\"x\":1}"),
            true,
            "id",
            1.0,
        )
        .unwrap();
        assert_eq!((m.name.as_str(), m.input.as_str()), ("Mine", "{\"x\":1}"));
        assert_eq!(migrate_legacy(Some("{}"), None, false, "id", 1.0), None);
        assert_eq!(migrate_legacy(Some("  "), None, true, "id", 1.0), None);
        assert_eq!(migrate_legacy(None, None, true, "id", 1.0), None);
    }

    /// One row: (my revision, my definition, stored (revision, definition)) → decision kind.
    fn check_save(mine: (u64, &str), stored: Option<(u64, &str)>, expected: &str) {
        let m = wf("a", mine.1, mine.0);
        let s = stored.map(|(r, d)| wf("a", d, r));
        let got = match plan_save(&m, s.as_ref(), 50.0) {
            SaveDecision::Unchanged => "unchanged".to_string(),
            SaveDecision::Write(w) => {
                assert_eq!(w.updated_ms, 50.0);
                format!("write {}", w.revision)
            }
            SaveDecision::Adopt(w) => format!("adopt {}", w.revision),
            SaveDecision::Conflict(w) => format!("conflict {}", w.revision),
        };
        assert_eq!(got, expected, "{mine:?} over {stored:?}");
    }

    #[test]
    fn saving_never_silently_overwrites_another_tab() {
        check_save((1, "x"), Some((1, "x")), "unchanged");
        check_save((1, "y"), Some((1, "x")), "write 2");
        check_save((0, "y"), None, "write 1");
        check_save((4, "y"), None, "write 5"); // deleted elsewhere: written back
        check_save((1, "y"), Some((2, "x")), "conflict 2");
        check_save((1, "x"), Some((2, "x")), "adopt 2");
        check_save((3, "y"), Some((2, "x")), "conflict 2");
    }

    #[test]
    fn external_changes() {
        let mine = wf("a", "x", 2);
        assert_eq!(external_change(&mine, None), External::Deleted);
        assert_eq!(
            external_change(&mine, Some(&wf("a", "x", 2))),
            External::Ignore
        );
        assert_eq!(
            external_change(&mine, Some(&wf("a", "old", 1))),
            External::Ignore
        );
        assert!(
            matches!(external_change(&mine, Some(&wf("a", "x", 3))), External::Adopt(w) if w.revision == 3)
        );
        assert!(
            matches!(external_change(&mine, Some(&wf("a", "theirs", 3))), External::Conflict(w) if w.definition == "theirs")
        );
        let mut renamed = wf("a", "x", 3);
        renamed.name = "New name".into();
        assert!(
            matches!(external_change(&mine, Some(&renamed)), External::Adopt(w) if w.name == "New name" && w.revision == 3)
        );
        let kept = keep_mine(&mine, &wf("a", "theirs", 7), 99.0);
        assert_eq!(
            (kept.revision, kept.definition.as_str(), kept.updated_ms),
            (8, "x", 99.0)
        );
        // after "Keep mine", the other tab sees a conflict, not a silent change
        let other = wf("a", "theirs", 7);
        assert!(matches!(
            external_change(&other, Some(&kept)),
            External::Conflict(_)
        ));
    }

    #[test]
    fn a_link_becomes_a_new_workflow() {
        let env = ShareEnvelope {
            definition: r#"{"Comment":"Shared","StartAt":"A","States":{}}"#.into(),
            input: Some("{}".into()),
            mocks: Some(json!({"StateMachines": {}})),
            test_cases: Some(json!([{"name": "t"}])),
            view: None,
        };
        let taken: BTreeSet<String> = ["Shared".into()].into();
        let w = from_envelope(&env, "#v1:abc", "n", &taken, 3.0);
        assert_eq!(w.name, "Shared (2)");
        assert_eq!(w.origin, Some(origin_of("v1:abc")));
        assert_eq!(w.test_cases, env.test_cases);
        assert!(w.mocks.contains("StateMachines"));
        assert_eq!(w.envelope().definition, env.definition);
        assert_eq!(w.envelope().mocks, env.mocks);
        assert_ne!(origin_of("#v1:abc"), origin_of("#v1:abd"));
    }
}
