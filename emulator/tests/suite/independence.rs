//! The emulator depends on no part of the SDK it judges: its manifest names no `authing`
//! package, and its code names no `authing::` path.

use std::path::Path;

/// The `[...dependencies...]` tables of a manifest and the package names in them.
fn dependency_names(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            // [dependencies], [dev-dependencies], [build-dependencies],
            // [target.'cfg(..)'.dependencies], and [dependencies.name] tables.
            in_deps = line.contains("dependencies");
            if let Some(rest) = line.trim_matches(['[', ']']).split_once("dependencies.") {
                names.push(rest.1.trim().to_owned());
                in_deps = false;
            }
            continue;
        }
        if in_deps && !line.starts_with('#') {
            if let Some((name, value)) = line.split_once('=') {
                names.push(name.trim().trim_matches('"').to_owned());
                // `alias = { package = "authing", .. }`
                if let Some(package) = value.split("package").nth(1) {
                    let quoted = package.split('"').nth(1).unwrap_or_default();
                    names.push(quoted.to_owned());
                }
            }
        }
    }
    names
}

#[test]
fn the_emulators_manifest_names_no_authing_package() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let names = dependency_names(&manifest);
    assert!(
        names.iter().any(|n| n == "rsa"),
        "the parser reads the tables: {names:?}"
    );
    assert!(
        !names.iter().any(|n| n == "authing"),
        "emulator/Cargo.toml must not depend on the SDK it judges: {names:?}"
    );
}

#[test]
fn the_manifest_check_would_see_an_authing_dependency_in_any_table() {
    for manifest in [
        "[dependencies]\nauthing = \"0.1\"\n",
        "[dev-dependencies]\nauthing = { path = \"..\" }\n",
        "[target.'cfg(unix)'.dependencies]\nsdk = { package = \"authing\", path = \"..\" }\n",
        "[build-dependencies.authing]\npath = \"..\"\n",
    ] {
        assert!(
            dependency_names(manifest).iter().any(|n| n == "authing"),
            "{manifest}"
        );
    }
}

#[test]
fn the_emulators_code_names_no_path_into_the_sdk() {
    fn visit(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                visit(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // Docs included: an `authing::` path in a doc comment is a doctest or a
                // link into the SDK, which this crate cannot compile or resolve.
                for (n, line) in text.lines().enumerate() {
                    if line.contains("authing::") || line.contains("extern crate authing") {
                        found.push(format!("{}:{}: {line}", path.display(), n + 1));
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    visit(&root.join("src"), &mut found);
    // The package's own pages too: crates.io shows them beside this crate, which speaks
    // for itself, not through the SDK's paths.
    for page in ["README.md", "CHANGELOG.md"] {
        let text = std::fs::read_to_string(root.join(page)).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.contains("authing::") {
                found.push(format!("{page}:{}: {line}", n + 1));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
