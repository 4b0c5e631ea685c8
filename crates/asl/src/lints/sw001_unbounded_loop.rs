//! SW001: a loop with no Wait state and no Choice that can leave it.
//!
//! placeholder filled below
pub const CODE: &str = "SW001";
pub const SUMMARY: &str = "Loop with no Wait and no exit";
pub(crate) fn check(_ctx: &mut crate::validate::Ctx, _root: &crate::syntax::Node) {}
