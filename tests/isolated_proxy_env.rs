//! The environment's proxy (`ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, and
//! their lower-case forms), read when a client is built, and how the builder's `proxy` and
//! `no_proxy` take precedence over it. One test, in a binary of its own, since it changes
//! process-wide state (the environment and `Authing`).
mod common;

use std::net::SocketAddr;

use authing::emulator::Emulator;
use authing::{codes, AuthClient, AuthClientBuilder, Authing};
use common::connect_proxy::ConnectProxy;
use common::socks5_proxy::Socks5Proxy;

const HIDDEN: &str = "authing-test.invalid";

const VARS: [&str; 8] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// Sets a variable. This binary has one test, and no thread of this process reads or
/// writes the environment while it runs (the emulator's, the proxies' and the SDK's
/// threads never touch it; a client reads it when built, on this thread).
fn set_env(name: &str, value: &str) {
    // SAFETY: as above, nothing else touches the environment concurrently.
    unsafe { std::env::set_var(name, value) };
}

fn clear_env() {
    for var in VARS {
        // SAFETY: see `set_env`.
        unsafe { std::env::remove_var(var) };
    }
}

fn builder(base_url: &str, emu: &Emulator) -> AuthClientBuilder {
    AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(base_url)
}

fn system(builder: AuthClientBuilder) -> i32 {
    builder.build().unwrap().system_blocking().status_code()
}

#[test]
fn the_environments_proxy_is_used_unless_the_builder_says_otherwise() {
    clear_env();
    Authing::reset();
    let emu = Emulator::start().unwrap();
    let to: SocketAddr = emu.addr();
    let a = ConnectProxy::builder().route(HIDDEN, to).start();
    let b = ConnectProxy::builder().route(HIDDEN, to).start();
    let socks = Socks5Proxy::builder().route(HIDDEN, to).start();
    let hidden = format!("http://{HIDDEN}:{}", to.port());
    let direct = emu.base_url();
    let asked_a = |what: &str| {
        let asked = a.next_asked();
        assert_eq!(asked.target, format!("{HIDDEN}:{}", to.port()), "{what}");
        assert!(asked.admitted, "{what}");
    };

    // HTTPS_PROXY, for an http API too (ureq's reading: one proxy for every scheme).
    set_env("HTTPS_PROXY", &a.url());
    assert_eq!(system(builder(&hidden, &emu)), 200);
    asked_a("HTTPS_PROXY");

    // Lower case, and an empty variable is skipped.
    clear_env();
    set_env("HTTPS_PROXY", "");
    set_env("http_proxy", &b.url());
    assert_eq!(system(builder(&hidden, &emu)), 200);
    assert!(b.next_asked().admitted);
    a.assert_nothing_asked();

    // ALL_PROXY first, whatever else is set; a socks5 one gets the name, not an address.
    clear_env();
    set_env("HTTPS_PROXY", &a.url());
    set_env("ALL_PROXY", &socks.url());
    assert_eq!(system(builder(&hidden, &emu)), 200);
    assert!(socks.next_asked().by_name);
    a.assert_nothing_asked();

    // NO_PROXY: the emulator by address goes direct; the hidden name through the proxy.
    clear_env();
    set_env("HTTPS_PROXY", &a.url());
    set_env("NO_PROXY", "localhost, 127.0.0.1");
    assert_eq!(system(builder(&direct, &emu)), 200);
    a.assert_nothing_asked();
    assert_eq!(system(builder(&hidden, &emu)), 200);
    asked_a("NO_PROXY");

    // The builder's no_proxy replaces NO_PROXY; `*` turns the environment's proxy off.
    assert_eq!(
        system(builder(&direct, &emu).no_proxy("other.test")),
        200,
        "127.0.0.1 goes through the proxy now"
    );
    let asked = a.next_asked();
    assert_eq!(asked.target, format!("127.0.0.1:{}", to.port()));
    assert_eq!(system(builder(&direct, &emu).no_proxy("*")), 200);
    assert_eq!(
        system(builder(&hidden, &emu).no_proxy("*")),
        codes::NETWORK_ERROR,
        "direct, the hidden name does not resolve"
    );
    a.assert_nothing_asked();

    // The builder's proxy replaces the environment's, NO_PROXY included.
    set_env("NO_PROXY", HIDDEN);
    assert_eq!(system(builder(&hidden, &emu).proxy(b.url())), 200);
    assert!(b.next_asked().admitted);
    a.assert_nothing_asked();

    // AuthClient::new() reads it too, and a changed variable is another client (another
    // pool), not the one made for the old proxy.
    clear_env();
    Authing::init(emu.app_id());
    Authing::set_app_host(&hidden);
    set_env("HTTPS_PROXY", &a.url());
    assert_eq!(AuthClient::new().system_blocking().status_code(), 200);
    asked_a("AuthClient::new");
    assert_eq!(AuthClient::new().system_blocking().status_code(), 200);
    a.assert_nothing_asked(); // the same client: its pooled tunnel
    set_env("HTTPS_PROXY", &b.url());
    assert_eq!(AuthClient::new().system_blocking().status_code(), 200);
    assert!(b.next_asked().admitted);
    a.assert_nothing_asked();

    // A variable that cannot be used is an error naming it, never its credentials.
    set_env("HTTPS_PROXY", "socks4://alice:s3cret-pw@proxy.corp.test");
    let response = AuthClient::new().system_blocking();
    assert_eq!(response.status_code(), codes::CONFIG_NOT_FOUND);
    assert!(
        response.message().contains("HTTPS_PROXY"),
        "{}",
        response.message()
    );
    assert!(
        !format!("{response:?}").contains("s3cret-pw"),
        "{response:?}"
    );
    let error = builder(&hidden, &emu).build().unwrap_err();
    assert_eq!(error.setting(), "HTTPS_PROXY");
    // ...unless the builder says which proxy, or none.
    assert_eq!(system(builder(&direct, &emu).no_proxy("*")), 200);

    clear_env();
    Authing::reset();
}
