#!/usr/bin/env bash
# Renders the real account window (eframe + glow, Mesa's software OpenGL) on a virtual X
# display (Xvfb) and saves a PNG of it.
#
#   examples/gui/screenshot.sh [OUT.png] [en|zh] [light|dark] [signin|account]
#
# OUT defaults to docs/gui-screenshot.png; the theme to light (AUTHING_GUI_THEME); the page
# to the sign-in page (`account`: the demo user signed in, AUTHING_GUI_DEMO_SIGNED_IN). Needs Xvfb, xwd (x11-apps), ImageMagick's
# `convert`, xwininfo and Mesa; as root, missing ones are installed with apt-get. The
# window runs against the embedded emulator, as `cargo run` does.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(realpath -m "${1:-$here/../../docs/gui-screenshot.png}")"
lang="${2:-en}"
theme="${3:-light}"
page="${4:-signin}"

need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xwd >/dev/null || need+=(x11-apps)
command -v xwininfo >/dev/null || need+=(x11-utils)
[ -x /usr/bin/convert ] || need+=(imagemagick)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
dpkg -s libgl1-mesa-dri >/dev/null 2>&1 || need+=(libgl1-mesa-dri libglx-mesa0 libegl-mesa0)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
    else
        echo "screenshot.sh: please install: ${need[*]}" >&2
        exit 1
    fi
fi

(cd "$here" && cargo build --quiet)
# The binary, where cargo put it (CARGO_TARGET_DIR and the workspace decide, not this script).
target_dir="$(cd "$here" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"

# A display number nobody uses.
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do
    display=$((display + 1))
done
Xvfb ":$display" -screen 0 1200x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=""
cleanup() {
    [ -n "$app" ] && kill "$app" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT
export DISPLAY=":$display" LIBGL_ALWAYS_SOFTWARE=1

# Wait (bounded) for the X server, then for the window.
for _ in $(seq 100); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
signed_in=()
[ "$page" = account ] && signed_in=(AUTHING_GUI_DEMO_SIGNED_IN=1)
env "${signed_in[@]}" AUTHING_GUI_LANG="$lang" AUTHING_GUI_THEME="$theme" \
    "$target_dir/debug/authing-gui" &
app=$!
id=""
for _ in $(seq 150); do
    id="$(xwininfo -root -tree 2>/dev/null | awk '/"Authing Account Centre"/ {print $1; exit}')"
    [ -n "$id" ] && break
    sleep 0.1
done
[ -n "$id" ] || { echo "screenshot.sh: the window did not appear" >&2; exit 1; }
# Let eframe paint its first frames (it paints on map and on the font's arrival). The
# screen is wider than the window, so the pointer (at its centre) hovers over nothing.
sleep 2

mkdir -p "$(dirname "$out")"
xwd -silent -id "$id" | /usr/bin/convert xwd:- -strip "png:$out"
echo "saved $out"
