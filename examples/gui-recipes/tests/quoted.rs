//! docs/THREADING.md quotes the recipes of this crate; this checks that it quotes each one
//! as the file has it (the file less its `//!` header and `use` lines), so the page cannot
//! drift from the code that is compiled and run. Needs no toolkit: it reads files.

use std::fs;
use std::path::Path;

/// A recipe file as the page quotes it: from its first line that is not a `//!` comment,
/// a `use` line or blank, to its end.
fn quoted_part(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = fs::read_to_string(&path).unwrap();
    let body: Vec<&str> = text
        .lines()
        .skip_while(|line| {
            line.starts_with("//!") || line.starts_with("use ") || line.trim().is_empty()
        })
        .collect();
    format!("```rust,ignore\n{}\n```", body.join("\n").trim_end())
}

fn threading_md() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/THREADING.md");
    fs::read_to_string(path).unwrap()
}

#[test]
fn threading_md_quotes_each_recipe_file_as_it_is() {
    let page = threading_md();
    for file in [
        "src/gtk_executor.rs",
        "src/gtk_inbox.rs",
        "src/slint_executor.rs",
    ] {
        let quote = quoted_part(file);
        assert!(
            page.contains(&quote),
            "docs/THREADING.md does not quote {file} as it is; quote this:\n{quote}"
        );
    }
}
