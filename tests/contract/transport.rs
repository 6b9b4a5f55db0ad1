//! The transport policy over real sockets: redirects are answers, extra headers go on
//! every call and are checked, private CAs are trusted only when given.

use crate::common::{self, builder_at, client_at, Reply, Server};
use crate::tls_server::TlsServer;
use crate::{payload, VERIFY_OK};
use authing::{codes, AuthClient, AuthError, ResetPasswordVerifyMethod, SmsType};

const OK: &str = r#"{"statusCode":200,"message":"ok"}"#;

// ---- timeouts ----

#[test]
fn a_timeout_too_long_to_add_to_now_is_a_year_not_a_panic() {
    // The HTTP client adds the timeout to the current instant: Duration::MAX (or an
    // AUTHING_TIMEOUT_MS of u64::MAX) overflowed there, in the caller's thread.
    let server = Server::start(Reply::Json(OK.into()));
    for long in [
        std::time::Duration::MAX,
        std::time::Duration::from_millis(u64::MAX),
        std::time::Duration::from_secs(u64::MAX / 2),
    ] {
        let client = builder_at(server.base_url())
            .connect_timeout(long)
            .timeout(long)
            .idle_timeout(long)
            .build()
            .expect("a long timeout is a valid setting");
        let response =
            client.send_sms_blocking(None, "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
        assert_eq!(response.status_code(), 200, "{long:?}: {response:?}");
        server.next_request();
    }
}

// ---- redirects ----

#[test]
fn a_cross_host_redirect_on_a_post_is_the_answer_and_is_never_followed() {
    let elsewhere = Server::start(Reply::Json(OK.into()));
    let location = format!("{}/api/v3/send-sms", elsewhere.base_url());
    let redirecting = {
        let location = location.clone();
        Server::scripted(move |_| {
            Reply::Headed(
                302,
                vec![("location", location.clone())],
                // An envelope that says 200 does not make a 3xx a success.
                OK.into(),
            )
        })
    };
    let client = client_at(redirecting.base_url());
    let response = client.send_sms_blocking(None, "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!(response.status_code(), 302, "{response:?}");
    assert!(
        matches!(
            response.error(),
            Some(AuthError::HttpStatus { status: 302 })
        ),
        "{response:?}"
    );
    assert!(
        response.message().contains(&location),
        "{}",
        response.message()
    );
    assert!(
        response.message().contains("not followed"),
        "{}",
        response.message()
    );
    assert_eq!(redirecting.next_request().method, "POST");
    elsewhere.assert_no_request();
}

#[test]
fn every_3xx_on_a_get_is_the_answer_with_or_without_a_location() {
    let elsewhere = Server::start(Reply::Json(r#"{"rsa":{"publicKey":"k"}}"#.into()));
    for status in [301, 303, 307, 308] {
        let location = format!("{}/api/v3/system", elsewhere.base_url());
        let server = Server::scripted(move |_| {
            Reply::Headed(status, vec![("location", location.clone())], String::new())
        });
        let response = client_at(server.base_url()).system_blocking();
        assert_eq!(response.status_code(), i32::from(status), "{response:?}");
        assert!(
            response.message().contains(&elsewhere.base_url()),
            "{response:?}"
        );
    }
    let bare = Server::start(Reply::Raw(302, "text/plain", String::new()));
    let response = client_at(bare.base_url()).system_blocking();
    assert_eq!(response.status_code(), 302);
    assert!(
        response.message().contains("without a location"),
        "{response:?}"
    );
    elsewhere.assert_no_request();
}

// ---- extra headers ----

#[test]
fn an_extra_header_is_sent_on_every_call_after_the_sdks_own() {
    let server = Server::scripted(|req| match req.path.as_str() {
        "/api/v3/system" => Reply::Json(r#"{"rsa":{"publicKey":"k"}}"#.into()),
        _ => Reply::Json(VERIFY_OK.into()),
    });
    let client = builder_at(server.base_url())
        .header("X-Real-IP", "198.51.100.1")
        .header("x-real-ip", "203.0.113.7") // the last value of a name wins
        .header("x-trace", "a b\tc")
        .build()
        .unwrap();
    let posted = client
        .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    assert_eq!(posted.status_code(), 200, "{posted:?}");
    assert_eq!(client.system_blocking().status_code(), 200);
    for _ in 0..2 {
        let req = server.next_request();
        let real_ip: Vec<_> = req
            .headers
            .iter()
            .filter(|(k, _)| k == "x-real-ip")
            .collect();
        assert_eq!(real_ip.len(), 1, "{:?}", req.headers);
        assert_eq!(req.header("x-real-ip"), Some("203.0.113.7"));
        assert_eq!(req.header("x-trace"), Some("a b\tc"));
        assert_eq!(req.header("x-authing-app-id"), Some(common::APP_ID));
    }
}

#[test]
fn an_extra_header_also_goes_to_app_discovery() {
    let server = Server::scripted(|req| {
        if req.path.ends_with("/public-config") {
            let host = req.header("host").unwrap_or_default().to_string();
            Reply::Json(format!(
                r#"{{"code":200,"message":"","data":{{"identifier":"a","requestHostname":"{host}"}}}}"#
            ))
        } else {
            Reply::Json(VERIFY_OK.into())
        }
    });
    let client = AuthClient::builder()
        .app_id("app-1")
        .host(server.base_url())
        .header("x-real-ip", "203.0.113.7")
        .build()
        .unwrap();
    let r = client
        .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    assert_eq!(r.status_code(), 200, "{r:?}");
    for _ in 0..2 {
        assert_eq!(
            server.next_request().header("x-real-ip"),
            Some("203.0.113.7")
        );
    }
}

#[test]
fn a_user_agent_header_replaces_the_sdks() {
    let server = Server::start(Reply::Json(OK.into()));
    let client = builder_at(server.base_url())
        .header("User-Agent", "my-desktop-app/2.1")
        .build()
        .unwrap();
    client.send_sms_blocking(None, "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
    let req = server.next_request();
    let agents: Vec<_> = req
        .headers
        .iter()
        .filter(|(k, _)| k == "user-agent")
        .collect();
    assert_eq!(agents.len(), 1, "{:?}", req.headers);
    assert_eq!(req.header("user-agent"), Some("my-desktop-app/2.1"));
}

#[test]
fn a_header_with_a_line_break_or_an_sdk_name_is_a_config_error_and_nothing_is_sent() {
    let server = Server::start(Reply::Json(OK.into()));
    for (name, value, says) in [
        ("x-real-ip", "1.2.3.4\r\nx-injected: 1", "line break"),
        ("x-real-ip", "1.2.3.4\n", "line break"),
        ("x-real-ip", "", "empty"),
        ("x real ip", "1.2.3.4", "not an http header name"),
        ("X-Authing-App-Id", "other-app", "x-authing-app-id"),
        ("authorization", "Bearer abc", "access_token"),
        ("content-length", "5", "content-length"),
    ] {
        let error = builder_at(server.base_url())
            .header(name, value)
            .build()
            .unwrap_err();
        assert_eq!(error.setting(), "header");
        let text = error.to_string();
        assert!(text.contains(says), "{name:?}: {text}");
        if !value.trim().is_empty() {
            assert!(
                !text.contains(value.trim()),
                "the value is not repeated: {text}"
            );
        }
    }
    server.assert_no_request();
}

#[test]
fn the_builders_debug_shows_header_names_but_not_their_values() {
    let builder = AuthClient::builder()
        .header("x-api-key", "very-secret-gateway-key")
        .rsa_public_key("not checked until build");
    let shown = format!("{builder:?}");
    assert!(shown.contains("x-api-key"), "{shown}");
    assert!(!shown.contains("very-secret-gateway-key"), "{shown}");
    let client = builder_at("http://127.0.0.1:1")
        .header("x-api-key", "very-secret-gateway-key")
        .build()
        .unwrap();
    let shown = format!("{client:?}");
    assert!(
        shown.contains("x-api-key") && !shown.contains("very-secret"),
        "{shown}"
    );
}

// ---- TLS roots ----

fn tls_ok() -> TlsServer {
    TlsServer::scripted(|_| (200, VERIFY_OK.to_string()))
}

#[test]
fn a_server_signed_by_a_private_ca_is_trusted_once_its_pem_is_given() {
    let server = tls_ok();
    let client = builder_at(server.base_url())
        .root_certificates_pem(&server.ca_pem)
        .build()
        .unwrap();
    let r = client
        .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    assert_eq!(r.status_code(), 200, "{r:?}");
    assert_eq!(
        server.next_request().path,
        "/api/v3/verify-reset-password-request"
    );
}

#[test]
fn a_private_ca_is_not_trusted_by_default() {
    let server = tls_ok();
    let r = client_at(server.base_url())
        .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    assert_eq!(r.status_code(), codes::NETWORK_ERROR, "{r:?}");
    server.assert_no_request();
}

#[test]
fn given_roots_replace_the_built_in_ones() {
    // Trusting another CA does not trust this server's.
    let server = tls_ok();
    let other = tls_ok();
    let client = builder_at(server.base_url())
        .root_certificates_pem(&other.ca_pem)
        .build()
        .unwrap();
    let r = client
        .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    assert_eq!(r.status_code(), codes::NETWORK_ERROR, "{r:?}");
    server.assert_no_request();
}

#[test]
fn roots_can_come_from_a_pem_file() {
    let server = tls_ok();
    let path = std::env::temp_dir().join(format!("authing-test-ca-{}.pem", std::process::id()));
    std::fs::write(&path, &server.ca_pem).unwrap();
    let client = builder_at(server.base_url())
        .root_certificates_pem_file(&path)
        .build();
    let _ = std::fs::remove_file(&path);
    let r = client
        .unwrap()
        .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    assert_eq!(r.status_code(), 200, "{r:?}");
}

#[test]
fn a_bad_pem_or_an_unreadable_file_is_a_config_error_naming_the_setting() {
    let broken = "-----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----\n";
    for (pem, says) in [
        ("", "holds no pem certificate"),
        ("just text", "holds no pem certificate"),
        (broken, "is not valid pem"),
    ] {
        let error = AuthClient::builder()
            .root_certificates_pem(pem)
            .build()
            .unwrap_err();
        assert_eq!(error.setting(), "root_certificates_pem");
        assert!(error.to_string().contains(says), "{error}");
    }
    let error = AuthClient::builder()
        .root_certificates_pem_file("/nonexistent/authing/ca.pem")
        .build()
        .unwrap_err();
    assert_eq!(error.setting(), "root_certificates_pem_file");
    assert!(
        error.to_string().contains("/nonexistent/authing/ca.pem"),
        "{error}"
    );
}

#[test]
fn the_platform_verifier_needs_its_feature_and_excludes_given_roots() {
    let built = AuthClient::builder().platform_verifier(true).build();
    if cfg!(feature = "platform-verifier") {
        // The OS's verifier is used, and it does not know this run's throw-away CA.
        let server = tls_ok();
        let client = builder_at(server.base_url())
            .platform_verifier(true)
            .build()
            .unwrap();
        let r = client.system_blocking();
        assert_eq!(r.status_code(), codes::NETWORK_ERROR, "{r:?}");
        assert!(built.is_ok());
    } else {
        let error = built.unwrap_err();
        assert_eq!(error.setting(), "platform_verifier");
        assert!(
            error
                .to_string()
                .contains("cargo feature `platform-verifier`"),
            "{error}"
        );
    }
    let server = tls_ok();
    let both = AuthClient::builder()
        .platform_verifier(true)
        .root_certificates_pem(&server.ca_pem)
        .build()
        .unwrap_err();
    assert_eq!(both.setting(), "platform_verifier");
}

#[test]
fn a_bare_app_host_means_https() {
    // The TLS server answers only TLS: a bare host reaching it at all means https was used.
    let server = tls_ok();
    let client = AuthClient::builder()
        .app_id(common::APP_ID)
        .app_host(format!("127.0.0.1:{}", server.port()))
        .root_certificates_pem(&server.ca_pem)
        .build()
        .unwrap();
    let r = client
        .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    assert_eq!(r.status_code(), 200, "{r:?}");
}
