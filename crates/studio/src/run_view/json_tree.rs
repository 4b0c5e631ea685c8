//! JSON as a folded, searchable tree: a flat list of lines (one per scalar, an opening and a closing line per
//! object or array) that the page draws with indentation; folded containers show a count instead of their
//! children, and a search keeps only matching lines and their ancestors (unfolded).

use serde_json::Value;
use std::collections::BTreeSet;

/// Deeper values are shown as one line of compact JSON (the page recurses nowhere; this bounds the walk).
pub const MAX_DEPTH: usize = 64;

/// What a line is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LineKind {
    /// A string, number, boolean or null (or a too-deep value) as JSON text.
    Scalar,
    /// The start of an object or array: `folded` when its children are hidden; `count` children.
    Open {
        folded: bool,
        count: usize,
    },
    Close,
}

/// One line of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Line {
    pub depth: usize,
    /// The value's JSON Pointer (`""` for the root): the fold key.
    pub path: String,
    /// The object key or `[i]` leading the line.
    pub key: Option<String>,
    pub text: String,
    pub kind: LineKind,
    /// The key or the scalar matches the search.
    pub matched: bool,
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

struct Walk<'a> {
    folded: &'a BTreeSet<String>,
    query: String,
    out: Vec<Line>,
}

impl Walk<'_> {
    fn matches(&self, s: &str) -> bool {
        !self.query.is_empty() && s.to_lowercase().contains(&self.query)
    }

    /// Adds the lines of `v`; true when something in it matches the search.
    fn walk(&mut self, v: &Value, path: String, key: Option<String>, depth: usize) -> bool {
        let key_match = key.as_deref().is_some_and(|k| self.matches(k));
        let searching = !self.query.is_empty();
        let children: Vec<(String, &Value)> = match v {
            Value::Object(m) if depth < MAX_DEPTH => {
                m.iter().map(|(k, v)| (k.clone(), v)).collect()
            }
            Value::Array(a) if depth < MAX_DEPTH => a
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("[{i}]"), v))
                .collect(),
            _ => {
                let text = v.to_string();
                let matched = key_match || self.matches(&text);
                if !searching || matched {
                    self.out.push(Line {
                        depth,
                        path,
                        key,
                        text,
                        kind: LineKind::Scalar,
                        matched,
                    });
                }
                return matched;
            }
        };
        let (open, close) = if v.is_object() {
            ("{", "}")
        } else {
            ("[", "]")
        };
        let folded = !searching && self.folded.contains(&path);
        let start = self.out.len();
        self.out.push(Line {
            depth,
            path: path.clone(),
            key,
            text: if folded {
                format!("{open}…{close}")
            } else {
                open.into()
            },
            kind: LineKind::Open {
                folded,
                count: children.len(),
            },
            matched: key_match,
        });
        if folded {
            return false;
        }
        let is_object = v.is_object();
        let mut any = false;
        for (k, child) in children {
            let token = if is_object {
                escape(&k)
            } else {
                k.trim_matches(|c| c == '[' || c == ']').to_string()
            };
            any |= self.walk(child, format!("{path}/{token}"), Some(k), depth + 1);
        }
        if searching && !any {
            self.out.truncate(start + usize::from(key_match));
            return key_match;
        }
        self.out.push(Line {
            depth,
            path: format!("{path}/"),
            key: None,
            text: close.into(),
            kind: LineKind::Close,
            matched: false,
        });
        any || key_match
    }
}

/// The lines of `v` with the containers at `folded` paths folded, filtered by `query` (case-insensitive; empty
/// for no search).
pub fn lines(v: &Value, folded: &BTreeSet<String>, query: &str) -> Vec<Line> {
    let mut w = Walk {
        folded,
        query: query.trim().to_lowercase(),
        out: Vec::new(),
    };
    w.walk(v, String::new(), None, 0);
    w.out
}

/// Text lines of the tree as the page shows them (for tests and plain-text copies).
pub fn render(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| {
            let indent = "  ".repeat(l.depth);
            match (&l.key, &l.kind) {
                (
                    Some(k),
                    LineKind::Open {
                        folded: true,
                        count,
                    },
                ) => {
                    format!("{indent}{k}: {} ({count})", l.text)
                }
                (
                    None,
                    LineKind::Open {
                        folded: true,
                        count,
                    },
                ) => {
                    format!("{indent}{} ({count})", l.text)
                }
                (Some(k), _) => format!("{indent}{k}: {}", l.text),
                (None, _) => format!("{indent}{}", l.text),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
