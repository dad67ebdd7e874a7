#!/usr/bin/env bash
# Usage: start-code-server.sh PORT FOLDER [extra code-server args...]
# env: CS_STATE (default $STEWARD_RUN/cs-PORT) holds user-data, extensions, pid and log;
#      CS_SETTINGS_JSON  extra user settings merged over the defaults below (a JSON object);
#      CS_TRUST=1        leave workspace trust on (for Restricted Mode tests).
# Starts code-server on Node 24, bound to 127.0.0.1 without auth, and waits for /healthz.
set -euo pipefail
. "$(dirname "$0")/env.sh"
PORT=$1; FOLDER=$2; shift 2
STATE=${CS_STATE:-$STEWARD_RUN/cs-$PORT}
mkdir -p "$STATE/user-data/User" "$STATE/extensions"
TRUST=false; TRUST_ARGS=(--disable-workspace-trust)
if [ "${CS_TRUST:-0}" = 1 ]; then TRUST=true; TRUST_ARGS=(); fi
# Quiet, offline, deterministic workbench: no telemetry, no update checks, no welcome page, no AI side bar.
node -e '
const [file, trust, extra] = process.argv.slice(1);
const base = {
  "telemetry.telemetryLevel": "off", "update.mode": "none",
  "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false,
  "workbench.startupEditor": "none", "workbench.tips.enabled": false, "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": trust === "true", "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.welcomePage.walkthroughs.openOnInstall": false, "git.openRepositoryInParentFolders": "never",
};
require("fs").writeFileSync(file, JSON.stringify({ ...base, ...JSON.parse(extra || "{}") }, null, 2));
' "$STATE/user-data/User/settings.json" "$TRUST" "${CS_SETTINGS_JSON:-}"
printf 'auth: none\ncert: false\n' > "$STATE/config.yaml"
t0=$(date +%s%N)
PATH="$NODE24_DIR/bin:$PATH" nohup "$CODE_SERVER_BIN" \
  --config "$STATE/config.yaml" --bind-addr "127.0.0.1:$PORT" --auth none \
  --user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions" \
  --disable-telemetry --disable-update-check --disable-getting-started-override --disable-proxy \
  "${TRUST_ARGS[@]}" "$@" "$FOLDER" > "$STATE/code-server.log" 2>&1 &
echo $! > "$STATE/code-server.pid"
for _ in $(seq 1 300); do
  if curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz"; then
    echo "code-server up on 127.0.0.1:$PORT in $(( ($(date +%s%N) - t0) / 1000000 )) ms (pid $(cat "$STATE/code-server.pid"))"
    exit 0
  fi
  kill -0 "$(cat "$STATE/code-server.pid")" 2>/dev/null || break
  sleep 0.1
done
echo "code-server did not come up on port $PORT:" >&2
cat "$STATE/code-server.log" >&2
exit 1
