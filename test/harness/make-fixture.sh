#!/usr/bin/env bash
# Usage: make-fixture.sh DEST [SOURCE]  — copies a fixture repository (default test/fixtures/demo-repo)
# to DEST and makes it a git repository with one commit, so tests never touch the checked-in fixture.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DEST=$1; SRC=${2:-$HERE/../fixtures/demo-repo}
rm -rf "$DEST"; mkdir -p "$(dirname "$DEST")"
cp -R "$SRC" "$DEST"
cd "$DEST"
git init -q -b main
git add -A
git -c user.name="Steward Tests" -c user.email="tests@steward.invalid" -c commit.gpgsign=false commit -q -m "fixture"
