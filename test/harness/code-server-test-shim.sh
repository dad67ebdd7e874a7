#!/usr/bin/env bash
# Stands in for the VS Code executable in @vscode/test-electron's runTests({ vscodeExecutablePath }).
# No desktop VS Code can run here, so this takes the desktop CLI arguments runTests passes, starts
# code-server, runs the extension tests inside its extension host through headless chromium
# (ext-host-runner.mjs) and exits with the tests' exit code.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/env.sh"
DEV=""; TESTS=""; UDD=""; EXTD=""; FOLDER=""
for a in "$@"; do
  case "$a" in
    --extensionDevelopmentPath=*) DEV=${a#*=} ;;
    --extensionTestsPath=*) TESTS=${a#*=} ;;
    --user-data-dir=*) UDD=${a#*=} ;;
    --extensions-dir=*) EXTD=${a#*=} ;;
    -*) ;; # --no-sandbox, --disable-gpu-sandbox, --skip-welcome, ...: desktop-only, nothing to do
    *) FOLDER=$a ;;
  esac
done
if [ -z "$DEV" ] || [ -z "$TESTS" ]; then
  echo "code-server-test-shim: --extensionDevelopmentPath and --extensionTestsPath are required" >&2
  exit 2
fi
# runTests accepts a folder for extensionTestsPath (its index.js is the runner).
[ -d "$TESTS" ] && TESTS=$TESTS/index.js
PORT=$(node "$HERE/free-port.cjs")
export CS_STATE=$STEWARD_RUN/shim-$PORT
mkdir -p "$CS_STATE"
if [ -z "$FOLDER" ]; then FOLDER=$CS_STATE/empty-workspace; mkdir -p "$FOLDER"; fi
# The profile folders test-electron made are honoured so every run starts clean.
if [ -n "$UDD" ]; then mkdir -p "$UDD"; ln -sfn "$UDD" "$CS_STATE/user-data"; fi
if [ -n "$EXTD" ]; then mkdir -p "$EXTD"; ln -sfn "$EXTD" "$CS_STATE/extensions"; fi
# The scans' online lookups (repository facts, the action audits) must never reach GitHub from a test:
# the default base URL is a closed local port (refused at once); tests that need answers point
# steward.github.url at their local GitHub server (test/support/github-server.ts).
export CS_SETTINGS_JSON=${CS_SETTINGS_JSON:-'{"steward.github.url": "http://127.0.0.1:9"}'}
bash "$HERE/start-code-server.sh" "$PORT" "$FOLDER" --vscode-option enable-smoke-test-driver --reconnection-grace-time 5 >&2 || exit 3
node "$HERE/ext-host-runner.mjs" "$PORT" "$DEV" "$TESTS" "$FOLDER"
rc=$?
bash "$HERE/stop-code-server.sh" "$PORT"
exit $rc
