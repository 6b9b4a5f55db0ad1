"""Authing's official Python SDK (PyPI `authing`), unchanged, against the emulator: sign
up, sign in (password, pass code, LDAP, WeChat mobile), read the profile, refresh, verify the access
token offline with the served JWKS, revoke. Run by run.sh, which sets EMU_URL, APP_ID and
APP_SECRET. Prints one line per step; exits 1 on the first answer that is not what the
real server would give."""

import json
import os
import sys
import time
import urllib.request

from authing import AuthenticationClient

BASE = os.environ["EMU_URL"]
APP_ID = os.environ["APP_ID"]
client = AuthenticationClient(app_id=APP_ID, app_secret=os.environ["APP_SECRET"], app_host=BASE)
stamp = str(time.time_ns())[-8:]
phone = "137" + stamp
password = "py-secret-1"
scope = "openid profile email phone username offline_access"


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


def latest_code(target):
    with urllib.request.urlopen(f"{BASE}/emulator/v1/codes") as res:
        codes = json.load(res)["codes"]
    return [c["code"] for c in codes if target in (c.get("phoneNumber"), c.get("email"))][-1]


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
with urllib.request.urlopen(request) as res:
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
    step(f"sign_in_by_username_password ({method})", r, r["statusCode"] == 200)
    r = other.get_new_access_token_by_refresh_token(r["data"]["refresh_token"])
    step(f"get_new_access_token_by_refresh_token ({method})", r, "access_token" in r)
    revoked = r["refresh_token"]
    step(f"revoke_token ({method})", other.revoke_token(revoked), True)
    r = other.get_new_access_token_by_refresh_token(revoked)
    step(f"get_new_access_token_by_refresh_token ({method}, revoked)", r, r.get("error") == "invalid_grant")

r = client.get_country_list()
step("get_country_list", r, r["statusCode"] == 200 and len(r["data"]) > 0)
print("python: all steps answered as expected")
