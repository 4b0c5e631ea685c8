//! Statewright's own lints: warnings beyond AWS's rules, each with a stable `SW` code and one rule
//! per module. They run only on definitions AWS would accept, and never produce errors.

mod sw001_unbounded_loop;

use crate::syntax::Node;
use crate::validate::Ctx;

/// Every lint: its code, a one-line summary, and its check.
pub const LINTS: &[(&str, &str)] = &[(sw001_unbounded_loop::CODE, sw001_unbounded_loop::SUMMARY)];

pub(crate) fn run(ctx: &mut Ctx, root: &Node) {
    sw001_unbounded_loop::check(ctx, root);
}
