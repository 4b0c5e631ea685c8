//! The studio's logic without a DOM: the document and its edits with undo, flow graph, layout,
//! geometry (edits, share codec to follow).

pub mod document;
pub mod edit;
pub mod geometry;
pub mod graph;
pub mod history;
pub mod layout;

pub use document::Document;
pub use edit::{Edit, EditError, Transition, apply};
pub use geometry::{Point, Rect, Viewport};
pub use graph::{EdgeKind, FlowGraph, ScopePath, ScopeStep};
pub use history::History;
pub use layout::{EdgePath, Layout, NodeBox, layout};
#[cfg(test)]
pub(crate) mod testgen;
