//! The studio's logic without a DOM: flow graph, layout and geometry (edits, share codec to follow).

pub mod geometry;
pub mod graph;
pub mod layout;

pub use geometry::{Point, Rect, Viewport};
pub use graph::{EdgeKind, FlowGraph, ScopePath, ScopeStep};
pub use layout::{EdgePath, Layout, NodeBox, layout};
#[cfg(test)]
pub(crate) mod testgen;
