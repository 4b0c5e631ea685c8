//! YAML definitions: yaml-rust2's event parser, with its markers, builds the same spanned [`Node<'static>`] tree.

use super::{MAX_DEPTH, Member, Node, NodeKind, SyntaxError};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Most nodes an alias expansion may produce (guards against "billion laughs").
const MAX_NODES: usize = 1_000_000;

/// Parse the first YAML document of `text`.
pub fn parse(text: &str) -> Result<Node<'static>, SyntaxError> {
    let offsets: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let mut builder = Builder {
        offsets: &offsets,
        stack: Vec::new(),
        anchors: Vec::new(),
        root: None,
        error: None,
        nodes: 0,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        let offset = byte_at(&offsets, e.marker().index());
        return Err(SyntaxError {
            message: format!("YAML syntax error: {}", e.info()),
            location: format!(
                "line: {}, column: {}",
                e.marker().line(),
                e.marker().col() + 1
            ),
            offset,
        });
    }
    if let Some(err) = builder.error {
        return Err(err);
    }
    Ok(builder
        .root
        .unwrap_or_else(|| Node::new(NodeKind::Null, 0, 0)))
}

fn byte_at(offsets: &[usize], char_index: usize) -> usize {
    offsets
        .get(char_index)
        .or_else(|| offsets.last())
        .copied()
        .unwrap_or(0)
}

enum Frame {
    Seq(Node<'static>, usize),
    Map(Node<'static>, usize, Option<(String, usize, usize)>),
}

struct Builder<'a> {
    offsets: &'a [usize],
    stack: Vec<Frame>,
    anchors: Vec<(usize, Node<'static>)>,
    root: Option<Node<'static>>,
    error: Option<SyntaxError>,
    nodes: usize,
}

impl Builder<'_> {
    fn fail(&mut self, message: String, offset: usize) {
        if self.error.is_none() {
            self.error = Some(SyntaxError {
                message,
                location: String::new(),
                offset,
            });
        }
    }

    fn push_value(&mut self, node: Node<'static>) {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            self.fail("YAML document too large".into(), node.start);
            return;
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(seq, _)) => {
                if let NodeKind::Array(items) = &mut seq.kind {
                    items.push(node);
                }
            }
            Some(Frame::Map(map, _, pending)) => match pending.take() {
                None => {
                    let key = match &node.kind {
                        NodeKind::String(s) | NodeKind::Number(s) => s.to_string(),
                        NodeKind::Bool(b) => b.to_string(),
                        NodeKind::Null => "null".to_string(),
                        _ => {
                            let start = node.start;
                            self.fail("YAML mapping keys must be scalars".into(), start);
                            return;
                        }
                    };
                    *pending = Some((key, node.start, node.end));
                }
                Some((key, key_start, key_end)) => {
                    if map.members().iter().any(|m| m.key == key) {
                        self.fail(format!("Duplicate field '{key}'"), key_start);
                        return;
                    }
                    if let NodeKind::Object(members) = &mut map.kind {
                        members.push(Member {
                            key: key.into(),
                            key_start,
                            key_end,
                            value: node,
                        });
                    }
                }
            },
        }
    }
}

fn scalar(value: String, style: TScalarStyle, start: usize, end: usize) -> Node<'static> {
    let kind = if style != TScalarStyle::Plain {
        NodeKind::String(value.into())
    } else {
        match value.as_str() {
            "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
            "true" | "True" | "TRUE" => NodeKind::Bool(true),
            "false" | "False" | "FALSE" => NodeKind::Bool(false),
            v if is_json_number(v) => NodeKind::Number(v.to_string().into()),
            _ => NodeKind::String(value.into()),
        }
    };
    Node::new(kind, start, end)
}

fn is_json_number(v: &str) -> bool {
    let body = v.strip_prefix('-').unwrap_or(v);
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    if body.len() > 1 && body.starts_with('0') && !body.starts_with("0.") {
        return false;
    }
    v.parse::<f64>().is_ok() && !v.contains(['i', 'n', 'I', 'N', '_'])
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let at = byte_at(self.offsets, mark.index());
        match ev {
            Event::Scalar(value, style, anchor, _tag) => {
                let len = value.len();
                let quoted = usize::from(style != TScalarStyle::Plain) * 2;
                let node = scalar(value, style, at, at + len + quoted);
                if anchor > 0 {
                    self.anchors.push((anchor, node.clone()));
                }
                self.push_value(node);
            }
            Event::SequenceStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail("YAML nesting too deep".into(), at);
                    return;
                }
                self.stack.push(Frame::Seq(
                    Node::new(NodeKind::Array(Vec::new()), at, at),
                    anchor,
                ));
            }
            Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail("YAML nesting too deep".into(), at);
                    return;
                }
                self.stack.push(Frame::Map(
                    Node::new(NodeKind::Object(Vec::new()), at, at),
                    anchor,
                    None,
                ));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (mut node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq(n, a) | Frame::Map(n, a, _)) => (n, a),
                    None => return,
                };
                // Block mappings are marked where their first key ends: start at the first key.
                if let Some(first) = node.members().first() {
                    node.start = node.start.min(first.key_start);
                }
                if let Some(first) = node.items().first() {
                    node.start = node.start.min(first.start);
                }
                node.end = at.max(node.start);
                if anchor > 0 {
                    self.anchors.push((anchor, node.clone()));
                }
                self.push_value(node);
            }
            Event::Alias(id) => {
                let found = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, n)| n.clone());
                match found {
                    Some(node) => {
                        self.nodes += count(&node);
                        self.push_value(node);
                    }
                    None => self.fail("YAML alias to an unknown anchor".into(), at),
                }
            }
            _ => {}
        }
    }
}

fn count(node: &Node<'static>) -> usize {
    // Iterative to stay clear of deep recursion.
    let mut n = 0;
    let mut stack = vec![node];
    while let Some(x) = stack.pop() {
        n += 1;
        if n > MAX_NODES {
            break;
        }
        match &x.kind {
            NodeKind::Array(items) => stack.extend(items),
            NodeKind::Object(members) => stack.extend(members.iter().map(|m| &m.value)),
            _ => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_maps_to_the_same_tree() {
        let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n    Result: [1, 'x', 2.5, null]\n";
        let node = parse(text).unwrap();
        let v = node.to_value();
        assert_eq!(
            v,
            serde_json::json!({"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Result":[1,"x",2.5,null]}}})
        );
        let a = node.pointer("/States/A/Type").unwrap();
        assert_eq!(&text[a.start..a.start + 4], "Pass");
        assert_eq!(crate::diagnostic::line_col(text, a.start), (4, 11));
        assert_eq!(node.start, 0);
        let state = node.pointer("/States/A").unwrap();
        assert_eq!(crate::diagnostic::line_col(text, state.start), (4, 5));
    }

    #[test]
    fn yaml_errors_have_positions() {
        let e = parse("a: [1, 2\nb: c").unwrap_err();
        assert!(e.message.starts_with("YAML syntax error"), "{}", e.message);
    }

    #[test]
    fn aliases_expand_but_are_bounded() {
        let node = parse("a: &x {k: 1}\nb: *x\n").unwrap();
        assert_eq!(
            node.to_value(),
            serde_json::json!({"a":{"k":1},"b":{"k":1}})
        );
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let prev = format!("*a{}", i - 1);
            bomb.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                [prev.as_str(); 10].join(", ")
            ));
        }
        assert!(parse(&bomb).is_err());
    }
}
