//! Parse-once caches for a run: every JSONPath and intrinsic call text in a definition is parsed the first
//! time it is evaluated and reused afterwards (a loop evaluates the same few texts thousands of times).

use crate::intrinsics::{self, Intrinsic, IntrinsicError};
use crate::jsonpath::{self, JsonPath, PathError};
use serde_json::Value;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

/// FxHash: the keys are short texts from the user's own definition, so flooding resistance is not needed.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxMap<V> = HashMap<Box<str>, V, BuildHasherDefault<Fx>>;

/// Parsed paths and intrinsic calls by their text. Failures are not cached (they end the run).
#[derive(Default)]
pub(crate) struct Parsed {
    paths: FxMap<Rc<JsonPath>>,
    calls: FxMap<Rc<Intrinsic>>,
}

/// Texts kept at most (a bound on memory for generated definitions; past it, texts are parsed each time).
const MAX_ENTRIES: usize = 4096;

impl Parsed {
    pub(crate) fn path(&mut self, text: &str) -> Result<Rc<JsonPath>, PathError> {
        if let Some(p) = self.paths.get(text) {
            return Ok(p.clone());
        }
        let p = Rc::new(jsonpath::parse(text)?);
        if self.paths.len() < MAX_ENTRIES {
            self.paths.insert(text.into(), p.clone());
        }
        Ok(p)
    }

    pub(crate) fn call(&mut self, text: &str) -> Result<Rc<Intrinsic>, IntrinsicError> {
        if let Some(c) = self.calls.get(text) {
            return Ok(c.clone());
        }
        let c = Rc::new(intrinsics::parse(text)?);
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
