//! A local Authing-compatible server (work in progress).
