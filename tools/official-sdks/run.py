"""Authing's official Python SDK (PyPI `authing`), unchanged, against the emulator: sign
up, sign in (password, pass code, AD, LDAP, WeChat mobile), read the profile, refresh,
verify tokens offline with the served JWKS, revoke, reset a password; the OIDC code flow
with PKCE through the hosted page, userinfo, introspection and logout; MFA factors and
the sign-in challenge; QR sign-in, push sign-in (both sides), the directory, linked
identities, the account (bind, change, password, deletion), the authorization checks on
string, array and tree resources, the client-credentials grant, the devices (list,
revoke, unbind) and the social account binding (a new WeChat identity, then each way to
bind it); switch login to a public account and a pass code pre-checked without being
spent; fast authentication by QR code, the WeChat helpers (the emulator playing WeChat)
and Alipay's authInfo; events: put_event, and sub_event (broken in the SDK with
websockets >= 14: worked around); passkeys (WebAuthn registration and sign-in, the script
playing the authenticator). Run by run.sh, which sets EMU_URL, APP_ID and APP_SECRET.
Prints one line per step (ok, or worked around where the SDK itself is broken); exits 1
on the first answer that is not what the real server would give."""

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import struct
import sys
import time
import urllib.parse
import urllib.request

import requests  # the SDK's own HTTP client, used here as the browser at the hosted page
from authing import AuthenticationClient

BASE = os.environ["EMU_URL"]
APP_ID = os.environ["APP_ID"]
client = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
stamp = str(time.time_ns())[-8:]
phone = "137" + stamp
password = "py-secret-1"
scope = "openid profile email phone username offline_access"


tally = {"ok": 0, "worked around": 0}


def step(name, reply, ok):
    def short(v):
        if isinstance(v, str) and len(v) > 40:
            return v[:20] + "…"
        if isinstance(v, dict):
            return {k: short(x) for k, x in v.items()}
        if isinstance(v, list):
            return [short(x) for x in v]
        return v

    brief = json.dumps(short(reply), ensure_ascii=False)[:240]
    print(f"python: {name}: {'ok' if ok else 'UNEXPECTED'} {brief}", flush=True)
    if not ok:
        sys.exit(1)
    tally["ok"] += 1


def worked_around(name, why):
    """A step the SDK itself cannot do as documented (EMULATOR.md lists each): the script
    did it another way. Never counted as a pass."""
    print(f"python: {name}: worked around ({why})", flush=True)
    tally["worked around"] += 1


def latest_code(target):
    with urllib.request.urlopen(f"{BASE}/emulator/v1/codes", timeout=10) as res:
        codes = json.load(res)["codes"]
    return [c["code"] for c in codes if target in (c.get("phoneNumber"), c.get("email"))][-1]


def admin(path, body):
    """The emulator's admin API (a JSON write, as it requires)."""
    return requests.post(f"{BASE}/emulator/v1/{path}", json=body, timeout=10).json()


def totp(secret):
    """RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret, as an authenticator app would."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[19] & 15
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def mfa_complete(path, mfa_token, body):
    """The sign-in challenge's completion, which the SDK lacks: sent as Authing's Guard sends
    it, the mfaToken as the bearer, answered in the v2 envelope {code, message, data}."""
    return requests.post(f"{BASE}{path}", json=body, timeout=10, headers={
        "authorization": f"Bearer {mfa_token}", "x-authing-app-id": APP_ID}).json()


def introspect_mfa_token(token):
    return requests.post(f"{BASE}/mfa/token/introspection", data={"token": token}, timeout=10).json()


# The person at the hosted login page, over plain HTTP (no browser): open the authorize
# URL, post the sign-in form, allow on the consent page. The session keeps the cookie;
# no redirect is followed. Returns where the provider sends the browser back to.
browser = requests.Session()


def page(method, url, form=None):
    res = browser.request(method, url, data=form, allow_redirects=False, timeout=10)
    return res.status_code, res.headers.get("location"), res.text


def form_action(body):
    m = re.search(r'<form method="post" action="([^"]+)"', body)
    return m and BASE + m.group(1).replace("&amp;", "&")


def hosted_sign_in(authorize_url, account, secret):
    status, _, body = page("GET", authorize_url)
    step("hosted page: GET the authorize URL (sign-in form)", {"status": status},
         status == 200 and 'name="account"' in body)
    status, _, body = page("POST", form_action(body), {"account": account, "password": secret})
    step("hosted page: POST the sign-in form (consent page)", {"status": status},
         status == 200 and 'name="decision"' in body and len(browser.cookies) > 0)
    status, location, _ = page("POST", form_action(body), {"decision": "allow"})
    step("hosted page: POST consent allow", {"status": status, "location": location},
         status == 302 and "code=" in (location or ""))
    return urllib.parse.urlsplit(location)


r = client.sign_up_by_username_password(f"py{stamp}", password, profile={"nickname": "From Python"})
step("sign_up_by_username_password", r, r["statusCode"] == 200 and r["data"]["username"] == f"py{stamp}")

r = client.sign_up_by_email_password(f"py{stamp}@example.com", password)
step("sign_up_by_email_password", r, r["statusCode"] == 200)

r = client.send_email("CHANNEL_REGISTER", f"py{stamp}-code@example.com")
step("send_email CHANNEL_REGISTER", r, r["statusCode"] == 200)
r = client.sign_up_by_email_passcode(f"py{stamp}-code@example.com", latest_code(f"py{stamp}-code@example.com"))
step("sign_up_by_email_passcode", r, r["statusCode"] == 200 and r["data"]["emailVerified"] is True)

r = client.send_sms("CHANNEL_REGISTER", phone, "+86")
step("send_sms CHANNEL_REGISTER", r, r["statusCode"] == 200)
r = client.sign_up_by_phone_passcode(phone, latest_code(phone), "+86")
step("sign_up_by_phone_passcode", r, r["statusCode"] == 200)

r = client.sign_in_by_username_password(f"py{stamp}", password, options={"scope": scope})
step("sign_in_by_username_password", r, r["statusCode"] == 200 and "refresh_token" in r["data"])
tokens = r["data"]

r = client.sign_in_by_phone_password(phone, "wrong-pass")
step("sign_in_by_phone_password (no password set)", r, r["statusCode"] == 403 and r["apiCode"] == 2333)

r = client.sign_in_by_email_password(f"py{stamp}@example.com", password)
step("sign_in_by_email_password", r, r["statusCode"] == 200)

r = client.send_email("CHANNEL_LOGIN", f"py{stamp}-code@example.com")
step("send_email CHANNEL_LOGIN", r, r["statusCode"] == 200)
r = client.sign_in_by_email_passcode(f"py{stamp}-code@example.com", latest_code(f"py{stamp}-code@example.com"))
step("sign_in_by_email_passcode", r, r["statusCode"] == 200)

r = client.sign_in_by_account_password(f"py{stamp}@example.com", password)
step("sign_in_by_account_password", r, r["statusCode"] == 200)

# The generic calls the others wrap.
r = client.sign_up("PASSWORD", password_payload={"username": f"py{stamp}-generic", "password": password})
step("sign_up (PASSWORD)", r, r["statusCode"] == 200 and r["data"]["username"] == f"py{stamp}-generic")
r = client.sign_in_by_credentials("PASSWORD", password_payload={"account": f"py{stamp}-generic", "password": password},
                                  client_id=APP_ID, client_secret=os.environ["APP_SECRET"])
step("sign_in_by_credentials (PASSWORD)", r, r["statusCode"] == 200 and "access_token" in r["data"])

r = client.sign_in_by_ldap("ldap-user", "ldap-secret-1")
step("sign_in_by_ldap", r, r["statusCode"] == 200)

# Mobile social sign-in: the emulator plays WeChat; its admin API hands out the one-time
# code the WeChat app would have given. The first sign-in creates the user.
request = urllib.request.Request(
    f"{BASE}/emulator/v1/social/codes",
    data=json.dumps({"connection": "wechat", "userIdInIdp": f"wx-py-{stamp}"}).encode(),
    headers={"content-type": "application/json"},
    method="POST",
)
with urllib.request.urlopen(request, timeout=10) as res:
    wx_code = json.load(res)["code"]
r = client.sign_in_by_mobile(
    ext_idp_connidentifier="wechat-mobile", connection="wechat", wechat_payload={"code": wx_code}
)
step("sign_in_by_mobile (wechat)", r, r["statusCode"] == 200 and "access_token" in r["data"])
r = client.sign_in_by_mobile(
    ext_idp_connidentifier="wechat-mobile", connection="wechat", wechat_payload={"code": wx_code}
)
step("sign_in_by_mobile (the same code again)", r, r["statusCode"] != 200)

client.set_access_token(tokens["access_token"])
r = client.get_profile(with_custom_data=True, with_department_ids=True)
step("get_profile", r, r["statusCode"] == 200 and r["data"]["nickname"] == "From Python")
user_id = r["data"]["userId"]

claims = client.introspect_token_offline(tokens["access_token"])
step("introspect_token_offline (RS256, JWKS)", claims, claims["sub"] == user_id and claims["aud"] == APP_ID)

r = client.get_new_access_token_by_refresh_token(tokens["refresh_token"])
step("get_new_access_token_by_refresh_token", r, "access_token" in r and r["access_token"] != tokens["access_token"])
client.set_access_token(r["access_token"])
refreshed = r
r = client.get_profile()
step("get_profile (refreshed token)", r, r["statusCode"] == 200)

r = client.revoke_token(refreshed["refresh_token"])
step("revoke_token (refresh token)", r, r is True)
r = client.get_profile()
step("get_profile (session revoked)", r, r["statusCode"] == 401 and r["apiCode"] == 2020)

# The other two client authentication methods: HTTP Basic, and none (app id only).
for method in ["client_secret_basic", "none"]:
    other = AuthenticationClient(
        app_id=APP_ID,
        app_secret=None if method == "none" else os.environ["APP_SECRET"],
        app_host=BASE,
        token_endpoint_auth_method=method,
        revocation_endpoint_auth_method=method,
    )
    r = other.sign_in_by_username_password(f"py{stamp}", password, options={"scope": scope})
    if method == "client_secret_basic":
        # SDK defect: AuthenticationHttpClient compares the full URL (host included) with
        # its list of paths that take Basic, so /api/v3/signin gets no Authorization, and
        # sign_in_* leave client_id/client_secret out unless the method is client_secret_post:
        # the sign-in carries no client authentication at all. The emulator, which takes a
        # request without any as a public client's, signs in; this is no test of Basic.
        if r["statusCode"] != 200:
            step(f"sign_in_by_username_password ({method})", r, False)
        worked_around(f"sign_in_by_username_password ({method})",
                      "the SDK sends no client authentication; signed in as a public client")
    else:
        step(f"sign_in_by_username_password ({method})", r, r["statusCode"] == 200)
    r = other.get_new_access_token_by_refresh_token(r["data"]["refresh_token"])
    step(f"get_new_access_token_by_refresh_token ({method})", r, "access_token" in r)
    revoked = r["refresh_token"]
    step(f"revoke_token ({method})", other.revoke_token(revoked), True)
    r = other.get_new_access_token_by_refresh_token(revoked)
    step(f"get_new_access_token_by_refresh_token ({method}, revoked)", r, r.get("error") == "invalid_grant")

r = client.get_country_list()
step("get_country_list", r, r["statusCode"] == 200 and len(r["data"]) > 0)

r = client.get_system_info()
step("get_system_info", r, bool(r["rsa"]["publicKey"]) and bool(r["sm2"]["publicKey"]) and bool(r["version"]["server"]))

# Password reset, by an email code and by an SMS code.
email = f"py{stamp}@example.com"
client.send_email("CHANNEL_RESET_PASSWORD", email)
r = client.verify_reset_password_request("EMAIL_PASSCODE",
                                         email_pass_code_payload={"email": email, "passCode": latest_code(email)})
step("verify_reset_password_request (EMAIL_PASSCODE)", r, r["statusCode"] == 200 and "passwordResetToken" in r["data"])
reset_token = r["data"]["passwordResetToken"]
r = client.reset_password("py-reset-1", reset_token)
step("reset_password", r, r["statusCode"] == 200 and r["data"]["success"] is True)
r = client.reset_password("py-reset-2", reset_token)
step("reset_password (the spent token)", r, r["statusCode"] == 400 and r["apiCode"] == 2303)
r = client.sign_in_by_email_password(email, "py-reset-1")
step("sign_in_by_email_password (the reset password)", r, r["statusCode"] == 200)
client.send_sms("CHANNEL_RESET_PASSWORD", phone, "+86")
r = client.verify_reset_password_request("PHONE_PASSCODE", phone_pass_code_payload={
    "phoneNumber": phone, "phoneCountryCode": "+86", "passCode": latest_code(phone)})
step("verify_reset_password_request (PHONE_PASSCODE)", r, r["statusCode"] == 200 and "passwordResetToken" in r["data"])
r = client.reset_password("py-reset-3", r["data"]["passwordResetToken"])
step("reset_password (phone)", r, r["statusCode"] == 200)
r = client.sign_in_by_phone_password(phone, "py-reset-3")
step("sign_in_by_phone_password", r, r["statusCode"] == 200)
r = client.sign_in_by_ad("ad-user", "ad-secret-1")
step("sign_in_by_ad", r, r["statusCode"] == 200)

# OIDC authorization code with PKCE, through the hosted login page.
callback = "http://127.0.0.1:9/callback"
oidc = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE,
                            redirect_uri=callback, post_logout_redirect_uri="http://127.0.0.1:9/signed-out")
# SDK defect: generate_code_challenge (like the default state and nonce) is
# random.choice of lowercase letters, no CSPRNG, so a verifier may be predicted. The
# script makes its own.
if len(oidc.generate_code_challenge()) != 43:
    step("generate_code_challenge", {}, False)
worked_around("generate_code_challenge", "random.choice is no CSPRNG; the verifier comes from secrets")
verifier = secrets.token_urlsafe(32)
challenge = oidc.generate_code_challenge_digest(verifier, "S256")
step("generate_code_challenge_digest (S256)", {"verifier": verifier, "challenge": challenge}, challenge ==
     base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("="))
state, nonce = f"st{stamp}", f"nonce{stamp}"
url = oidc.build_authorize_url(scope=scope, state=state, nonce=nonce,
                               code_challenge=challenge, code_challenge_method="S256")
query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
step("build_authorize_url (PKCE)", {"url": url}, query.get("code_challenge") == challenge
     and query.get("code_challenge_method") == "S256" and query.get("redirect_uri") == callback)
# First the person gets the password wrong, then denies consent: the app is told.
status, _, body = page("GET", oidc.build_authorize_url(scope=scope, state=f"deny{stamp}"))
status, _, body = page("POST", form_action(body), {"account": f"py{stamp}", "password": "wrong-pass"})
step("hosted page: a wrong password (the form again)", {"status": status},
     status == 401 and 'role="alert"' in body and 'name="account"' in body)
status, _, body = page("POST", form_action(body), {"account": f"py{stamp}", "password": password})
status, location, _ = page("POST", form_action(body), {"decision": "deny"})
denied = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location or "").query))
step("hosted page: POST consent deny", {"status": status, "location": location}, status == 302
     and denied.get("error") == "access_denied" and denied.get("state") == f"deny{stamp}")
browser.cookies.clear()
back = hosted_sign_in(url, f"py{stamp}", password)
back_query = dict(urllib.parse.parse_qsl(back.query))
step("hosted page: redirect back carries the state", back_query, back_query.get("state") == state)
code = back_query["code"]
token_set = oidc.get_access_token_by_code(code, verifier)
step("get_access_token_by_code (PKCE)", token_set,
     all(k in token_set for k in ("access_token", "id_token", "refresh_token")))
id_claims = oidc.introspect_token_offline(token_set["id_token"])
step("introspect_token_offline (code-flow id_token: nonce, sid)", id_claims,
     id_claims["nonce"] == nonce and "sid" in id_claims and id_claims["aud"] == APP_ID)
r = oidc.get_user_info_by_access_token(token_set["access_token"])
step("get_user_info_by_access_token (POST, Bearer header)", r,
     r.get("sub") == id_claims["sub"] and r.get("username") == f"py{stamp}")
r = oidc.introspect_token(token_set["access_token"])
step("introspect_token (access token)", r, r.get("active") is True and r.get("sub") == id_claims["sub"])
r = oidc.introspect_token(token_set["refresh_token"])
step("introspect_token (refresh token)", r, r.get("active") is True)
r = oidc.revoke_token(token_set["access_token"])
step("revoke_token (code-flow access token)", r, r is True)
r = oidc.introspect_token(token_set["access_token"])
step("introspect_token (revoked)", r, r == {"active": False})
# A code exchanged twice: refused, and the tokens issued for it revoked (RFC 6749 4.1.2).
r = oidc.get_access_token_by_code(code, verifier)
step("get_access_token_by_code (the same code again)", r, r.get("error") == "invalid_grant")
r = oidc.introspect_token(token_set["refresh_token"])
step("introspect_token (refresh token, after the replay)", r, r == {"active": False})
r = oidc.get_user_info_by_access_token(token_set["access_token"])
step("get_user_info_by_access_token (revoked)", r, r.get("error") == "invalid_token")
# The code exchange, introspection and revocation with the other two client
# authentication methods, each from a fresh browser.
for method in ["client_secret_basic", "none"]:
    other = AuthenticationClient(
        app_id=APP_ID, app_secret=None if method == "none" else os.environ["APP_SECRET"], app_host=BASE,
        redirect_uri=callback, token_endpoint_auth_method=method,
        introspection_endpoint_auth_method=method, revocation_endpoint_auth_method=method,
    )
    v = secrets.token_urlsafe(32)
    browser.cookies.clear()
    returned = hosted_sign_in(other.build_authorize_url(
        scope=scope, code_challenge=other.generate_code_challenge_digest(v, "S256"), code_challenge_method="S256"),
        f"py{stamp}", password)
    ts = other.get_access_token_by_code(dict(urllib.parse.parse_qsl(returned.query))["code"], v)
    step(f"get_access_token_by_code (PKCE, {method})", ts, "access_token" in ts and "refresh_token" in ts)
    r = other.introspect_token(ts["access_token"])
    step(f"introspect_token ({method})", r, r.get("active") is True)
    r = other.revoke_token(ts["refresh_token"])
    step(f"revoke_token ({method}, refresh token)", r, r is True)
    r = other.introspect_token(ts["refresh_token"])
    step(f"introspect_token ({method}, revoked)", r, r == {"active": False})
# Spoiled id tokens (admin tamper): introspect_token_offline should refuse each. PyJWT
# checks signature, aud and exp, but the SDK passes no issuer and takes no nonce, so
# where it accepts one the script checks the claim itself.
for kind in ["bad-signature", "wrong-audience", "expired", "wrong-issuer", "wrong-nonce"]:
    admin("oidc/tamper", {"idToken": kind})
    browser.cookies.clear()
    kind_nonce = f"n{kind}{stamp}"
    returned = hosted_sign_in(oidc.build_authorize_url(scope=scope, nonce=kind_nonce), f"py{stamp}", password)
    ts = oidc.get_access_token_by_code(dict(urllib.parse.parse_qsl(returned.query))["code"])
    try:
        c = oidc.introspect_token_offline(ts["id_token"])
    except Exception as e:  # PyJWT's InvalidTokenError family
        step(f"introspect_token_offline refuses the {kind} id_token", {"error": repr(e)}, True)
        continue
    caught = (c.get("aud") != APP_ID or c.get("exp", 0) < time.time()
              or c.get("iss") != f"{BASE}/oidc" or c.get("nonce") != kind_nonce)
    if not caught:
        step(f"introspect_token_offline ({kind})", c, False)
    worked_around(f"introspect_token_offline ({kind})", "the SDK accepts it; the script's own claim check refuses it")

logout = oidc.build_logout_url(id_token=token_set["id_token"], state="bye")
# SDK defect: build_logout_url takes `state` and drops it (__build_oidc_logout_url has no
# state parameter).
if "state=" not in logout:
    logout += "&state=bye"
    worked_around("build_logout_url (state)", "the SDK drops state; added to the URL")
status, location, _ = page("GET", logout)
step("build_logout_url, opened", {"status": status, "location": location}, status == 302
     and location.startswith("http://127.0.0.1:9/signed-out") and "state=bye" in location)
status, location, _ = page("GET", oidc.build_authorize_url(scope="openid") + "&prompt=none")
step("after logout: the browser is signed out (prompt=none)", {"status": status, "location": location},
     status == 302 and "error=login_required" in (location or ""))

# MFA: the factor life cycle, then the sign-in challenge and its completion.
mfa_email, mfa_phone = f"py{stamp}-mfa@example.com", "131" + stamp
r = client.sign_in_by_username_password(f"py{stamp}", password, options={"scope": scope})
step("sign_in_by_username_password (before MFA)", r, r["statusCode"] == 200)
client.set_access_token(r["data"]["access_token"])
r = client.list_factors_to_enroll()
step("list_factors_to_enroll", r, r["statusCode"] == 200
     and {"OTP", "SMS", "EMAIL"} <= {f["factorType"] for f in r["data"]})
r = client.send_enroll_factor_request({"email": mfa_email}, "EMAIL")
step("send_enroll_factor_request (EMAIL)", r, r["statusCode"] == 200 and "enrollmentToken" in r["data"])
r = client.enroll_factor({"passCode": latest_code(mfa_email)}, r["data"]["enrollmentToken"], "EMAIL")
step("enroll_factor (EMAIL)", r, r["statusCode"] == 200)
r = client.send_enroll_factor_request({}, "OTP")
step("send_enroll_factor_request (OTP)", r, r["statusCode"] == 200
     and r["data"]["otpData"]["qrCodeUri"].startswith("otpauth://totp/"))
secret = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r["data"]["otpData"]["qrCodeUri"]).query))["secret"]
recovery = r["data"]["otpData"]["recoveryCode"]
r = client.enroll_factor({"passCode": totp(secret)}, r["data"]["enrollmentToken"], "OTP")
step("enroll_factor (OTP)", r, r["statusCode"] == 200)
r = client.send_enroll_factor_request({"phoneNumber": mfa_phone, "phoneCountryCode": "+86"}, "SMS")
step("send_enroll_factor_request (SMS)", r, r["statusCode"] == 200 and "enrollmentToken" in r["data"])
r = client.enroll_factor({"passCode": latest_code(mfa_phone)}, r["data"]["enrollmentToken"], "SMS")
step("enroll_factor (SMS)", r, r["statusCode"] == 200)
r = client.list_enrolled_factors()
step("list_enrolled_factors", r, r["statusCode"] == 200 and len(r["data"]) == 3)
factors = {f["factorType"]: f["factorId"] for f in r["data"]}
r = client.get_factor(factors["OTP"])
step("get_factor (OTP)", r, r["statusCode"] == 200 and r["data"]["factorType"] == "OTP")
r = client.mfa_otp_verify(totp(secret))
step("mfa_otp_verify", r, r["statusCode"] == 200 and r["data"]["verified"] is True)
r = client.mfa_otp_verify("000000")
step("mfa_otp_verify (wrong code)", r, r.get("apiCode") == 6001)

r = admin(f"mfa/users/{user_id}", {"enabled": True})
step("admin: the user turns MFA on", r, r["enabled"] is True)


def challenged(label, api_code=1635):
    c = client.sign_in_by_username_password(f"py{stamp}", password, options={"scope": scope})
    step(f"sign_in_by_username_password (MFA challenge, {label})", c, c["statusCode"] == 401
         and c["apiCode"] == api_code and "mfaToken" in c["data"])
    return c["data"]["mfaToken"]


mfa_token = challenged("TOTP")
# SDK defect: verify_mfa_token(token) posts no body at all, so the token never leaves.
r = client.verify_mfa_token(mfa_token)
if r.get("error") == "invalid_request":
    worked_around("verify_mfa_token", "the SDK sends no token: HTTP 400; introspected over plain HTTP")
else:
    step("verify_mfa_token", r, r.get("active") is True)
r = introspect_mfa_token(mfa_token)
step("POST /mfa/token/introspection (open challenge)", r, r.get("active") is True and r.get("userId") == user_id)
r = mfa_complete("/api/v2/mfa/totp/verify", mfa_token, {"totp": "000000"})
step("challenge: /api/v2/mfa/totp/verify (wrong code)", r, r["code"] == 6001)
r = mfa_complete("/api/v2/mfa/totp/verify", mfa_token, {"totp": totp(secret)})
step("challenge: /api/v2/mfa/totp/verify", r, r["code"] == 200 and "access_token" in r["data"])
client.set_access_token(r["data"]["access_token"])
r = client.get_profile()
step("get_profile (after MFA)", r, r["statusCode"] == 200 and r["data"]["userId"] == user_id)
r = introspect_mfa_token(mfa_token)
step("POST /mfa/token/introspection (spent)", r, r == {"active": False})
r = mfa_complete("/api/v2/mfa/totp/verify", mfa_token, {"totp": totp(secret)})
step("challenge: /api/v2/mfa/totp/verify (the spent mfaToken)", r, r["code"] == 2020)

mfa_token = challenged("email")
r = client.send_email("CHANNEL_VERIFY_MFA", mfa_email)
step("send_email CHANNEL_VERIFY_MFA", r, r["statusCode"] == 200)
r = mfa_complete("/api/v2/applications/mfa/email/verify", mfa_token,
                 {"email": mfa_email, "code": latest_code(mfa_email)})
step("challenge: /api/v2/applications/mfa/email/verify", r, r["code"] == 200 and "access_token" in r["data"])

mfa_token = challenged("SMS")
r = client.send_sms("CHANNEL_VERIFY_MFA", mfa_phone, "+86")
step("send_sms CHANNEL_VERIFY_MFA", r, r["statusCode"] == 200)
r = mfa_complete("/api/v2/applications/mfa/sms/verify", mfa_token,
                 {"phone": mfa_phone, "phoneCountryCode": "+86", "code": latest_code(mfa_phone)})
step("challenge: /api/v2/applications/mfa/sms/verify", r, r["code"] == 200 and "access_token" in r["data"])

# The app requires MFA (admin policy): every sign-in is challenged with 1636.
r = admin("mfa/policy", {"required": True})
step("admin: the app requires MFA", r, r["required"] is True)
mfa_token = challenged("app policy", 1636)
r = mfa_complete("/api/v2/mfa/totp/verify", mfa_token, {"totp": totp(secret)})
step("challenge: /api/v2/mfa/totp/verify (app policy)", r, r["code"] == 200 and "access_token" in r["data"])
r = admin("mfa/policy", {"required": False})
step("admin: the app no longer requires MFA", r, r["required"] is False)

mfa_token = challenged("recovery code")
r = mfa_complete("/api/v2/mfa/totp/recovery", mfa_token, {"recoveryCode": recovery})
step("challenge: /api/v2/mfa/totp/recovery", r, r["code"] == 200 and "access_token" in r["data"]
     and r.get("recoveryCode") not in (None, recovery))
client.set_access_token(r["data"]["access_token"])

r = client.reset_factor(factors["EMAIL"])
step("reset_factor (EMAIL)", r, r["statusCode"] == 200)
r = client.reset_factor(factors["OTP"])
step("reset_factor (OTP)", r, r["statusCode"] == 200)
r = client.reset_factor(factors["SMS"])
step("reset_factor (SMS)", r, r["statusCode"] == 200)
r = client.list_enrolled_factors()
step("list_enrolled_factors (after reset)", r, r["statusCode"] == 200 and r["data"] == [])
r = client.sign_in_by_username_password(f"py{stamp}", password, options={"scope": scope})
step("sign_in_by_username_password (MFA on, no factor left: no challenge)", r, r["statusCode"] == 200)
r = admin(f"mfa/users/{user_id}", {"enabled": False})
step("admin: the user turns MFA off", r, r["enabled"] is False)

# QR sign-in, both sides: the desktop (no token) asks, the phone (signed in) scans and
# confirms, the desktop exchanges the ticket.
r = client.sign_in_by_username_password(f"py{stamp}", password, options={"scope": scope})
step("sign_in_by_username_password (the phone)", r, r["statusCode"] == 200)
client.set_access_token(r["data"]["access_token"])
session = r["data"]
desk = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
r = desk.gene_qr_code("MOBILE_APP")
step("gene_qr_code (desktop)", r, r["statusCode"] == 200 and "qrcodeId" in r["data"])
qrcode_id = r["data"]["qrcodeId"]
r = desk.check_qr_code_status(qrcode_id)
step("check_qr_code_status (PENDING)", r, r["statusCode"] == 200 and r["data"]["status"] == "PENDING")
r = client.change_qr_code_status("SCAN", qrcode_id)
step("change_qr_code_status SCAN (phone)", r, r["statusCode"] == 200)
r = desk.check_qr_code_status(qrcode_id)
step("check_qr_code_status (SCANNED)", r, r["data"]["status"] == "SCANNED"
     and r["data"]["briefUserInfo"]["displayName"] == "From Python")
r = client.change_qr_code_status("CONFIRM", qrcode_id)
step("change_qr_code_status CONFIRM (phone)", r, r["statusCode"] == 200)
r = desk.check_qr_code_status(qrcode_id)
step("check_qr_code_status (AUTHORIZED, ticket)", r, r["data"]["status"] == "AUTHORIZED" and "ticket" in r["data"])
ticket = r["data"]["ticket"]
r = desk.exchange_token_set_with_qr_code_ticket(ticket)
step("exchange_token_set_with_qr_code_ticket", r, r["statusCode"] == 200 and "access_token" in r["data"])
desk.set_access_token(r["data"]["access_token"])
r = desk.get_profile()
step("get_profile (desktop, after the QR sign-in)", r, r["statusCode"] == 200 and r["data"]["username"] == f"py{stamp}")
r = desk.exchange_token_set_with_qr_code_ticket(ticket)
step("exchange_token_set_with_qr_code_ticket (spent ticket)", r, r["statusCode"] == 400 and r["apiCode"] == 2327)
qrcode_id = desk.gene_qr_code("MOBILE_APP")["data"]["qrcodeId"]
r = client.change_qr_code_status("SCAN", qrcode_id)
step("change_qr_code_status SCAN (phone, second code)", r, r["statusCode"] == 200)
r = client.change_qr_code_status("CANCEL", qrcode_id)
step("change_qr_code_status CANCEL (phone)", r, r["statusCode"] == 200)
r = desk.check_qr_code_status(qrcode_id)
step("check_qr_code_status (CANCELLED)", r, r["data"]["status"] == "CANCELLED" and "ticket" not in r["data"])
r = client.change_qr_code_status("SCAN", qrcode_id)
step("change_qr_code_status SCAN (a cancelled code)", r, r["statusCode"] == 400 and r["apiCode"] == 2326)
r = client.change_qr_code_status("CONFIRM", desk.gene_qr_code("MOBILE_APP")["data"]["qrcodeId"])
step("change_qr_code_status CONFIRM (before SCAN)", r, r["statusCode"] == 400 and r["apiCode"] == 2326)

# The directory: what the admin API gave the user, read back through the SDK.
me = f"py{stamp}"
for kind, body in [("roles", {"code": "py-admin", "name": "Python Admin"}),
                   ("groups", {"code": "py-group", "name": "Python Group"}),
                   ("departments", {"code": "py-rnd", "name": "Python R&D"}),
                   ("tenants", {"tenantName": "Python Tenant"}),
                   ("apps", {"appName": "Python App"}),
                   ("resources", {"code": "py-doc", "resourceType": "DATA", "actions": ["read"]})]:
    r = admin(f"users/{me}/{kind}", body)
    step(f"admin: give the user {kind}", r, r.get("ok") is True)
r = client.get_role_list()
step("get_role_list", r, r["statusCode"] == 200 and any(x["code"] == "py-admin" for x in r["data"]))
r = client.get_group_list()
step("get_group_list", r, r["statusCode"] == 200 and any(x["code"] == "py-group" for x in r["data"]))
r = client.get_department_list()
step("get_department_list", r, r["statusCode"] == 200 and any(x["code"] == "py-rnd" for x in r["data"]["list"]))
r = client.get_tenant_list()
step("get_tenant_list", r, r["statusCode"] == 200 and any(x["tenantName"] == "Python Tenant" for x in r["data"]))
r = client.get_accessible_apps()
step("get_accessible_apps", r, r["statusCode"] == 200 and any(x["appName"] == "Python App" for x in r["data"]))
r = client.get_logged_in_apps()
step("get_logged_in_apps", r, r["statusCode"] == 200 and any(x["appId"] == APP_ID for x in r["data"]))
r = client.get_authorized_resources()
step("get_authorized_resources", r, r["statusCode"] == 200
     and any(x["resourceCode"] == "py-doc" for x in r["data"]["list"]))
r = client.get_login_history()
step("get_login_history", r, r["statusCode"] == 200 and r["data"]["totalCount"] > 0)

# Identities and the link URL: a provider added with the admin API, linked through the
# URL the SDK asks for (opening it stands for the provider's page), then unlinked.
ident = f"github-py-{stamp}"
r = admin("ext-idps", {"identifier": ident, "type": "github", "name": "GitHub"})
step("admin: add an external identity provider", r, r.get("ok") is True)
ext_idp_id = r["extIdpId"]
r = client.get_application_enabled_ext_idps()
step("get_application_enabled_ext_idps", r, r["statusCode"] == 200 and any(x["identifier"] == ident for x in r["data"]))
r = client.generate_link_ext_idp_url(ident, APP_ID, session["id_token"])
step("generate_link_ext_idp_url", r, r["statusCode"] == 200 and "url" in r["data"])
linked = requests.get(r["data"]["url"], timeout=10).json()
step("the link URL, opened", linked, linked.get("ok") is True)
r = client.get_identities()
step("get_identities", r, r["statusCode"] == 200 and any(x["extIdpId"] == ext_idp_id for x in r["data"]))
r = client.unlink_ext_idp(ext_idp_id)
step("unlink_ext_idp", r, r["statusCode"] == 200)
r = client.unlink_ext_idp(ext_idp_id)
step("unlink_ext_idp (nothing left to unlink)", r, r["statusCode"] == 404)
r = client.get_identities()
step("get_identities (after unlink)", r, r["statusCode"] == 200 and not any(x["extIdpId"] == ext_idp_id for x in r["data"]))

# The account: profile, phone and email bound, changed and unbound, password, deletion.
email2, email3 = f"py{stamp}-bound@example.com", f"py{stamp}-new@example.com"
phone2, phone3, password2 = "134" + stamp, "133" + stamp, "py-secret-2"
r = client.update_profile(nickname="Renamed Python", custom_data={"team": "sdk"})
step("update_profile", r, r["statusCode"] == 200 and r["data"]["nickname"] == "Renamed Python")
r = client.get_security_level()
step("get_security_level", r, r["statusCode"] == 200 and r["data"]["passwordSecurityLevel"] >= 1)
client.send_email("CHANNEL_BIND_EMAIL", email2)
r = client.bind_email(latest_code(email2), email2)
step("bind_email", r, r["statusCode"] == 200)
client.send_sms("CHANNEL_BIND_PHONE", phone2)
r = client.bind_phone("000000", phone)
step("bind_phone (another user's phone)", r, r["statusCode"] == 409 and r["apiCode"] == 2305)
r = client.bind_phone(latest_code(phone2), phone2)
step("bind_phone", r, r["statusCode"] == 200)
r = client.get_profile()
step("get_profile (bound)", r, r["data"].get("email") == email2 and r["data"].get("phone") == phone2)
client.send_email("CHANNEL_UPDATE_EMAIL", email3)
r = client.verify_update_email_request({"newEmail": email3, "newEmailPassCode": latest_code(email3)}, "EMAIL_PASSCODE")
step("verify_update_email_request", r, r["statusCode"] == 200 and "updateEmailToken" in r["data"])
r = client.update_email(r["data"]["updateEmailToken"])
step("update_email", r, r["statusCode"] == 200)
client.send_sms("CHANNEL_BIND_PHONE", phone3)
r = client.verify_update_phone_request({"newPhoneNumber": phone3, "newPhonePassCode": latest_code(phone3)},
                                       "PHONE_PASSCODE")
step("verify_update_phone_request", r, r["statusCode"] == 200 and "updatePhoneToken" in r["data"])
r = client.update_phone(r["data"]["updatePhoneToken"])
step("update_phone", r, r["statusCode"] == 200)
r = client.get_profile()
step("get_profile (changed)", r, r["data"].get("email") == email3 and r["data"].get("phone") == phone3)
client.send_email("CHANNEL_UNBIND_EMAIL", email3)
r = client.unbind_email(latest_code(email3))
step("unbind_email", r, r["statusCode"] == 200)
client.send_sms("CHANNEL_UNBIND_PHONE", phone3)
r = client.unbind_phone(latest_code(phone3))
step("unbind_phone", r, r["statusCode"] == 200)
r = client.get_profile()
step("get_profile (unbound)", r, not r["data"].get("email") and not r["data"].get("phone"))
r = client.update_password(password2, old_password="not-the-password")
step("update_password (a wrong old password)", r, r["statusCode"] == 403 and r["apiCode"] == 2006)
r = client.update_password(password2, old_password=password)
step("update_password", r, r["statusCode"] == 200)
r = desk.get_profile()
step("get_profile (another session, after the password change)", r, r["statusCode"] == 401)
r = client.sign_in_by_username_password(me, password)
step("sign_in_by_username_password (the old password)", r, r["statusCode"] == 403)
r = client.sign_in_by_username_password(me, password2)
step("sign_in_by_username_password (the new password)", r, r["statusCode"] == 200)
r = client.verify_delete_account_request("PASSWORD", password_payload={"password": password2})
step("verify_delete_account_request (PASSWORD)", r, r["statusCode"] == 200 and "deleteAccountToken" in r["data"])
r = client.delete_account(r["data"]["deleteAccountToken"])
step("delete_account", r, r["statusCode"] == 200 and r["data"]["success"] is True)
r = client.get_profile()
step("get_profile (deleted)", r, r["statusCode"] == 401)
r = client.sign_in_by_username_password(me, password2)
step("sign_in_by_username_password (deleted)", r, r["statusCode"] != 200)
# --- permissions ---
who = f"pyperm{stamp}"
perm = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
perm.sign_up_by_username_password(who, password)
r = perm.sign_in_by_username_password(who, password, options={"scope": scope})
perm.set_access_token(r["data"]["access_token"])
report, menu, docs = f"report{stamp}", f"menu{stamp}", f"docs{stamp}"
admin("data-resources", {"code": report, "resourceType": "STRING", "value": "/reports",
                         "actions": ["read", "export"]})
admin("data-resources", {"code": menu, "resourceType": "ARRAY", "values": ["home", "orders"],
                         "actions": ["read"]})
admin("data-resources", {"code": docs, "resourceType": "TREE", "actions": ["read", "edit"],
                         "tree": [{"code": "guides", "children": [{"code": "intro"}]}, {"code": "internal"}]})
for resource in (report, menu, f"{docs}/guides"):
    admin("permission-grants", {"subjectType": "USER", "subject": who, "resource": resource, "actions": ["read"]})


def enabled(res):
    return {f"{c['resource']}:{c['action']}": c["enabled"] for c in res["data"].get("checkResultList", [])}


r = perm.check_permission_by_string_resource([report], "read")
step("check_permission_by_string_resource (granted)", r, r["statusCode"] == 200 and enabled(r)[f"{report}:read"] is True)
r = perm.check_permission_by_string_resource([report], "export")
step("check_permission_by_string_resource (not granted)", r,
     r["statusCode"] == 200 and enabled(r)[f"{report}:export"] is False)
r = perm.check_permission_by_array_resource([menu], "read")
step("check_permission_by_array_resource", r, r["statusCode"] == 200 and enabled(r)[f"{menu}:read"] is True)
r = perm.check_permission_by_tree_resource([f"{docs}/guides/intro", f"{docs}/internal"], "read")
step("check_permission_by_tree_resource (a node below the grant, a sibling)", r, r["statusCode"] == 200
     and enabled(r)[f"{docs}/guides/intro:read"] is True and enabled(r)[f"{docs}/internal:read"] is False)
r = perm.get_user_authorized_resources_list()
step("get_user_authorized_resources_list", r, r["statusCode"] == 200 and report in json.dumps(r["data"])
     and menu in json.dumps(r["data"]))
r = perm.get_user_auth_resource_permission_list([report, f"{docs}/guides"])
lines = {line["resource"]: line["actions"] for line in r["data"].get("permissionList", [])}
step("get_user_auth_resource_permission_list", r, r["statusCode"] == 200 and lines.get(report) == ["read"]
     and lines.get(f"{docs}/guides") == ["read"])
r = perm.get_user_auth_resource_struct(docs)
step("get_user_auth_resource_struct (tree)", r, r["statusCode"] == 200 and r["data"]["resourceCode"] == docs
     and "intro" in json.dumps(r["data"]))

# --- tokens ---
m2m = admin("machine/clients", {"clientId": f"m2m-py-{stamp}", "clientSecret": "py-m2m-secret",
                                "scopes": ["read:orders"]})
r = client.get_access_token_by_client_credentials("read:orders", m2m["clientId"], m2m["clientSecret"])
step("get_access_token_by_client_credentials", r, bool(r.get("access_token")))
r = client.introspect_token(r["access_token"])
step("introspect_token (machine token)", r, r.get("active") is True and r.get("client_id") == m2m["clientId"])
r = client.get_access_token_by_client_credentials("read:orders", m2m["clientId"], "not-the-secret")
step("get_access_token_by_client_credentials (a wrong secret)", r, not r.get("access_token"))

# --- devices ---
# The official SDKs send no device id: the sign-in that records the device is made here as
# a desktop app would make it, with `x-authing-device-id`; the SDK's own device calls then
# run unchanged on its token.
who = f"pydev{stamp}"
device = f"py-device-{stamp}"
dev = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
dev.sign_up_by_username_password(who, password)
signed_in = requests.post(f"{BASE}/api/v3/signin", timeout=10,
                          headers={"x-authing-app-id": APP_ID, "x-authing-device-id": device},
                          json={"connection": "PASSWORD", "passwordPayload": {"username": who, "password": password},
                                "options": {"scope": scope}, "client_id": APP_ID,
                                "client_secret": os.environ["APP_SECRET"]}).json()
dev.set_access_token(signed_in["data"]["access_token"])
r = dev.list(page=1, limit=10)
step("list (devices)", r, r["statusCode"] == 200 and len(r["data"]) == 1
     and r["data"][0]["device"]["deviceId"] == device and r["data"][0]["online"] is True)
r = dev.revoke("no-such-device")
step("revoke (a device the user does not have)", r, r["statusCode"] == 404)
other = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
r = other.sign_in_by_username_password(who, password, options={"scope": scope})
other.set_access_token(r["data"]["access_token"])
r = other.revoke(device)
step("revoke (the desktop's device, from another session)", r, r["statusCode"] == 200)
r = dev.get_profile()
step("get_profile (the revoked device's token)", r, r["statusCode"] == 401)
r = other.list(page=1, limit=10)
step("list (revoked: listed, offline)", r, r["statusCode"] == 200 and r["data"][0]["online"] is False)
r = other.unbind(device)
step("unbind", r, r["statusCode"] == 200)
r = other.list(page=1, limit=10)
step("list (after unbind)", r, r["statusCode"] == 200 and r["data"] == [])

# --- push ---
# Push sign-in, both sides, with a user of its own: the desktop (no token) pushes a sign-in
# request, the phone (signed in as that user) looks up the relation apps, refuses one push
# and approves the next; the approved push's status check carries the tokenSet.
push_user = f"pypush{stamp}"
push_phone = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
push_desk = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
r = push_phone.sign_up_by_username_password(push_user, password)
step("sign_up_by_username_password (the push user)", r, r["statusCode"] == 200)
r = push_phone.sign_in_by_username_password(push_user, password, options={"scope": scope})
step("sign_in_by_username_password (the push user's phone)", r, r["statusCode"] == 200)
push_phone.set_access_token(r["data"]["access_token"])
r = push_desk.sign_in_by_push(push_user)
step("sign_in_by_push (desktop)", r, r["statusCode"] == 200 and "pushCodeId" in r["data"]
     and r["data"]["expireTime"] == 120)
push_code_id = r["data"]["pushCodeId"]
r = push_desk.check_push_code_status(push_code_id)
step("check_push_code_status (PUSHED)", r, r["statusCode"] == 200 and r["data"]["status"] == "PUSHED")
r = push_phone.get_push_login_relation_apps(APP_ID, push_code_id)
step("get_push_login_relation_apps (phone)", r, r["statusCode"] == 200 and APP_ID in r["data"]["appIds"])
r = push_phone.change_push_code_status("CANCEL", push_code_id)
step("change_push_code_status CANCEL (phone)", r, r["statusCode"] == 200)
r = push_desk.check_push_code_status(push_code_id)
step("check_push_code_status (CANCELLED)", r, r["data"]["status"] == "CANCELLED" and "tokenSet" not in r["data"])
push_code_id = push_desk.sign_in_by_push(push_user, options={"scope": scope})["data"]["pushCodeId"]
r = push_phone.change_push_code_status("CONFIRM", push_code_id)
step("change_push_code_status CONFIRM (phone)", r, r["statusCode"] == 200)
r = push_desk.check_push_code_status(push_code_id)
step("check_push_code_status (AUTHORIZED, tokenSet)", r, r["data"]["status"] == "AUTHORIZED"
     and bool(r["data"]["tokenSet"]["access_token"]) and bool(r["data"]["tokenSet"]["refresh_token"]))
push_desk.set_access_token(r["data"]["tokenSet"]["access_token"])
r = push_desk.get_profile()
step("get_profile (desktop, after the push sign-in)", r, r["statusCode"] == 200 and r["data"]["username"] == push_user)
r = push_phone.change_push_code_status("CANCEL", push_code_id)
step("change_push_code_status (already authorized)", r, r["statusCode"] == 400 and r["apiCode"] == 2372)
# --- social binding ---
# The emulator plays WeChat: its admin API hands out the code the WeChat app would have
# given. A new identity answers 301 (bind it); each binding route then binds it to an
# account and signs in.
sb = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
who, mail, tel = f"pybind{stamp}", f"pybind{stamp}@example.com", "135" + stamp
sb.sign_up_by_username_password(who, password)
sb.sign_up_by_email_password(mail, password)
sb.send_sms(phone_number=tel, channel="CHANNEL_REGISTER")
sb.sign_up_by_phone_passcode(tel, latest_code(tel), "+86")


def first(wx, **extra):
    wechat = admin("social/codes", {"connection": "wechat", "userIdInIdp": wx, **extra})
    return sb.auth_by_code_identity(wechat["code"], app_id=APP_ID, conn_id="social-wechat-mobile",
                                    options={"scope": scope})


def signed_in(res):
    return res["statusCode"] == 200 and bool(res["data"].get("access_token"))


r = first(f"wx-py-1-{stamp}")
step("auth_by_code_identity (a new identity: needs binding)", r,
     r["statusCode"] == 301 and r["apiCode"] == 1641 and bool(r["data"]["key"]))
r = sb.register_new_user(r["data"]["key"], "create-federation-account")
step("register_new_user", r, signed_in(r))
r = first(f"wx-py-1-{stamp}")
step("auth_by_code_identity (a bound identity signs in)", r, signed_in(r))
key = first(f"wx-py-2-{stamp}")["data"]["key"]
sb.send_email(channel="CHANNEL_LOGIN", email=mail)
r = sb.bind_by_email_code(key, "bind-identity-by-email-code", latest_code(mail), mail)
step("bind_by_email_code", r, signed_in(r))
key = first(f"wx-py-3-{stamp}")["data"]["key"]
sb.send_sms(phone_number=tel, channel="CHANNEL_LOGIN")
r = sb.bind_by_phone_code(key, "bind-identity-by-phone-code", latest_code(tel), tel, phone_country_code="+86")
step("bind_by_phone_code", r, signed_in(r))
key = first(f"wx-py-4-{stamp}")["data"]["key"]
r = sb.bind_by_account(key, "bind-identity-by-password", "not-the-password", who)
step("bind_by_account (a wrong password)", r, r["statusCode"] != 200)
r = sb.bind_by_account(key, "bind-identity-by-password", password, who)
step("bind_by_account", r, signed_in(r))
pending = first(f"wx-py-5-{stamp}", email=mail)
step("auth_by_code_identity (the candidate accounts)", pending,
     pending["statusCode"] == 301 and len(pending["data"]["accounts"]) == 1)
r = sb.select_account(pending["data"]["key"], "bind-identity-by-selection", pending["data"]["accounts"][0])
step("select_account", r, signed_in(r))
key = first(f"wx-py-6-{stamp}")["data"]["key"]
r = sb.bind_by_account_id(key, "bind-identity-by-account-id", pending["data"]["accounts"][0])
step("bind_by_account_id", r, signed_in(r))
r = sb.bind_by_account_id(key, "bind-identity-by-account-id", pending["data"]["accounts"][0])
step("bind_by_account_id (a spent key)", r, r["statusCode"] == 400)

# --- switch_login, captcha ---
# Switch login: a public account (the front desk) linked to a user by the admin API; the
# user lists it, switches to it, is refused another account. Then a pass code checked with
# pre_check_code twice (not spent) and a sign-in with it.
sw_user, sw_desk, sw_other = f"py-sw-{stamp}", f"py-desk-{stamp}", f"py-other-{stamp}"
for name in (sw_user, sw_desk, sw_other):
    r = admin("users", {"username": name, "password": password})
    step(f"admin: add the user {name}", r, r.get("ok") is True)
r = admin("public-accounts", {"publicAccount": sw_desk, "users": [sw_user]})
step("admin: link the public account", r, r.get("ok") is True and bool(r.get("publicAccountId")))
desk_id = r["publicAccountId"]
sw = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
r = sw.sign_in_by_username_password(sw_user, password, options={"scope": scope})
step("sign_in_by_username_password (switch login)", r, r["statusCode"] == 200)
sw.set_access_token(r["data"]["access_token"])
r = sw.list_public_accounts_for_switch_logged_in(with_origin_user=True)
step("list_public_accounts_for_switch_logged_in", r, r["statusCode"] == 200
     and [a["userId"] for a in r["data"][0]["publicAccounts"]] == [desk_id]
     and r["data"][0]["originUser"]["usertype"] == "1")
r = sw.switch_login_by_user(desk_id)
step("switch_login_by_user", r, r["statusCode"] == 200 and bool(r["data"]["access_token"]))
desk_token = r["data"]["access_token"]
other_id = requests.get(f"{BASE}/emulator/v1/users/{sw_other}", timeout=10).json()["userId"]
r = sw.switch_login_by_user(other_id)
step("switch_login_by_user (an account not linked)", r, r["statusCode"] == 403)
sw.set_access_token(desk_token)
r = sw.get_profile()
step("get_profile (as the public account)", r, r["statusCode"] == 200 and r["data"]["userId"] == desk_id)
sw_phone = "133" + stamp
sw.send_sms("CHANNEL_LOGIN", sw_phone)
sw_code = latest_code(sw_phone)
for when in ("first", "second"):
    r = sw.pre_check_code("SMS", sms_code_payload={"phone": sw_phone, "passCode": sw_code,
                                                   "channel": "CHANNEL_LOGIN"})
    step(f"pre_check_code ({when} time)", r, r["statusCode"] == 200 and r["data"]["isValid"] is True)
r = sw.pre_check_code("SMS", sms_code_payload={"phone": sw_phone, "channel": "CHANNEL_LOGIN",
                                               "passCode": "111111" if sw_code == "000000" else "000000"})
step("pre_check_code (a wrong code)", r, r["statusCode"] == 200 and r["data"]["isValid"] is False)
r = sw.sign_in_by_phone_passcode(sw_phone, sw_code, options={"autoRegister": True})
step("sign_in_by_phone_passcode (the pre-checked code still works)", r, r["statusCode"] == 200)

# --- rest (fast authentication, WeChat helpers, Alipay, the link URL) ---
# A user of its own (the one above is deleted). Fast authentication: the signed-in side
# makes the code and polls it; an app that is not signed in lists the apps and signs in.
rest_user = f"py{stamp}-rest"
r = client.sign_up_by_username_password(rest_user, password)
step("sign_up_by_username_password (fast authentication's user)", r, r["statusCode"] == 200)
r = client.sign_in_by_username_password(rest_user, password)
step("sign_in_by_username_password (fast authentication's user)", r, r["statusCode"] == 200)
client.set_access_token(r["data"]["access_token"])
r = client.gene_fastpass_qrcode_info(options={"scope": "openid profile"})
step("gene_fastpass_qrcode_info", r, r["statusCode"] == 200 and r["data"]["scene"] == "APP_LOGIN"
     and r["data"]["appId"] == APP_ID)
fastpass = r["data"]["qrcodeId"]
scanner = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
r = scanner.get_fastpass_params(fastpass, APP_ID)
step("get_fastpass_params (the scanning app)", r, r["statusCode"] == 200
     and r["data"]["relationApps"][0]["id"] == APP_ID)
r = client.get_qr_code_status(fastpass)
step("get_qr_code_status (SCANNED)", r, r["statusCode"] == 200 and r["data"]["status"] == "SCANNED")
r = scanner.qr_code_app_login("APP_LOGIN", fastpass)
step("qr_code_app_login", r, r["statusCode"] == 200 and bool(r["data"].get("access_token")))
r = client.get_qr_code_status(fastpass)
step("get_qr_code_status (AUTHORIZED)", r, r["data"]["status"] == "AUTHORIZED")
r = scanner.qr_code_app_login("APP_LOGIN", fastpass)
step("qr_code_app_login (a used code)", r, r["statusCode"] == 400 and r["apiCode"] == 2326)
# WeChat, played by the emulator: what WeChat gives the mini program, then the server's part.
wx = admin("wechat/mini-program-logins", {})
r = client.decrypt_wechat_mini_program_data(wx["code"], wx["iv"], wx["encryptedData"],
                                            wx["extIdpConnidentifier"])
step("decrypt_wechat_mini_program_data", r, r["statusCode"] == 200 and r["data"]["nickName"] == "Band")
r = client.decrypt_wechat_mini_program_data(wx["code"], wx["iv"], wx["encryptedData"],
                                            wx["extIdpConnidentifier"])
step("decrypt_wechat_mini_program_data (a spent code)", r, r["statusCode"] == 400 and r["apiCode"] == 2381)
r = client.get_wechat_mp_access_token_info("wx4f4bc4dec97d474b", "emulator-wechat-app-secret")
step("get_wechat_mp_access_token_info", r, r["statusCode"] == 200 and bool(r["data"]["accessToken"]))
token = r["data"]["accessToken"]
r = client.get_wechat_mp_access_token("wx4f4bc4dec97d474b", "emulator-wechat-app-secret")
step("get_wechat_mp_access_token (the same cached token)", r, r["data"]["accessToken"] == token)
r = client.get_wechat_mp_access_token_info("wx4f4bc4dec97d474b", "wrong")
step("get_wechat_mp_access_token_info (a wrong secret)", r, r["statusCode"] == 400 and r["apiCode"] == 2383)
r = scanner.get_alipay_auth_info("alipay")
step("get_alipay_auth_info", r, r["statusCode"] == 200
     and "apiname=com.alipay.account.auth" in r["data"]["authInfo"])
# --- events ---
# sub_event's URL is websocket_host + websocket_endpoint + ?code&token: pointed at the
# emulator's ws:// unchanged. put_event posts /api/v3/pub-userEvent with json.dumps(data).
import io
import queue
import threading
from contextlib import redirect_stdout

ev_user = "ev-py-" + stamp
admin("users", {"username": ev_user, "password": password})
ev = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE,
                          websocket_host=BASE.replace("http://", "ws://", 1))
r = ev.sign_in_by_username_password(ev_user, password, options={"scope": scope})
step("sign_in_by_username_password (events)", r, r["statusCode"] == 200)
ev.set_access_token(r["data"]["access_token"])
r = ev.put_event("myapp.py", {"n": 1})
step("put_event", r, r["statusCode"] == 200 and r["data"]["success"] is True)
r = ev.put_event("authing.user.updated", {})
step("put_event (one of authing's own codes is refused)", r, r["statusCode"] == 403)
# sub_event blocks in asyncio.run and prints (does not raise) what stops it: run it on a
# thread and read what it printed.
said = io.StringIO()
got = queue.Queue()
def subscribe():
    with redirect_stdout(said):
        ev.sub_event("myapp.py", got.put)
t = threading.Thread(target=subscribe, daemon=True)
t.start()
t.join(10)
printed = said.getvalue()
if not t.is_alive() and "extra_headers" in printed:
    # authing 5.1.0 calls websockets.connect(uri, extra_headers=...), a keyword websockets
    # 14 and later (the one its install gets) no longer take: the call fails before
    # connecting. The URL it built is the one the emulator serves; connect to it as the
    # SDK would have (no headers) to show it.
    import asyncio
    import websockets
    uri = ev.websocket_host + ev.websocket_endpoint + "?code=myapp.py&token=" + ev.access_token
    async def one_event():
        async with websockets.connect(uri) as ws:
            ev.put_event("myapp.py", {"n": 2})
            return json.loads(await asyncio.wait_for(ws.recv(), 10))
    m = asyncio.run(one_event())
    if not (m["eventType"] == "myapp.py" and json.loads(m["eventData"])["n"] == 2):
        step("sub_event (its url, connected by the script)", m, False)
    worked_around("sub_event", "authing 5.1.0 passes extra_headers to websockets.connect, which "
                  "websockets >= 14 rejects (TypeError); the URL it builds was connected by the "
                  "script and got the event")
else:
    r = ev.put_event("myapp.py", {"n": 2})
    m = json.loads(got.get(timeout=10))
    step("sub_event (the event arrives)", m, json.loads(m["eventData"])["n"] == 2)

# --- passkeys ---
# WebAuthn registration and sign-in through the SDK's relays, unchanged; the SDK makes no
# credential, so the script plays the authenticator with `cryptography` (P-256, ES256) and
# a CBOR writer of the few shapes needed (attestation `none`). The emulator verifies
# everything for real. The list, check and removals take no arguments here (their bodies
# are `{}`), and remove_credential posts the literal `{credentialID}`.
from cryptography.hazmat.primitives import hashes as _hashes
from cryptography.hazmat.primitives.asymmetric import ec as _ec


def _cbor(v):
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        if n < 256:
            return bytes([major << 5 | 24, n])
        return bytes([major << 5 | 25]) + struct.pack(">H", n)
    if isinstance(v, int):
        return head(0, v) if v >= 0 else head(1, -1 - v)
    if isinstance(v, str):
        return head(3, len(v.encode())) + v.encode()
    if isinstance(v, bytes):
        return head(2, len(v)) + v
    return head(5, len(v)) + b"".join(_cbor(k) + _cbor(x) for k, x in v.items())


def _b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def _client_data(kind, challenge):
    return json.dumps({"type": kind, "challenge": challenge, "origin": "https://localhost",
                       "crossOrigin": False}).encode()


pk_key = _ec.generate_private_key(_ec.SECP256R1())
numbers = pk_key.public_key().public_numbers()
cred_id = secrets.token_bytes(16)
who = f"pypk{stamp}"
pk = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
pk.sign_up_by_username_password(who, password)
r = pk.sign_in_by_username_password(who, password, options={"scope": scope})
pk_token = r["data"]["access_token"]
pk.set_access_token(pk_token)
r = pk.init_register_options()
step("init_register_options", r, r["statusCode"] == 200 and bool(r["data"]["ticket"])
     and r["data"]["registrationOptions"]["rp"]["id"] == "localhost")
created = _client_data("webauthn.create", r["data"]["registrationOptions"]["challenge"])
cose = _cbor({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
reg_data = (hashlib.sha256(b"localhost").digest() + bytes([0x45, 0, 0, 0, 0]) + bytes(16)
            + struct.pack(">H", len(cred_id)) + cred_id + cose)
attestation = _cbor({"fmt": "none", "attStmt": {}, "authData": reg_data})


def _credential(response):
    return {"id": _b64u(cred_id), "rawId": _b64u(cred_id), "response": response, "type": "public-key"}


r = pk.verify_register(r["data"]["ticket"], _credential(
    {"attestationObject": _b64u(attestation), "clientDataJSON": _b64u(created)}), "fingerprint")
step("verify_register (attestation none, ES256)", r, r["statusCode"] == 200 and r["data"]["verified"] is True)
r = pk.list_credentials_by_page()
step("list_credentials_by_page (bare, as the spec draws it)", r, r["totalCount"] == 1
     and r["list"][0]["credentialId"] == _b64u(cred_id))
r = pk.check_valid_credentials_by_cred_ids()
step("check_valid_credentials_by_cred_ids (no ids: the SDK sends none)", r, r["statusCode"] == 200 and r["data"] == [])
pk_counter = [0]


def _passkey_sign_in(key, step_back=0):
    anon = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
    o = anon.init_authentication_options()
    pk_counter[0] += 1 - step_back
    data = _client_data("webauthn.get", o["data"]["authenticationOptions"]["challenge"])
    auth_data = hashlib.sha256(b"localhost").digest() + bytes([0x05]) + struct.pack(">I", pk_counter[0])
    signature = key.sign(auth_data + hashlib.sha256(data).digest(), _ec.ECDSA(_hashes.SHA256()))
    return anon.verify_authentication(o["data"]["ticket"], _credential(
        {"authenticatorData": _b64u(auth_data), "clientDataJSON": _b64u(data),
         "signature": _b64u(signature), "userHandle": _b64u(b"")}), {"scope": scope})


r = _passkey_sign_in(pk_key)
step("init_authentication_options + verify_authentication", r, r["statusCode"] == 200
     and r["data"]["verified"] is True and bool(r["data"]["tokenSet"]["access_token"]))
via = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
via.set_access_token(r["data"]["tokenSet"]["access_token"])
r = via.get_profile()
step("get_profile (the passkey sign-in's token)", r, r["statusCode"] == 200 and r["data"]["username"] == who)
r = _passkey_sign_in(_ec.generate_private_key(_ec.SECP256R1()))
step("verify_authentication (signed by another key)", r, r["statusCode"] == 400)
r = _passkey_sign_in(pk_key, step_back=2)
step("verify_authentication (a replayed counter)", r, r["statusCode"] == 400 and "counter" in r["message"])
pk_counter[0] += 1
r = pk.remove_credential()
step("remove_credential (the SDK posts the literal {credentialID}: nothing removed)", r, r["statusCode"] == 404)
r = requests.post(f"{BASE}/api/v3/webauthn/remove-credential/{_b64u(cred_id)}", timeout=10, json={},
                  headers={"x-authing-app-id": APP_ID, "authorization": f"Bearer {pk_token}"}).json()
if r["statusCode"] != 200:
    step("remove_credential (the id in the path, by plain HTTP)", r, False)
worked_around("remove_credential", "the SDK takes no id and posts the literal {credentialID}; removed by a POST with the id in the path")
r = pk.list_credentials_by_page()
step("list_credentials_by_page (after the removal)", r, r["totalCount"] == 0)
r = _passkey_sign_in(pk_key)
step("verify_authentication (a removed credential)", r, r["statusCode"] == 400)
r = pk.remove_all_credentials()
step("remove_all_credentials", r, r["statusCode"] == 200 and r["data"]["success"] is True)

print(f"python: all steps answered as expected ({tally['ok']} ok, {tally['worked around']} worked around)")
