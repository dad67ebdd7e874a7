#!/usr/bin/env bash
# Usage: stop-code-server.sh PORT   (same CS_STATE as start-code-server.sh). Stops it by its PID.
. "$(dirname "$0")/env.sh"
STATE=${CS_STATE:-$STEWARD_RUN/cs-$1}
f=$STATE/code-server.pid
[ -f "$f" ] || exit 0
pid=$(cat "$f")
kill "$pid" 2>/dev/null || true
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -9 "$pid" 2>/dev/null || true
rm -f "$f"
