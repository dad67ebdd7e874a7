#!/usr/bin/env bash
# `npm run test:vscode`: builds, runs the extension-host tests (mocha inside a real VS Code = code-server,
# launched through @vscode/test-electron's runTests with a shim) on a copy of the fixture repository,
# then the Playwright UI tests. Screenshots land in test-results/. Every code-server started here is
# stopped at the end, also on failure.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STEWARD_RUN=$(mktemp -d "${TMPDIR:-/tmp}/steward-vscode-XXXXXX")
export STEWARD_RUN
. "$HERE/env.sh"

cleanup() {
  local rc=$?
  for pidfile in "$STEWARD_RUN"/*/code-server.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    echo "VS Code tests FAILED (exit $rc). Logs kept in $STEWARD_RUN" >&2
    for log in "$STEWARD_RUN"/*/code-server.log; do [ -f "$log" ] && { echo "--- $log (tail)"; tail -20 "$log"; } >&2; done
  elif [ -z "${KEEP_RUN:-}" ]; then
    rm -rf "$STEWARD_RUN"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The runtime (Debian packages, Node 24, code-server) is installed into the cache on first use, so that
# `npm install && npm test` works on a fresh clone; later runs find it in place (about a second).
bash "$HERE/install-runtime.sh"
cd "$ROOT"
[ "${SKIP_BUILD:-}" = 1 ] || node esbuild.mjs
mkdir -p test-results

t=$(date +%s%N)
echo "== extension-host tests (runTests + code-server shim)"
bash "$HERE/make-fixture.sh" "$STEWARD_RUN/ext-host/demo-repo"
node "$HERE/run-ext-tests.cjs" "$STEWARD_RUN/ext-host/demo-repo"
echo "extension-host tests: $(( ($(date +%s%N) - t) / 1000000 )) ms"

t=$(date +%s%N)
echo "== extension-host tests, multi-root workspace"
MULTI=$STEWARD_RUN/multi
bash "$HERE/make-fixture.sh" "$MULTI/demo-repo"
mkdir -p "$MULTI/second-repo-src" "$MULTI/notes"
cp -R "$ROOT/test/fixtures/demo-repo/." "$MULTI/second-repo-src/"
printf '# Security policy\n\nPlease report vulnerabilities privately through GitHub: Security > Report a vulnerability.\nWe reply within 7 days.\n' > "$MULTI/second-repo-src/SECURITY.md"
bash "$HERE/make-fixture.sh" "$MULTI/second-repo" "$MULTI/second-repo-src"
rm -rf "$MULTI/second-repo-src"
echo "just notes, not a repository" > "$MULTI/notes/todo.txt"
printf '{ "folders": [ { "path": "demo-repo" }, { "path": "notes" }, { "path": "second-repo" } ] }\n' > "$MULTI/multi.code-workspace"
node "$HERE/run-ext-tests.cjs" "$MULTI/multi.code-workspace"
echo "multi-root extension-host tests: $(( ($(date +%s%N) - t) / 1000000 )) ms"

# Every UI test runs even when one fails, so one run shows all broken screens.
failed=()
for ui in "$ROOT"/test/ui/*.ui.mjs; do
  [ -n "${UI_FILTER:-}" ] && [[ "$ui" != *"$UI_FILTER"* ]] && continue
  t=$(date +%s%N)
  echo "== UI test $(basename "$ui")"
  node "$ui" || failed+=("$(basename "$ui")")
  echo "$(basename "$ui"): $(( ($(date +%s%N) - t) / 1000000 )) ms"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "UI tests failed: ${failed[*]}" >&2
  exit 1
fi
echo "VS Code tests passed."
