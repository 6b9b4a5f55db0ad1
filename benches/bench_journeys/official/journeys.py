"""One official SDK's side of the journeys benchmark (benches/bench_journeys): Authing's
Python SDK (PyPI `authing`), unchanged, driven by the benchmark through stdin and stdout,
one command a line; the same commands and answers as journeys.js beside it (read its
header). Started by `official.rs` with EMU_URL (the delaying proxy), APP_ID, APP_SECRET,
EMAIL, PASSWORD and, over https, REQUESTS_CA_BUNDLE (the emulator's CA).

`python journeys.py cold`: import the SDK, make a client, sign in, print "done", exit."""

import os
import sys
import time
import warnings

# SDK defect (authing 5.1.0): its OIDC calls (the token endpoint: refresh, code exchange)
# go through http/ProtocolHttpClient.py, whose `use_unverified_ssl or FALSE` takes
# `FALSE` from `pickle` (b"I00\n", truthy), so they never verify the server's certificate
# and urllib3 warns on every one. The warning is silenced here so the table stays
# readable; REQUESTS_CA_BUNDLE still serves the SDK's other calls, which do verify.
warnings.filterwarnings("ignore", message="Unverified HTTPS request")

COLD = sys.argv[1:] == ["cold"]

from authing import AuthenticationClient  # noqa: E402  (the load is part of a cold start)

BASE = os.environ["EMU_URL"]
EMAIL = os.environ["EMAIL"]
SCOPE = "openid profile email phone username offline_access"
CALLBACK = "http://127.0.0.1:9/callback"
client = AuthenticationClient(app_id=os.environ["APP_ID"], app_secret=os.environ["APP_SECRET"],
                              app_host=BASE, redirect_uri=CALLBACK)
state = {"password": os.environ["PASSWORD"], "tokens": None}


def must(what, ok, reply):
    if not ok:
        raise RuntimeError(f"{what}: {str(reply)[:300]}")


def sign_in():
    r = client.sign_in_by_email_password(EMAIL, state["password"], options={"scope": SCOPE})
    must("sign_in_by_email_password", r.get("statusCode") == 200, r)
    state["tokens"] = r["data"]
    client.set_access_token(r["data"]["access_token"])


def say(line):
    print(line, flush=True)


def ask():
    line = sys.stdin.readline()
    return line.rstrip("\n") if line else None


def signin(_):
    t = time.perf_counter()
    sign_in()
    return time.perf_counter() - t


def recover(phone):
    t = time.perf_counter()
    r = client.send_sms("CHANNEL_RESET_PASSWORD", phone, "+86")
    must("send_sms", r.get("statusCode") == 200, r)
    say(f"code? {phone}")
    code = ask()
    r = client.verify_reset_password_request("PHONE_PASSCODE", phone_pass_code_payload={
        "phoneNumber": phone, "phoneCountryCode": "+86", "passCode": code})
    must("verify_reset_password_request", r.get("statusCode") == 200, r)
    r = client.reset_password("a new passw0rd", r["data"]["passwordResetToken"])
    must("reset_password", r.get("statusCode") == 200, r)
    return time.perf_counter() - t


def expired(_):
    t = time.perf_counter()
    r = client.get_profile()
    if r.get("statusCode") == 401:
        s = client.get_new_access_token_by_refresh_token(state["tokens"]["refresh_token"])
        must("get_new_access_token_by_refresh_token", "access_token" in s, s)
        state["tokens"].update(s)
        client.set_access_token(s["access_token"])
        r = client.get_profile()
    must("get_profile", r.get("statusCode") == 200, r)
    return time.perf_counter() - t


def qr(_):
    r = client.gene_qr_code("MOBILE_APP")
    must("gene_qr_code", r.get("statusCode") == 200, r)
    t = time.perf_counter()
    qrcode_id = r["data"]["qrcodeId"]
    say(f"qr {qrcode_id}")
    ask()
    while True:
        time.sleep(0.05)
        r = client.check_qr_code_status(qrcode_id)
        must("check_qr_code_status", r.get("statusCode") == 200, r)
        if r["data"]["status"] == "AUTHORIZED":
            break
    r = client.exchange_token_set_with_qr_code_ticket(r["data"]["ticket"])
    must("exchange_token_set_with_qr_code_ticket", r.get("statusCode") == 200, r)
    return time.perf_counter() - t


def browser(_):
    import urllib.parse
    st = f"st{time.time_ns()}"
    url = client.build_authorize_url(scope=SCOPE, state=st, nonce=f"n{time.time_ns()}")
    say(f"authorize {url}")
    back = ask().removeprefix("redirect ")
    t = time.perf_counter()
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))
    must("the redirect's state", query.get("state") == st, back)
    s = client.get_access_token_by_code(query["code"])
    must("get_access_token_by_code", "access_token" in s, s)
    return time.perf_counter() - t


if COLD:
    sign_in()
    say("done")
    sys.exit(0)

COMMANDS = {"signin": signin, "recover": recover, "expired": expired, "qr": qr, "browser": browser}
say("ready")
while True:
    line = ask()
    if line is None or line == "quit":
        break
    name, _, arg = line.partition(" ")
    say(f"done {COMMANDS[name](arg) * 1000:.3f}")
