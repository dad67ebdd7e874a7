#!/usr/bin/env bash
# Renders media/icon.svg to media/icon.png (128x128, the size the Marketplace and the Extensions view
# use) with headless chromium. Run after editing the SVG; the PNG is committed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
printf '<!doctype html><html><body style="margin:0;background:transparent"><img src="file://%s" width="128" height="128"></body></html>' "$ROOT/media/icon.svg" > "$TMP/icon.html"
XDG_CONFIG_HOME=$TMP XDG_CACHE_HOME=$TMP chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --default-background-color=00000000 --window-size=128,128 --screenshot="$TMP/icon.png" "file://$TMP/icon.html" >/dev/null 2>&1
cp "$TMP/icon.png" "$ROOT/media/icon.png"
echo "media/icon.png: $(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]))' "$ROOT/media/icon.png")"
