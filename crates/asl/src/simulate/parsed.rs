//! Parse-once caches for a run: every JSONPath and intrinsic call text in a definition is parsed the first
//! time it is evaluated and reused afterwards (a loop evaluates the same few texts thousands of times).

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
    paths: FxMap<Arc<JsonPath>>,
    calls: FxMap<Arc<Intrinsic>>,
}

/// Texts kept at most (a bound on memory for generated definitions; past it, texts are parsed each time).
const MAX_ENTRIES: usize = 4096;

impl Parsed {
    pub(crate) fn path(&mut self, text: &str) -> Result<Arc<JsonPath>, PathError> {
        if let Some(p) = self.paths.get(text) {
            return Ok(p.clone());
        }
        let p = Arc::new(jsonpath::parse(text)?);
        if self.paths.len() < MAX_ENTRIES {
            self.paths.insert(text.into(), p.clone());
        }
        Ok(p)
    }

    pub(crate) fn call(&mut self, text: &str) -> Result<Arc<Intrinsic>, IntrinsicError> {
        if let Some(c) = self.calls.get(text) {
            return Ok(c.clone());
        }
        let c = Arc::new(intrinsics::parse(text)?);
        if self.calls.len() < MAX_ENTRIES {
            self.calls.insert(text.into(), c.clone());
        }
        Ok(c)
    }
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
