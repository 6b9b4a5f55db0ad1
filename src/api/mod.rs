//! The `AuthClient` calls, one module per family (design.md, "Growing to the whole
//! AuthClient"). Each module adds an `impl AuthClient` block with the family's calls, the
//! callback form and its blocking twin, and nothing else.

pub(crate) mod recovery;
