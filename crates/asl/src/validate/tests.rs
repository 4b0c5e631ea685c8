//! Unit tests of the validator against hand-written definitions.
