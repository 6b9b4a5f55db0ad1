#!/usr/bin/env bash
# Runs Authing's official Node SDK (npm `authing-node-sdk`) and Python SDK (PyPI
# `authing`), unchanged, against the emulator: sign-up, sign-in, profile, refresh,
# revocation, the OIDC code flow with PKCE, MFA, QR sign-in, push sign-in, the directory,
# identities, the account, the authorization checks, the client-credentials grant, the
# devices, the social account binding, switch login, the pass-code pre-check, events
# (subscribe over the emulator's WebSocket, publish) and passkeys.
# Needs cargo, node >= 18 with npm, and python3 with venv; installs both
# SDKs into a temporary directory (or $SDK_DIR, reused when it already has them). Not run by CI. Prints what each step answered; exits
# non-zero when a step did not answer as the real server would.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${SDK_DIR:-$(mktemp -d)}
mkdir -p "$work"
app_id=demo-app
app_secret=official-sdk-secret

if [ ! -d "$work/node_modules/authing-node-sdk" ]; then
    echo "installing authing-node-sdk into $work"
    (cd "$work" && { [ -f package.json ] || npm init -y >/dev/null; } \
        && npm install --silent --no-audit --no-fund authing-node-sdk@4)
fi
if [ ! -x "$work/venv/bin/python" ] \
    || ! "$work/venv/bin/python" -c 'import authing, cryptography' 2>/dev/null; then
    echo "installing authing (python) into $work/venv"
    python3 -m venv "$work/venv"
    # authing 5.1.0 imports `websockets` without declaring it, and its offline token check
    # needs PyJWT's RSA support, which comes with `cryptography`: install both alongside.
    "$work/venv/bin/pip" install --quiet 'authing>=5,<6' websockets cryptography
fi
echo "node sdk $(node -p "require('$work/node_modules/authing-node-sdk/package.json').version"), python sdk $("$work/venv/bin/python" -c 'import authing.version as v; print(v.__version__)')"

(cd "$repo" && cargo build --quiet -p authing-emulator)
# Where cargo put it: CARGO_TARGET_DIR and the workspace decide, not this script.
target_dir=$(cd "$repo" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
cat > "$work/users.json" <<'USERS'
[
  {"directory": "AD", "sAMAccountName": "ad-user", "password": "ad-secret-1"},
  {"directory": "LDAP", "sAMAccountName": "ldap-user", "password": "ldap-secret-1"}
]
USERS
log="$work/emulator.log"
"$target_dir/debug/authing-emulator" --listen 127.0.0.1:0 --app-id "$app_id" \
    --app-secret "$app_secret" --users "$work/users.json" --quiet-codes >"$log" 2>&1 &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    grep -q '^listening on ' "$log" && break
    sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$log" | head -n 1)
[ -n "$url" ] || { echo "the emulator did not start:"; cat "$log"; exit 1; }
echo "emulator at $url"

status=0
# Each script is bounded as a whole: the Python SDK takes a `timeout` and never passes it
# to `requests`, so one of its calls could otherwise wait forever.
EMU_URL=$url APP_ID=$app_id APP_SECRET=$app_secret NODE_PATH="$work/node_modules" \
    timeout 300 node "$here/run.js" || status=1
EMU_URL=$url APP_ID=$app_id APP_SECRET=$app_secret \
    timeout 300 "$work/venv/bin/python" "$here/run.py" || status=1
exit $status
