//! Authing's published v3 Android samples (docs.authing.cn, `Authing/docs-v3`,
//! `docs/reference/mobile/sdk-for-android/apis/`) that do not compile against the Android
//! SDK's own `AuthClient`, ported as docs/PORTING.md's "Authing's published samples"
//! table says. Each test quotes the Java line it ports.

use authing::emulator::{NewExtIdp, NewProviderCode, NewTenant, NewUser};
use authing::{
    AuthOptions, AuthProfile, AuthResponse, Connection, EmailType, Gender, PasswordEncryptType,
    Profile, SmsType,
};

use crate::{answer, client_of, email_code, emulator, ok, signed_in, sms_code};

/// The sign-up and sign-in samples' options.
fn sample_options() -> AuthOptions {
    let mut options = AuthOptions::new();
    options.set_auto_register(false);
    options.set_password_encrypt_type(PasswordEncryptType::none);
    options
}

#[test]
fn sign_up_by_username_password_is_sign_up_by_user_name_password() {
    // authClient.signUpByUsernamePassword("test", "password", profile, options, cb)
    let emu = emulator();
    let auth_client = client_of(&emu);
    let mut profile = AuthProfile::new();
    profile.set_nickname("test");
    let mut options = AuthOptions::new();
    options.set_password_encrypt_type(PasswordEncryptType::none);
    let response = answer(|tx| {
        auth_client.sign_up_by_user_name_password(
            "test",
            "password",
            profile,
            options,
            move |response: AuthResponse| {
                tx.send(response).unwrap();
            },
        )
    });
    let user = ok(response).user_info().unwrap();
    assert_eq!(
        (user.username(), user.nickname()),
        (Some("test"), Some("test"))
    );
}

#[test]
fn sign_up_by_email_pass_code_page_ports_to_sign_up_by_email_pass_code() {
    // The "signup-by-email-passcode" page calls signUpByEmailPassword("test@example.com",
    // "1234", ..): the call the page is about is signUpByEmailPassCode.
    let emu = emulator();
    let auth_client = client_of(&emu);
    let pass_code = email_code(
        &emu,
        &auth_client,
        "test@example.com",
        EmailType::CHANNEL_REGISTER,
    );
    let mut profile = AuthProfile::new();
    profile.set_nickname("test");
    let response = answer(|tx| {
        auth_client.sign_up_by_email_pass_code("test@example.com", &pass_code, profile, None, tx)
    });
    assert_eq!(
        ok(response).user_info().unwrap().email(),
        Some("test@example.com")
    );
}

#[test]
fn sign_in_by_mobile_without_options_passes_none_or_the_options_it_built() {
    // authClient.signInByMobile(Connection.wechat, "1660291866076", cb): the sample builds
    // `options` and never passes them; the SDK's call takes them.
    let emu = emulator();
    let auth_client = client_of(&emu);
    let code = emu
        .add_provider_code(NewProviderCode::new("wechat", "wx-1"))
        .unwrap();
    let response = answer(|tx| {
        auth_client.sign_in_by_mobile(
            Connection::wechat,
            &code,
            None,
            move |response: AuthResponse| {
                tx.send(response).unwrap();
            },
        )
    });
    assert!(ok(response).login_token_data().is_ok());
    let code = emu
        .add_provider_code(NewProviderCode::new("wechat", "wx-2"))
        .unwrap();
    let with_options =
        answer(|tx| auth_client.sign_in_by_mobile(Connection::wechat, &code, sample_options(), tx));
    ok(with_options);
}

#[test]
fn sign_in_by_one_auth_without_options_passes_none() {
    // authClient.signInByOneAuth("1660291866076", "1660291866076", cb)
    let emu = emulator();
    let auth_client = client_of(&emu);
    let token = emu
        .add_provider_code(NewProviderCode::new("yidun", "yd-1").phone("+86", "18812345678"))
        .unwrap();
    let response = answer(|tx| auth_client.sign_in_by_one_auth(&token, "1660291866076", None, tx));
    ok(response);
    assert_eq!(
        auth_client.get_current_user().unwrap().phone(),
        Some("18812345678")
    );
}

#[test]
fn update_password_without_an_encrypt_type_passes_none() {
    // authClient.updatePassword("newPassword", "oldPassword", cb)
    let emu = emulator();
    let auth_client = signed_in(
        &emu,
        NewUser::with_username("test", "oldPassword"),
        "test",
        "oldPassword",
    );
    let response = answer(|tx| {
        auth_client.update_password(
            "newPassword",
            "oldPassword",
            None,
            move |response: AuthResponse| {
                if response.status_code() == 200 {
                    // request succeeded
                }
                tx.send(response).unwrap();
            },
        )
    });
    ok(response);
    assert!(emu.check_password("test", "newPassword"));
}

#[test]
fn un_bind_email_without_a_pass_code_needs_the_one_sent_on_channel_unbind_email() {
    // authClient.unBindEmail(cb)
    let emu = emulator();
    let user = NewUser::with_username("test", "passw0rd-1").email("test@example.com");
    let auth_client = signed_in(&emu, user, "test", "passw0rd-1");
    let pass_code = email_code(
        &emu,
        &auth_client,
        "test@example.com",
        EmailType::CHANNEL_UNBIND_EMAIL,
    );
    ok(answer(|tx| auth_client.un_bind_email(&pass_code, tx)));
    assert_eq!(auth_client.get_current_user().unwrap().email(), None);
}

#[test]
fn un_bind_phone_without_a_pass_code_needs_the_one_sent_on_channel_unbind_phone() {
    // authClient.unBindPhone(cb)
    let emu = emulator();
    let user = NewUser::with_username("test", "passw0rd-1").phone("+86", "18812345678");
    let auth_client = signed_in(&emu, user, "test", "passw0rd-1");
    let pass_code = sms_code(
        &emu,
        &auth_client,
        "18812345678",
        SmsType::CHANNEL_UNBIND_PHONE,
    );
    ok(answer(|tx| auth_client.un_bind_phone(&pass_code, tx)));
    assert_eq!(auth_client.get_current_user().unwrap().phone(), None);
}

#[test]
fn get_tenant_list_with_a_namespace_drops_it() {
    // authClient.getTenantList("default", cb)
    let emu = emulator();
    let auth_client = signed_in(
        &emu,
        NewUser::with_username("test", "passw0rd-1"),
        "test",
        "passw0rd-1",
    );
    emu.assign_tenant("test", NewTenant::new("Acme")).unwrap();
    let response = answer(|tx| {
        auth_client.get_tenant_list(move |response: AuthResponse| {
            tx.send(response).unwrap();
        })
    });
    let tenants = ok(response).tenant_list().unwrap();
    assert_eq!(tenants.len(), 1);
    assert_eq!(tenants[0].tenant_name(), "Acme");
}

#[test]
fn link_ext_idp_with_empty_app_id_and_id_token_uses_the_defaults() {
    // authClient.linkExtIdp("my-wechat", "", "", cb), ported literally.
    let emu = emulator();
    emu.add_ext_idp(NewExtIdp::new("my-wechat", "wechat", "WeChat"))
        .unwrap();
    let auth_client = signed_in(
        &emu,
        NewUser::with_username("test", "passw0rd-1"),
        "test",
        "passw0rd-1",
    );
    let response = answer(|tx| auth_client.link_ext_idp("my-wechat", "", "", tx));
    let url = ok(response).ext_idp_link_url().unwrap();
    assert!(url.starts_with(&emu.base_url()), "{url}");
}

#[test]
fn update_profile_with_region_and_gender_constant() {
    // profile.setRegion("CN"); profile.setGender(Gender.M); authClient.updateProfile(profile, cb)
    let emu = emulator();
    let auth_client = signed_in(
        &emu,
        NewUser::with_username("test", "passw0rd-1"),
        "test",
        "passw0rd-1",
    );
    let mut profile = Profile::new();
    profile.set_name("张三");
    profile.set_region("CN");
    profile.set_gender(Gender::M);
    profile.set_custom_data(serde_json::json!({"height": "180"}));
    let response = answer(|tx| auth_client.update_profile(profile, tx));
    let user = ok(response).user_info().unwrap();
    assert_eq!(user.data()["region"], "CN");
    assert_eq!(user.data()["gender"], "M");
    assert_eq!(
        Gender::from_text(user.data()["gender"].as_str().unwrap()),
        Some(Gender::M)
    );
    // And as the server keeps it.
    let again = ok(auth_client.get_profile_blocking(false, false, false));
    assert_eq!(again.user_info().unwrap().data()["region"], "CN");
}

#[test]
fn send_sms_with_an_email_type_takes_the_sms_type_of_the_same_name() {
    // authClient.sendSms("+86", "188xxxx8888", EmailType.CHANNEL_LOGIN, cb)
    let emu = emulator();
    let auth_client = client_of(&emu);
    ok(answer(|tx| {
        auth_client.send_sms("+86", "18812345678", SmsType::CHANNEL_LOGIN, tx)
    }));
    assert!(emu.latest_code("18812345678").is_some());
}

#[test]
fn get_new_access_token_by_refresh_token_without_an_auth_request() {
    // new AuthClient().getNewAccessTokenByRefreshToken(rt, cb)
    let emu = emulator();
    let auth_client = signed_in(
        &emu,
        NewUser::with_username("test", "passw0rd-1"),
        "test",
        "passw0rd-1",
    );
    let rt = auth_client
        .get_token()
        .unwrap()
        .refresh_token()
        .unwrap()
        .to_string();
    let response = answer(|tx| auth_client.get_new_access_token_by_refresh_token(rt.as_str(), tx));
    assert!(ok(response).login_token_data().is_ok());
}
