//! The Amazon States Language core: parsing, diagnostics and validation (simulation to follow).
//!
//! Entry point for tools: [`analyze`] takes the user's text (JSON or YAML) and returns the parsed
//! definition (when the text is well-formed) plus every diagnostic. It never panics and never fails.

pub mod diagnostic;
pub mod intrinsics;
pub mod jsonpath;
pub mod lints;
pub mod simulate;
pub mod syntax;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity, Span};
pub use validate::{Analysis, analyze};
pub use validate::{
    MachineType, Options, Validation, analyze_state, analyze_with, creation_error_message,
    validate, validate_with,
};
