//! The checked-in extract of the spec (`tests/spec/authentication-v3.json`): complete,
//! minimal, and what the script makes.

use crate::{extract, operation, EXTRACT, RESET, SEND_EMAIL, SEND_SMS, VERIFY};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

#[test]
fn the_extract_holds_every_path_and_method_of_the_spec() {
    let e = extract();
    assert_eq!(e["source"]["paths"], 104);
    let paths = e["paths"].as_object().expect("paths");
    assert_eq!(paths.len(), 104);
    let operations: usize = paths
        .values()
        .map(|ops| ops.as_object().map_or(0, Map::len))
        .sum();
    assert_eq!(
        operations, 107,
        "104 paths; /oidc/me and two webauthn paths have two methods"
    );
    for line in [SEND_SMS, SEND_EMAIL, VERIFY, RESET] {
        let (method, path) = line.split_once(' ').unwrap();
        let (_, op) = operation(method, path).expect("a recovery path");
        assert!(
            op.get("request").is_some() && op.get("response").is_some(),
            "{line}"
        );
    }
    assert_eq!(
        e["failure"]["required"],
        json!(["message", "statusCode"]),
        "the failure envelope is CommonResponseDto"
    );
}

#[test]
fn the_extract_keeps_only_names_types_required_and_enums() {
    const KEPT: &[&str] = &[
        "type",
        "properties",
        "required",
        "enum",
        "nullable",
        "items",
        "additionalProperties",
        "anyOf",
        "oneOf",
        "$id",
        "$ref",
    ];
    fn walk(schema: &Value, at: &str, bad: &mut Vec<String>) {
        let Some(rules) = schema.as_object() else {
            bad.push(format!("{at}: not an object"));
            return;
        };
        for (key, value) in rules {
            if !KEPT.contains(&key.as_str()) {
                bad.push(format!("{at}: {key}"));
            }
            match key.as_str() {
                "properties" => {
                    for (name, sub) in value.as_object().into_iter().flatten() {
                        walk(sub, &format!("{at}/{name}"), bad);
                    }
                }
                "items" => walk(value, &format!("{at}[]"), bad),
                "additionalProperties" if value.is_object() => walk(value, at, bad),
                "anyOf" | "oneOf" => {
                    for sub in value.as_array().into_iter().flatten() {
                        walk(sub, at, bad);
                    }
                }
                _ => {}
            }
        }
    }
    let mut bad = Vec::new();
    for (path, ops) in extract()["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for part in ["request", "response"] {
                if let Some(p) = op.get(part) {
                    walk(&p["schema"], &format!("{method} {path} {part}"), &mut bad);
                }
            }
            if let Some(q) = op.get("query") {
                walk(q, &format!("{method} {path} query"), &mut bad);
            }
        }
    }
    assert!(bad.is_empty(), "keys the extract should not keep: {bad:?}");
}

/// Runs the script on the spec and compares. CI has the spec beside the repository
/// (`../shared/reference/authentication-openapi.json`, or `AUTHING_OPENAPI_SPEC`); a
/// user's clone does not, and then this says so on stderr and checks nothing.
#[test]
fn the_checked_in_extract_is_what_the_script_makes_from_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = std::env::var_os("AUTHING_OPENAPI_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/reference/authentication-openapi.json"));
    if !spec.is_file() {
        eprintln!("skipped: no spec at {}", spec.display());
        return;
    }
    let out = std::env::temp_dir().join(format!("authing-extract-{}.json", std::process::id()));
    let ran = std::process::Command::new("python3")
        .arg(root.join("tools/extract_spec.py"))
        .arg(&spec)
        .arg(&out)
        .status();
    let status = match ran {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipped: no python3 to run tools/extract_spec.py");
            return;
        }
        other => other.expect("python3 runs"),
    };
    assert!(status.success(), "tools/extract_spec.py failed: {status}");
    let made = std::fs::read_to_string(&out).expect("the script's output");
    let _ = std::fs::remove_file(&out);
    if made != EXTRACT {
        let line = made
            .lines()
            .zip(EXTRACT.lines())
            .position(|(a, b)| a != b)
            .map_or(made.lines().count().min(EXTRACT.lines().count()), |i| i);
        panic!(
            "tests/spec/authentication-v3.json is stale from line {}: run \
             `python3 tools/extract_spec.py {} tests/spec/authentication-v3.json`",
            line + 1,
            spec.display()
        );
    }
}
