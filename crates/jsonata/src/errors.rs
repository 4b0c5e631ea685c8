//! Error message templates for the reference error codes, and filling them in.

use crate::Error;

fn template(code: &str) -> Option<&'static str> {
    Some(match code {
        "S0101" => r#"String literal must be terminated by a matching quote"#,
        "S0102" => r#"Number out of range: {{token}}"#,
        "S0103" => r#"Unsupported escape sequence: \{{token}}"#,
        "S0104" => r#"The escape sequence \u must be followed by 4 hex digits"#,
        "S0105" => r#"Quoted property name must be terminated with a backquote (`)"#,
        "S0106" => r#"Comment has no closing tag"#,
        "S0201" => r#"Syntax error: {{token}}"#,
        "S0202" => r#"Expected {{value}}, got {{token}}"#,
        "S0203" => r#"Expected {{value}} before end of expression"#,
        "S0204" => r#"Unknown operator: {{token}}"#,
        "S0205" => r#"Unexpected token: {{token}}"#,
        "S0206" => r#"Unknown expression type: {{token}}"#,
        "S0207" => r#"Unexpected end of expression"#,
        "S0208" => {
            r#"Parameter {{value}} of function definition must be a variable name (start with $)"#
        }
        "S0209" => r#"A predicate cannot follow a grouping expression in a step"#,
        "S0210" => r#"Each step can only have one grouping expression"#,
        "S0211" => r#"The symbol {{token}} cannot be used as a unary operator"#,
        "S0212" => r#"The left side of := must be a variable name (start with $)"#,
        "S0213" => {
            r#"The literal value {{value}} cannot be used as a step within a path expression"#
        }
        "S0214" => r#"The right side of {{token}} must be a variable name (start with $)"#,
        "S0215" => r#"A context variable binding must precede any predicates on a step"#,
        "S0216" => r#"A context variable binding must precede the 'order-by' clause on a step"#,
        "S0217" => r#"The object representing the 'parent' cannot be derived from this expression"#,
        "S0301" => r#"Empty regular expressions are not allowed"#,
        "S0302" => r#"No terminating / in regular expression"#,
        "S0402" => r#"Choice groups containing parameterized types are not supported"#,
        "S0401" => r#"Type parameters can only be applied to functions and arrays"#,
        "S0500" => r#"Attempted to evaluate an expression containing syntax error(s)"#,
        "T0410" => r#"Argument {{index}} of function {{token}} does not match function signature"#,
        "T0411" => {
            r#"Context value is not a compatible type with argument {{index}} of function {{token}}"#
        }
        "T0412" => r#"Argument {{index}} of function {{token}} must be an array of {{type}}"#,
        "D1001" => r#"Number out of range: {{value}}"#,
        "D1002" => r#"Cannot negate a non-numeric value: {{value}}"#,
        "T1003" => r#"Key in object structure must evaluate to a string; got: {{value}}"#,
        "D1004" => r#"Regular expression matches zero length string"#,
        "T1005" => r#"Attempted to invoke a non-function. Did you mean ${{{token}}}?"#,
        "T1006" => r#"Attempted to invoke a non-function"#,
        "T1007" => r#"Attempted to partially apply a non-function. Did you mean ${{{token}}}?"#,
        "T1008" => r#"Attempted to partially apply a non-function"#,
        "D1009" => r#"Multiple key definitions evaluate to same key: {{value}}"#,
        "D1010" => r#"Attempted to access the Javascript object prototype"#,
        "T1010" => {
            r#"The matcher function argument passed to function {{token}} does not return the correct object structure"#
        }
        "T2001" => r#"The left side of the {{token}} operator must evaluate to a number"#,
        "T2002" => r#"The right side of the {{token}} operator must evaluate to a number"#,
        "T2003" => r#"The left side of the range operator (..) must evaluate to an integer"#,
        "T2004" => r#"The right side of the range operator (..) must evaluate to an integer"#,
        "D2005" => r#"The left side of := must be a variable name (start with $)"#,
        "T2006" => r#"The right side of the function application operator ~> must be a function"#,
        "T2007" => {
            r#"Type mismatch when comparing values {{value}} and {{value2}} in order-by clause"#
        }
        "T2008" => {
            r#"The expressions within an order-by clause must evaluate to numeric or string values"#
        }
        "T2009" => {
            r#"The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type"#
        }
        "T2010" => {
            r#"The expressions either side of operator {{token}} must evaluate to numeric or string values"#
        }
        "T2011" => {
            r#"The insert/update clause of the transform expression must evaluate to an object: {{value}}"#
        }
        "T2012" => {
            r#"The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}"#
        }
        "T2013" => {
            r#"The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function."#
        }
        "D2014" => {
            r#"The size of the sequence allocated by the range operator (..) must not exceed 1e6.  Attempted to allocate {{value}}."#
        }
        "D3001" => r#"Attempting to invoke string function on Infinity or NaN"#,
        "D3010" => r#"Second argument of replace function cannot be an empty string"#,
        "D3011" => r#"Fourth argument of replace function must evaluate to a positive number"#,
        "D3012" => r#"Attempted to replace a matched string with a non-string value"#,
        "D3020" => r#"Third argument of split function must evaluate to a positive number"#,
        "D3030" => r#"Unable to cast value to a number: {{value}}"#,
        "D3040" => r#"Third argument of match function must evaluate to a positive number"#,
        "D3050" => {
            r#"The second argument of reduce function must be a function with at least two arguments"#
        }
        "D3060" => r#"The sqrt function cannot be applied to a negative number: {{value}}"#,
        "D3061" => {
            r#"The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}"#
        }
        "D3070" => {
            r#"The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function"#
        }
        "D3080" => r#"The picture string must only contain a maximum of two sub-pictures"#,
        "D3081" => {
            r#"The sub-picture must not contain more than one instance of the 'decimal-separator' character"#
        }
        "D3082" => {
            r#"The sub-picture must not contain more than one instance of the 'percent' character"#
        }
        "D3083" => {
            r#"The sub-picture must not contain more than one instance of the 'per-mille' character"#
        }
        "D3084" => {
            r#"The sub-picture must not contain both a 'percent' and a 'per-mille' character"#
        }
        "D3085" => {
            r#"The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'"#
        }
        "D3086" => {
            r#"The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"#
        }
        "D3087" => {
            r#"The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character"#
        }
        "D3088" => {
            r#"The sub-picture must not contain a 'grouping-separator' at the end of the integer part"#
        }
        "D3089" => {
            r#"The sub-picture must not contain two adjacent instances of the 'grouping-separator' character"#
        }
        "D3090" => {
            r#"The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"#
        }
        "D3091" => {
            r#"The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"#
        }
        "D3092" => {
            r#"A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"#
        }
        "D3093" => {
            r#"The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'"#
        }
        "D3100" => {
            r#"The radix of the formatBase function must be between 2 and 36.  It was given {{value}}"#
        }
        "D3110" => {
            r#"The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}"#
        }
        "D3120" => r#"Syntax error in expression passed to function eval: {{value}}"#,
        "D3121" => r#"Dynamic error evaluating the expression passed to function eval: {{value}}"#,
        "D3130" => {
            r#"Formatting or parsing an integer as a sequence starting with {{value}} is not supported by this implementation"#
        }
        "D3131" => r#"In a decimal digit pattern, all digits must be from the same decimal group"#,
        "D3132" => r#"Unknown component specifier {{value}} in date/time picture string"#,
        "D3133" => {
            r#"The 'name' modifier can only be applied to months and days in the date/time picture string, not {{value}}"#
        }
        "D3134" => r#"The timezone integer format specifier cannot have more than four digits"#,
        "D3135" => r#"No matching closing bracket ']' in date/time picture string"#,
        "D3136" => {
            r#"The date/time picture string is missing specifiers required to parse the timestamp"#
        }
        "D3137" => r#"{{{message}}}"#,
        "D3138" => {
            r#"The $single() function expected exactly 1 matching result.  Instead it matched more."#
        }
        "D3139" => {
            r#"The $single() function expected exactly 1 matching result.  Instead it matched 0."#
        }
        "D3140" => r#"Malformed URL passed to ${{{functionName}}}(): {{value}}"#,
        "D3141" => r#"{{{message}}}"#,
        "D3200" => {
            "The size argument of the partition function must be a positive integer: {{value}}"
        }
        "D3201" => {
            "The arguments of the range function must be finite numbers and the step must not be zero: {{value}}"
        }
        "D3202" => {
            "The hash algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512: {{value}}"
        }
        "D3203" => "The argument of the parse function is not valid JSON: {{value}}",
        "S0303" => "Invalid regular expression: {{value}}",
        "U1001" => {
            "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."
        }
        _ => return None,
    })
}

fn field(err: &Error, name: &str, json: bool) -> String {
    let v = match name {
        "token" => err.token.clone().map(serde_json::Value::String),
        "value" => err.detail.as_ref().and_then(|d| d.value.clone()),
        "value2" => err.detail.as_ref().and_then(|d| d.value2.clone()),
        "index" => err
            .detail
            .as_ref()
            .and_then(|d| d.index)
            .map(|i| serde_json::Value::from(i as u64)),
        "type" => err
            .detail
            .as_ref()
            .and_then(|d| d.type_name.clone())
            .map(serde_json::Value::String),
        "message" => Some(serde_json::Value::String(err.message.clone())),
        "functionName" => err.token.clone().map(serde_json::Value::String),
        "exp" => err.detail.as_ref().and_then(|d| d.value2.clone()),
        _ => None,
    };
    match v {
        None => {
            if json {
                String::new()
            } else {
                "undefined".to_string()
            }
        }
        Some(serde_json::Value::String(s)) if !json => s,
        Some(v) => v.to_string(),
    }
}

/// Fill `err.message` from the template for its code (kept when already set and the code has none).
pub fn populate(err: &mut Error) {
    let Some(t) = template(&err.code) else { return };
    if !err.message.is_empty() && t.contains("{{{message}}}") {
        err.message = t.replace("{{{message}}}", &err.message);
        return;
    }
    let mut out = String::new();
    let mut rest = t;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let triple = rest[i..].starts_with("{{{");
        let open = if triple { 3 } else { 2 };
        let close = if triple { "}}}" } else { "}}" };
        let after = &rest[i + open..];
        match after.find(close) {
            Some(j) => {
                out.push_str(&field(err, &after[..j], !triple));
                rest = &after[j + close.len()..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    err.message = out;
}
