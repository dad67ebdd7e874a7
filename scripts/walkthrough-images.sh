#!/usr/bin/env bash
# Copies the walkthrough images from the last UI test run (test-results/walkthrough-*.png, element
# screenshots of the real Posture view and Explain page in dark and light) into media/walkthrough/.
# Run `UI_FILTER=posture npm run test:vscode` and `UI_FILTER=sidebar npm run test:vscode` first, look at them, then commit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
for part in posture explain fixed; do
  for theme in dark light; do
    cp "$ROOT/test-results/walkthrough-$part-$theme.png" "$ROOT/media/walkthrough/$part-$theme.png"
  done
done
echo "walkthrough images updated from test-results/"
