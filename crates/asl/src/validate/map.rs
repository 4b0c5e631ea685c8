//! Map states (inline and distributed): processor, items, concurrency, tolerated failures, Label,
//! ItemReader, ItemBatcher, ResultWriter.

use super::state::{Ql, check_int, check_machine, exclusive, expect_type};
use super::{Ctx, Path, graph, jsonata, key, paths};
use crate::syntax::Node;

/// Longest Map Label AWS accepts.
pub const MAX_LABEL: usize = 40;

pub fn check_map<'n>(
    ctx: &mut Ctx,
    state: &'n Node<'n>,
    path: &Path,
    depth: usize,
    ql: Ql,
    machine_ql: Ql,
    names: &mut graph::NameRegistry<'n>,
) {
    let processor = match (state.get("ItemProcessor"), state.get("Iterator")) {
        (Some(p), None) => Some(("ItemProcessor", p)),
        (None, Some(p)) => Some(("Iterator", p)),
        (None, None) => {
            ctx.schema("These fields are required: [ItemProcessor]", path, state);
            None
        }
        (Some(p), Some(_)) => {
            exclusive(ctx, state, path, &["ItemProcessor", "Iterator"]);
            Some(("ItemProcessor", p))
        }
    };
    let mut distributed = false;
    if let Some((name, p)) = processor {
        let pp = key(path, name);
        if let Some(cfg) = p.get("ProcessorConfig") {
            let cp = key(&pp, "ProcessorConfig");
            if expect_type(ctx, cfg, &cp, "OBJECT") {
                for m in cfg.members() {
                    if !matches!(m.key(), "Mode" | "ExecutionType") {
                        ctx.schema(format!("Field '{}' is not supported", m.key), &cp, cfg);
                    }
                }
                if let Some(mode) = cfg.get("Mode") {
                    let mp = key(&cp, "Mode");
                    if expect_type(ctx, mode, &mp, "STRING") {
                        match mode.as_str() {
                            Some("DISTRIBUTED") => distributed = true,
                            Some("INLINE") => {}
                            _ => ctx.schema(
                                "The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]",
                                &mp,
                                mode,
                            ),
                        }
                    }
                }
                if let Some(et) = cfg.get("ExecutionType") {
                    let ep = key(&cp, "ExecutionType");
                    if expect_type(ctx, et, &ep, "STRING")
                        && !matches!(et.as_str(), Some("STANDARD" | "EXPRESS"))
                    {
                        ctx.schema(
                            "The field 'ExecutionType' should have one of these values: [STANDARD, EXPRESS]",
                            &ep,
                            et,
                        );
                    }
                }
                if distributed && cfg.get("ExecutionType").is_none() {
                    ctx.schema("These fields are required: [ExecutionType]", &cp, cfg);
                }
            }
        }
        check_machine(ctx, p, &pp, depth + 1, machine_ql, names, false);
    }

    let get = |f: &str| {
        state.get(f).filter(|_| {
            super::fields::lang_of("Map", f).is_some_and(|l| super::fields::allowed_in(l, ql))
        })
    };
    if let Some(n) = get("ItemsPath") {
        paths::check_path_field(ctx, n, path, "ItemsPath", true, false);
    }
    if let Some(n) = get("Items") {
        let ip = key(path, "Items");
        if n.as_str().is_some() {
            jsonata::check_required_expression(ctx, n, &ip);
        } else if expect_type(ctx, n, &ip, "ARRAY") {
            jsonata::check_template(ctx, n, &ip);
        }
    }
    exclusive(ctx, state, path, &["ItemSelector", "Parameters"]);
    if let Some(n) = get("ItemSelector") {
        let sp = key(path, "ItemSelector");
        if expect_type(ctx, n, &sp, "OBJECT") {
            match ql {
                Ql::JsonPath => paths::check_template(ctx, n, &sp),
                Ql::Jsonata => jsonata::check_template(ctx, n, &sp),
            }
        }
    }
    for (f, fp, min, max) in [
        ("MaxConcurrency", "MaxConcurrencyPath", 0, None),
        (
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            0,
            None,
        ),
    ] {
        exclusive(ctx, state, path, &[f, fp]);
        if let Some(n) = get(f) {
            check_int(ctx, n, &key(path, f), ql, min, max);
        }
        if let Some(n) = get(fp) {
            paths::check_path_field(ctx, n, path, fp, true, false);
        }
    }
    exclusive(
        ctx,
        state,
        path,
        &[
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
        ],
    );
    if let Some(n) = get("ToleratedFailurePercentage") {
        let p = key(path, "ToleratedFailurePercentage");
        if ql == Ql::Jsonata && jsonata::is_expression(n) {
            jsonata::check_expression(ctx, n, &p);
        } else if expect_type(ctx, n, &p, "NUMBER") {
            let v = n.as_f64().unwrap_or(0.0);
            if v < 0.0 {
                ctx.schema("Minimum value is 0", &p, n);
            } else if v > 100.0 {
                ctx.schema("Maximum value is 100", &p, n);
            }
        }
    }
    if let Some(n) = get("ToleratedFailurePercentagePath") {
        paths::check_path_field(ctx, n, path, "ToleratedFailurePercentagePath", true, false);
    }
    if let Some(n) = state.get("Label") {
        check_label(ctx, n, &key(path, "Label"));
    }
    if let Some(n) = state.get("ItemReader") {
        check_item_reader(ctx, n, &key(path, "ItemReader"), ql);
    }
    if let Some(n) = state.get("ItemBatcher") {
        check_item_batcher(ctx, n, &key(path, "ItemBatcher"), ql);
    }
    if let Some(n) = state.get("ResultWriter") {
        check_result_writer(ctx, n, &key(path, "ResultWriter"), ql);
    }
}

/// A Map Label: non-empty, at most 40 characters, none of the characters AWS forbids.
pub fn check_label(ctx: &mut Ctx, node: &Node, path: &Path) {
    if !expect_type(ctx, node, path, "STRING") {
        return;
    }
    let label = node.as_str().unwrap_or("");
    if label.is_empty() {
        ctx.schema("Label cannot be empty", path, node);
        return;
    }
    if label.chars().count() > MAX_LABEL {
        ctx.schema(
            format!("Label cannot exceed {MAX_LABEL} characters"),
            path,
            node,
        );
        return;
    }
    if let Some(bad) = label.chars().find(|c| is_forbidden_label_char(*c)) {
        ctx.schema(
            format!("Label contains invalid character: '{}'", describe_char(bad)),
            path,
            node,
        );
    }
}

fn is_forbidden_label_char(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
}

fn describe_char(c: char) -> String {
    match c {
        '\n' => "\\n".into(),
        '\t' => "\\t".into(),
        '\r' => "\\r".into(),
        c if c.is_control() || ('\u{7f}'..='\u{9f}').contains(&c) => format!("\\x{:02x}", c as u32),
        c => c.to_string(),
    }
}

fn check_item_reader(ctx: &mut Ctx, node: &Node, path: &Path, ql: Ql) {
    if !expect_type(ctx, node, path, "OBJECT") {
        return;
    }
    for m in node.members() {
        let ok = match m.key() {
            "Resource" | "ReaderConfig" => true,
            "Parameters" => ql == Ql::JsonPath,
            "Arguments" => ql == Ql::Jsonata,
            _ => false,
        };
        if !ok {
            ctx.schema(format!("Field '{}' is not supported", m.key), path, node);
        }
    }
    match node.get("Resource") {
        None => ctx.schema("These fields are required: [Resource]", path, node),
        Some(r) => {
            let rp = key(path, "Resource");
            if expect_type(ctx, r, &rp, "STRING")
                && !is_states_s3(r.as_str().unwrap_or(""), &["getObject", "listObjectsV2"])
            {
                ctx.schema(
                    "The field 'Resource' does not match any of the allowed values. Examples: [arn:<partition>:states:::s3:getObject, arn:<partition>:states:::s3:listObjectsV2]",
                    &rp,
                    r,
                );
            }
        }
    }
    if let Some(cfg) = node.get("ReaderConfig") {
        let cp = key(path, "ReaderConfig");
        if expect_type(ctx, cfg, &cp, "OBJECT") {
            if let Some(t) = cfg.get("InputType") {
                let tp = key(&cp, "InputType");
                if expect_type(ctx, t, &tp, "STRING")
                    && !matches!(
                        t.as_str(),
                        Some("CSV" | "JSON" | "JSONL" | "MANIFEST" | "PARQUET")
                    )
                {
                    ctx.schema(
                        "The field 'InputType' should have one of these values: [MANIFEST, JSON, CSV, JSONL, PARQUET]",
                        &tp,
                        t,
                    );
                }
            }
            exclusive(ctx, cfg, &cp, &["MaxItems", "MaxItemsPath"]);
            if let Some(n) = cfg.get("MaxItems") {
                check_int(ctx, n, &key(&cp, "MaxItems"), ql, 0, Some(100_000_000));
            }
            if let Some(n) = cfg.get("MaxItemsPath") {
                paths::check_path_field(ctx, n, &cp, "MaxItemsPath", true, false);
            }
        }
    }
    if ql == Ql::JsonPath
        && let Some(p) = node.get("Parameters")
    {
        paths::check_template(ctx, p, &key(path, "Parameters"));
    }
    if ql == Ql::Jsonata
        && let Some(a) = node.get("Arguments")
    {
        jsonata::check_template(ctx, a, &key(path, "Arguments"));
    }
}

/// `arn:<partition>:states:::s3:<action>` for one of `actions`.
fn is_states_s3(arn: &str, actions: &[&str]) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "states"
        && parts[3].is_empty()
        && parts[4].is_empty()
        && parts[5]
            .strip_prefix("s3:")
            .is_some_and(|a| actions.contains(&a))
}

fn check_item_batcher(ctx: &mut Ctx, node: &Node, path: &Path, ql: Ql) {
    if !expect_type(ctx, node, path, "OBJECT") {
        return;
    }
    for m in node.members() {
        let ok = match m.key() {
            "MaxItemsPerBatch" | "MaxInputBytesPerBatch" | "BatchInput" => true,
            "MaxItemsPerBatchPath" | "MaxInputBytesPerBatchPath" => ql == Ql::JsonPath,
            _ => false,
        };
        if !ok {
            ctx.schema(format!("Field '{}' is not supported", m.key), path, node);
        }
    }
    for (f, fp, max) in [
        ("MaxItemsPerBatch", "MaxItemsPerBatchPath", None),
        (
            "MaxInputBytesPerBatch",
            "MaxInputBytesPerBatchPath",
            Some(262_144),
        ),
    ] {
        exclusive(ctx, node, path, &[f, fp]);
        if let Some(n) = node.get(f) {
            check_int(ctx, n, &key(path, f), ql, 1, max);
        }
        if let Some(n) = node.get(fp) {
            paths::check_path_field(ctx, n, path, fp, true, false);
        }
    }
}

fn check_result_writer(ctx: &mut Ctx, node: &Node, path: &Path, ql: Ql) {
    if !expect_type(ctx, node, path, "OBJECT") {
        return;
    }
    for m in node.members() {
        let ok = match m.key() {
            "Resource" | "WriterConfig" => true,
            "Parameters" => ql == Ql::JsonPath,
            "Arguments" => ql == Ql::Jsonata,
            _ => false,
        };
        if !ok {
            ctx.schema(format!("Field '{}' is not supported", m.key), path, node);
        }
    }
    if node.members().is_empty() {
        ctx.schema("These fields are required: [Resource]", path, node);
    }
    if let Some(r) = node.get("Resource") {
        let rp = key(path, "Resource");
        if expect_type(ctx, r, &rp, "STRING")
            && !is_states_s3(r.as_str().unwrap_or(""), &["putObject"])
        {
            ctx.schema(
                "The field 'Resource' does not match any of the allowed values. Examples: [arn:<partition>:states:::s3:putObject]",
                &rp,
                r,
            );
        }
    }
    if let Some(cfg) = node.get("WriterConfig") {
        let cp = key(path, "WriterConfig");
        if expect_type(ctx, cfg, &cp, "OBJECT") {
            let t = cfg.get("Transformation");
            let o = cfg.get("OutputType");
            if t.is_some() != o.is_some()
                || t.is_some_and(|t| t.as_str().is_none())
                || o.is_some_and(|o| o.as_str().is_none())
            {
                ctx.schema(
                    "These fields are required: [Transformation, OutputType]",
                    &cp,
                    cfg,
                );
            }
        }
    }
    if ql == Ql::JsonPath
        && let Some(p) = node.get("Parameters")
    {
        paths::check_template(ctx, p, &key(path, "Parameters"));
    }
}
