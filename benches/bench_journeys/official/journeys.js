// One official SDK's side of the journeys benchmark (benches/bench_journeys): Authing's
// Node SDK (npm `authing-node-sdk`), unchanged, driven by the benchmark through stdin and
// stdout, one command a line. Started by `official.rs` with EMU_URL (the delaying proxy),
// APP_ID, APP_SECRET, EMAIL, PASSWORD, NODE_PATH (the SDK) and, over https,
// NODE_EXTRA_CA_CERTS (the emulator's CA).
//
// `node journeys.js cold`: load the SDK, make a client, sign in, print "done", exit: the
// benchmark times the whole process. Otherwise the SDK is loaded and the client made at
// start ("ready"), and each command prints "done <ms>", the time of the timed part:
//   signin                  sign in by email and password (the app keeps the tokens)
//   recover <phone>         send the code; "code? <phone>" is answered with the code (the
//                           user reads the SMS); verify; reset the password
//   expired                 the profile on a token the server expired: 401, the app
//                           refreshes (the SDK has no automatic refresh) and calls again
//   qr                      a QR code is made (not timed), "qr <id>" is printed; after "go"
//                           (the phone confirmed) the app checks every 50 ms, then exchanges
//                           the ticket; timed from the code shown
//   browser                 "authorize <url>" is printed; "redirect <url>" is the browser
//                           coming back; timed from then to the token set (code exchange)
"use strict";
const readline = require("node:readline");

const cold = process.argv[2] === "cold";
const { AuthenticationClient } = require("authing-node-sdk");
const base = process.env.EMU_URL;
const email = process.env.EMAIL;
const scope = "openid profile email phone username offline_access";
const callback = "http://127.0.0.1:9/callback";
const client = new AuthenticationClient({
  appId: process.env.APP_ID,
  appSecret: process.env.APP_SECRET,
  appHost: base,
  redirectUri: callback,
  scope,
});
let password = process.env.PASSWORD;
let tokens = null;

function must(what, ok, reply) {
  if (!ok) throw new Error(`${what}: ${JSON.stringify(reply).slice(0, 300)}`);
}

async function signIn() {
  const r = await client.signInByEmailPassword({ email, password, options: { scope } });
  must("signInByEmailPassword", r.statusCode === 200, r);
  tokens = r.data;
  client.setAccessToken(tokens.access_token);
}

if (cold) {
  signIn().then(() => console.log("done"), (e) => { console.error(e.message); process.exit(1); });
} else {
  const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const next = async () => (await lines.next()).value;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const now = () => performance.now();

  const commands = {
    async signin() {
      const t = now();
      await signIn();
      return now() - t;
    },
    async recover(phone) {
      const t = now();
      let r = await client.sendSms({ phoneNumber: phone, phoneCountryCode: "+86",
        channel: "CHANNEL_RESET_PASSWORD" });
      must("sendSms", r.statusCode === 200, r);
      console.log(`code? ${phone}`);
      const passCode = await next();
      r = await client.verifyResetPasswordRequest({ verifyMethod: "PHONE_PASSCODE",
        phonePassCodePayload: { phoneNumber: phone, phoneCountryCode: "+86", passCode } });
      must("verifyResetPasswordRequest", r.statusCode === 200, r);
      r = await client.resetPassword({ passwordResetToken: r.data.passwordResetToken,
        password: "a new passw0rd" });
      must("resetPassword", r.statusCode === 200, r);
      return now() - t;
    },
    async expired() {
      const t = now();
      let r = await client.getProfile({});
      if (r.statusCode === 401) {
        const set = await client.getNewAccessTokenByRefreshToken(tokens.refresh_token);
        must("getNewAccessTokenByRefreshToken", !!set.access_token, set);
        tokens = { ...tokens, ...set };
        client.setAccessToken(set.access_token);
        r = await client.getProfile({});
      }
      must("getProfile", r.statusCode === 200, r);
      return now() - t;
    },
    async qr() {
      let r = await client.geneQrCode({ type: "MOBILE_APP" });
      must("geneQrCode", r.statusCode === 200, r);
      const t = now();
      const qrcodeId = r.data.qrcodeId;
      console.log(`qr ${qrcodeId}`);
      await next();
      for (;;) {
        await sleep(50);
        r = await client.checkQrCodeStatus({ qrcodeId });
        must("checkQrCodeStatus", r.statusCode === 200, r);
        if (r.data.status === "AUTHORIZED") break;
      }
      r = await client.exchangeTokenSetWithQrCodeTicket({ ticket: r.data.ticket });
      must("exchangeTokenSetWithQrCodeTicket", r.statusCode === 200, r);
      return now() - t;
    },
    async browser() {
      const built = client.buildAuthorizeUrl({ scope });
      console.log(`authorize ${built.url}`);
      const back = new URL((await next()).replace(/^redirect /, ""));
      const t = now();
      must("the redirect's state", back.searchParams.get("state") === built.state, back.href);
      const set = await client.getAccessTokenByCode(back.searchParams.get("code"));
      must("getAccessTokenByCode", !!set.access_token, set);
      return now() - t;
    },
  };

  (async () => {
    console.log("ready");
    for (;;) {
      const line = await next();
      if (line === undefined || line === "quit") break;
      const [name, arg] = line.split(" ");
      const ms = await commands[name](arg);
      console.log(`done ${ms.toFixed(3)}`);
    }
    process.exit(0);
  })().catch((e) => { console.error(`node driver: ${e.message}`); process.exit(1); });
}
