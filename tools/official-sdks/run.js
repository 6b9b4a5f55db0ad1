// Authing's official Node SDK (npm `authing-node-sdk`), unchanged, against the emulator:
// sign up, sign in (password, pass code, AD, WeChat mobile), read the profile, refresh, verify the id
// token with the served JWKS, revoke. Run by run.sh, which sets EMU_URL, APP_ID and
// APP_SECRET and puts the SDK on NODE_PATH. Prints one line per step; exits 1 on the first
// answer that is not what the real server would give.
"use strict";
const { AuthenticationClient } = require("authing-node-sdk");

const base = process.env.EMU_URL;
const client = new AuthenticationClient({
  appId: process.env.APP_ID,
  appSecret: process.env.APP_SECRET,
  appHost: base,
});
const stamp = Date.now().toString().slice(-8);
const phone = "139" + stamp;
const password = "node-secret-1";
const scope = "openid profile email phone username offline_access";

function step(name, reply, ok) {
  const brief = JSON.stringify(reply, (k, v) =>
    typeof v === "string" && v.length > 40 ? v.slice(0, 20) + "…" : v);
  console.log(`node: ${name}: ${ok ? "ok" : "UNEXPECTED"} ${brief.slice(0, 240)}`);
  if (!ok) process.exit(1);
}

async function latestCode(target) {
  const res = await fetch(`${base}/emulator/v1/codes`);
  const { codes } = await res.json();
  const mine = codes.filter((c) => c.phoneNumber === target || c.email === target);
  return mine[mine.length - 1].code;
}

(async () => {
  let r = await client.signUpByUsernamePassword({ username: `node${stamp}`, password,
    profile: { nickname: "From Node" } });
  step("signUpByUsernamePassword", r, r.statusCode === 200 && r.data.username === `node${stamp}`);

  r = await client.signUpByEmailPassword({ email: `node${stamp}@example.com`, password });
  step("signUpByEmailPassword", r, r.statusCode === 200);

  r = await client.sendSms({ phoneNumber: phone, channel: "CHANNEL_REGISTER" });
  step("sendSms CHANNEL_REGISTER", r, r.statusCode === 200);
  r = await client.signUpByPhoneCode({ phone, passCode: await latestCode(phone) });
  step("signUpByPhoneCode", r, r.statusCode === 200 && r.data.phoneVerified === true);

  r = await client.signInByUsernamePassword({ username: `node${stamp}`, password,
    options: { scope } });
  step("signInByUsernamePassword", r, r.statusCode === 200 && !!r.data.refresh_token);
  const tokens = r.data;

  r = await client.signInByEmailPassword({ email: `node${stamp}@example.com`, password: "wrong-pass" });
  step("signInByEmailPassword (wrong password)", r, r.statusCode === 403 && r.apiCode === 2333);

  r = await client.signInByAccountPassword({ account: `node${stamp}@example.com`, password });
  step("signInByAccountPassword", r, r.statusCode === 200);

  r = await client.sendSms({ phoneNumber: phone, channel: "CHANNEL_LOGIN" });
  step("sendSms CHANNEL_LOGIN", r, r.statusCode === 200);
  r = await client.signInByPhonePassCode({ phone, passCode: await latestCode(phone),
    phoneCountryCode: "+86" });
  step("signInByPhonePassCode", r, r.statusCode === 200);

  r = await client.signInByAD({ sAMAccountName: "ad-user", password: "ad-secret-1" });
  step("signInByAD", r, r.statusCode === 200);

  // Mobile social sign-in: the emulator plays WeChat; its admin API hands out the one-time
  // code the WeChat app would have given. The first sign-in creates the user.
  const wx = await (await fetch(`${base}/emulator/v1/social/codes`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ connection: "wechat", userIdInIdp: `wx-node-${stamp}`, nickname: "WeChat Node" }),
  })).json();
  r = await client.signInByMobile({ connection: "wechat", extIdpConnidentifier: "wechat-mobile",
    wechatPayload: { code: wx.code } });
  step("signInByMobile (wechat)", r, r.statusCode === 200 && !!r.data.access_token);
  r = await client.signInByMobile({ connection: "wechat", extIdpConnidentifier: "wechat-mobile",
    wechatPayload: { code: wx.code } });
  step("signInByMobile (the same code again)", r, r.statusCode !== 200);

  client.setAccessToken(tokens.access_token);
  r = await client.getProfile({ withCustomData: true, withIdentities: true });
  step("getProfile", r, r.statusCode === 200 && r.data.nickname === "From Node"
    && Array.isArray(r.data.identities));

  const claims = await client.parseIDToken(tokens.id_token);
  step("parseIDToken (RS256, JWKS)", claims, claims.aud === process.env.APP_ID
    && claims.sub === r.data.userId);
  const access = await client.parseAccessToken(tokens.access_token);
  step("parseAccessToken", access, access.sub === r.data.userId);

  r = await client.getNewAccessTokenByRefreshToken(tokens.refresh_token);
  step("getNewAccessTokenByRefreshToken", r, !!r.access_token && !!r.refresh_token
    && r.access_token !== tokens.access_token);
  client.setAccessToken(r.access_token);
  const refreshed = r;
  r = await client.getProfile({});
  step("getProfile (refreshed token)", r, r.statusCode === 200);

  r = await client.revokeToken(refreshed.access_token);
  step("revokeToken", r, r === true);
  r = await client.getProfile({});
  step("getProfile (revoked token)", r, r.statusCode === 401 && r.apiCode === 2020);

  // The other two client authentication methods: HTTP Basic, and none (app id only).
  for (const method of ["client_secret_basic", "none"]) {
    const other = new AuthenticationClient({
      appId: process.env.APP_ID,
      appSecret: method === "none" ? undefined : process.env.APP_SECRET,
      appHost: base,
      tokenEndPointAuthMethod: method,
      revocationEndPointAuthMethod: method,
    });
    r = await other.signInByUsernamePassword({ username: `node${stamp}`, password,
      options: { scope } });
    step(`signInByUsernamePassword (${method})`, r, r.statusCode === 200);
    r = await other.getNewAccessTokenByRefreshToken(r.data.refresh_token);
    step(`getNewAccessTokenByRefreshToken (${method})`, r, !!r.access_token);
    const revoked = r.refresh_token;
    r = await other.revokeToken(revoked);
    step(`revokeToken (${method})`, r, r === true);
    // As with Authing itself, a revoked refresh token is an HTTP 400 invalid_grant, which
    // axios (inside the SDK) throws.
    r = await other.getNewAccessTokenByRefreshToken(revoked).catch((e) => e.response);
    step(`getNewAccessTokenByRefreshToken (${method}, revoked)`,
      { status: r.status, body: r.data }, r.status === 400 && r.data.error === "invalid_grant");
  }

  r = await client.getCountryList();
  step("getCountryList", r, r.statusCode === 200 && r.data.length > 0);
  console.log("node: all steps answered as expected");
})().catch((e) => {
  console.log(`node: FAILED ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
