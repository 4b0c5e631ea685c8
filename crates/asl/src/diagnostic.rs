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
    /// JSON Pointer to the offending value, e.g. `/States/Check/Choices/0/Next`.
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
    fn pointer_tokens_escape() {
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
    }
}
