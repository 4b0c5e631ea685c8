//! Parse-once caches: every JSONPath and intrinsic call text in a definition is parsed the first time a run
//! evaluates it and reused afterwards (a loop evaluates the same few texts thousands of times), or up front
//! for every run of a [`super::Plan`].

use crate::intrinsics::{self, Intrinsic, IntrinsicError};
use crate::jsonpath::{self, JsonPath, PathError};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// FxHash (from the jsonata crate): the keys are short texts from the user's own definition.
type FxMap<V> = HashMap<Box<str>, V, jsonata::FxBuild>;

/// Parsed paths and intrinsic calls by their text. Failures are not cached (they end the run).
#[derive(Default)]
pub(crate) struct Parsed {
    /// A plan's texts, parsed before the run (looked up first).
    shared: Option<Arc<Table>>,
    own: Table,
}

/// Parsed texts by text.
#[derive(Default)]
pub(crate) struct Table {
    paths: FxMap<Arc<JsonPath>>,
    calls: FxMap<Arc<Intrinsic>>,
}

impl Table {
    /// Every path and intrinsic call text of a definition that parses: `.$` template values, `*Path` fields
    /// and Choice's `Variable`, in every state and nested machine. Texts that do not parse are left for the
    /// run to report where it evaluates them.
    pub(crate) fn of_definition(definition: &Value) -> Table {
        let mut t = Table::default();
        let mut stack = vec![definition];
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(o) => {
                    for (k, x) in o {
                        match x {
                            Value::String(text) if k.ends_with(".$") => t.add(text.trim()),
                            Value::String(text) if k.ends_with("Path") || k == "Variable" => {
                                t.add(text);
                                t.add(text.trim());
                            }
                            Value::Object(_) | Value::Array(_) => stack.push(x),
                            _ => {}
                        }
                    }
                }
                Value::Array(a) => stack.extend(a),
                _ => {}
            }
        }
        t
    }

    fn add(&mut self, text: &str) {
        if intrinsics::looks_like_call(text) {
            if !self.calls.contains_key(text)
                && let Ok(c) = intrinsics::parse(text)
            {
                self.calls.insert(text.into(), Arc::new(c));
            }
        } else if !self.paths.contains_key(text)
            && let Ok(p) = jsonpath::parse(text)
        {
            self.paths.insert(text.into(), Arc::new(p));
        }
    }
}

/// Texts kept at most (a bound on memory for generated definitions; past it, texts are parsed each time).
const MAX_ENTRIES: usize = 4096;

impl Parsed {
    /// A cache that first looks in a plan's table.
    pub(crate) fn with_table(shared: Option<Arc<Table>>) -> Parsed {
        Parsed {
            shared,
            own: Table::default(),
        }
    }

    pub(crate) fn path(&mut self, text: &str) -> Result<Arc<JsonPath>, PathError> {
        let shared = self.shared.as_deref().map(|t| &t.paths);
        cached(shared, &mut self.own.paths, text, jsonpath::parse)
    }

    pub(crate) fn call(&mut self, text: &str) -> Result<Arc<Intrinsic>, IntrinsicError> {
        let shared = self.shared.as_deref().map(|t| &t.calls);
        cached(shared, &mut self.own.calls, text, intrinsics::parse)
    }
}

/// A text's parse from the plan's table, else from this run's own (parsed and kept on first use).
fn cached<T, E>(
    shared: Option<&FxMap<Arc<T>>>,
    own: &mut FxMap<Arc<T>>,
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Arc<T>, E> {
    if let Some(x) = shared.and_then(|m| m.get(text)).or_else(|| own.get(text)) {
        return Ok(x.clone());
    }
    let x = Arc::new(parse(text)?);
    if own.len() < MAX_ENTRIES {
        own.insert(text.into(), x.clone());
    }
    Ok(x)
}

/// A field of a definition object (a state, a rule, a retrier): a linear scan, which beats hashing the key for
/// the few fields such objects have.
pub(crate) fn field<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    let Value::Object(o) = v else {
        return None;
    };
    if o.len() <= 16 {
        o.iter().find(|(k, _)| k.as_str() == key).map(|(_, x)| x)
    } else {
        o.get(key)
    }
}
