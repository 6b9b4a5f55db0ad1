//! The emulator as a program (work in progress).
fn main() {}
