//! The proxy a client's calls go through: chosen once, when the client is built, from the
//! builder ([`proxy`](crate::AuthClientBuilder::proxy),
//! [`no_proxy`](crate::AuthClientBuilder::no_proxy)) or else from the environment, then
//! handed to ureq as a `ureq::Proxy`. The agent is always given this choice explicitly, so
//! ureq never reads the environment on its own.
//!
//! - **Kinds.** `http://` and `https://` proxies are asked for a tunnel with `CONNECT
//!   host:port` (for http targets too: ureq tunnels every call); `socks5://`, `socks5h://`
//!   and `socks://` speak SOCKS5 (ureq's `socks-proxy` feature). `socks4` is refused: it
//!   needs the target's address resolved here.
//! - **DNS.** The target's name always goes to the proxy, which resolves it: `CONNECT
//!   name:port`, or SOCKS5 address type 3 (a domain name). `socks5://` is taken as
//!   `socks5h://` (ureq would resolve the target locally for `socks5://`). Only the proxy's
//!   own host name is looked up here, through the caching resolver. A host that bypasses
//!   the proxy (`no_proxy`) is looked up and connected to directly.
//! - **Secrets.** The credentials of a proxy URL (`http://user:pass@host:port`) are sent to
//!   the proxy (`Proxy-Authorization: Basic`, or SOCKS5 username/password) and shown
//!   nowhere: `Debug` and error messages name the proxy by [`ProxySettings::shown`],
//!   `scheme://host:port`.
//!
//! Environment, as ureq reads it: the first of `ALL_PROXY`, `all_proxy`, `HTTPS_PROXY`,
//! `https_proxy`, `HTTP_PROXY`, `http_proxy` that is set and not empty, whatever the scheme
//! of the call; hosts that bypass it from `NO_PROXY` (or `no_proxy`).

use std::fmt;
use std::hash::{Hash, Hasher};

use ureq::{Proxy, ProxyProtocol};

use crate::client::config::ConfigError;
use crate::redact::REDACTED;

/// The proxy variables, in the order they are tried (ureq's order).
pub(crate) const PROXY_VARS: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];
/// The bypass-list variables, in the order they are tried.
pub(crate) const NO_PROXY_VARS: [&str; 2] = ["NO_PROXY", "no_proxy"];

/// The setting name of the builder's proxy, in errors.
const SETTING: &str = "proxy";

/// A proxy in use: ureq's `Proxy` (credentials and bypass list inside), and how to name it.
#[derive(Clone)]
pub(crate) struct ProxySettings {
    proxy: Proxy,
    /// `scheme://host:port`, no credentials: what `Debug` and error messages show.
    shown: String,
    /// The bypass entries, as given (trimmed).
    no_proxy: Vec<String>,
    /// Where it came from: `"proxy"` (the builder) or the environment variable's name.
    source: &'static str,
}

impl ProxySettings {
    /// ureq's proxy, for the agent's configuration.
    pub(crate) fn ureq(&self) -> &Proxy {
        &self.proxy
    }

    /// `scheme://host:port`, without credentials.
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }

    /// Whether a call to `url` goes through the proxy (not bypassed by `no_proxy`).
    pub(crate) fn applies_to(&self, url: &ureq::http::Uri) -> bool {
        !self.proxy.is_no_proxy(url)
    }

    /// The `host:port` the caching resolver looks up to reach the proxy.
    pub(crate) fn host_port(&self) -> Option<String> {
        crate::transport::resolver::host_port(self.proxy.uri())
    }
}

// Two clients share an agent only if their proxies are the same in every respect,
// credentials and bypass list included (ureq's `Proxy` compares all of it).
impl PartialEq for ProxySettings {
    fn eq(&self, other: &Self) -> bool {
        self.proxy == other.proxy
    }
}

impl Eq for ProxySettings {}

impl Hash for ProxySettings {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.proxy.hash(state);
    }
}

impl fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = self.proxy.username().is_some() || self.proxy.password().is_some();
        f.debug_struct("Proxy")
            .field("url", &self.shown)
            .field(
                "credentials",
                &format_args!("{}", if credentials { REDACTED } else { "None" }),
            )
            .field("no_proxy", &self.no_proxy)
            .field("from", &self.source)
            .finish()
    }
}

/// The proxy of a client: the builder's `proxy` if given, else the first proxy variable of
/// the environment (`env` reads one; the SDK passes `std::env::var`), with the builder's
/// `no_proxy` list if given, else the environment's. `None` when there is no proxy, or when
/// the bypass list holds `*` (every host bypasses it; the environment's proxy is then not
/// even read).
pub(crate) fn choose(
    proxy: Option<&str>,
    no_proxy: Option<&[String]>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<ProxySettings>, ConfigError> {
    let (no_proxy, no_proxy_from_env) = match no_proxy {
        Some(given) => (entries(given.iter().map(String::as_str)), false),
        None => (Vec::new(), true),
    };
    let env_no_proxy = || {
        NO_PROXY_VARS
            .iter()
            .find_map(|name| env(name))
            .map(|list| entries(list.split(',')))
            .unwrap_or_default()
    };
    let (url, source) = match proxy {
        Some(url) => (url.to_string(), SETTING),
        None => {
            if !no_proxy_from_env && no_proxy.iter().any(|e| e == "*") {
                return Ok(None);
            }
            let found = PROXY_VARS
                .iter()
                .find_map(|name| env(name).filter(|v| !v.is_empty()).map(|v| (v, *name)));
            match found {
                Some(found) => found,
                None => return Ok(None),
            }
        }
    };
    let no_proxy = if no_proxy_from_env && source != SETTING {
        env_no_proxy()
    } else {
        no_proxy
    };
    if no_proxy.iter().any(|e| e == "*") {
        return Ok(None);
    }
    parse(&url, no_proxy, source).map(Some)
}

/// The entries of bypass lists: comma-separated, trimmed, empty ones dropped.
fn entries<'a>(lists: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    lists
        .into_iter()
        .flat_map(|list| list.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_string)
        .collect()
}

/// Checks `url` and makes ureq's proxy of it. Errors never repeat the URL (it may hold a
/// password).
fn parse(
    url: &str,
    no_proxy: Vec<String>,
    setting: &'static str,
) -> Result<ProxySettings, ConfigError> {
    let err = |problem: &str| ConfigError::new(setting, problem);
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(err("contains whitespace"));
    }
    let scheme = url.split_once("://").map(|(scheme, _)| scheme);
    if let Some(scheme) = scheme {
        let known = ["http", "https", "socks", "socks5", "socks5h"];
        if scheme.eq_ignore_ascii_case("socks4") || scheme.eq_ignore_ascii_case("socks4a") {
            return Err(err(
                "socks4 is not supported; use socks5://, http:// or https://",
            ));
        }
        if !known.iter().any(|k| scheme.eq_ignore_ascii_case(k)) {
            return Err(err(
                "the scheme must be http, https, socks5 or socks5h (as scheme://[user:password@]host[:port])",
            ));
        }
    }
    let parsed = Proxy::new(url).map_err(|_| {
        err("is not a proxy url: scheme://[user:password@]host[:port], credentials percent-encoded")
    })?;
    let uri = parsed.uri();
    if uri
        .path_and_query()
        .is_some_and(|p| p.as_str() != "/" && !p.as_str().is_empty())
    {
        return Err(err("must not have a path or query"));
    }
    let host = parsed.host();
    if host.is_empty() || host == "[]" {
        return Err(err("has no host"));
    }
    if uri.port().is_some() && uri.port_u16().is_none_or(|p| p == 0) {
        return Err(err("has a malformed port"));
    }
    let protocol = parsed.protocol();
    let scheme = match protocol {
        ProxyProtocol::Http => "http",
        ProxyProtocol::Https => "https",
        // `socks5://` and `socks://` are taken as `socks5h://`: the proxy resolves.
        ProxyProtocol::Socks5 | ProxyProtocol::Socks5h => "socks5h",
        _ => {
            return Err(err(
                "socks4 is not supported; use socks5://, http:// or https://",
            ))
        }
    };
    let protocol = match protocol {
        ProxyProtocol::Socks5 => ProxyProtocol::Socks5h,
        other => other,
    };
    let port = parsed.port();
    let mut builder = Proxy::builder(protocol)
        .host(host)
        .port(port)
        // Never resolve the target here: its name goes to the proxy.
        .resolve_target(false);
    if let Some(username) = parsed.username() {
        builder = builder.username(username);
    }
    if let Some(password) = parsed.password() {
        builder = builder.password(password);
    }
    for entry in &no_proxy {
        builder = builder.no_proxy(entry);
    }
    let proxy = builder
        .build()
        .map_err(|_| err("is not a proxy url: scheme://[user:password@]host[:port]"))?;
    Ok(ProxySettings {
        shown: format!("{scheme}://{host}:{port}"),
        proxy,
        no_proxy,
        source: setting,
    })
}

/// `url` with any user information replaced: for `Debug` of a proxy URL not yet checked.
pub(crate) fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    // A proxy URL has no path worth showing, and a password may hold an unencoded `/`, `?`
    // or `#`: whatever comes before the last `@` anywhere is user information.
    let shown = match rest.rfind('@') {
        Some(at) => format!("{REDACTED}@{}", &rest[at + 1..]),
        None => rest.to_string(),
    };
    match scheme {
        Some(scheme) => format!("{scheme}://{shown}"),
        None => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn a_password_with_a_slash_hash_or_question_mark_is_still_hidden() {
        for url in [
            "http://alice:pa/ss@proxy:3128",
            "http://bob:p#ss@host:8080",
            "socks5://carol:p?ss@host:1080/",
        ] {
            let shown = redact_url(url);
            assert!(
                !shown.contains("pa/ss") && !shown.contains("p#ss") && !shown.contains("p?ss"),
                "{shown}"
            );
            assert!(shown.contains("<redacted>@"), "{shown}");
        }
    }

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.get(name).cloned()
    }

    fn uri(s: &str) -> ureq::http::Uri {
        s.parse().unwrap()
    }

    #[test]
    fn the_builders_proxy_wins_over_the_environment_and_its_no_proxy() {
        let vars = env(&[
            ("HTTPS_PROXY", "http://env.test:1"),
            ("NO_PROXY", "api.test"),
        ]);
        let chosen = choose(Some("http://given.test:3128"), None, &vars)
            .unwrap()
            .unwrap();
        assert_eq!(chosen.shown(), "http://given.test:3128");
        assert!(chosen.applies_to(&uri("https://api.test/x")));
    }

    #[test]
    fn the_environment_is_read_in_ureqs_order() {
        let vars = env(&[
            ("http_proxy", "http://http.test:1"),
            ("HTTPS_PROXY", "http://https.test:2"),
            ("ALL_PROXY", ""),
        ]);
        let chosen = choose(None, None, &vars).unwrap().unwrap();
        assert_eq!(chosen.shown(), "http://https.test:2");
        assert_eq!(chosen.source, "HTTPS_PROXY");
        let all = env(&[("all_proxy", "socks5://all.test"), ("HTTP_PROXY", "x.test")]);
        let chosen = choose(None, None, &all).unwrap().unwrap();
        assert_eq!(chosen.shown(), "socks5h://all.test:1080");
        assert_eq!(choose(None, None, env(&[])).unwrap(), None);
    }

    #[test]
    fn no_proxy_bypasses_hosts_and_star_turns_the_proxy_off() {
        let vars = env(&[
            ("HTTP_PROXY", "proxy.test:8080"),
            ("no_proxy", "localhost, .corp.test,,"),
        ]);
        let chosen = choose(None, None, &vars).unwrap().unwrap();
        assert_eq!(chosen.shown(), "http://proxy.test:8080");
        assert!(!chosen.applies_to(&uri("http://localhost:8787/x")));
        assert!(!chosen.applies_to(&uri("https://auth.corp.test/x")));
        assert!(chosen.applies_to(&uri("https://myapp.authing.cn/x")));
        // The builder's list replaces the environment's.
        let given = ["myapp.authing.cn".to_string()];
        let chosen = choose(None, Some(&given), &vars).unwrap().unwrap();
        assert!(chosen.applies_to(&uri("http://localhost:8787/x")));
        assert!(!chosen.applies_to(&uri("https://myapp.authing.cn/x")));
        // `*`, from the builder or the environment: no proxy at all.
        let off = ["*".to_string()];
        assert_eq!(choose(None, Some(&off), &vars).unwrap(), None);
        assert_eq!(
            choose(Some("http://p.test:1"), Some(&off), &vars).unwrap(),
            None
        );
        let env_off = env(&[("HTTP_PROXY", "proxy.test:8080"), ("NO_PROXY", "*")]);
        assert_eq!(choose(None, None, env_off).unwrap(), None);
        // With `*` from the builder, a malformed variable is not even read.
        let junk = env(&[("HTTP_PROXY", "::not a url::")]);
        assert_eq!(choose(None, Some(&off), junk).unwrap(), None);
    }

    #[test]
    fn a_bad_proxy_url_is_refused_without_repeating_it() {
        for (url, problem) in [
            ("", "is not a proxy url"),
            ("http://user:s3cret@proxy.test:3128/path", "path"),
            ("socks4://user:s3cret@proxy.test", "socks4"),
            ("ftp://user:s3cret@proxy.test", "scheme"),
            ("http://user:s3cret @proxy.test", "whitespace"),
            ("http://user:s3cret@proxy.test:0", "port"),
            ("http://user:s3cret@:3128", "host"),
        ] {
            let error = choose(Some(url), None, env(&[])).unwrap_err();
            assert_eq!(error.setting(), "proxy", "{url}");
            let shown = error.to_string();
            assert!(shown.contains(problem), "{url}: {shown}");
            assert!(!shown.contains("s3cret"), "{shown}");
        }
        let error = choose(
            None,
            None,
            env(&[("HTTPS_PROXY", "socks4://u:s3cret@p.test")]),
        )
        .unwrap_err();
        assert_eq!(error.setting(), "HTTPS_PROXY");
    }

    #[test]
    fn credentials_are_kept_for_the_proxy_and_shown_nowhere() {
        let chosen = choose(
            Some("http://us%40er:p%3Ass@proxy.test:3128"),
            None,
            env(&[]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(chosen.ureq().username(), Some("us@er"));
        assert_eq!(chosen.ureq().password(), Some("p:ss"));
        assert!(!chosen.ureq().resolve_target());
        let shown = format!("{chosen:?}");
        for secret in ["us@er", "us%40er", "p:ss", "p%3Ass"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("http://proxy.test:3128"), "{shown}");
        assert!(shown.contains(REDACTED), "{shown}");
    }

    #[test]
    fn socks5_is_taken_as_socks5h_so_the_proxy_resolves_the_target() {
        for url in [
            "socks5://proxy.test:1080",
            "socks://proxy.test:1080",
            "SOCKS5H://proxy.test:1080",
        ] {
            let chosen = choose(Some(url), None, env(&[])).unwrap().unwrap();
            assert_eq!(chosen.ureq().protocol(), ProxyProtocol::Socks5h, "{url}");
            assert!(!chosen.ureq().resolve_target(), "{url}");
            assert_eq!(chosen.shown(), "socks5h://proxy.test:1080");
        }
    }

    #[test]
    fn redact_url_hides_user_information_only() {
        assert_eq!(
            redact_url("http://user:pass@proxy.test:3128"),
            format!("http://{REDACTED}@proxy.test:3128")
        );
        assert_eq!(
            redact_url("u:p@w@proxy.test/x?y"),
            format!("{REDACTED}@proxy.test/x?y")
        );
        assert_eq!(redact_url("socks5://proxy.test"), "socks5://proxy.test");
    }
}
