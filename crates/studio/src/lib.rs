//! The studio's logic without a DOM: flow graph, layout and geometry (edits, share codec to follow).

pub mod graph;
pub mod layout;

pub use graph::{EdgeKind, FlowGraph};
pub use layout::{EdgePath, Layout, NodeBox, layout};
