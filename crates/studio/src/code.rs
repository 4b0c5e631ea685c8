//! The code view's logic: syntax highlighting with problem underlines (as HTML for a layer under the
//! textarea), Format, JSON ⇄ YAML conversion that re-parses to the same definition, and the mapping
//! between a state and its text range (canvas selection ⇄ caret).

use crate::graph::ScopeStep;
use asl::Severity;
use asl::syntax::{self, Format, Node, NodeKind};
use serde_json::Value;

/// Deepest nesting walked when looking for states (matches the graph's limit).
const MAX_DEPTH: usize = crate::graph::MAX_DEPTH;

/// Pretty JSON of a value: 2-space indent, key order kept, trailing newline.
pub fn to_json(value: &Value) -> String {
    crate::document::render(value)
}

/// Block YAML of a value, key order kept. `Err` when the YAML would not read back as the same value
/// (the conversion is refused rather than changing the definition).
pub fn to_yaml(value: &Value) -> Result<String, String> {
    let yaml = yaml_of(value, 0).ok_or("the definition is nested too deeply for YAML")?;
    let mut out = String::new();
    {
        let mut emitter = yaml_rust2::YamlEmitter::new(&mut out);
        emitter
            .dump(&yaml)
            .map_err(|e| format!("YAML output failed: {e:?}"))?;
    }
    let body = out
        .strip_prefix("---\n")
        .or_else(|| out.strip_prefix("---"))
        .unwrap_or(&out)
        .trim_start_matches(' ');
    let mut text = body.to_string();
    text.push('\n');
    // Read back exactly as the studio will (format detection included).
    match parse_any(&text) {
        Ok((back, Format::Yaml)) if back == *value => Ok(text),
        _ => Err("this definition cannot be written as YAML without changing it".into()),
    }
}

fn yaml_of(value: &Value, depth: usize) -> Option<yaml_rust2::Yaml> {
    use yaml_rust2::Yaml;
    if depth > syntax::MAX_DEPTH {
        return None;
    }
    Some(match value {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Integer(i),
            None => Yaml::Real(n.to_string()),
        },
        Value::String(s) => Yaml::String(s.clone()),
        Value::Array(items) => Yaml::Array(
            items
                .iter()
                .map(|v| yaml_of(v, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Value::Object(map) => {
            let mut h = yaml_rust2::yaml::Hash::new();
            for (k, v) in map {
                h.insert(Yaml::String(k.clone()), yaml_of(v, depth + 1)?);
            }
            Yaml::Hash(h)
        }
    })
}

/// The definition in a text (JSON or YAML), key order kept.
pub fn parse_any(text: &str) -> Result<(Value, Format), String> {
    let format = syntax::detect(text);
    syntax::parse(text, format)
        .map(|n| (n.to_value(), format))
        .map_err(|e| e.message)
}

/// The text pretty-printed in its own format (JSON: 2-space indent; YAML: block style), key order kept.
pub fn format(text: &str) -> Result<String, String> {
    let (value, format) = parse_any(text)?;
    match format {
        Format::Json => Ok(to_json(&value)),
        Format::Yaml => to_yaml(&value),
    }
}

/// The text converted to `target` (unchanged when it is already in that format).
pub fn convert(text: &str, target: Format) -> Result<String, String> {
    let (value, _) = parse_any(text)?;
    match target {
        Format::Json => Ok(to_json(&value)),
        Format::Yaml => to_yaml(&value),
    }
}

/// A state's place in the text: its scope, its name and the byte range of `"name": {...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateRange {
    pub scope: Vec<ScopeStep>,
    pub name: String,
    pub start: usize,
    pub end: usize,
}

/// Every state's text range, outer states before the states nested in them.
pub fn state_ranges(text: &str) -> Vec<StateRange> {
    let Ok(root) = syntax::parse(text, syntax::detect(text)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    collect_ranges(&root, &mut Vec::new(), 0, &mut out);
    out
}

fn collect_ranges(
    machine: &Node,
    scope: &mut Vec<ScopeStep>,
    depth: usize,
    out: &mut Vec<StateRange>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(states) = machine.get("States") else {
        return;
    };
    for m in states.members() {
        out.push(StateRange {
            scope: scope.clone(),
            name: m.key.to_string(),
            start: m.key_start,
            end: m.value.end,
        });
        let nested: Vec<(usize, &Node)> = match m.value.get("Branches") {
            Some(b) => b.items().iter().enumerate().collect(),
            None => ["ItemProcessor", "Iterator"]
                .iter()
                .find_map(|k| m.value.get(k))
                .map(|n| vec![(0, n)])
                .unwrap_or_default(),
        };
        for (branch, inner) in nested {
            scope.push(ScopeStep {
                state: m.key.to_string(),
                branch,
            });
            collect_ranges(inner, scope, depth + 1, out);
            scope.pop();
        }
    }
}

/// The innermost state whose text holds byte `offset`.
pub fn state_at(text: &str, offset: usize) -> Option<StateRange> {
    state_ranges(text)
        .into_iter()
        .filter(|r| r.start <= offset && offset <= r.end)
        .min_by_key(|r| r.end - r.start)
}

/// The text range of the state named `name` (names are unique machine-wide).
pub fn state_range(text: &str, name: &str) -> Option<StateRange> {
    state_ranges(text).into_iter().find(|r| r.name == name)
}

/// The byte offset of a 1-based line and column (in characters), clamped to the text.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..];
    let line_end = line_text.find('\n').unwrap_or(line_text.len());
    line_text[..line_end]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(start + line_end, |(i, _)| start + i)
}

/// Byte offset → UTF-16 offset (what a textarea's selection uses).
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    text[..byte].encode_utf16().count()
}

/// UTF-16 offset → byte offset.
pub fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// One underlined problem range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
}

/// Underline ranges of diagnostics: a diagnostic's span, widened to at least one character (to the end
/// of the line when it is empty at a line end).
pub fn marks(text: &str, diagnostics: &[asl::Diagnostic]) -> Vec<Mark> {
    diagnostics
        .iter()
        .filter_map(|d| {
            let s = d.span?;
            let mut start = s.start.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = s.end.clamp(start, text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            if end == start {
                end = text[start..]
                    .char_indices()
                    .nth(1)
                    .map_or(text.len(), |(i, _)| start + i);
                if end == start && start > 0 {
                    start = text[..start]
                        .char_indices()
                        .next_back()
                        .map_or(0, |(i, _)| i);
                }
            }
            Some(Mark {
                start,
                end,
                severity: d.severity,
            })
        })
        .collect()
}

/// Lines (1-based) with a problem, with the worst severity on each.
pub fn problem_lines(text: &str, diagnostics: &[asl::Diagnostic]) -> Vec<(usize, Severity)> {
    let mut out: Vec<(usize, Severity)> = Vec::new();
    let last = text.lines().count().max(1);
    for d in diagnostics {
        let Some(s) = d.span else { continue };
        let line = s.line.max(1).min(last);
        match out.iter_mut().find(|(l, _)| *l == line) {
            Some(e) => e.1 = e.1.min(d.severity),
            None => out.push((line, d.severity)),
        }
    }
    out.sort();
    out
}

/// A token class for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Key,
    String,
    Number,
    Literal,
    Punct,
    Comment,
    /// A `{% %}` JSONata template.
    Jsonata,
    /// A JSONPath (`$...`) string.
    Path,
    Plain,
}

impl Tok {
    pub fn class(self) -> &'static str {
        match self {
            Tok::Key => "tk-key",
            Tok::String => "tk-str",
            Tok::Number => "tk-num",
            Tok::Literal => "tk-lit",
            Tok::Punct => "tk-punct",
            Tok::Comment => "tk-comment",
            Tok::Jsonata => "tk-jsonata",
            Tok::Path => "tk-path",
            Tok::Plain => "",
        }
    }
}

fn string_tok(body: &str) -> Tok {
    let inner = body.trim_matches(|c| c == '"' || c == '\'');
    if inner.starts_with("{%") {
        Tok::Jsonata
    } else if inner.starts_with('$') {
        Tok::Path
    } else {
        Tok::String
    }
}

/// Tokens `(start, end, class)` covering the text; gaps are plain text. Never fails: malformed text
/// is tokenized as far as it goes.
pub fn tokens(text: &str, format: Format) -> Vec<(usize, usize, Tok)> {
    tokens_in(text, format, 0, text.len())
}

/// The tokens starting in `from..to` (`from` at a line start): no token spans lines, so this is the
/// part of [`tokens`] for those lines, without scanning the rest of the text.
fn tokens_in(text: &str, format: Format, from: usize, to: usize) -> Vec<(usize, usize, Tok)> {
    match format {
        Format::Json => json_tokens(text, from, to),
        Format::Yaml => yaml_tokens(text, from, to),
    }
}

fn json_tokens(text: &str, from: usize, to: usize) -> Vec<(usize, usize, Tok)> {
    let b = text.as_bytes();
    let to = to.min(b.len());
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        let c = b[i];
        match c {
            b'"' => {
                let start = i;
                i += 1;
                // A string ends at its quote or its line (an escape never takes the line break).
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' && b.get(i + 1) != Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                }
                i = (i + 1).min(b.len());
                // A key when the next significant character is ':'.
                let rest = text.get(i..).unwrap_or("");
                let is_key = rest.trim_start().starts_with(':');
                let tok = if is_key {
                    Tok::Key
                } else {
                    string_tok(text.get(start..i).unwrap_or(""))
                };
                out.push((start, i, tok));
            }
            b'{' | b'}' | b'[' | b']' | b':' | b',' => {
                out.push((i, i + 1, Tok::Punct));
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                i += 1;
                while i < b.len() && matches!(b[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                out.push((start, i, Tok::Number));
            }
            b't' | b'f' | b'n' => {
                let start = i;
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or("");
                if matches!(word, "true" | "false" | "null") {
                    out.push((start, i, Tok::Literal));
                }
            }
            _ => {
                // Skip to the next character boundary.
                i += 1;
                while i < b.len() && !text.is_char_boundary(i) {
                    i += 1;
                }
            }
        }
    }
    out
}

fn yaml_tokens(text: &str, from: usize, to: usize) -> Vec<(usize, usize, Tok)> {
    let mut out = Vec::new();
    let mut line_start = from;
    for line in text.get(from..to).unwrap_or("").split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let mut rest_start = 0;
        let indent = body.len() - body.trim_start().len();
        let trimmed = body.trim_start();
        if trimmed.starts_with('#') {
            out.push((line_start + indent, line_start + body.len(), Tok::Comment));
            line_start += line.len();
            continue;
        }
        let mut pos = indent;
        if trimmed.starts_with("- ") || trimmed == "-" {
            out.push((line_start + pos, line_start + pos + 1, Tok::Punct));
            pos += 1;
            pos += body[pos..].len() - body[pos..].trim_start().len();
        }
        // `key:` (plain or quoted) at this position.
        let after = &body[pos..];
        if let Some(colon) = key_colon(after) {
            out.push((line_start + pos, line_start + pos + colon, Tok::Key));
            out.push((
                line_start + pos + colon,
                line_start + pos + colon + 1,
                Tok::Punct,
            ));
            rest_start = pos + colon + 1;
        } else {
            rest_start = rest_start.max(pos);
        }
        let value = &body[rest_start..];
        let lead = value.len() - value.trim_start().len();
        let v = value.trim();
        if !v.is_empty() {
            let s = line_start + rest_start + lead;
            let tok = if v.starts_with('"') || v.starts_with('\'') {
                string_tok(v)
            } else if matches!(v, "true" | "false" | "null" | "~") {
                Tok::Literal
            } else if v.parse::<f64>().is_ok() {
                Tok::Number
            } else if v.starts_with(['{', '[', '|', '>']) {
                Tok::Punct
            } else {
                string_tok(v)
            };
            out.push((s, s + v.len(), tok));
        }
        line_start += line.len();
    }
    out
}

/// The byte length of a YAML key before its `:` (followed by a space or the line end).
fn key_colon(s: &str) -> Option<usize> {
    if s.starts_with('"') || s.starts_with('\'') {
        let q = s.as_bytes().first().copied()?;
        let mut i = 1;
        let b = s.as_bytes();
        while i < b.len() && b[i] != q {
            i += if b[i] == b'\\' && q == b'"' { 2 } else { 1 };
        }
        let end = (i + 1).min(s.len());
        return s[end..].starts_with(':').then_some(end);
    }
    let mut from = 0;
    while let Some(i) = s[from..].find(':') {
        let at = from + i;
        if s[at + 1..].is_empty() || s[at + 1..].starts_with(' ') {
            return (at > 0 && !s[..at].contains(" #")).then_some(at);
        }
        from = at + 1;
    }
    None
}

fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
}

/// The text as HTML for the highlight layer: token spans (`tk-*` classes) with problem ranges marked
/// (`sq-error` / `sq-warning`). Every character of the text appears once, in order, escaped.
pub fn highlight_html(text: &str, format: Format, marks: &[Mark]) -> String {
    let mut out = highlight_range(text, format, marks, 0, text.len());
    // A trailing newline needs content after it to take up a line in a <pre>.
    out.push(' ');
    out
}

/// The byte offset where each line starts (the first is 0; a text ending in a line break has an empty
/// last line, as a textarea shows it).
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Lines are drawn in blocks of this many, so scrolling redraws only when it crosses a block.
pub const LINE_BLOCK: usize = 64;

/// The lines `first..end` (0-based) a code view draws when scrolled to `top` (px, from the first
/// line's top) with `height` px in view, `line_height` px per line and `lines` lines: the lines in
/// view and a block either side, rounded out to whole blocks.
pub fn visible_lines(top: f64, height: f64, line_height: f64, lines: usize) -> (usize, usize) {
    let lh = if line_height.is_finite() && line_height > 0.0 {
        line_height
    } else {
        1.0
    };
    let line = |px: f64| {
        if px.is_finite() && px > 0.0 {
            (px / lh) as usize
        } else {
            0
        }
    };
    let top_line = line(top);
    let bottom_line = line(top + height.max(0.0)) + 1;
    let first = (top_line / LINE_BLOCK).saturating_sub(1) * LINE_BLOCK;
    let end = (bottom_line / LINE_BLOCK + 2).saturating_mul(LINE_BLOCK);
    (first.min(lines), end.min(lines))
}

/// The highlight HTML of lines `first..end` (0-based) only, for a code view that draws the lines in
/// view: the same markup [`highlight_html`] gives those lines. `starts` is [`line_starts`] of `text`.
pub fn highlight_lines(
    text: &str,
    starts: &[usize],
    format: Format,
    marks: &[Mark],
    first: usize,
    end: usize,
) -> String {
    let end = end.min(starts.len());
    let Some(&from) = starts.get(first).filter(|_| first < end) else {
        return String::new();
    };
    let to = starts.get(end).copied().unwrap_or(text.len());
    let mut out = highlight_range(text, format, marks, from, to);
    if end == starts.len() {
        out.push(' ');
    }
    out
}

/// Highlight HTML of `text[from..to]` (`from` at a line start).
fn highlight_range(text: &str, format: Format, marks: &[Mark], from: usize, to: usize) -> String {
    let to = to.min(text.len());
    let from = from.min(to);
    let toks = tokens_in(text, format, from, to);
    // The marks overlapping the range, clipped to it.
    let marks: Vec<Mark> = marks
        .iter()
        .filter(|m| m.start < to && m.end > from)
        .map(|m| Mark {
            start: m.start.max(from),
            end: m.end.min(to),
            severity: m.severity,
        })
        .collect();
    let mut cuts: Vec<usize> = vec![from, to];
    for (s, e, _) in &toks {
        cuts.push(*s);
        cuts.push((*e).min(to));
    }
    for m in &marks {
        cuts.push(m.start);
        cuts.push(m.end);
    }
    cuts.retain(|&c| c >= from && c <= to && text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity((to - from) * 2);
    let mut ti = 0;
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        while ti < toks.len() && toks[ti].1 <= a {
            ti += 1;
        }
        let tok = toks
            .get(ti)
            .filter(|t| t.0 <= a && b <= t.1)
            .map_or(Tok::Plain, |t| t.2);
        let sq = marks
            .iter()
            .filter(|m| m.start <= a && b <= m.end)
            .map(|m| m.severity)
            .min()
            .map(|s| match s {
                Severity::Error => "sq-error",
                Severity::Warning => "sq-warning",
            });
        let class = match (tok.class(), sq) {
            ("", None) => String::new(),
            (t, None) => t.to_string(),
            ("", Some(s)) => s.to_string(),
            (t, Some(s)) => format!("{t} {s}"),
        };
        let seg = &text[a..b];
        if class.is_empty() {
            escape_html(seg, &mut out);
        } else {
            out.push_str("<span class=\"");
            out.push_str(&class);
            out.push_str("\">");
            escape_html(seg, &mut out);
            out.push_str("</span>");
        }
    }
    out
}

/// The line-number gutter's HTML for lines `first..end` (0-based), problem lines (1-based, from
/// [`problem_lines`]) marked with their severity.
pub fn gutter_html(first: usize, end: usize, problems: &[(usize, Severity)]) -> String {
    let mut out = String::with_capacity((end.saturating_sub(first)) * 8);
    for i in first + 1..=end {
        match problems.binary_search_by_key(&i, |(l, _)| *l) {
            Ok(p) if problems[p].1 == Severity::Error => out.push_str(&format!(
                "<span class=\"ln mark-error\" title=\"error\">{i}</span>\n"
            )),
            Ok(_) => out.push_str(&format!(
                "<span class=\"ln mark-warning\" title=\"warning\">{i}</span>\n"
            )),
            Err(_) => out.push_str(&format!("{i}\n")),
        }
    }
    out
}

/// Whether a node kind is a container (used by callers that walk spans).
pub fn is_container(node: &Node) -> bool {
    matches!(node.kind, NodeKind::Array(_) | NodeKind::Object(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const SAMPLE: &str = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"P\"},\n    \"P\": {\"Type\": \"Parallel\", \"Branches\": [{\"StartAt\": \"In\", \"States\": {\"In\": {\"Type\": \"Pass\", \"End\": true}}}], \"End\": true}\n  }\n}\n";

    fn strip_tags(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    #[test]
    fn state_ranges_and_caret_lookup() {
        let ranges = state_ranges(SAMPLE);
        let names: Vec<&str> = ranges.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["A", "P", "In"]);
        let a = &ranges[0];
        assert!(SAMPLE[a.start..a.end].starts_with("\"A\": {\"Type\""));
        assert!(SAMPLE[a.start..a.end].ends_with('}'));
        let inner = SAMPLE.find("\"End\": true}}}").unwrap();
        let at = state_at(SAMPLE, inner).unwrap();
        assert_eq!(at.name, "In");
        assert_eq!(at.scope[0].state, "P");
        assert_eq!(
            state_at(SAMPLE, SAMPLE.find("Branches").unwrap())
                .unwrap()
                .name,
            "P"
        );
        assert_eq!(state_at(SAMPLE, 3), None);
        assert_eq!(state_range(SAMPLE, "In").map(|r| r.scope.len()), Some(1));
        assert!(state_ranges("{not json").is_empty());
        // YAML spans too.
        let yaml = convert(SAMPLE, Format::Yaml).unwrap();
        let r = state_range(&yaml, "A").unwrap();
        assert!(yaml[r.start..r.end].starts_with("A:"), "{yaml}");
    }

    #[test]
    fn format_keeps_key_order() {
        let text = "{\"b\":1,\"a\":{\"z\":[1,2],\"y\":\"{% 1 %}\"}}";
        assert_eq!(
            format(text).unwrap(),
            "{\n  \"b\": 1,\n  \"a\": {\n    \"z\": [\n      1,\n      2\n    ],\n    \"y\": \"{% 1 %}\"\n  }\n}\n"
        );
        assert!(format("{\"a\": }").is_err());
        let yaml = "b: 1\na:   [1,   2]\n";
        assert_eq!(format(yaml).unwrap(), "b: 1\na:\n  - 1\n  - 2\n");
    }

    #[test]
    fn yaml_conversion_round_trips() {
        let v = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"n": "1", "t": "true", "x": null, "e": "", "m": "a\nb", "p": "$.x", "j": "{% $states.input %}", "f": 1.5, "big": 18446744073709551615u64, "neg": -3, "arr": [], "obj": {}}, "End": true}}});
        let yaml = to_yaml(&v).unwrap();
        assert!(yaml.starts_with("StartAt: A\n"), "{yaml}");
        let (back, fmt) = parse_any(&yaml).unwrap();
        assert_eq!(fmt, Format::Yaml);
        assert_eq!(back, v);
        let json = convert(&yaml, Format::Json).unwrap();
        assert_eq!(json, to_json(&v));
    }

    #[test]
    fn yaml_documents_take_edits_and_stay_yaml() {
        use crate::{Document, Edit, History};
        let yaml = convert(SAMPLE, Format::Yaml).unwrap();
        let mut d = Document::new(yaml.clone());
        assert!(d.is_yaml());
        assert_eq!(d.state_names().len(), 3);
        let mut h = History::default();
        h.apply(
            &mut d,
            Edit::SetField {
                scope: vec![],
                state: "A".into(),
                field: "Comment".into(),
                value: Some(json!("yes: no")),
            },
        )
        .unwrap();
        assert!(d.is_yaml());
        assert!(d.text().contains("Comment: \"yes: no\""), "{}", d.text());
        assert_eq!(
            parse_any(d.text()).unwrap().0["States"]["A"]["Comment"],
            json!("yes: no")
        );
        h.undo(&mut d).unwrap();
        assert_eq!(d.text(), yaml);
        // Hand-written YAML (not canonical) comes back exactly on undo too.
        let hand = "StartAt: A\nStates:\n  A: {Type: Pass, End: true}\n";
        let mut d = Document::new(hand);
        h.apply(
            &mut d,
            Edit::SetField {
                scope: vec![],
                state: "A".into(),
                field: "Comment".into(),
                value: Some(json!("c")),
            },
        )
        .unwrap();
        assert!(d.text().contains("Comment: c"));
        h.undo(&mut d).unwrap();
        assert_eq!(d.text(), hand);
    }

    #[test]
    fn offsets() {
        let t = "ab\ncé\nx";
        assert_eq!(offset_of(t, 1, 1), 0);
        assert_eq!(offset_of(t, 2, 2), 4);
        assert_eq!(offset_of(t, 2, 3), 6);
        assert_eq!(offset_of(t, 2, 99), 6);
        assert_eq!(offset_of(t, 9, 1), t.len());
        assert_eq!(utf16_offset("é😀x", "é😀".len()), 3);
        assert_eq!(byte_offset("é😀x", 3), "é😀".len());
        assert_eq!(byte_offset("é", 99), 2);
    }

    #[test]
    fn highlight_marks_tokens_and_problems() {
        let text =
            "{\"Type\": \"Pass\", \"P\": \"$.a\", \"J\": \"{% 1 %}\", \"n\": 12, \"b\": true}";
        let a = asl::analyze(
            "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Nope\"}}}",
        );
        assert!(!a.diagnostics.is_empty());
        let html = highlight_html(text, Format::Json, &[]);
        assert!(
            html.contains("<span class=\"tk-key\">\"Type\"</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"tk-str\">\"Pass\"</span>"));
        assert!(html.contains("<span class=\"tk-path\">\"$.a\"</span>"));
        assert!(html.contains("<span class=\"tk-jsonata\">\"{% 1 %}\"</span>"));
        assert!(html.contains("<span class=\"tk-num\">12</span>"));
        assert!(html.contains("<span class=\"tk-lit\">true</span>"));
        let m = [Mark {
            start: 9,
            end: 15,
            severity: Severity::Error,
        }];
        let html = highlight_html(text, Format::Json, &m);
        assert!(
            html.contains("<span class=\"tk-str sq-error\">\"Pass\"</span>"),
            "{html}"
        );
        let yaml = "# c\nStates:\n  A:\n    Type: Pass\n    N: 3\n    - \"x\"\n";
        let html = highlight_html(yaml, Format::Yaml, &[]);
        assert!(
            html.contains("<span class=\"tk-comment\"># c</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"tk-key\">Type</span>"));
        assert!(html.contains("<span class=\"tk-num\">3</span>"));
    }

    #[test]
    fn marks_and_lines_from_diagnostics() {
        let text =
            "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Nope\"}}}";
        let a = asl::analyze(text);
        let ms = marks(text, &a.diagnostics);
        assert!(!ms.is_empty());
        assert!(
            ms.iter().any(|m| &text[m.start..m.end] == "\"Nope\""),
            "{ms:?}"
        );
        assert_eq!(problem_lines(text, &a.diagnostics)[0].0, 1);
    }

    /// Each character of highlight HTML with the classes of the spans around it.
    fn char_classes(html: &str) -> Vec<(char, String)> {
        let mut out = Vec::new();
        let mut stack: Vec<String> = Vec::new();
        let mut rest = html;
        while let Some(c) = rest.chars().next() {
            if let Some(tag) = rest.strip_prefix("<span class=\"") {
                let end = tag.find("\">").unwrap();
                stack.push(tag[..end].to_string());
                rest = &tag[end + 2..];
            } else if let Some(r) = rest.strip_prefix("</span>") {
                stack.pop();
                rest = r;
            } else {
                let (ch, len) = [("&lt;", '<'), ("&gt;", '>'), ("&amp;", '&')]
                    .iter()
                    .find(|(e, _)| rest.starts_with(e))
                    .map_or((c, c.len_utf8()), |(e, ch)| (*ch, e.len()));
                out.push((ch, stack.join(" ")));
                rest = &rest[len..];
            }
        }
        out
    }

    #[test]
    fn highlighted_lines_and_gutter() {
        let text = "{\n  \"A\": \"$.x\",\n  \"B\": 1\n}\n";
        let starts = line_starts(text);
        assert_eq!(starts, [0, 2, 16, 25, 27]);
        assert_eq!(
            highlight_lines(text, &starts, Format::Json, &[], 1, 2),
            "  <span class=\"tk-key\">\"A\"</span><span class=\"tk-punct\">:</span> <span class=\"tk-path\">\"$.x\"</span><span class=\"tk-punct\">,</span>\n"
        );
        // The last line gets the filler that lets a final empty line take up space.
        assert_eq!(highlight_lines(text, &starts, Format::Json, &[], 4, 5), " ");
        assert_eq!(highlight_lines(text, &starts, Format::Json, &[], 3, 3), "");
        assert_eq!(highlight_lines(text, &starts, Format::Json, &[], 9, 12), "");
        let problems = [(2, Severity::Warning), (3, Severity::Error)];
        assert_eq!(
            gutter_html(0, 3, &problems),
            "1\n<span class=\"ln mark-warning\" title=\"warning\">2</span>\n<span class=\"ln mark-error\" title=\"error\">3</span>\n"
        );
        // An escape before a line break does not carry a string over to the next line.
        let t = "\"a\\\n\"k\": 1";
        assert!(
            tokens(t, Format::Json).contains(&(4, 7, Tok::Key)),
            "{:?}",
            tokens(t, Format::Json)
        );
    }

    #[test]
    fn lines_in_view_come_in_blocks() {
        assert_eq!(visible_lines(0.0, 600.0, 20.0, 10_000), (0, 128));
        // Scrolling within a block draws the same lines.
        assert_eq!(visible_lines(20.0 * 70.0, 600.0, 20.0, 10_000), (0, 192));
        assert_eq!(visible_lines(20.0 * 80.0, 600.0, 20.0, 10_000), (0, 192));
        assert_eq!(
            visible_lines(20.0 * 5000.0, 600.0, 20.0, 10_000),
            (4928, 5120)
        );
        assert_eq!(
            visible_lines(20.0 * 9990.0, 600.0, 20.0, 10_000),
            (9920, 10_000)
        );
        assert_eq!(visible_lines(f64::NAN, f64::INFINITY, 0.0, 7), (0, 7));
        for top in [0.0, 333.0, 12_345.0, 190_000.0] {
            let (first, end) = visible_lines(top, 700.0, 19.375, 10_000);
            let (a, b) = (
                (top / 19.375) as usize,
                ((top + 700.0) / 19.375) as usize + 1,
            );
            assert!(first <= a && b.min(10_000) <= end, "{top}: {first}..{end}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn lines_highlight_like_the_whole_text(text in "[{}\\[\\]\":,a-z0-9 \\n\\-#é<&%$.\\\\]{0,120}", yaml in any::<bool>(),
                                               ms in 0usize..120, me in 0usize..120, cut in 0usize..12) {
            let fmt = if yaml { Format::Yaml } else { Format::Json };
            let (s, e) = (ms.min(me).min(text.len()), ms.max(me).min(text.len()));
            let marks = if text.is_char_boundary(s) && text.is_char_boundary(e) { vec![Mark { start: s, end: e, severity: Severity::Error }] } else { vec![] };
            let starts = line_starts(&text);
            let k = cut.min(starts.len());
            let whole = highlight_html(&text, fmt, &marks);
            let parts = highlight_lines(&text, &starts, fmt, &marks, 0, k)
                + &highlight_lines(&text, &starts, fmt, &marks, k, starts.len());
            prop_assert_eq!(char_classes(&parts), char_classes(&whole));
        }

        #[test]
        fn highlight_keeps_every_character(text in "[{}\\[\\]\":,a-z0-9 \\n\\-#é<&%$.]{0,80}", yaml in any::<bool>(), ms in 0usize..80, me in 0usize..80) {
            let fmt = if yaml { Format::Yaml } else { Format::Json };
            let (s, e) = (ms.min(me).min(text.len()), ms.max(me).min(text.len()));
            let marks = if text.is_char_boundary(s) && text.is_char_boundary(e) { vec![Mark { start: s, end: e, severity: Severity::Warning }] } else { vec![] };
            let html = highlight_html(&text, fmt, &marks);
            prop_assert_eq!(strip_tags(&html), format!("{text} "));
            let _ = state_at(&text, ms);
        }

        #[test]
        fn yaml_round_trip(seed in any::<u64>()) {
            let mut rng = crate::testgen::Rng::new(seed);
            let def = crate::testgen::definition(&mut rng, 6, 2);
            let yaml = to_yaml(&def).unwrap();
            let (back, fmt) = parse_any(&yaml).unwrap();
            prop_assert_eq!(fmt, Format::Yaml);
            prop_assert_eq!(&back, &def);
            prop_assert_eq!(convert(&yaml, Format::Json).unwrap(), to_json(&def));
        }

        #[test]
        fn yaml_strings_round_trip_or_refuse(s in "\\PC{0,12}", k in "[ -~]{0,6}") {
            let v = json!({ "a": s.clone(), k.clone(): s.clone(), "n": [s.clone()] });
            if let Ok(yaml) = to_yaml(&v) {
                prop_assert_eq!(parse_any(&yaml).unwrap().0, v);
            }
        }
    }
}
