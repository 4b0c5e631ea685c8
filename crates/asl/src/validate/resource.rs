//! Task `Resource`: ARN shape, and the integrations an EXPRESS machine refuses.

use super::state::{Ql, expect_type};
use super::{Ctx, MachineType, Path, key};
use crate::syntax::Node;

pub fn check_task(ctx: &mut Ctx, state: &Node, path: &Path, _ql: Ql) {
    let Some(res) = state.get("Resource") else {
        ctx.schema("These fields are required: [Resource]", path, state);
        return;
    };
    let rp = key(path, "Resource");
    if !expect_type(ctx, res, &rp, "STRING") {
        return;
    }
    let arn = res.as_str().unwrap_or("");
    if arn.is_empty() {
        ctx.schema("Value cannot be empty", &rp, res);
        return;
    }
    // `${...}`: a CloudFormation / SAM DefinitionSubstitutions placeholder, replaced before AWS
    // sees the definition.
    if arn.starts_with("arn:") && !arn.contains("${") && !is_valid_arn(arn) {
        ctx.schema("Value is not a valid resource ARN", &rp, res);
        return;
    }
    if ctx.options.machine_type == MachineType::Express {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let service = parts.get(2).copied().unwrap_or("");
        let rest = parts.get(5).copied().unwrap_or("");
        if service == "states" && rest.starts_with("activity:") {
            ctx.schema(
                "Express state machine does not support Activity ARN",
                &rp,
                res,
            );
        } else if service == "states" && (rest.ends_with(".sync") || rest.contains(".sync:")) {
            ctx.schema(
                "Express state machine does not support '.sync' service integration",
                &rp,
                res,
            );
        } else if service == "states" && rest.ends_with(".waitForTaskToken") {
            ctx.schema(
                "Express state machine does not support '.waitForTaskToken' service integration ",
                &rp,
                res,
            );
        }
    }
}

/// `arn:partition:service:region:account:resource`, with Lambda function names and qualifiers checked.
pub fn is_valid_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[1].is_empty() || parts[2].is_empty() || parts[5].is_empty() {
        return false;
    }
    if parts[2] == "lambda" {
        let Some(func) = parts[5].strip_prefix("function:") else {
            return true;
        };
        let mut pieces = func.split(':');
        let name_ok = pieces.next().is_some_and(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
        let qualifier_ok = match pieces.next() {
            None => true,
            Some(q) => {
                !q.is_empty()
                    && (q == "$LATEST"
                        || q.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            }
        };
        return name_ok && qualifier_ok && pieces.next().is_none();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns() {
        assert!(is_valid_arn("arn:aws:states:::lambda:invoke"));
        assert!(is_valid_arn(
            "arn:aws:lambda:us-east-1:123456789012:function:Fn"
        ));
        assert!(is_valid_arn(
            "arn:aws:lambda:us-east-1:123456789012:function:Fn:prod"
        ));
        assert!(is_valid_arn(
            "arn:aws:lambda:us-east-1:123456789012:function:Fn:$LATEST"
        ));
        assert!(!is_valid_arn(
            "arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:"
        ));
        assert!(!is_valid_arn(
            "arn:aws:lambda:region-1:1234567890:function:F:$*#$7485"
        ));
        assert!(!is_valid_arn("arn:aws"));
    }
}
