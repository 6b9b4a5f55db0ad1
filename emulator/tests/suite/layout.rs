//! The layout's rule, checked: the core (`src/core/`, `src/http/`) names no family. It
//! reaches the families only through their registration in `src/families/mod.rs` (the
//! `FAMILIES` table, `FamilyStates`, and the `route` and `admin` look-ups), so that adding
//! a family never edits the core.

use std::path::{Path, PathBuf};

/// What the core may name under `crate::families::`: the registration.
const REGISTRATION: &[&str] = &[
    "{FamilyStates, FAMILIES}",
    "route(",
    "admin(",
    "upgrade(",
    "observed(",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_core_names_no_family_beyond_their_registration() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join("core"), &mut files);
    rust_files(&src.join("http"), &mut files);
    assert!(files.len() > 10, "the core's files were not found");
    let mut named = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for (_, rest) in text
            .match_indices("families::")
            .map(|(i, _)| text.split_at(i + 10))
        {
            let allowed = REGISTRATION.iter().any(|r| rest.starts_with(r));
            if !allowed {
                let line: String = rest.chars().take_while(|c| *c != '\n').collect();
                named.push(format!("{name}: families::{line}"));
            }
        }
    }
    assert!(
        named.is_empty(),
        "the core names a family; register it in src/families/mod.rs instead:\n{}",
        named.join("\n")
    );
}
