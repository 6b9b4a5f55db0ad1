//! OpenID Connect on the wire, against the scripted loopback server: the exact authorize
//! URL, the exact code exchange, a provider that must not be trusted, the end of the
//! provider's session at sign-out, and bad input refused before anything is sent.

use std::sync::mpsc;

use crate::common::{self, Reply, Server, APP_ID, DEADLINE, QUIET};
use crate::route;
use authing::{
    codes, AuthClient, AuthError, AuthRequest, AuthResponse, BrowserSignIn, MemoryTokenStore,
    OidcError, Session, TokenStore,
};
use serde_json::json;

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A request whose every value needs escaping.
fn awkward_request() -> AuthRequest {
    let mut request = AuthRequest::new();
    request
        .set_state("a b&c=d")
        .set_nonce("n+1/2")
        .set_scope("openid profile")
        .set_redirect_url("http://127.0.0.1:9/cb?x=1&y=2")
        .set_prompt("login")
        .set_code_verifier(VERIFIER);
    request
}

#[test]
fn the_authorize_url_percent_encodes_every_value_and_carries_pkce() {
    let server = Server::start(Reply::Json("{}".into()));
    let client = common::client_at(server.base_url());
    let url = client
        .build_authorize_url_blocking(&awkward_request())
        .authorize_url()
        .unwrap();
    assert_eq!(
        url,
        format!(
            "{}/oidc/auth?client_id={APP_ID}&response_type=code\
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb%3Fx%3D1%26y%3D2\
             &scope=openid%20profile&state=a%20b%26c%3Dd&nonce=n%2B1%2F2\
             &code_challenge={CHALLENGE}&code_challenge_method=S256&prompt=login",
            server.base_url()
        )
    );
    server.assert_no_request();
}

#[test]
fn the_ext_idp_sign_in_url_is_the_authorize_query_with_the_connection_on_its_own_path() {
    let server = Server::start(Reply::Json("{}".into()));
    let client = common::client_at(server.base_url());
    let url = client
        .build_sign_in_by_ext_idp_url_blocking("my-github", &awkward_request())
        .authorize_url()
        .unwrap();
    assert_eq!(
        url,
        format!(
            "{}/api/v3/signin-by-extidp?client_id={APP_ID}&ext_idp_conn_id=my-github\
             &response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb%3Fx%3D1%26y%3D2\
             &scope=openid%20profile&state=a%20b%26c%3Dd&nonce=n%2B1%2F2\
             &code_challenge={CHALLENGE}&code_challenge_method=S256&prompt=login",
            server.base_url()
        )
    );
    for bad in ["", "my github", "a&b\n"] {
        let refused = client.build_sign_in_by_ext_idp_url_blocking(bad, &awkward_request());
        assert_eq!(
            refused.status_code(),
            authing::codes::INVALID_INPUT,
            "{bad:?}"
        );
    }
    server.assert_no_request();
}

#[test]
fn build_authorize_url_answers_once_with_config_not_found_when_app_discovery_fails() {
    let console = Server::start(Reply::Raw(500, "text/plain", "console down".into()));
    let client = AuthClient::builder()
        .app_id(APP_ID)
        .host(console.base_url())
        .build()
        .unwrap();
    let mut request = AuthRequest::new();
    request.set_redirect_url("http://127.0.0.1:9/cb");
    let (tx, rx) = mpsc::channel();
    client.build_authorize_url(&request, tx).join().unwrap();
    let answer = rx.recv_timeout(DEADLINE).expect("the callback runs");
    assert_eq!(answer.status_code(), codes::CONFIG_NOT_FOUND, "{answer:?}");
    assert!(rx.recv_timeout(QUIET).is_err(), "a second callback");
}

/// A provider at `base` whose token endpoint answers `token`.
fn provider(
    issuer_of: fn(&str) -> String,
    jwks_uri_of: fn(&str) -> String,
    token: String,
) -> Server {
    let base = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
    let seen = std::sync::Arc::clone(&base);
    let server = Server::scripted(move |req| {
        let base = seen.get().cloned().unwrap_or_default();
        match route(req) {
            "/oidc/.well-known/openid-configuration" => Reply::Json(
                json!({"issuer": issuer_of(&base), "jwks_uri": jwks_uri_of(&base)}).to_string(),
            ),
            "/oidc/.well-known/jwks.json" => Reply::Json(
                json!({"keys": [{"kty": "RSA", "kid": "k1", "n": "AQAB", "e": "AQAB"}]})
                    .to_string(),
            ),
            "/oidc/token" => Reply::Json(token.clone()),
            other => Reply::Raw(404, "text/plain", format!("no route {other}")),
        }
    });
    base.set(server.base_url()).unwrap();
    server
}

fn own_issuer(base: &str) -> String {
    format!("{base}/oidc")
}

fn own_jwks(base: &str) -> String {
    format!("{base}/oidc/.well-known/jwks.json")
}

#[test]
fn the_code_exchange_sends_exactly_the_form_of_the_spec_and_refuses_an_unsigned_id_token() {
    let token = json!({"access_token": "at-1", "id_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.e30.c2ln",
        "token_type": "Bearer", "expire_in": 60});
    let server = provider(own_issuer, own_jwks, token.to_string());
    let client = common::client_at(server.base_url());
    let answer = client.get_access_token_by_code_blocking("c+1/=", &{
        let mut r = awkward_request();
        r.set_redirect_url("http://127.0.0.1:9/cb");
        r
    });
    let discovery = server.next_request();
    assert_eq!(
        (discovery.method.as_str(), discovery.path.as_str()),
        ("GET", "/oidc/.well-known/openid-configuration")
    );
    assert_eq!(server.next_request().path, "/oidc/.well-known/jwks.json");
    let exchange = server.next_request();
    assert_eq!(exchange.method, "POST");
    assert_eq!(exchange.path, "/oidc/token");
    assert_eq!(
        exchange.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(exchange.header("authorization"), None);
    assert_eq!(
        exchange.body_text(),
        format!(
            "client_id={APP_ID}&grant_type=authorization_code&code=c%2B1%2F%3D\
             &code_verifier={VERIFIER}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb"
        )
    );
    assert_eq!(answer.status_code(), codes::OIDC_FAILED, "{answer:?}");
    assert!(matches!(
        answer.error(),
        Some(AuthError::Oidc(OidcError::IdToken(_)))
    ));
    server.assert_no_request(); // no profile fetched: nothing saved
    assert!(client.get_token().is_none());
}

#[test]
fn a_client_secret_is_sent_beside_the_verifier_never_instead() {
    let token = json!({"access_token": "at-1", "token_type": "Bearer", "expire_in": 60});
    let server = provider(own_issuer, own_jwks, token.to_string());
    let client = common::client_at(server.base_url());
    let mut request = awkward_request();
    request
        .set_redirect_url("http://127.0.0.1:9/cb")
        .set_client_secret("s3cret");
    let answer = client.get_access_token_by_code_blocking("c1", &request);
    server.next_request();
    server.next_request();
    let body = server.next_request().body_text();
    assert!(
        body.contains(&format!("&code_verifier={VERIFIER}&")),
        "{body}"
    );
    assert!(body.ends_with("&client_secret=s3cret"), "{body}");
    // This answer has no id_token at all: refused, by name.
    match answer.error() {
        Some(AuthError::Oidc(OidcError::IdToken(reason))) => {
            assert_eq!(reason, "the token answer has no id_token")
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{request:?}").contains("s3cret"));
}

#[test]
fn a_provider_that_names_another_issuer_is_refused_before_the_code_is_spent() {
    let server = provider(
        |_| "https://evil.example/oidc".into(),
        own_jwks,
        String::new(),
    );
    let client = common::client_at(server.base_url());
    let mut request = AuthRequest::new();
    request.set_redirect_url("http://127.0.0.1:9/cb");
    let answer = client.get_access_token_by_code_blocking("c1", &request);
    assert_eq!(
        server.next_request().path,
        "/oidc/.well-known/openid-configuration"
    );
    server.assert_no_request();
    match answer.error() {
        Some(AuthError::Oidc(OidcError::Provider(reason))) => {
            assert!(reason.contains("https://evil.example/oidc"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn keys_from_another_host_are_not_trusted() {
    let server = provider(
        own_issuer,
        |_| "https://evil.example/jwks.json".into(),
        String::new(),
    );
    let client = common::client_at(server.base_url());
    let mut request = AuthRequest::new();
    request.set_redirect_url("http://127.0.0.1:9/cb");
    let answer = client.get_access_token_by_code_blocking("c1", &request);
    server.next_request();
    server.assert_no_request();
    assert!(matches!(
        answer.error(),
        Some(AuthError::Oidc(OidcError::Provider(_)))
    ));
}

#[test]
fn bad_input_is_refused_before_anything_is_sent_with_one_callback() {
    let server = Server::start(Reply::Json("{}".into()));
    let client = common::client_at(server.base_url());
    let good = || {
        let mut r = AuthRequest::new();
        r.set_redirect_url("http://127.0.0.1:9/cb");
        r
    };
    let with = |f: fn(&mut AuthRequest)| {
        let mut r = good();
        f(&mut r);
        r
    };
    let cases: Vec<(&str, AuthResponse)> = vec![
        (
            "code is empty",
            client.get_access_token_by_code_blocking("", &good()),
        ),
        (
            "code must contain visible ascii",
            client.get_access_token_by_code_blocking("a b", &good()),
        ),
        (
            "redirect_url is missing",
            client.get_access_token_by_code_blocking("c", &AuthRequest::new()),
        ),
        (
            "redirect_url must be an absolute url",
            client.build_authorize_url_blocking(&with(|r| {
                r.set_redirect_url("/callback");
            })),
        ),
        (
            "redirect_url must not have a fragment",
            client.build_authorize_url_blocking(&with(|r| {
                r.set_redirect_url("http://x/cb#f");
            })),
        ),
        (
            "scope must contain openid",
            client.build_authorize_url_blocking(&with(|r| {
                r.set_scope("profile email");
            })),
        ),
        (
            "code_verifier must be 43 to 128",
            client.build_authorize_url_blocking(&with(|r| {
                r.set_code_verifier("short");
            })),
        ),
        (
            "state is empty",
            client.build_authorize_url_blocking(&with(|r| {
                r.set_state("");
            })),
        ),
        (
            "access_token must contain visible ascii",
            client.get_user_info_by_access_token_blocking("a b"),
        ),
        (
            "redirect_path must start with /",
            client.sign_in_by_browser_blocking(
                BrowserSignIn::new()
                    .redirect_path("callback")
                    .open_with(|_: &str| -> Result<(), String> { panic!("nothing is opened") }),
            ),
        ),
        (
            "redirect_path must be at most 256 visible ascii characters without ? or #",
            client.sign_in_by_browser_blocking(
                BrowserSignIn::new()
                    .redirect_path("/cb?x=1")
                    .open_with(|_: &str| -> Result<(), String> { panic!("nothing is opened") }),
            ),
        ),
    ];
    for (said, answer) in cases {
        assert_eq!(
            answer.status_code(),
            codes::INVALID_INPUT,
            "{said}: {answer:?}"
        );
        assert!(
            answer.error().unwrap().to_string().contains(said),
            "{said}: {}",
            answer.message()
        );
    }
    // The callback form: one callback, with the same refusal.
    let (tx, rx) = mpsc::channel();
    client
        .get_access_token_by_code("", &good(), tx)
        .join()
        .unwrap();
    assert_eq!(
        rx.recv_timeout(DEADLINE).unwrap().status_code(),
        codes::INVALID_INPUT
    );
    assert!(rx.recv_timeout(QUIET).is_err());
    server.assert_no_request();
}

/// A client whose store holds a session a browser sign-in started.
fn client_with_browser_session(base_url: String) -> AuthClient {
    // The session records the app it belongs to: a client reads no other.
    let saved = json!({"format": "authing-session", "version": 2, "oidc": true,
        "tokens": {"access_token": "at-1", "refresh_token": "rt-1", "id_token": "it.1+/=",
            "token_type": "Bearer", "expire_in": 3600, "expires_at_ms": 4_102_444_800_000u64},
        "app": {"id": common::APP_ID, "api": base_url}});
    let session = Session::from_json(&saved.to_string()).expect("a session");
    assert!(session.has_oidc_session());
    assert!(Session::from_json(&session.to_json())
        .unwrap()
        .has_oidc_session());
    let store = MemoryTokenStore::new();
    store.save(&session).unwrap();
    common::builder_at(base_url)
        .token_store(store)
        .build()
        .unwrap()
}

#[test]
fn logout_after_a_browser_sign_in_ends_the_provider_session_with_the_id_token_as_hint() {
    for (answer, ended) in [
        (
            Reply::Raw(200, "text/html", "<p>signed out</p>".into()),
            true,
        ),
        (
            Reply::Headed(
                302,
                vec![("location", "https://example.com/".into())],
                String::new(),
            ),
            true,
        ),
        (Reply::Raw(500, "text/plain", "down".into()), false),
    ] {
        let server = Server::scripted(move |req| match route(req) {
            "/oidc/session/end" => answer.clone(),
            _ => Reply::Raw(200, "application/json", String::new()),
        });
        let client = client_with_browser_session(server.base_url());
        let out = client.logout_blocking();
        assert_eq!(server.next_request().path, "/oidc/token/revocation");
        assert_eq!(server.next_request().path, "/oidc/token/revocation");
        let end = server.next_request();
        assert_eq!(end.method, "GET");
        assert_eq!(end.path, "/oidc/session/end?id_token_hint=it.1%2B%2F%3D");
        assert_eq!(end.header("authorization"), None);
        let data = out.data().expect("data");
        assert_eq!(data["oidcSessionEnded"], ended, "{data}");
        assert_eq!(data["revoked"], ended, "{data}");
        if !ended {
            let reason = data["reason"].as_str().unwrap();
            assert!(
                reason.contains("the oidc session could not be ended (http status 500)"),
                "{reason}"
            );
        }
        assert!(
            client.get_token().is_none(),
            "signed out on this device whatever happened"
        );
    }
}
