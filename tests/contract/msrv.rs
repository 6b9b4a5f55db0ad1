//! The `rust-version` of `authing` and `authing-emulator` is true: no locked dependency
//! either package can build, with any of its features, declares a newer Rust than the
//! package itself does. Rust 1.85 was claimed for a while after `sm2` 0.14 had brought in
//! `crypto-bigint` 0.7, which needs 1.87; nothing noticed, because no old toolchain is run.
//!
//! This needs none: it reads `cargo metadata` (the lock, and the manifests of the locked
//! crates from the local registry cache, so it works offline once they are downloaded),
//! walks the dependency graph from each package and compares every `rust-version`.
//!
//! When it fails after a `cargo update`: pin the crate it names back
//! (`cargo update -p NAME --precise VERSION`; cargo's MSRV-aware resolver, the default
//! with edition 2024, already prefers versions that fit `rust-version`), or raise
//! `rust-version` in Cargo.toml and emulator/Cargo.toml, with the README's last line and
//! the changelog.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// The packages whose `rust-version` is a promise to users.
const PACKAGES: [&str; 2] = ["authing", "authing-emulator"];

/// A `rust-version` ("1.87", "1.85.0") as (major, minor, patch).
fn parse_version(text: &str) -> Option<(u64, u64, u64)> {
    let mut parts = text.trim().split('.').map(|p| p.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    parts.next().is_none().then_some((major, minor, patch))
}

/// `cargo metadata` of the workspace, with every feature of every member on, for the host
/// platform. Run once for all the tests of this file.
///
/// `--locked`: the lock as committed, never a new resolution. `--filter-platform`: the
/// crates another platform alone needs (say `core-foundation` under `platform-verifier`
/// on macOS) may be absent from this machine's registry cache, and offline they could
/// not be read; they are checked when the tests run on that platform.
fn metadata() -> &'static Value {
    static METADATA: OnceLock<Value> = OnceLock::new();
    METADATA.get_or_init(|| {
        let cargo = env!("CARGO");
        let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
        let version = Command::new(cargo)
            .arg("-vV")
            .output()
            .expect("cargo -vV runs");
        let version = String::from_utf8_lossy(&version.stdout).into_owned();
        let host = version
            .lines()
            .find_map(|l| l.strip_prefix("host: "))
            .unwrap_or_else(|| panic!("no host in `cargo -vV`: {version}"))
            .trim()
            .to_owned();
        let out = Command::new(cargo)
            .args([
                "metadata",
                "--format-version",
                "1",
                "--locked",
                "--all-features",
            ])
            .args(["--filter-platform", &host, "--manifest-path", manifest])
            .output()
            .expect("cargo metadata runs");
        assert!(
            out.status.success(),
            "cargo metadata failed (offline, the locked crates must be in the registry \
             cache: `cargo fetch` once online):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
    })
}

/// A locked crate: its name, version and declared `rust-version`.
#[derive(Debug, Clone)]
struct Crate {
    name: String,
    version: String,
    rust_version: Option<String>,
}

impl Crate {
    fn label(&self) -> String {
        format!("{} {}", self.name, self.version)
    }
}

/// The crates `root` (a workspace package's name) can build, each with the path that
/// reaches it: normal and build dependencies all the way down and, `with_dev`, the root's
/// own dev-dependencies too. The lock's resolution has every feature on, so this covers
/// them all.
fn reachable(meta: &Value, root: &str, with_dev: bool) -> (Crate, Vec<(Crate, Vec<String>)>) {
    let crates: HashMap<&str, Crate> = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            let id = p["id"].as_str().expect("a package id");
            let krate = Crate {
                name: p["name"].as_str().expect("a name").to_owned(),
                version: p["version"].as_str().expect("a version").to_owned(),
                rust_version: p["rust_version"].as_str().map(str::to_owned),
            };
            (id, krate)
        })
        .collect();
    let nodes: HashMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .expect("resolve.nodes")
        .iter()
        .map(|n| (n["id"].as_str().expect("a node id"), n))
        .collect();
    // A workspace member here; in the published `authing` package (no workspace), the
    // emulator is a dependency like any other.
    let root_id = meta["workspace_members"]
        .as_array()
        .expect("workspace_members")
        .iter()
        .filter_map(Value::as_str)
        .find(|id| crates[id].name == root)
        .or_else(|| {
            crates
                .iter()
                .find(|(_, k)| k.name == root)
                .map(|(id, _)| *id)
        })
        .unwrap_or_else(|| panic!("{root} is in the lock"));

    let mut path_to: HashMap<&str, Vec<String>> = HashMap::new();
    path_to.insert(root_id, vec![crates[root_id].label()]);
    let mut queue = VecDeque::from([root_id]);
    while let Some(id) = queue.pop_front() {
        for dep in nodes[id]["deps"].as_array().expect("deps") {
            let kinds: Vec<&str> = dep["dep_kinds"]
                .as_array()
                .expect("dep_kinds")
                .iter()
                .map(|k| k["kind"].as_str().unwrap_or("normal"))
                .collect();
            let builds = kinds.iter().any(|k| *k != "dev") || (with_dev && id == root_id);
            let dep_id = dep["pkg"].as_str().expect("a dependency id");
            if builds && !path_to.contains_key(dep_id) {
                let mut path = path_to[id].clone();
                path.push(crates[dep_id].label());
                path_to.insert(dep_id, path);
                queue.push_back(dep_id);
            }
        }
    }
    let found = path_to
        .into_iter()
        .filter(|(id, _)| *id != root_id)
        .map(|(id, path)| (crates[id].clone(), path))
        .collect();
    (crates[root_id].clone(), found)
}

/// The crates reachable from `root` whose `rust-version` is above the root's, as lines
/// naming the crate, what it declares and how it is reached. The root's dev-dependencies
/// count too, so that `cargo +MSRV test`, the way to check the claim with a toolchain,
/// works.
fn above_msrv(meta: &Value, root: &str) -> Vec<String> {
    let (root, found) = reachable(meta, root, true);
    let declared = root
        .rust_version
        .as_deref()
        .unwrap_or_else(|| panic!("{} declares a rust-version", root.name));
    let msrv = parse_version(declared).expect("the package's rust-version parses");
    let mut lines: Vec<String> = found
        .iter()
        .filter_map(|(krate, path)| {
            let theirs = krate.rust_version.as_deref()?;
            let needed = parse_version(theirs)
                .unwrap_or_else(|| panic!("{}: rust-version {theirs:?}", krate.label()));
            (needed > msrv).then(|| {
                format!(
                    "{} declares rust-version {theirs}, above {}'s {declared} (via {})",
                    krate.label(),
                    root.name,
                    path.join(" -> ")
                )
            })
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn no_locked_dependency_needs_a_newer_rust_than_the_packages_rust_version() {
    let meta = metadata();
    let mut problems = Vec::new();
    for package in PACKAGES {
        problems.extend(above_msrv(meta, package));
    }
    assert!(
        problems.is_empty(),
        "rust-version is not true for every feature:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_reads_the_crypto_dependencies_of_every_feature_with_their_rust_version() {
    // The feature-gated crates are in the graph (so every feature was on), and their
    // manifests were read (so their rust-version is known): without these, the check above
    // would pass by seeing nothing.
    let (authing, found) = reachable(metadata(), "authing", false);
    let by_name: BTreeMap<&str, &Crate> = found.iter().map(|(k, _)| (k.name.as_str(), k)).collect();
    for name in [
        "rsa",
        "sm2",
        "sha2",
        "hmac",
        "sha1",
        "pbkdf2",
        "elliptic-curve",
        "crypto-bigint",
        "digest",
        "rand_core",
        "qrcode",
        "open",
        "p256",
        "ecdsa",
        "ciborium",
        "rustls-platform-verifier",
        "authing-emulator",
    ] {
        let krate = by_name
            .get(name)
            .unwrap_or_else(|| panic!("{name} is reachable from authing with all features"));
        assert!(
            krate.rust_version.is_some(),
            "{} declares a rust-version",
            krate.label()
        );
    }
    let msrv = parse_version(authing.rust_version.as_deref().unwrap()).unwrap();
    assert!(msrv >= (1, 87, 0), "crypto-bigint 0.7 needs 1.87: {msrv:?}");
}

#[test]
fn the_check_names_a_dependency_that_asks_for_more_and_how_it_is_reached() {
    // The same graph, with one crate of `sm2`'s made to declare a Rust from the future.
    let mut meta = metadata().clone();
    let packages = meta["packages"].as_array_mut().unwrap();
    let bigint = packages
        .iter_mut()
        .find(|p| p["name"] == "crypto-bigint")
        .expect("crypto-bigint is locked");
    bigint["rust_version"] = Value::from("1.999");
    let problems = above_msrv(&meta, "authing-emulator");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("crypto-bigint 0."),
        "{}",
        problems[0]
    );
    assert!(problems[0].contains("1.999"), "{}", problems[0]);
    assert!(
        problems[0].contains("(via authing-emulator 0.1.0 -> "),
        "{}",
        problems[0]
    );
}

#[test]
fn one_rustcrypto_generation_is_locked() {
    // rsa 0.9 beside sm2 0.14 built digest, der, rand_core and their kin twice, in two
    // versions; rsa 0.10, sha2 0.11, hmac 0.13, sha1 0.11 and pbkdf2 0.13 share sm2's.
    let mut versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for package in PACKAGES {
        // Dev-dependencies left out: rcgen, for the TLS tests only, has its own base64.
        let (_, found) = reachable(metadata(), package, false);
        for (krate, _) in found {
            versions
                .entry(krate.name)
                .or_default()
                .insert(krate.version);
        }
    }
    for name in [
        "digest",
        "crypto-common",
        "block-buffer",
        "const-oid",
        "der",
        "spki",
        "pkcs8",
        "rand_core",
        "signature",
        "base64",
        "elliptic-curve",
        "sha2",
    ] {
        let found = versions.get(name).cloned().unwrap_or_default();
        assert_eq!(found.len(), 1, "{name} is locked once: {found:?}");
    }
}

#[test]
fn rust_versions_parse_with_two_or_three_numbers() {
    assert_eq!(parse_version("1.87"), Some((1, 87, 0)));
    assert_eq!(parse_version("1.85.0"), Some((1, 85, 0)));
    assert!(parse_version("1.87.1") > parse_version("1.87"));
    assert!(parse_version("1.100") > parse_version("1.99.9"));
    assert_eq!(parse_version("1.x"), None);
    assert_eq!(parse_version("1.2.3.4"), None);
}
