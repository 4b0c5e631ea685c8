//! Diagnostics: AWS's `{code, severity, message, location}` plus a source span in the user's text.

use serde::Serialize;

/// How serious a diagnostic is; AWS's ValidateStateMachineDefinition uses ERROR and WARNING.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    Error,
    Warning,
}

/// A byte range in the source text with the 1-based line and column of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

impl Span {
    /// The span of `start..end` in `text`, computing the line and column of `start`.
    pub fn of(text: &str, start: usize, end: usize) -> Span {
        let start = start.min(text.len());
        let end = end.clamp(start, text.len());
        let (line, column) = line_col(text, start);
        Span {
            start,
            end,
            line,
            column,
        }
    }
}

/// Line starts of a text, for many offset → line/column look-ups (binary search, not a rescan).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The span of `start..end` in `text` (which must be the text this index was built from).
    pub fn span(&self, text: &str, start: usize, end: usize) -> Span {
        let mut start = start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let end = end.clamp(start, text.len());
        let line = self.starts.partition_point(|&s| s <= start).max(1);
        let line_start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = text.get(line_start..start).map_or(0, |s| s.chars().count()) + 1;
        Span {
            start,
            end,
            line,
            column,
        }
    }
}

/// 1-based line and column (in characters) of byte offset `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// One finding about a definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// AWS's code (`SCHEMA_VALIDATION_FAILED`, ...) or one of Statewright's own lint codes.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// Where, as AWS writes it: `/States/Check/Choices[0]/Next` (`/` for the top level, empty when
    /// AWS gives none, Jackson's `[Source: ...]` for malformed JSON). [`Diagnostic::pointer`] gives
    /// the RFC 6901 form.
    pub location: String,
    /// Where in the source text, when known.
    pub span: Option<Span>,
}

impl Diagnostic {
    pub fn error(code: &str, message: impl Into<String>, location: impl Into<String>) -> Self {
        Diagnostic {
            code: code.to_string(),
            severity: Severity::Error,
            message: message.into(),
            location: location.into(),
            span: None,
        }
    }

    /// The location as an RFC 6901 JSON Pointer (`/States/C/Choices/0/Next`), for tools that
    /// navigate the document; empty when the diagnostic has no location.
    pub fn pointer(&self) -> String {
        if self.location.starts_with('/') {
            crate::syntax::json_pointer(&crate::syntax::parse_aws_location(&self.location))
        } else {
            String::new()
        }
    }

    pub fn warning(code: &str, message: impl Into<String>, location: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, location)
        }
    }
}

/// Escape one JSON Pointer reference token (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_chars() {
        let text = "{\n  \"é\": 1,\n  x\n}";
        assert_eq!(line_col(text, 0), (1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (3, 3));
        assert_eq!(line_col(text, 10_000), (4, 2));
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "{\n  \"é\": 1,\n  x\n}\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 3 {
            let s = index.span(text, offset, offset);
            let want = line_col(text, offset);
            assert_eq!((s.line, s.column), want, "offset {offset}");
        }
    }

    #[test]
    fn pointer_tokens_escape() {
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
    }
}
