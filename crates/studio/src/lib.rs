//! The studio's logic without a DOM: the document and its edits with undo, the flow graph, layout and
//! geometry, share links and the palette's catalog. The web app is a thin layer over this crate.
//!
//! Codemap:
//! - [`document`]: [`Document`] holds the ASL text (the ground truth) and the JSON value parsed from it.
//! - [`edit`]: the closed [`Edit`] enum and [`apply`], which returns the inverse edit.
//! - [`history`]: [`History`], undo/redo stacks with groups (a drag) and coalescing keys (typing).
//! - [`graph`]: [`FlowGraph`], one node per state (nested scopes flattened with parent links).
//! - [`mod@layout`]: [`layout()`], the layered drawing: boxes, SVG edge paths, label positions.
//! - [`geometry`]: [`Viewport`] (screen ↔ world, zoom about a point, fit) and hit testing.
//! - [`cull`]: what the canvas draws (the items touching a window around the view), following the selection.
//! - [`canvas`]: editing on the canvas: drop targets, the edit of each gesture (drop, move, connect,
//!   retarget, delete, duplicate, paste), keyboard navigation, the clipboard, state icons.
//! - [`share`]: `#v1:` share links (deflate + base64url), bounded decoding.
//! - [`mod@catalog`]: flow states and AWS service integrations with templates; [`new_state`].
//! - [`run_view`]: the execution view: statuses, taken edges, Map/Parallel progress and drill-down at a point
//!   of the history; state details (TestState inspectionData); history table, export; playback; cost.
//!
//! Invariants: no web crate, no I/O, no clock; no panic on any input; recursion depth-bounded
//! ([`graph::MAX_DEPTH`]); the same input always gives the same output.

pub mod canvas;
pub mod catalog;
pub mod choice_rules;
pub mod code;
pub mod coverage;
pub mod cull;
pub mod document;
pub mod edit;
pub mod export;
pub mod fields;
pub mod files;
pub mod geometry;
pub mod graph;
pub mod history;
pub mod import;
pub mod layout;
pub mod library;
pub mod mock_form;
pub mod preview;
pub mod replay;
pub mod run_view;
pub mod share;
pub mod templates;
pub mod testcase;

pub use catalog::{
    CatalogEntry, NewState, NewStateOptions, Pattern, QueryLanguage, catalog, new_state,
};
pub use document::Document;
pub use edit::{Edit, EditError, Transition, apply};
pub use geometry::{Point, Rect, Viewport};
pub use graph::{EdgeKind, FlowGraph, ScopePath, ScopeStep};
pub use history::History;
pub use layout::{EdgePath, Layout, NodeBox, ScopeSlot, layout, layout_after};
pub use share::{ShareEnvelope, ShareError, ShareView};
#[cfg(test)]
pub(crate) mod testgen;

#[cfg(test)]
mod tidy {
    /// Invariant: the studio depends on no web crate (it must run anywhere, natively and in wasm).
    #[test]
    fn no_web_dependencies() {
        let manifest = include_str!("../Cargo.toml");
        for forbidden in ["leptos", "web-sys", "js-sys", "wasm-bindgen", "gloo"] {
            assert!(
                !manifest
                    .lines()
                    .any(|l| l.trim_start().starts_with(forbidden)),
                "studio must not depend on {forbidden}"
            );
        }
    }
}
