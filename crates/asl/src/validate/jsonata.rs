//! JSONata `{% ... %}` expressions in JSONata states: where they are required, and their syntax.
//!
//! Syntax is the `jsonata` crate's parser (the reference's grammar, AWS's messages without the
//! `S0xxx` code); `$$` is refused as AWS refuses it, and `$states.errorOutput` outside a Catch.

use super::{Ctx, Path, index, key};
use crate::syntax::{Node, NodeKind};

/// Whether a value is a JSONata expression string (`{% ... %}`).
pub fn is_expression(node: &Node) -> bool {
    node.as_str().is_some_and(|s| expression_body(s).is_some())
}

fn expression_body(s: &str) -> Option<&str> {
    s.strip_prefix("{%")?.strip_suffix("%}")
}

/// A field that must hold an expression (Items as a string, Condition, Arguments as a string).
pub fn check_required_expression(ctx: &mut Ctx, node: &Node, path: &Path) {
    if is_expression(node) {
        check_expression(ctx, node, path);
    } else {
        ctx.schema(
            "The value must be a JSONata expression enclosed in '{%' and '%}'",
            path,
            node,
        );
    }
}

/// Check the syntax of one `{% %}` string.
pub fn check_expression(ctx: &mut Ctx, node: &Node, path: &Path) {
    let Some(body) = node.as_str().and_then(expression_body) else {
        return;
    };
    if let Err(e) = ::jsonata::parse(body) {
        ctx.error("INVALID_JSONATA_EXPRESSION", aws_message(&e), path, node);
    } else if let Err((code @ "UNSUPPORTED_JSONATA_EXPRESSION", message)) = syntax_error(body) {
        ctx.error(code, message, path, node);
    } else if !ctx.in_catch && body.contains("$states.errorOutput") {
        ctx.error(
            "UNSUPPORTED_JSONATA_EXPRESSION",
            "Field '$states.errorOutput' does not exist.",
            path,
            node,
        );
    }
}

/// Check every expression string inside a template value (Output, Arguments, Assign, ...).
pub fn check_template(ctx: &mut Ctx, node: &Node, path: &Path) {
    match &node.kind {
        NodeKind::String(s) => {
            if s.starts_with("{%") && !s.ends_with("%}") {
                ctx.error(
                    "INVALID_JSONATA_EXPRESSION",
                    "A JSONata expression must be enclosed in '{%' and '%}'",
                    path,
                    node,
                );
            } else {
                check_expression(ctx, node, path);
            }
        }
        NodeKind::Object(members) => {
            for m in members {
                check_template(ctx, &m.value, &key(path, &m.key));
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

/// AWS words a JSONata syntax error as the reference parser does, without the `S0xxx: ` code.
fn aws_message(e: &::jsonata::Error) -> String {
    let m = e.message.as_str();
    match m.split_once(": ") {
        Some((code, rest)) if code.len() == 5 && code.starts_with('S') => rest.to_string(),
        _ => m.to_string(),
    }
}

/// A structural scan of a JSONata expression body: `$$` (which AWS does not support) and, for
/// the unit tests below, the shape errors the full parser also reports.
fn syntax_error(body: &str) -> Result<(), (&'static str, String)> {
    let invalid = |m: &str| Err(("INVALID_JSONATA_EXPRESSION", m.to_string()));
    if body.trim().is_empty() {
        return invalid("Unexpected end of expression");
    }
    let chars: Vec<char> = body.chars().collect();
    let mut stack: Vec<char> = Vec::new();
    let mut i = 0;
    let mut last_significant = ' ';
    // What came before: true after an operand (value, name, closing bracket).
    let mut after_operand = false;
    while i < chars.len() {
        let c = chars[i];
        let mut operand = false;
        match c {
            '"' | '\'' | '`' => {
                let q = c;
                i += 1;
                while i < chars.len() && chars[i] != q {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i >= chars.len() {
                    return invalid("String literal must be terminated by a matching quote");
                }
                operand = c != '`';
                if operand && after_operand {
                    return Err(("INVALID_JSONATA_EXPRESSION", "Expected \"(end)\"".into()));
                }
                operand = true;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                if i + 1 >= chars.len() {
                    return invalid("Comment has no closing tag");
                }
                i += 2;
                continue;
            }
            '/' if !after_operand => {
                // A regular expression literal.
                i += 1;
                let mut in_class = false;
                while i < chars.len() && (chars[i] != '/' || in_class) {
                    match chars[i] {
                        '\\' => i += 1,
                        '[' => in_class = true,
                        ']' => in_class = false,
                        _ => {}
                    }
                    i += 1;
                }
                if i >= chars.len() {
                    return invalid("No terminating / in regular expression");
                }
                while chars
                    .get(i + 1)
                    .is_some_and(|f| matches!(f, 'i' | 'm' | 'g'))
                {
                    i += 1;
                }
                operand = true;
            }
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if stack.pop() != Some(want) {
                    let expected = match stack.last() {
                        Some('(') => ")",
                        Some('[') => "]",
                        Some('{') => "}",
                        _ => "(end)",
                    };
                    return Err((
                        "INVALID_JSONATA_EXPRESSION",
                        format!("Expected \"{expected}\", got \"{c}\""),
                    ));
                }
                operand = true;
            }
            '$' if chars.get(i + 1) == Some(&'$') => {
                return Err((
                    "UNSUPPORTED_JSONATA_EXPRESSION",
                    "Reference to '$$' is not supported.".into(),
                ));
            }
            '?' | ':' | '=' | '<' | '>' | '&' | ','
                if !after_operand
                    && (c != '=' || !matches!(last_significant, ':' | '!' | '<' | '>'))
                    && (c != '>' || last_significant != '~')
                    && !(matches!(c, '?' | ':') && last_significant == '?') =>
            {
                return Err((
                    "INVALID_JSONATA_EXPRESSION",
                    format!("The symbol \"{c}\" cannot be used as a unary operator"),
                ));
            }
            c if c.is_ascii_digit() || c.is_alphabetic() || c == '$' || c == '_' => {
                let start = i;
                while i + 1 < chars.len()
                    && (chars[i + 1].is_alphanumeric()
                        || chars[i + 1] == '_'
                        || (c.is_ascii_digit()
                            && chars[i + 1] == '.'
                            && chars.get(i + 2).is_some_and(char::is_ascii_digit)))
                {
                    i += 1;
                }
                let word: String = chars[start..=i].iter().collect();
                if matches!(word.as_str(), "and" | "or" | "in") && after_operand {
                    operand = false;
                } else {
                    if after_operand && !matches!(last_significant, '.') {
                        return Err((
                            "INVALID_JSONATA_EXPRESSION",
                            format!("Syntax error: \"{word}\""),
                        ));
                    }
                    operand = true;
                }
            }
            '*' if !after_operand => operand = true,
            '%' if !after_operand => operand = true,
            _ => {}
        }
        if !c.is_whitespace() {
            last_significant = c;
            after_operand = operand;
        }
        i += 1;
    }
    if !stack.is_empty() {
        return invalid("Unexpected end of expression");
    }
    if matches!(
        last_significant,
        '+' | '-' | '*' | '/' | '%' | '&' | '=' | '<' | '>' | ',' | '.' | '?' | ':' | '!'
    ) {
        return invalid("Unexpected end of expression");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_parser_messages() {
        for (body, want) in [
            ("a[1,2)", "Expected \"]\", got \",\""),
            (
                "\"unterminated",
                "String literal must be terminated by a matching quote",
            ),
            ("1 +", "Unexpected end of expression"),
            ("", "Unexpected end of expression"),
        ] {
            let e = ::jsonata::parse(body).unwrap_err();
            assert_eq!(aws_message(&e), want, "{body}: {e:?}");
        }
    }

    #[test]
    fn structural_errors() {
        for (body, ok) in [
            ("$states.input", true),
            ("a[1,2)", false),
            ("\"unterminated", false),
            ("1 +", false),
            ("", false),
            ("$$", false),
            ("$states.input.'$$'", true),
            ("$count([1,2]) > 1 ? 'a' : 'b'", true),
            ("{'a': [1, 2]}", true),
            ("10 + * 2", false),
            ("$.store.book[?(@.price < 10)].title", false),
            ("$x := 5; $x * 2", true),
            ("function($a) { $a + 1 }(2)", true),
            ("$states.input.n * 2", true),
            ("a != 1 and b <= 2 or c in [1,2]", true),
            ("1.5e3", true),
            ("$x ~> $uppercase()", true),
            ("$a ?? 'default'", true),
            ("$a ?: 'default'", true),
            ("[1..5]", true),
            ("items#$i[$i > 1]", true),
            ("$match($x, /^[a-z/]+$/i) and $y", true),
            ("$match(\"a\", /abc", false),
        ] {
            assert_eq!(syntax_error(body).is_ok(), ok, "{body}");
        }
    }
}
