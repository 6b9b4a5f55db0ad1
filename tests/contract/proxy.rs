//! Proxies, over real sockets: the SDK against the emulator (or the TLS server) through the
//! loopback CONNECT and SOCKS5 proxies of `tests/common`. The API host is
//! `authing-test.invalid`, a name no DNS answers (RFC 6761): only the proxy knows where it
//! is, so a call that works proves its name was never looked up here. What the proxy was
//! asked (target, credentials) is asserted, so the traffic went through it. The
//! environment's proxy variables are tested in `tests/isolated_proxy_env.rs`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

use crate::common::connect_proxy::ConnectProxy;
use crate::common::socks5_proxy::Socks5Proxy;
use crate::common::{builder_at, DEADLINE, QUIET};
use crate::tls_server::{TlsFront, TlsServer};
use authing::emulator::{Emulator, NewUser};
use authing::{codes, AuthError, AuthResponse, SmsType};

/// The API host's name: unresolvable, reachable only through a proxy that knows it.
const HIDDEN: &str = "authing-test.invalid";
const USER: &str = "alice";
const PASSWORD: &str = "s3cret-pw";

/// `http://authing-test.invalid:<port>`, the emulator's port.
fn hidden_url(emu: &Emulator) -> String {
    format!("http://{HIDDEN}:{}", emu.addr().port())
}

fn emulator() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_username("mike", "old-passw0rd"))
        .expect("the user");
    emu
}

fn connect_proxy_to(emu: &Emulator) -> ConnectProxy {
    ConnectProxy::builder().route(HIDDEN, emu.addr()).start()
}

/// Everything a response shows: its message, `Debug`, and its error's chain of sources.
fn everything_shown(response: &AuthResponse) -> String {
    let mut shown = format!("{}\n{response:?}\n", response.message());
    let mut error: Option<&(dyn std::error::Error + 'static)> = response
        .error()
        .map(|e| e as &(dyn std::error::Error + 'static));
    while let Some(e) = error {
        shown.push_str(&format!("{e}\n{e:?}\n"));
        error = e.source();
    }
    shown
}

fn assert_no_credentials(shown: &str) {
    assert!(!shown.contains(PASSWORD), "the password shows: {shown}");
    assert!(!shown.contains(USER), "the user shows: {shown}");
}

// ---- CONNECT proxies ----

#[test]
fn an_http_api_is_reached_through_a_connect_proxy_which_resolves_its_name() {
    let emu = emulator();
    let proxy = connect_proxy_to(&emu);
    let url = hidden_url(&emu);

    // Direct, the name does not resolve: the test means something.
    let direct = builder_at(&url).no_proxy("*").build().unwrap();
    let response = direct.system_blocking();
    assert_eq!(response.status_code(), codes::NETWORK_ERROR, "{response:?}");
    proxy.assert_nothing_asked();

    let client = builder_at(&url).proxy(proxy.url()).build().unwrap();
    let response = client.sign_in_by_user_name_password_blocking("mike", "old-passw0rd", None);
    assert_eq!(response.status_code(), 200, "{}", response.message());
    // The full profile follows the sign-in on a worker, through the same tunnel when it is
    // free: waited for, so the call below finds the tunnel idle in the pool.
    crate::common::full_profile(&client);
    let asked = proxy.next_asked();
    assert_eq!(asked.method, "CONNECT");
    assert_eq!(asked.target, format!("{HIDDEN}:{}", emu.addr().port()));
    assert_eq!(asked.credentials, None);
    assert!(asked.admitted);
    // The tunnel is pooled: the next call goes through it, and nothing is asked again.
    assert_eq!(client.system_blocking().status_code(), 200);
    proxy.assert_nothing_asked();
}

#[test]
fn an_https_api_is_reached_through_connect_and_verified_inside_the_tunnel() {
    let server = TlsServer::scripted(|_| (200, r#"{"rsa":{"publicKey":"k"}}"#.to_string()));
    let target = SocketAddr::from(([127, 0, 0, 1], server.port()));
    let proxy = ConnectProxy::builder().route(HIDDEN, target).start();
    let url = format!("https://{HIDDEN}:{}", server.port());

    let trusting = builder_at(&url)
        .proxy(proxy.url())
        .root_certificates_pem(&server.ca_pem)
        .build()
        .unwrap();
    let response = trusting.system_blocking();
    assert_eq!(response.status_code(), 200, "{}", response.message());
    assert_eq!(
        proxy.next_asked().target,
        format!("{HIDDEN}:{}", server.port())
    );
    let request = server.next_request();
    assert_eq!(request.path, "/api/v3/system");
    assert_eq!(
        request.header("host"),
        Some(format!("{HIDDEN}:{}", server.port()).as_str())
    );

    // The proxy is no reason to trust anyone: without the CA, the tunnel opens and TLS
    // inside it fails.
    let default_roots = builder_at(&url).proxy(proxy.url()).build().unwrap();
    let response = default_roots.system_blocking();
    assert_eq!(response.status_code(), codes::NETWORK_ERROR, "{response:?}");
    assert!(proxy.next_asked().admitted);
    server.assert_no_request();
}

#[test]
fn an_https_proxy_is_spoken_to_over_tls_and_its_certificate_checked() {
    let emu = emulator();
    let proxy = ConnectProxy::builder()
        .credentials(USER, PASSWORD)
        .route(HIDDEN, emu.addr())
        .start();
    let front = TlsFront::start(proxy.addr());
    let url = format!("https://{USER}:{PASSWORD}@{}", front.addr());

    let trusting = builder_at(hidden_url(&emu))
        .proxy(&url)
        .root_certificates_pem(&front.ca_pem)
        .build()
        .unwrap();
    let response = trusting.system_blocking();
    assert_eq!(response.status_code(), 200, "{}", response.message());
    let asked = proxy.next_asked();
    assert_eq!(asked.target, format!("{HIDDEN}:{}", emu.addr().port()));
    assert_eq!(
        asked.credentials,
        Some((USER.to_string(), PASSWORD.to_string()))
    );

    // A proxy whose certificate is not trusted gets nothing, credentials least of all.
    let default_roots = builder_at(hidden_url(&emu)).proxy(&url).build().unwrap();
    let response = default_roots.system_blocking();
    assert_eq!(response.status_code(), codes::NETWORK_ERROR, "{response:?}");
    assert!(
        response
            .message()
            .contains(&format!("through the proxy https://{}", front.addr())),
        "{}",
        response.message()
    );
    assert_no_credentials(&everything_shown(&response));
    proxy.assert_nothing_asked();
}

#[test]
fn proxy_credentials_go_as_basic_auth_and_a_percent_encoded_password_is_decoded() {
    let emu = emulator();
    let proxy = ConnectProxy::builder()
        .credentials(USER, "p@ss:word")
        .route(HIDDEN, emu.addr())
        .start();
    let url = format!("http://{USER}:p%40ss%3Aword@{}", proxy.addr());
    let client = builder_at(hidden_url(&emu)).proxy(url).build().unwrap();
    let response = client.system_blocking();
    assert_eq!(response.status_code(), 200, "{}", response.message());
    let asked = proxy.next_asked();
    assert_eq!(
        asked.credentials,
        Some((USER.to_string(), "p@ss:word".to_string()))
    );
    assert!(asked.admitted);
}

#[test]
fn wrong_proxy_credentials_are_http_407_naming_the_proxy_and_the_callback_runs_once() {
    let emu = emulator();
    let proxy = ConnectProxy::builder()
        .credentials(USER, "the-right-one")
        .route(HIDDEN, emu.addr())
        .start();
    let client = builder_at(hidden_url(&emu))
        .proxy(proxy.url_with(USER, PASSWORD))
        .build()
        .unwrap();
    let runs = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel();
    let counted = Arc::clone(&runs);
    let handle = client.send_sms(
        None,
        "18812345678",
        SmsType::CHANNEL_RESET_PASSWORD,
        move |response: AuthResponse| {
            counted.fetch_add(1, Ordering::SeqCst);
            let _ = tx.send(response);
        },
    );
    let response = rx.recv_timeout(DEADLINE).expect("the callback ran");
    handle.join().unwrap();
    assert!(rx.recv_timeout(QUIET).is_err(), "a second delivery");
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    assert_eq!(response.status_code(), 407, "{response:?}");
    assert!(
        matches!(
            response.error(),
            Some(AuthError::HttpStatus { status: 407 })
        ),
        "{response:?}"
    );
    assert!(
        response
            .message()
            .contains(&format!("http://{}", proxy.addr())),
        "{}",
        response.message()
    );
    assert!(
        response.message().contains("proxy authentication required"),
        "{}",
        response.message()
    );
    assert_no_credentials(&everything_shown(&response));
    let asked = proxy.next_asked();
    assert_eq!(
        asked.credentials,
        Some((USER.to_string(), PASSWORD.to_string()))
    );
    assert!(!asked.admitted);
}

#[test]
fn a_proxy_that_cannot_be_reached_is_a_connection_error_naming_it_without_credentials() {
    let emu = emulator();
    // A port where nothing listens.
    let refused = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = builder_at(hidden_url(&emu))
        .proxy(format!("http://{USER}:{PASSWORD}@{refused}"))
        .build()
        .unwrap();
    let response = client.system_blocking();
    assert_eq!(response.status_code(), codes::NETWORK_ERROR, "{response:?}");
    assert!(
        matches!(response.error(), Some(AuthError::Connection { .. })),
        "{response:?}"
    );
    assert!(
        response
            .message()
            .contains(&format!("through the proxy http://{refused}")),
        "{}",
        response.message()
    );
    assert_no_credentials(&everything_shown(&response));
}

#[test]
fn a_proxy_that_never_answers_times_out_naming_it() {
    let emu = emulator();
    // Connections are accepted by the OS (the backlog) and never answered.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap();
    for url in [
        format!("http://{USER}:{PASSWORD}@{addr}"),
        format!("socks5://{USER}:{PASSWORD}@{addr}"),
    ] {
        let client = builder_at(hidden_url(&emu))
            .proxy(url)
            .connect_timeout(std::time::Duration::from_millis(300))
            .build()
            .unwrap();
        // Through a callback: what is delivered names the proxy too.
        let (tx, rx) = mpsc::channel();
        client.system(tx).join().unwrap();
        let response: AuthResponse = rx.recv_timeout(DEADLINE).expect("delivered");
        assert_eq!(response.status_code(), codes::NETWORK_ERROR, "{response:?}");
        assert!(
            matches!(
                response.error(),
                Some(AuthError::Timeout { phase, .. }) if phase.starts_with("connect through the proxy ")
            ),
            "{response:?}"
        );
        assert!(
            response.message().contains("through the proxy "),
            "{}",
            response.message()
        );
        assert!(
            response.message().contains(&addr.to_string()),
            "{}",
            response.message()
        );
        assert_no_credentials(&everything_shown(&response));
    }
    drop(silent);
}

// ---- SOCKS5 ----

#[test]
fn a_socks5_proxy_is_given_the_api_hosts_name_not_an_address() {
    let emu = emulator();
    let proxy = Socks5Proxy::builder().route(HIDDEN, emu.addr()).start();
    let client = builder_at(hidden_url(&emu))
        .proxy(proxy.url())
        .build()
        .unwrap();
    let response = client.sign_in_by_user_name_password_blocking("mike", "old-passw0rd", None);
    assert_eq!(response.status_code(), 200, "{}", response.message());
    let asked = proxy.next_asked();
    assert!(asked.by_name, "{asked:?}");
    assert_eq!(asked.target, format!("{HIDDEN}:{}", emu.addr().port()));
    assert_eq!(asked.methods, vec![0], "no credentials, so only no-auth");
    assert_eq!(asked.credentials, None);
    assert!(asked.admitted);
}

#[test]
fn a_socks5_proxy_with_credentials_gets_them_as_username_and_password() {
    let emu = emulator();
    let proxy = Socks5Proxy::builder()
        .credentials(USER, PASSWORD)
        .route(HIDDEN, emu.addr())
        .start();
    let client = builder_at(hidden_url(&emu))
        .proxy(proxy.url_with(USER, PASSWORD))
        .build()
        .unwrap();
    let response = client.system_blocking();
    assert_eq!(response.status_code(), 200, "{}", response.message());
    let asked = proxy.next_asked();
    assert!(asked.methods.contains(&2), "{asked:?}");
    assert_eq!(
        asked.credentials,
        Some((USER.to_string(), PASSWORD.to_string()))
    );
    assert!(asked.by_name && asked.admitted, "{asked:?}");
}

#[test]
fn wrong_socks5_credentials_are_a_connection_error_naming_the_proxy() {
    let emu = emulator();
    let proxy = Socks5Proxy::builder()
        .credentials(USER, "the-right-one")
        .route(HIDDEN, emu.addr())
        .start();
    let client = builder_at(hidden_url(&emu))
        .proxy(proxy.url_with(USER, PASSWORD))
        .build()
        .unwrap();
    let runs = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel();
    let counted = Arc::clone(&runs);
    let handle = client.system(move |response: AuthResponse| {
        counted.fetch_add(1, Ordering::SeqCst);
        let _ = tx.send(response);
    });
    let response = rx.recv_timeout(DEADLINE).expect("the callback ran");
    handle.join().unwrap();
    assert!(rx.recv_timeout(QUIET).is_err(), "a second delivery");
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert_eq!(response.status_code(), codes::NETWORK_ERROR, "{response:?}");
    assert!(
        response
            .message()
            .contains(&format!("through the proxy socks5h://{}", proxy.addr())),
        "{}",
        response.message()
    );
    assert!(
        response.message().contains("authentication failed"),
        "{}",
        response.message()
    );
    assert_no_credentials(&everything_shown(&response));
    assert!(!proxy.next_asked().admitted);
}

// ---- no_proxy ----

#[test]
fn a_no_proxy_host_is_reached_directly_and_others_through_the_proxy() {
    let emu = emulator();
    let proxy = ConnectProxy::builder().route(HIDDEN, emu.addr()).start();
    // The emulator by address: bypassed.
    let direct = builder_at(emu.base_url())
        .proxy(proxy.url())
        .no_proxy("localhost, 127.0.0.1")
        .build()
        .unwrap();
    assert_eq!(direct.system_blocking().status_code(), 200);
    proxy.assert_nothing_asked();
    // `.authing-test.invalid` bypasses the hosts under it, not `authing-test.invalid`.
    let proxied = builder_at(hidden_url(&emu))
        .proxy(proxy.url())
        .no_proxy(".authing-test.invalid")
        .build()
        .unwrap();
    assert_eq!(proxied.system_blocking().status_code(), 200);
    assert!(proxy.next_asked().admitted);
}

#[test]
fn no_proxy_star_turns_the_proxy_off() {
    let emu = emulator();
    let proxy = connect_proxy_to(&emu);
    let client = builder_at(emu.base_url())
        .proxy(proxy.url())
        .no_proxy("*")
        .build()
        .unwrap();
    assert_eq!(client.system_blocking().status_code(), 200);
    proxy.assert_nothing_asked();
    assert!(format!("{client:?}").contains("proxy: None"), "{client:?}");
}

// ---- settings ----

#[test]
fn debug_of_the_builder_and_the_client_names_the_proxy_but_not_its_credentials() {
    let url = format!("http://{USER}:{PASSWORD}@proxy.corp.test:3128");
    let builder = builder_at("https://myapp.authing.cn").proxy(&url);
    let shown = format!("{builder:?}");
    assert!(shown.contains("proxy.corp.test:3128"), "{shown}");
    assert_no_credentials(&shown);
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(shown.contains("http://proxy.corp.test:3128"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    assert_no_credentials(&shown);
}

#[test]
fn a_bad_proxy_url_is_a_config_error_naming_the_setting_not_the_url() {
    for url in [
        format!("ftp://{USER}:{PASSWORD}@proxy.corp.test"),
        format!("socks4://{USER}:{PASSWORD}@proxy.corp.test"),
        format!("http://{USER}:{PASSWORD}@proxy.corp.test:3128/path"),
        String::new(),
    ] {
        let error = builder_at("https://myapp.authing.cn")
            .proxy(&url)
            .build()
            .unwrap_err();
        assert_eq!(error.setting(), "proxy", "{url}");
        assert_no_credentials(&format!("{error}\n{error:?}"));
    }
}
