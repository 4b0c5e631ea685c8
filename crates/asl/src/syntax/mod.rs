//! The user's text as an order-preserving tree with source spans (JSON parser of our own, YAML via yaml-rust2).
//!
//! serde_json keeps no positions, so definitions are parsed into [`Node`]s that remember the byte
//! range of every value and key. A duplicate key is a syntax error (AWS rejects it, as Jackson's
//! strict duplicate detection does); [`Node::to_value`] gives the `serde_json::Value` with key
//! order intact.

pub mod json;
pub mod yaml;

use serde_json::{Map, Number, Value};
use std::borrow::Cow;

/// Deepest nesting of arrays and objects accepted (Jackson's default limit is 1000).
pub const MAX_DEPTH: usize = 1000;

/// One JSON value with the byte range it spans in the source text. Strings, numbers and keys
/// borrow from the source text when they hold no escape (`'a`), so parsing allocates little.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub kind: NodeKind<'a>,
    pub start: usize,
    pub end: usize,
}

/// What a [`Node`] holds. Numbers keep their source text so huge integers survive.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind<'a> {
    Null,
    Bool(bool),
    Number(Cow<'a, str>),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Object(Vec<Member<'a>>),
}

/// One `"key": value` pair of an object, with the span of the key.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    pub key: Cow<'a, str>,
    pub key_start: usize,
    pub key_end: usize,
    pub value: Node<'a>,
}

impl Member<'_> {
    /// The key as a string slice.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// Which syntax a text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

/// Malformed text: AWS-style (Jackson) message, the location string AWS gives, and the byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub location: String,
    pub offset: usize,
}

/// Guess the format from the content: JSON when the first significant character opens a JSON
/// value, otherwise YAML when it parses as a YAML mapping, otherwise JSON (for JSON's error).
pub fn detect(text: &str) -> Format {
    let first = text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .chars()
        .next();
    match first {
        None | Some('{' | '[' | '"') => Format::Json,
        Some(_) => match yaml::parse(text) {
            Ok(node) if matches!(node.kind, NodeKind::Object(_)) => Format::Yaml,
            _ => Format::Json,
        },
    }
}

/// Parse `text` in the given format.
pub fn parse(text: &str, format: Format) -> Result<Node<'_>, SyntaxError> {
    match format {
        Format::Json => json::parse(text),
        Format::Yaml => yaml::parse(text),
    }
}

impl<'a> Node<'a> {
    pub fn new(kind: NodeKind<'a>, start: usize, end: usize) -> Node<'a> {
        Node { kind, start, end }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.member(key).map(|m| &m.value)
    }

    /// The member named `key` (the last one when duplicated).
    pub fn member(&self, key: &str) -> Option<&Member<'a>> {
        match &self.kind {
            NodeKind::Object(members) => members.iter().rev().find(|m| m.key == key),
            _ => None,
        }
    }

    pub fn members(&self) -> &[Member<'a>] {
        match &self.kind {
            NodeKind::Object(members) => members,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node<'a>] {
        match &self.kind {
            NodeKind::Array(items) => items,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            NodeKind::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self.kind, NodeKind::Object(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self.kind, NodeKind::Array(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Null)
    }

    /// The number as f64, when this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            NodeKind::Number(raw) => raw.parse::<f64>().ok(),
            _ => None,
        }
    }

    /// Whether this is a number written without fraction or exponent (any size).
    pub fn is_integer(&self) -> bool {
        match &self.kind {
            NodeKind::Number(raw) => !raw.contains(['.', 'e', 'E']),
            _ => false,
        }
    }

    /// The integer value, saturated to i64 (so huge integers compare as huge).
    pub fn as_i64_saturating(&self) -> Option<i64> {
        match &self.kind {
            NodeKind::Number(raw) if self.is_integer() => {
                Some(raw.parse::<i64>().unwrap_or(if raw.starts_with('-') {
                    i64::MIN
                } else {
                    i64::MAX
                }))
            }
            _ => None,
        }
    }

    /// Name of the JSON type, as AWS spells it in "Expected value of type [...]".
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "NULL",
            NodeKind::Bool(_) => "BOOLEAN",
            NodeKind::Number(_) if self.is_integer() => "INTEGER",
            NodeKind::Number(_) => "NUMBER",
            NodeKind::String(_) => "STRING",
            NodeKind::Array(_) => "ARRAY",
            NodeKind::Object(_) => "OBJECT",
        }
    }

    /// Convert to a `serde_json::Value`, keeping key order (last duplicate wins, in first place).
    pub fn to_value(&self) -> Value {
        // Iterative with an explicit stack would be nicer; depth is bounded by MAX_DEPTH at parse.
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(raw) => number_value(raw),
            NodeKind::String(s) => Value::String(String::from(&**s)),
            NodeKind::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            NodeKind::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for m in members {
                    map.insert(String::from(m.key()), m.value.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// The node at a path of object keys / array indices, if any.
    pub fn at(&self, path: &[PathSeg]) -> Option<&Node<'a>> {
        let mut node = self;
        for seg in path {
            node = match seg {
                PathSeg::Key(k) => node.get(k)?,
                PathSeg::Index(i) => node.items().get(*i)?,
            };
        }
        Some(node)
    }

    /// Look up a JSON Pointer (RFC 6901), e.g. `/States/A/Next`.
    pub fn pointer(&self, pointer: &str) -> Option<&Node<'a>> {
        if pointer.is_empty() || pointer == "/" {
            return Some(self);
        }
        let mut node = self;
        for raw in pointer.strip_prefix('/')?.split('/') {
            let token = raw.replace("~1", "/").replace("~0", "~");
            node = match &node.kind {
                NodeKind::Object(_) => node.get(&token)?,
                NodeKind::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

/// A number's source text as the `serde_json::Value` [`Node::to_value`] gives for it.
pub(crate) fn number_value(raw: &str) -> Value {
    if let Ok(u) = raw.parse::<u64>() {
        return Value::Number(u.into());
    }
    if let Ok(i) = raw.parse::<i64>() {
        return Value::Number(i.into());
    }
    raw.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

/// AWS's location string for a path: `/States/A/Choices[0]/Next` (names unescaped, `/` alone for the root).
pub fn aws_location(path: &[PathSeg]) -> String {
    if path.is_empty() {
        return "/".to_string();
    }
    let mut out = String::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) => {
                out.push('/');
                out.push_str(k);
            }
            PathSeg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Read an AWS location back into path steps (`/States/A/Choices[0]/Next`). Names holding `/`
/// cannot be told apart from nesting; such a location reads as more steps than it had.
pub fn parse_aws_location(location: &str) -> Vec<PathSeg> {
    let mut out = Vec::new();
    for part in location.split('/').filter(|p| !p.is_empty()) {
        let mut name = part;
        let mut indexes = Vec::new();
        while let Some(open) = name.rfind('[') {
            let Some(idx) = name
                .get(open + 1..name.len().saturating_sub(1))
                .filter(|_| name.ends_with(']'))
                .and_then(|d| d.parse::<usize>().ok())
            else {
                break;
            };
            indexes.push(idx);
            name = name.get(..open).unwrap_or("");
        }
        if !name.is_empty() {
            out.push(PathSeg::Key(name.to_string()));
        }
        out.extend(indexes.into_iter().rev().map(PathSeg::Index));
    }
    out
}

/// RFC 6901 JSON Pointer for a path: `/States/A/Choices/0/Next`.
pub fn json_pointer(path: &[PathSeg]) -> String {
    let mut out = String::new();
    for seg in path {
        out.push('/');
        match seg {
            PathSeg::Key(k) => out.push_str(&crate::diagnostic::pointer_token(k)),
            PathSeg::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(detect("{}"), Format::Json);
        assert_eq!(detect("  [1]"), Format::Json);
        assert_eq!(detect("StartAt: A\nStates: {}\n"), Format::Yaml);
        assert_eq!(detect("not a definition"), Format::Json);
        assert_eq!(detect(""), Format::Json);
    }

    #[test]
    fn pointers_and_locations() {
        let path = vec![
            PathSeg::Key("States".into()),
            PathSeg::Key("a/b".into()),
            PathSeg::Key("Choices".into()),
            PathSeg::Index(0),
        ];
        assert_eq!(aws_location(&path), "/States/a/b/Choices[0]");
        assert_eq!(json_pointer(&path), "/States/a~1b/Choices/0");
        assert_eq!(aws_location(&[]), "/");
        let back = parse_aws_location("/States/C/Choices[0]/And[1]/Next");
        assert_eq!(json_pointer(&back), "/States/C/Choices/0/And/1/Next");
        assert_eq!(parse_aws_location("/"), vec![]);
        assert_eq!(parse_aws_location(""), vec![]);
    }

    #[test]
    fn to_value_keeps_order_and_big_numbers() {
        let node = json::parse(r#"{"b":1,"a":[true,null,1.5,18446744073709551615]}"#).unwrap();
        let v = node.to_value();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"b":1,"a":[true,null,1.5,18446744073709551615]}"#
        );
        assert_eq!(node.pointer("/a/2").and_then(Node::as_f64), Some(1.5));
    }
}
