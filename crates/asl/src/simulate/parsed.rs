//! Parse-once caches: every JSONPath and intrinsic call text in a definition is parsed the first time a run
//! evaluates it and reused afterwards (a loop evaluates the same few texts thousands of times), or up front
//! for every run of a [`super::Plan`]. Payload templates (Parameters, ResultSelector, ItemSelector, Assign)
//! are compiled once per run or plan into [`Tpl`]s, found by their address in the definition.

use crate::intrinsics::{self, Intrinsic, IntrinsicError};
use crate::jsonpath::{self, JsonPath, PathError};
use serde_json::{Map, Value};
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

/// Parsed texts by text, and compiled templates by address.
#[derive(Default)]
pub(crate) struct Table {
    paths: FxMap<Arc<JsonPath>>,
    calls: FxMap<Arc<Intrinsic>>,
    /// The definition's payload templates by the address of their value in it. Only values of the
    /// definition the table was built from are in it, and that definition outlives every run that uses
    /// the table unchanged (a run borrows it; a plan owns it): an address found here is that template.
    templates: HashMap<usize, Tpl, jsonata::FxBuild>,
    /// The definition's path texts by their address and length in it (as [`Self::templates`]): a path read
    /// often (a Choice's Variable in a loop) is found without hashing its text.
    paths_at: HashMap<(usize, usize), Arc<JsonPath>, jsonata::FxBuild>,
    /// The states' names, shared (every event of a state names it), by the address of the state's value.
    names: HashMap<usize, Arc<str>, jsonata::FxBuild>,
}

/// A JSONPath payload template compiled: what `Engine::template` evaluates, with every `.$` value parsed.
/// Only templates that compile whole (every `.$` value a text that parses, nesting within the limit) are
/// kept; the others are evaluated from the definition, which reports their errors.
#[derive(Debug)]
pub(crate) enum Tpl {
    /// A part without `.$` keys: copied as it is.
    Lit(Value),
    /// An object: its output keys (`.$` stripped, all different) with null values, in order (copying it
    /// copies its hash table, where inserting key by key would hash every key again), and the templates of
    /// its values in the same order.
    Object(Map<String, Value>, Box<[Tpl]>),
    Array(Box<[Tpl]>),
    /// A `.$` path: the text as written (for messages) and the key it came from.
    Path {
        path: Arc<JsonPath>,
        expr: Box<str>,
        key: Box<str>,
    },
    /// A `.$` intrinsic call and its text as written.
    Call {
        call: Arc<Intrinsic>,
        expr: Box<str>,
    },
}

/// The deepest template `Engine::template` evaluates (deeper ones are a runtime error).
pub(crate) const MAX_TEMPLATE_DEPTH: usize = 128;

/// Fields whose object value is a JSONPath payload template.
const TEMPLATE_FIELDS: [&str; 4] = ["Parameters", "ResultSelector", "ItemSelector", "Assign"];

impl Tpl {
    fn compile(v: &Value, depth: usize) -> Option<Tpl> {
        if depth > MAX_TEMPLATE_DEPTH {
            return None;
        }
        match v {
            Value::Object(m) => {
                let mut keys = Map::with_capacity(m.len());
                let mut entries = Vec::with_capacity(m.len());
                let mut literal = true;
                for (k, x) in m {
                    if let Some(key) = k.strip_suffix(".$") {
                        let Value::String(expr) = x else {
                            return None;
                        };
                        let trimmed = expr.trim();
                        let t = if intrinsics::looks_like_call(trimmed) {
                            Tpl::Call {
                                call: Arc::new(intrinsics::parse(trimmed).ok()?),
                                expr: expr.as_str().into(),
                            }
                        } else {
                            Tpl::Path {
                                path: Arc::new(jsonpath::parse(trimmed).ok()?),
                                expr: expr.as_str().into(),
                                key: k.as_str().into(),
                            }
                        };
                        literal = false;
                        // `a` and `a.$` side by side: left to the evaluation from the definition.
                        if keys.insert(key.to_string(), Value::Null).is_some() {
                            return None;
                        }
                        entries.push(t);
                    } else {
                        let t = Tpl::compile(x, depth + 1)?;
                        literal &= matches!(t, Tpl::Lit(_));
                        if keys.insert(k.clone(), Value::Null).is_some() {
                            return None;
                        }
                        entries.push(t);
                    }
                }
                Some(if literal {
                    Tpl::Lit(v.clone())
                } else {
                    Tpl::Object(keys, entries.into())
                })
            }
            Value::Array(a) => {
                let items = a
                    .iter()
                    .map(|x| Tpl::compile(x, depth + 1))
                    .collect::<Option<Vec<_>>>()?;
                Some(if items.iter().all(|t| matches!(t, Tpl::Lit(_))) {
                    Tpl::Lit(v.clone())
                } else {
                    Tpl::Array(items.into())
                })
            }
            other => Some(Tpl::Lit(other.clone())),
        }
    }
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
                    if let Some(Value::Object(states)) = o.get("States") {
                        for (name, state) in states {
                            t.names.insert(
                                std::ptr::from_ref(state) as usize,
                                Arc::from(name.as_str()),
                            );
                        }
                    }
                    for (k, x) in o {
                        if x.is_object()
                            && TEMPLATE_FIELDS.contains(&k.as_str())
                            && let Some(tpl) = Tpl::compile(x, 0)
                        {
                            t.templates.insert(std::ptr::from_ref(x) as usize, tpl);
                        }
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

    /// The compiled form of a template of the definition this table was built from.
    pub(crate) fn template(&self, v: &Value) -> Option<&Tpl> {
        self.templates.get(&(std::ptr::from_ref(v) as usize))
    }

    /// The shared name of a state of the definition this table was built from (`name` is what the caller
    /// knows it as).
    pub(crate) fn state_name(&self, state: &Value, name: &str) -> Option<Arc<str>> {
        self.names
            .get(&(std::ptr::from_ref(state) as usize))
            .filter(|n| ***n == *name)
            .cloned()
    }

    /// The parsed path of a text of the definition this table was built from, found by the text's address.
    pub(crate) fn path_at(&self, text: &str) -> Option<&JsonPath> {
        self.paths_at
            .get(&(text.as_ptr() as usize, text.len()))
            .map(|p| &**p)
    }

    /// Parse a text of the definition (`text` borrows it: its address is kept too).
    fn add(&mut self, text: &str) {
        if intrinsics::looks_like_call(text) {
            if !self.calls.contains_key(text)
                && let Ok(c) = intrinsics::parse(text)
            {
                self.calls.insert(text.into(), Arc::new(c));
            }
            return;
        }
        let parsed = match self.paths.get(text) {
            Some(p) => Some(p.clone()),
            None => jsonpath::parse(text).ok().map(|p| {
                let p = Arc::new(p);
                self.paths.insert(text.into(), p.clone());
                p
            }),
        };
        if let Some(p) = parsed {
            self.paths_at
                .insert((text.as_ptr() as usize, text.len()), p);
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

    /// The table built before the run (with the definition's compiled templates), if any.
    pub(crate) fn table(&self) -> Option<&Arc<Table>> {
        self.shared.as_ref()
    }

    /// Lend the table out (no reference count touched), e.g. while evaluating one of its templates needs
    /// the engine mutably; [`Self::put_table`] gives it back.
    pub(crate) fn take_table(&mut self) -> Option<Arc<Table>> {
        self.shared.take()
    }

    pub(crate) fn put_table(&mut self, table: Option<Arc<Table>>) {
        self.shared = table;
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
        o.iter().find(|(k, _)| same_key(k, key)).map(|(_, x)| x)
    } else {
        o.get(key)
    }
}

/// `a == b`, ruling most different keys out by length and first byte before comparing the rest (field
/// names mostly differ there, and a call to compare memory costs more than the whole test).
#[inline]
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}
