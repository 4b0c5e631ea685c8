//! JSONPath, reference paths, payload templates (`.$` keys), intrinsic function calls, and the
//! warnings AWS gives for paths that will not be evaluated (NO_DOLLAR, NO_PATH, PASS_RESULT_IS_STATIC).

use super::{Ctx, Path, index, key};
use crate::syntax::{Node, NodeKind, PathSeg};

use crate::intrinsics::{self, Arg, Function, Intrinsic};
use crate::jsonpath::{self, Root, Segment, Selector};

/// Syntax of a JSONPath as ASL accepts it (parsed by [`crate::jsonpath`]): `Some(true)` for a
/// reference path (names and indexes only), `Some(false)` for any other valid path, `None` when
/// invalid. `$` (input), `$$` (context object) and `$name` (variable) roots are accepted.
pub fn path_kind(s: &str) -> Option<bool> {
    if is_simple_reference(s) {
        return Some(true);
    }
    match jsonpath::parse(s) {
        Ok(path) if path.root == Root::Current => None,
        Ok(path) => Some(
            path.segments
                .iter()
                .all(|seg| matches!(seg, Segment::Child(Selector::Name(_) | Selector::Index(_)))),
        ),
        // AWS evaluates paths with Jayway, which reads a few forms our parser does not: accept
        // them when they are structurally sound, so a definition AWS takes is never refused.
        Err(_) => lenient_path_kind(s).filter(|reference| !reference),
    }
}

/// The common case without a parse: `$`, `$$` or `$name`, then `.name` steps of ASCII letters, digits
/// and `_` only. Every such string is a reference path for [`crate::jsonpath::parse`] too (a name of
/// these characters never stops early nor reads as a function call), so the verdict is the same.
fn is_simple_reference(s: &str) -> bool {
    let b = s.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    if b.first() != Some(&b'$') {
        return false;
    }
    let mut i = 1;
    if b.get(1) == Some(&b'$') {
        i = 2;
    } else {
        while b.get(i).is_some_and(|&c| word(c)) {
            i += 1;
        }
    }
    while i < b.len() {
        if b[i] != b'.' {
            return false;
        }
        i += 1;
        let start = i;
        while b.get(i).is_some_and(|&c| word(c)) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    true
}

/// A lenient structural reading of a path, for the Jayway forms [`crate::jsonpath`] does not parse
/// (script expressions `[(@.length-1)]`, bare words in filters): `Some(true)` for a reference path (single node, no
/// wildcards/filters/slices), `Some(false)` for any other valid path, `None` when invalid.
/// `$` (input), `$$` (context object) and `$name` (variable) roots are accepted.
fn lenient_path_kind(s: &str) -> Option<bool> {
    let rest = if let Some(r) = s.strip_prefix("$$") {
        r
    } else if let Some(r) = s.strip_prefix('$') {
        let n = r
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(r.len(), |(i, _)| i);
        r.get(n..)?
    } else {
        return None;
    };
    let b = rest.as_bytes();
    let mut i = 0;
    let mut reference = true;
    while i < b.len() {
        match b[i] {
            b'.' => {
                i += 1;
                if b.get(i) == Some(&b'.') {
                    reference = false;
                    i += 1;
                }
                if b.get(i) == Some(&b'*') {
                    reference = false;
                    i += 1;
                    continue;
                }
                if b.get(i) == Some(&b'[') {
                    // `$.[0]`, `$.[?(...)]`: Jayway reads the dot as nothing.
                    continue;
                }
                let start = i;
                while i < b.len() && !matches!(b[i], b'.' | b'[') {
                    if matches!(b[i], b' ' | b'\'' | b'"' | b']' | b'\t' | b'\n') {
                        return None;
                    }
                    i += 1;
                }
                if i == start {
                    return None;
                }
                let name = rest.get(start..i)?;
                if name.ends_with("()") {
                    reference = false;
                }
            }
            b'[' => {
                let close = find_bracket_end(b, i)?;
                let inner = rest.get(i + 1..close)?.trim();
                if inner.is_empty() {
                    return None;
                }
                let quoted = (inner.starts_with('\'') && inner.ends_with('\'') && inner.len() >= 2)
                    || (inner.starts_with('"') && inner.ends_with('"') && inner.len() >= 2);
                if quoted || inner.bytes().all(|c| c.is_ascii_digit()) {
                    // a name or an index: still a reference
                } else if inner == "*"
                    || inner.starts_with('?')
                    || inner.starts_with('(')
                    || is_slice_or_union(inner)
                {
                    reference = false;
                } else {
                    return None;
                }
                i = close + 1;
            }
            _ => return None,
        }
    }
    Some(reference)
}

fn is_slice_or_union(inner: &str) -> bool {
    inner.contains([':', ','])
        && inner.bytes().all(|c| {
            c.is_ascii_digit()
                || matches!(c, b':' | b',' | b'-' | b' ' | b'\'' | b'"')
                || c.is_ascii_alphanumeric()
                || c == b'_'
        })
        || inner
            .strip_prefix('-')
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()))
}

fn find_bracket_end(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = open;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 1;
            } else if c == q {
                quote = None;
            }
        } else {
            match c {
                b'\'' | b'"' => quote = Some(c),
                b'[' | b'(' => depth += 1,
                b']' | b')' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 && c == b']' {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// Whether `s` is a syntactically valid JSONPath (any kind).
pub fn is_path(s: &str) -> bool {
    path_kind(s).is_some()
}

/// Whether `s` is a valid reference path.
pub fn is_reference_path(s: &str) -> bool {
    path_kind(s) == Some(true)
}

/// Whether `s` is a well-formed intrinsic function call ([`crate::intrinsics`] checks names,
/// arity, literals, paths and nesting), with literal arguments of a type the function takes.
pub fn is_intrinsic(s: &str) -> bool {
    match intrinsics::parse(s) {
        Ok(call) => literal_types_ok(&call, 0),
        Err(_) => lenient_intrinsic(s),
    }
}

/// String literals where only numbers (or paths) can work, a number as the Format template.
fn literal_types_ok(call: &Intrinsic, depth: usize) -> bool {
    if depth > intrinsics::MAX_NESTING {
        return false;
    }
    let numeric = matches!(
        call.function,
        Function::MathAdd | Function::MathRandom | Function::ArrayRange
    );
    if numeric && call.args.iter().any(|a| matches!(a, Arg::String { .. })) {
        return false;
    }
    if call.function == Function::Format && matches!(call.args.first(), Some(Arg::Number(_))) {
        return false;
    }
    call.args.iter().all(|a| match a {
        Arg::Call(inner) => literal_types_ok(inner, depth + 1),
        Arg::String { raw, .. } => escapes_ok(raw),
        _ => true,
    })
}

/// AWS accepts only `\'`, `\{`, `\}` and `\\` inside an intrinsic's string literal (a `\"` makes
/// the definition invalid: recorded in localstack/invalid-definitions).
fn escapes_ok(raw: &str) -> bool {
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' && !matches!(chars.next(), Some('\'' | '{' | '}' | '\\')) {
            return false;
        }
    }
    true
}

/// Intrinsic functions and their argument counts (min, max).
const INTRINSICS: &[(&str, usize, usize)] = &[
    ("States.Format", 1, usize::MAX),
    ("States.StringToJson", 1, 1),
    ("States.JsonToString", 1, 1),
    ("States.Array", 0, usize::MAX),
    ("States.ArrayPartition", 2, 2),
    ("States.ArrayContains", 2, 2),
    ("States.ArrayRange", 3, 3),
    ("States.ArrayGetItem", 2, 2),
    ("States.ArrayLength", 1, 1),
    ("States.ArrayUnique", 1, 1),
    ("States.Base64Encode", 1, 1),
    ("States.Base64Decode", 1, 1),
    ("States.Hash", 2, 2),
    ("States.JsonMerge", 3, 3),
    ("States.MathRandom", 2, 3),
    ("States.MathAdd", 2, 2),
    ("States.StringSplit", 2, 2),
    ("States.UUID", 0, 0),
];

#[derive(Debug, PartialEq)]
enum LiteralKind {
    Str,
    Num,
    Other,
}

/// A lenient structural reading of an intrinsic call, for calls whose path arguments use Jayway
/// forms [`crate::jsonpath`] does not parse (names, arity and literal syntax are still checked).
fn lenient_intrinsic(s: &str) -> bool {
    let mut p = IntrinsicParser {
        b: s.trim().as_bytes(),
        s: s.trim(),
        i: 0,
        depth: 0,
    };
    p.call().is_some() && p.i == p.b.len()
}

struct IntrinsicParser<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
    depth: usize,
}

impl IntrinsicParser<'_> {
    fn ws(&mut self) {
        while self.b.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn call(&mut self) -> Option<()> {
        self.depth += 1;
        if self.depth > 32 {
            return None;
        }
        let start = self.i;
        while self
            .b
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.')
        {
            self.i += 1;
        }
        let name = self.s.get(start..self.i)?;
        let &(_, min, max) = INTRINSICS.iter().find(|(n, _, _)| *n == name)?;
        if self.b.get(self.i) != Some(&b'(') {
            return None;
        }
        self.i += 1;
        let mut args = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b')') {
            self.i += 1;
        } else {
            loop {
                self.ws();
                args.push(self.arg()?);
                self.ws();
                match self.b.get(self.i) {
                    Some(b',') => self.i += 1,
                    Some(b')') => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        if args.len() < min || args.len() > max {
            return None;
        }
        // Literal types the service rejects up front.
        let numeric_only = matches!(
            name,
            "States.MathAdd" | "States.MathRandom" | "States.ArrayRange"
        );
        if numeric_only && args.contains(&LiteralKind::Str) {
            return None;
        }
        if name == "States.Format" && args.first() == Some(&LiteralKind::Num) {
            return None;
        }
        self.depth -= 1;
        Some(())
    }

    fn arg(&mut self) -> Option<LiteralKind> {
        match self.b.get(self.i)? {
            b'\'' => {
                self.i += 1;
                loop {
                    match self.b.get(self.i)? {
                        b'\\' => {
                            let next = *self.b.get(self.i + 1)?;
                            if !matches!(next, b'\'' | b'{' | b'}' | b'\\') {
                                return None;
                            }
                            self.i += 2;
                        }
                        b'\'' => {
                            self.i += 1;
                            return Some(LiteralKind::Str);
                        }
                        _ => self.i += 1,
                    }
                }
            }
            b'$' => {
                let start = self.i;
                let end = self.path_end();
                self.i = end;
                is_path(self.s.get(start..end)?.trim()).then_some(LiteralKind::Other)
            }
            b'-' | b'0'..=b'9' => {
                let start = self.i;
                self.i += 1;
                while self.b.get(self.i).is_some_and(|c| {
                    c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'-' | b'+')
                }) {
                    self.i += 1;
                }
                self.s.get(start..self.i)?.parse::<f64>().ok()?;
                Some(LiteralKind::Num)
            }
            b'S' => self.call().map(|()| LiteralKind::Other),
            _ => {
                for lit in ["true", "false", "null"] {
                    if self.s.get(self.i..)?.starts_with(lit) {
                        self.i += lit.len();
                        return Some(LiteralKind::Other);
                    }
                }
                None
            }
        }
    }

    /// End of a path argument: the next `,` or `)` outside brackets and quotes.
    fn path_end(&self) -> usize {
        let mut depth = 0usize;
        let mut quote = None;
        let mut i = self.i;
        while let Some(&c) = self.b.get(i) {
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
            } else {
                match c {
                    b'\'' | b'"' => quote = Some(c),
                    b'[' | b'(' => depth += 1,
                    b']' => depth = depth.saturating_sub(1),
                    b')' if depth == 0 => return i,
                    b')' => depth -= 1,
                    b',' if depth == 0 => return i,
                    _ => {}
                }
            }
            i += 1;
        }
        i
    }
}

/// A path-valued field of a state (InputPath, ResultPath, SecondsPath, ...).
pub fn check_path_field(
    ctx: &mut Ctx,
    node: &Node,
    state_path: &Path,
    field: &str,
    reference: bool,
    nullable: bool,
) {
    if nullable && node.is_null() {
        return;
    }
    let Some(s) = node.as_str() else {
        ctx.schema(
            "Expected value of type [STRING]",
            &key(state_path, field),
            node,
        );
        return;
    };
    let ok = if reference {
        is_reference_path(s)
    } else {
        is_path(s)
    };
    if !ok {
        let what = if reference {
            "ReferencePath"
        } else {
            "JSONPath"
        };
        ctx.schema(
            format!("The value for the field '{field}' must be a valid {what}"),
            state_path,
            node,
        );
    }
}

/// ResultPath: null, or a reference path into the state input (`$`, no variables, no context object).
pub fn check_result_path(ctx: &mut Ctx, node: &Node, state_path: &Path) {
    if let Some(s) = node.as_str()
        && !s.starts_with("$$")
        && (s == "$" || s.starts_with("$.") || s.starts_with("$["))
        && is_reference_path(s)
    {
        return;
    }
    if node.is_null() {
        return;
    }
    if node.as_str().is_none() {
        ctx.schema(
            "Expected value of type [STRING]",
            &key(state_path, "ResultPath"),
            node,
        );
        return;
    }
    ctx.schema(
        "The value for the field 'ResultPath' must be a valid ReferencePath",
        state_path,
        node,
    );
}

/// ErrorPath / CausePath: a reference path or an intrinsic function call.
pub fn check_path_or_intrinsic_field(ctx: &mut Ctx, node: &Node, state_path: &Path, field: &str) {
    let Some(s) = node.as_str() else {
        ctx.schema(
            "Expected value of type [STRING]",
            &key(state_path, field),
            node,
        );
        return;
    };
    if !(is_reference_path(s) || is_intrinsic(s)) {
        ctx.schema(
            format!("The value for the field '{field}' must be a valid ReferencePath or a valid intrinsic function call"),
            state_path,
            node,
        );
    }
}

fn looks_like_path(s: &str) -> bool {
    (s.starts_with("$.") || s.starts_with("$$.") || s.starts_with("$[") || s == "$") && is_path(s)
        || s.starts_with("States.") && is_intrinsic(s)
}

/// Check a payload template (Parameters, ResultSelector, ItemSelector, Assign, Credentials, ...):
/// `.$` keys hold a path or an intrinsic call, no key repeats once `.$` is stripped.
pub fn check_template(ctx: &mut Ctx, node: &Node, path: &Path) {
    match &node.kind {
        NodeKind::Object(members) => {
            for (i, m) in members.iter().enumerate() {
                let child = key(path, &m.key);
                if let Some(stripped) = m.key.strip_suffix(".$") {
                    let valid = m
                        .value
                        .as_str()
                        .is_some_and(|s| is_path(s) || is_intrinsic(s));
                    if !valid {
                        ctx.schema(
                            format!(
                                "The value for the field '{}' must be a valid JSONPath or a valid intrinsic function call",
                                m.key
                            ),
                            path,
                            &m.value,
                        );
                    }
                    if members.iter().enumerate().any(|(j, o)| {
                        j != i
                            && (o.key == stripped || o.key.strip_suffix(".$") == Some(stripped))
                            && j < i
                    }) {
                        ctx.schema(
                            format!(
                                "The field '{stripped}' is specified more than once (after removing the '.$' suffix from '{}')",
                                m.key
                            ),
                            path,
                            &m.value,
                        );
                    }
                } else {
                    if let Some(s) = m.value.as_str()
                        && looks_like_path(s)
                    {
                        ctx.warning(
                            "NO_DOLLAR",
                            format!(
                                "The value of the field '{}' looks like a JSONPath or an intrinsic function, but the field name does not end with '.$', so it is passed on as a literal string",
                                m.key
                            ),
                            &child,
                            &m.value,
                        );
                    }
                    if members
                        .iter()
                        .take(i)
                        .any(|o| o.key.strip_suffix(".$") == Some(&m.key))
                    {
                        ctx.schema(
                            format!(
                                "The field '{}' is specified more than once (after removing the '.$' suffix from '{}.$')",
                                m.key, m.key
                            ),
                            path,
                            &m.value,
                        );
                    }
                    check_template(ctx, &m.value, &child);
                }
            }
        }
        NodeKind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_template(ctx, item, &index(path, i));
            }
        }
        _ => {}
    }
}

/// Pass `Result` is static: `.$` keys and paths in it are never evaluated.
pub fn check_static_result(ctx: &mut Ctx, node: &Node, path: &Path) {
    // Only `.$` keys are reported: scan for one before building any paths (the usual Result has none).
    if has_dollar_key(node) {
        static_result_warnings(ctx, node, path);
    }
}

/// Whether any object key under `node` ends with `.$` (iterative: no recursion on user data).
fn has_dollar_key(node: &Node) -> bool {
    // Only containers go on the stack, so a flat Result allocates nothing.
    let is_container = |n: &&Node| n.is_object() || n.is_array();
    let mut stack = Vec::new();
    let mut next = Some(node);
    while let Some(n) = next.take().or_else(|| stack.pop()) {
        match &n.kind {
            NodeKind::Object(members) => {
                for m in members {
                    if m.key.ends_with(".$") {
                        return true;
                    }
                    if is_container(&&m.value) {
                        stack.push(&m.value);
                    }
                }
            }
            NodeKind::Array(items) => stack.extend(items.iter().filter(is_container)),
            _ => {}
        }
    }
    false
}

/// The PASS_RESULT_IS_STATIC warnings, in the order of a depth-first walk that visits an object's
/// members last to first (the order the warnings have always come in). Paths are owned here: this
/// runs only when there is something to report.
fn static_result_warnings(ctx: &mut Ctx, node: &Node, path: &Path) {
    let mut stack: Vec<(&Node, Vec<PathSeg>)> = vec![(node, path.segs())];
    while let Some((n, p)) = stack.pop() {
        match &n.kind {
            NodeKind::Object(members) => {
                for m in members {
                    let mut child = p.clone();
                    child.push(PathSeg::Key(m.key().to_string()));
                    if m.key.ends_with(".$") {
                        ctx.warning(
                            "PASS_RESULT_IS_STATIC",
                            format!(
                                "The Result of a Pass state is static: the field '{}' is not evaluated as a path; use Parameters to select from the input",
                                m.key
                            ),
                            &Path::Base(&child),
                            &m.value,
                        );
                    }
                    stack.push((&m.value, child));
                }
            }
            NodeKind::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut child = p.clone();
                    child.push(PathSeg::Index(i));
                    stack.push((item, child));
                }
            }
            _ => {}
        }
    }
}

/// NO_PATH: a plain field whose value looks like a path (it is used literally).
pub fn no_path_warning(ctx: &mut Ctx, node: &Node, path: &Path, field: &str) {
    if let Some(s) = node.as_str()
        && looks_like_path(s)
    {
        ctx.warning(
            "NO_PATH",
            format!(
                "The value of the field '{field}' looks like a path, but the field name does not end with 'Path', so it is used literally"
            ),
            path,
            node,
        );
    }
}

/// RFC 3339 date-time (`2016-03-14T01:59:00Z`, fractional seconds and offsets allowed).
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || !matches!(b[10], b'T' | b't')
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let num =
        |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok()).unwrap_or(99);
    if !(1..=12).contains(&num(5..7))
        || !(1..=31).contains(&num(8..10))
        || num(11..13) > 23
        || num(14..16) > 59
        || num(17..19) > 60
    {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            b.len() == i + 6 && digits(i + 1..i + 3) && b[i + 3] == b':' && digits(i + 4..i + 6)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        for (p, want) in [
            ("$", Some(true)),
            ("$.a.b", Some(true)),
            ("$['a b'][0]", Some(true)),
            ("$$.Execution.Id", Some(true)),
            ("$var.x", Some(true)),
            ("$.a[*]", Some(false)),
            ("$..a", Some(false)),
            ("$.a[?(@.x > 1)]", Some(false)),
            ("$.vals[3:]", Some(false)),
            ("$.a[-1:]", Some(false)),
            ("@.a", None),
            ("$[(@.length-1)].bar", Some(false)),
            ("$.a[?(@.k == FooBar)].v", Some(false)),
            ("$.a.length()", Some(false)),
            ("$.path-with-hyphen", Some(true)),
            ("$.[?(@.year <= 1998)]", Some(false)),
            ("$.[?(@.year < 1999)].name", Some(false)),
            ("$.[0]", Some(true)),
            ("a.b", None),
            ("$.", None),
            ("$.a[", None),
            ("ipsum", None),
            ("", None),
        ] {
            assert_eq!(path_kind(p), want, "{p}");
        }
    }

    #[test]
    fn intrinsics() {
        for (s, ok) in [
            ("States.Format('Hello, {}', $.name)", true),
            ("States.UUID()", true),
            ("States.Array(1, 'a', $.x, States.UUID())", true),
            ("States.MathAdd($.a, -1)", true),
            ("States.MathAdd(1,'-1')", false),
            (
                "States.StringToJson('{\"text\":\"An \\\"escaped\\\" here\"}')",
                false,
            ),
            ("States.Format('a \\{ \\} \\' \\\\')", true),
            ("States.Nope(1)", false),
            ("States.UUID(1)", false),
            ("States.Format(", false),
            ("States.ArrayGetItem($.a[?(@.x == 1)], 0)", true),
            ("States.ArrayGetItem($.a[?(@.k == FooBar)].v, 0)", true),
        ] {
            assert_eq!(is_intrinsic(s), ok, "{s}");
        }
    }

    #[test]
    fn timestamps() {
        assert!(is_rfc3339("2016-03-14T01:59:00Z"));
        assert!(is_rfc3339("2016-03-14T01:59:00.123+01:00"));
        assert!(!is_rfc3339("2016-03-14 01:59:00Z"));
        assert!(!is_rfc3339("{% '2016-03-14T01:59:00Z' %}"));
        assert!(!is_rfc3339("2016-13-14T01:59:00Z"));
    }
}
