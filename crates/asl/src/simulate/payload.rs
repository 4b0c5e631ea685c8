//! Payload helpers: JSON text as AWS writes it in histories, payload sizes, ResultPath merging, Jayway's
//! messages for missing paths, and CSV items for ItemReader.

use crate::jsonpath::{JsonPath, Segment, Selector, set_at};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Compact JSON text (AWS stores inputs and outputs as strings).
pub fn text(v: &Value) -> String {
    match text_within(v, MAX_DEPTH) {
        Some(t) => t,
        None => serde_json::to_string(v).unwrap_or_default(),
    }
}

/// Compact JSON text, shared (history events keep it; the next state's entry reuses it).
pub fn shared_text(v: &Value) -> Arc<str> {
    Arc::from(text(v))
}

/// The compact JSON text serde_json writes, byte for byte, written in one pass that also enforces a nesting
/// limit: `None` when a value has more than `max_depth` enclosing arrays/objects (see [`depth`]).
pub fn text_within(v: &Value, max_depth: usize) -> Option<String> {
    let mut out = Vec::with_capacity(128);
    if !write_value(&mut out, v, 0, max_depth) {
        return None;
    }
    // Only whole UTF-8 strings and ASCII were written.
    String::from_utf8(out).ok()
}

/// The byte length of the text [`text_within`] would write (`None` past the same nesting limit), counted
/// without writing it.
pub fn size_within(v: &Value, max_depth: usize) -> Option<usize> {
    size_and_depth(v, max_depth).map(|(n, _)| n)
}

/// [`size_within`] and the value's nesting depth (see [`depth`]).
pub fn size_and_depth(v: &Value, max_depth: usize) -> Option<(usize, usize)> {
    let mut deepest = 0;
    size_rec(v, 0, max_depth, &mut deepest).map(|n| (n, deepest))
}

fn size_rec(v: &Value, depth: usize, max: usize, deepest: &mut usize) -> Option<usize> {
    if depth > max {
        return None;
    }
    *deepest = (*deepest).max(depth);
    Some(match v {
        Value::Null => 4,
        Value::Bool(b) => 4 + usize::from(!*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => digits(u),
            (None, Some(i)) => 1 + digits(i.unsigned_abs()),
            _ => {
                let mut c = Count(0);
                c.write_display(n);
                c.0
            }
        },
        Value::String(s) => str_size(s),
        Value::Array(a) => {
            let mut n = 2 + a.len().saturating_sub(1);
            for x in a {
                n += size_rec(x, depth + 1, max, deepest)?;
            }
            n
        }
        Value::Object(o) => {
            // braces, commas, and a colon per member
            let mut n = 2 + o.len().saturating_sub(1) + o.len();
            for (k, x) in o {
                n += str_size(k) + size_rec(x, depth + 1, max, deepest)?;
            }
            n
        }
    })
}

/// Decimal digits of `u`.
fn digits(u: u64) -> usize {
    u.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// The length of a string's JSON text, quotes and escapes included, as [`write_str`] writes it.
fn str_size(s: &str) -> usize {
    let bytes = s.as_bytes();
    // A count the compiler vectorises; most strings have nothing to escape.
    if bytes.iter().filter(|&&b| needs_escape(b)).count() == 0 {
        return bytes.len() + 2;
    }
    let mut c = Count(0);
    write_str(&mut c, s);
    c.0
}

/// Where [`write_value`] puts its bytes: a buffer, or a counter of them.
trait Sink {
    fn push(&mut self, b: u8);
    fn extend_from_slice(&mut self, s: &[u8]);
    fn reserve(&mut self, n: usize);
    fn write_display(&mut self, x: &dyn std::fmt::Display);
}

impl Sink for Vec<u8> {
    #[inline]
    fn push(&mut self, b: u8) {
        Vec::push(self, b);
    }
    #[inline]
    fn extend_from_slice(&mut self, s: &[u8]) {
        Vec::extend_from_slice(self, s);
    }
    #[inline]
    fn reserve(&mut self, n: usize) {
        Vec::reserve(self, n);
    }
    fn write_display(&mut self, x: &dyn std::fmt::Display) {
        use std::io::Write;
        let _ = write!(self, "{x}");
    }
}

/// A [`Sink`] that only counts.
struct Count(usize);

impl Sink for Count {
    #[inline]
    fn push(&mut self, _: u8) {
        self.0 += 1;
    }
    #[inline]
    fn extend_from_slice(&mut self, s: &[u8]) {
        self.0 += s.len();
    }
    #[inline]
    fn reserve(&mut self, _: usize) {}
    fn write_display(&mut self, x: &dyn std::fmt::Display) {
        use std::fmt::Write;
        struct Len<'a>(&'a mut usize);
        impl Write for Len<'_> {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                *self.0 += s.len();
                Ok(())
            }
        }
        let _ = write!(Len(&mut self.0), "{x}");
    }
}

fn write_value(out: &mut impl Sink, v: &Value, depth: usize, max: usize) -> bool {
    if depth > max {
        return false;
    }
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_str(out, s),
        Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                if !write_value(out, x, depth + 1, max) {
                    return false;
                }
            }
            out.push(b']');
        }
        Value::Object(o) => {
            out.push(b'{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(out, k);
                out.push(b':');
                if !write_value(out, x, depth + 1, max) {
                    return false;
                }
            }
            out.push(b'}');
        }
    }
    true
}

fn write_number(out: &mut impl Sink, n: &serde_json::Number) {
    if let Some(u) = n.as_u64() {
        write_u64(out, u);
    } else if let Some(i) = n.as_i64() {
        out.push(b'-');
        write_u64(out, i.unsigned_abs());
    } else {
        // Floats: serde_json's Display is its serialisation (ryu's shortest round-trip form).
        out.write_display(n);
    }
}

fn write_u64(out: &mut impl Sink, mut u: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (u % 10) as u8;
        }
        u /= 10;
        if u == 0 || i == 0 {
            break;
        }
    }
    out.extend_from_slice(buf.get(i..).unwrap_or(&[]));
}

/// Bytes a JSON string escapes: control characters, `"` and `\\`.
const fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any byte needs an escape, eight bytes at a time (the strings of a payload are mostly plain).
fn any_needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero: the classic "has zero byte" test (exact for the first zero byte, and any
    // false positive above it only occurs when there is a true one, which is all this needs).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        // bytes below 0x20 (their high bit clear and below 0x20), '"' (0x22) and '\\' (0x5c)
        let below = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
        if below | zero(x ^ (ONES * 0x22)) | zero(x ^ (ONES * 0x5c)) != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| needs_escape(b))
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, `\b \f \n \r \t`, other control characters as
/// `\u00xx`; everything else (including non-ASCII) as is.
fn write_str(out: &mut impl Sink, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Most strings (keys especially) need no escape: one copy.
    if !any_needs_escape(bytes) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !needs_escape(b) {
            continue;
        }
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            _ => b"",
        };
        out.extend_from_slice(bytes.get(start..i).unwrap_or(&[]));
        if esc.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or(&[]));
    out.push(b'"');
}

/// Size in bytes of the UTF-8 JSON text, counted without building the text.
pub fn size(v: &Value) -> usize {
    if let Some(n) = size_within(v, MAX_DEPTH) {
        return n;
    }
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut n = Count(0);
    match serde_json::to_writer(&mut n, v) {
        Ok(()) => n.0,
        Err(_) => text(v).len(),
    }
}

/// Nesting depth of a value (a scalar is 0), computed without recursion.
pub fn depth(v: &Value) -> usize {
    let mut max = 0;
    let mut stack = vec![(v, 0usize)];
    while let Some((x, d)) = stack.pop() {
        max = max.max(d);
        match x {
            Value::Array(a) => stack.extend(a.iter().map(|y| (y, d + 1))),
            Value::Object(o) => stack.extend(o.values().map(|y| (y, d + 1))),
            _ => {}
        }
    }
    max
}

/// Drop a value without recursion (serde_json drops nested values recursively, which a very deep value
/// would turn into a stack overflow).
pub fn dismantle(v: Value) {
    let mut stack = vec![v];
    while let Some(x) = stack.pop() {
        match x {
            Value::Array(a) => stack.extend(a),
            Value::Object(o) => stack.extend(o.into_iter().map(|(_, y)| y)),
            _ => {}
        }
    }
}

/// Deepest payload nesting Statewright accepts: every payload must survive a round trip through a JSON text
/// (serde_json reads at most 128 levels), and serialising stays well within a small wasm stack.
pub const MAX_DEPTH: usize = 100;

/// ResultPath: put `result` at `path` inside `target` (a copy of the state's raw input).
pub fn set_result(target: &mut Value, path: &JsonPath, result: Value) -> Result<(), String> {
    set_at(target, path, result)
}

/// Whether [`set_result`] would succeed, decided without changing `target` (it may create objects on the
/// way before it fails, and the failure message shows the target as it was).
pub fn can_set(target: &Value, path: &JsonPath) -> bool {
    if !path.is_reference_path() {
        return false;
    }
    // `None`: an object `set_at` creates on the way.
    let mut cur = Some(target);
    let n = path.segments.len();
    for (i, seg) in path.segments.iter().enumerate() {
        let last = i + 1 == n;
        match seg {
            Segment::Child(Selector::Name(name)) => {
                let obj = match cur {
                    None | Some(Value::Null) => None,
                    Some(Value::Object(o)) => Some(o),
                    Some(_) => return false,
                };
                if last {
                    return true;
                }
                cur = obj.and_then(|o| o.get(name.as_str()));
            }
            Segment::Child(Selector::Index(idx)) => {
                let Some(Value::Array(a)) = cur else {
                    return false;
                };
                let len = a.len() as i64;
                let j = if *idx < 0 { len + idx } else { *idx };
                let Some(slot) = usize::try_from(j).ok().and_then(|j| a.get(j)) else {
                    return false;
                };
                if last {
                    return true;
                }
                cur = Some(slot);
            }
            _ => return false,
        }
    }
    true
}

/// Jayway's message for a definite path that selects nothing: `No results for path: $['a']` when only the
/// last step is missing, `Missing property in path $['a']` when an earlier step is.
pub fn missing_message(path: &JsonPath, root: &Value) -> String {
    let mut cur = root;
    for (i, seg) in path.segments.iter().enumerate() {
        let next = match seg {
            Segment::Child(Selector::Name(n)) => cur.get(n.as_str()),
            Segment::Child(Selector::Index(k)) => cur.as_array().and_then(|a| {
                let len = a.len() as i64;
                let j = if *k < 0 { len + k } else { *k };
                usize::try_from(j).ok().and_then(|j| a.get(j))
            }),
            _ => return format!("No results for path: {}", path.normalized()),
        };
        match next {
            Some(v) => cur = v,
            None => {
                if i + 1 == path.segments.len() {
                    return format!("No results for path: {}", path.normalized());
                }
                return format!(
                    "Missing property in path {}",
                    path.prefix(i + 1).normalized()
                );
            }
        }
    }
    format!("No results for path: {}", path.normalized())
}

/// Parse CSV text into objects keyed by the header (first row, or `given` headers).
pub fn csv_items(text: &str, header_first: bool, given: Option<Vec<String>>) -> Vec<Value> {
    let mut rows = parse_csv(text).into_iter();
    let headers = if header_first {
        rows.next().unwrap_or_default()
    } else {
        given.unwrap_or_default()
    };
    rows.map(|row| {
        let mut m = Map::new();
        for (i, cell) in row.into_iter().enumerate() {
            let key = headers.get(i).cloned().unwrap_or_else(|| format!("{i}"));
            m.insert(key, Value::String(cell));
        }
        Value::Object(m)
    })
    .collect()
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut cell)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            c => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonpath::parse;
    use serde_json::json;

    #[test]
    fn missing_messages_follow_jayway() {
        let doc = json!({"a": {}});
        assert_eq!(
            missing_message(&parse("$.NoSuch").unwrap(), &doc),
            "No results for path: $['NoSuch']"
        );
        assert_eq!(
            missing_message(&parse("$.no.such.path").unwrap(), &doc),
            "Missing property in path $['no']"
        );
    }

    #[test]
    fn text_is_serde_jsons_text() {
        let tricky = json!({
            "q\"uote": "a\"b\\c/d\u{8}\u{c}\n\r\t\u{0}\u{1f}\u{7f}é✓😀",
            "n": [0, 1, -1, u64::MAX, i64::MIN, 1.5, -0.0, 1.0, 1e300, 2.5e-8, 123456789.125],
            "b": [true, false, null],
            "o": {"": {}, "x": [[], [{}]]}
        });
        assert_eq!(text(&tricky), serde_json::to_string(&tricky).unwrap());
        assert_eq!(size(&tricky), serde_json::to_string(&tricky).unwrap().len());
        let d = depth(&tricky);
        assert_eq!(size_and_depth(&tricky, d), Some((text(&tricky).len(), d)));
        assert_eq!(size_within(&tricky, d), Some(text(&tricky).len()));
        assert_eq!(size_within(&tricky, d - 1), None);
        assert_eq!(size_within(&json!([[1]]), 1), None);
        assert_eq!(size_within(&json!([[1]]), 2), Some(5));
        assert_eq!(text_within(&json!([[1]]), 1), None);
        assert_eq!(text_within(&json!([[1]]), 2).as_deref(), Some("[[1]]"));
        assert_eq!(text_within(&json!([[]]), 1).as_deref(), Some("[[]]"));
        for v in [json!([[1]]), json!([[]]), json!({"a": [1, {"b": 2}]})] {
            let d = depth(&v);
            assert!(text_within(&v, d).is_some() && (d == 0 || text_within(&v, d - 1).is_none()));
        }
    }

    fn json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            ".{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(5, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec((".{0,6}", inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Sizes counted without writing are the written texts' lengths, and the depth is [`depth`].
        #[test]
        fn sizes_are_the_texts_lengths(v in json()) {
            let d = depth(&v);
            proptest::prop_assert_eq!(size_and_depth(&v, MAX_DEPTH), Some((text(&v).len(), d)));
            proptest::prop_assert_eq!(size(&v), serde_json::to_string(&v).unwrap_or_default().len());
            if d > 0 {
                proptest::prop_assert_eq!(size_within(&v, d - 1), None);
            }
        }
    }

    #[test]
    fn escape_scan_finds_every_byte_that_needs_one() {
        for len in 0..20 {
            for at in 0..len {
                for b in 0u8..=255 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    assert_eq!(
                        any_needs_escape(&bytes),
                        needs_escape(b),
                        "{b:#x} at {at} of {len}"
                    );
                }
            }
        }
        assert!(!any_needs_escape(
            "é✓😀 plain text with ~ and \u{7f}\u{80}".as_bytes()
        ));
    }

    #[test]
    fn depth_counts_nesting() {
        assert_eq!(depth(&json!(1)), 0);
        assert_eq!(depth(&json!({"a": [1, {"b": []}]})), 3);
    }

    #[test]
    fn csv_with_quotes() {
        let items = csv_items("a,b\n1,\"x,y\"\n2,\"say \"\"hi\"\"\"\n", true, None);
        assert_eq!(
            items,
            vec![
                json!({"a": "1", "b": "x,y"}),
                json!({"a": "2", "b": "say \"hi\""})
            ]
        );
    }
}
