//! The studio's logic without a DOM: the document and its edits with undo, flow graph, layout,
//! geometry, share links, the palette's catalog.

pub mod catalog;
pub mod document;
pub mod edit;
pub mod geometry;
pub mod graph;
pub mod history;
pub mod layout;
pub mod share;

pub use catalog::{
    CatalogEntry, NewState, NewStateOptions, Pattern, QueryLanguage, catalog, new_state,
};
pub use document::Document;
pub use edit::{Edit, EditError, Transition, apply};
pub use geometry::{Point, Rect, Viewport};
pub use graph::{EdgeKind, FlowGraph, ScopePath, ScopeStep};
pub use history::History;
pub use layout::{EdgePath, Layout, NodeBox, layout};
pub use share::{ShareEnvelope, ShareError, ShareView};
#[cfg(test)]
pub(crate) mod testgen;
