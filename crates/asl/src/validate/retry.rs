//! Retry and Catch: required fields, ranges, and `States.ALL` alone and last.

use super::state::{Ql, check_int, expect_type};
use super::{Ctx, Path, index, jsonata, key, paths};
use crate::syntax::Node;

fn check_error_equals(ctx: &mut Ctx, item: &Node, path: &Path) -> bool {
    let Some(ee) = item.get("ErrorEquals") else {
        ctx.schema("These fields are required: [ErrorEquals]", path, item);
        return false;
    };
    let p = key(path, "ErrorEquals");
    if !expect_type(ctx, ee, &p, "ARRAY") {
        return false;
    }
    if ee.items().is_empty() {
        ctx.schema("Value cannot be empty", &p, ee);
    }
    let mut has_all = false;
    for (i, e) in ee.items().iter().enumerate() {
        if expect_type(ctx, e, &index(&p, i), "STRING") && e.as_str() == Some("States.ALL") {
            has_all = true;
        }
    }
    if has_all && ee.items().len() > 1 {
        ctx.schema(
            "'States.ALL' must appear alone in the 'ErrorEquals' array",
            &p,
            ee,
        );
    }
    has_all
}

/// States.ALL must be in the last retrier / catcher.
fn all_must_be_last(ctx: &mut Ctx, list: &Node, path: &Path, alls: &[usize], what: &str) {
    let last = list.items().len().saturating_sub(1);
    for &i in alls {
        if i != last
            && let Some(item) = list.items().get(i)
        {
            ctx.schema(
                format!("'States.ALL' must appear in the last {what}"),
                &index(path, i),
                item,
            );
        }
    }
}

pub fn check_retriers(ctx: &mut Ctx, list: &Node, path: &Path) {
    if !expect_type(ctx, list, path, "ARRAY") {
        return;
    }
    let mut alls = Vec::new();
    for (i, r) in list.items().iter().enumerate() {
        let p = index(path, i);
        if !expect_type(ctx, r, &p, "OBJECT") {
            continue;
        }
        for m in r.members() {
            if !matches!(
                m.key(),
                "ErrorEquals"
                    | "IntervalSeconds"
                    | "MaxAttempts"
                    | "BackoffRate"
                    | "MaxDelaySeconds"
                    | "JitterStrategy"
                    | "Comment"
            ) {
                ctx.schema(format!("Field '{}' is not supported", m.key), &p, r);
            }
        }
        if check_error_equals(ctx, r, &p) {
            alls.push(i);
        }
        if let Some(n) = r.get("IntervalSeconds") {
            check_int(
                ctx,
                n,
                &key(&p, "IntervalSeconds"),
                Ql::JsonPath,
                1,
                Some(99_999_999),
            );
        }
        if let Some(n) = r.get("MaxAttempts") {
            check_int(
                ctx,
                n,
                &key(&p, "MaxAttempts"),
                Ql::JsonPath,
                0,
                Some(99_999_999),
            );
        }
        if let Some(n) = r.get("MaxDelaySeconds") {
            check_int(
                ctx,
                n,
                &key(&p, "MaxDelaySeconds"),
                Ql::JsonPath,
                1,
                Some(31_622_400),
            );
        }
        if let Some(n) = r.get("BackoffRate") {
            let bp = key(&p, "BackoffRate");
            if expect_type(ctx, n, &bp, "NUMBER") && n.as_f64().unwrap_or(1.0) < 1.0 {
                ctx.schema("Minimum value is 1.0", &bp, n);
            }
        }
        if let Some(n) = r.get("JitterStrategy") {
            let jp = key(&p, "JitterStrategy");
            if expect_type(ctx, n, &jp, "STRING") && !matches!(n.as_str(), Some("FULL" | "NONE")) {
                ctx.schema(
                    "The field 'JitterStrategy' should have one of these values: [FULL, NONE]",
                    &jp,
                    n,
                );
            }
        }
        if let Some(n) = r.get("Comment") {
            expect_type(ctx, n, &key(&p, "Comment"), "STRING");
        }
    }
    all_must_be_last(ctx, list, path, &alls, "retrier");
}

pub fn check_catchers(ctx: &mut Ctx, list: &Node, path: &Path, ql: Ql) {
    if !expect_type(ctx, list, path, "ARRAY") {
        return;
    }
    let mut alls = Vec::new();
    for (i, c) in list.items().iter().enumerate() {
        let p = index(path, i);
        if !expect_type(ctx, c, &p, "OBJECT") {
            continue;
        }
        for m in c.members() {
            let ok = match m.key() {
                "ErrorEquals" | "Next" | "Comment" | "Assign" => true,
                "ResultPath" => ql == Ql::JsonPath,
                "Output" => ql == Ql::Jsonata,
                _ => false,
            };
            if !ok {
                ctx.schema(format!("Field '{}' is not supported", m.key), &p, c);
            }
        }
        if check_error_equals(ctx, c, &p) {
            alls.push(i);
        }
        match c.get("Next") {
            None => ctx.schema("These fields are required: [Next]", &p, c),
            Some(n) => {
                expect_type(ctx, n, &key(&p, "Next"), "STRING");
            }
        }
        if ql == Ql::JsonPath
            && let Some(n) = c.get("ResultPath")
        {
            paths::check_result_path(ctx, n, &p);
        }
        ctx.in_catch = true;
        if let Some(n) = c.get("Assign")
            && expect_type(ctx, n, &key(&p, "Assign"), "OBJECT")
        {
            match ql {
                Ql::JsonPath => paths::check_template(ctx, n, &key(&p, "Assign")),
                Ql::Jsonata => jsonata::check_template(ctx, n, &key(&p, "Assign")),
            }
        }
        if ql == Ql::Jsonata
            && let Some(n) = c.get("Output")
        {
            jsonata::check_template(ctx, n, &key(&p, "Output"));
        }
        ctx.in_catch = false;
    }
    all_must_be_last(ctx, list, path, &alls, "catcher");
}
