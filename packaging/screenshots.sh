#!/usr/bin/env bash
# Makes the README's screenshots again: a throwaway server, a realistic morning of 30 patients played through it
# (clinicflow-journey --morning), then each role's window in Korean and in English, grabbed under a virtual display
# with a CJK font (Xvfb, fonts-nanum) into docs/screenshots/. Run after building:
#   bash packaging/screenshots.sh [BUILD_DIR]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${1:-$here/build}
work=$(mktemp -d)
trap 'kill "${server_pid:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

"$build_dir/server/clinicflow-server" --bind 127.0.0.1 --port 17570 --pub-port 17571 --http-port 18570 \
    --data "$work/server" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fsS http://127.0.0.1:18570/health/ready >/dev/null 2>&1 && break
    sleep 0.1
done
"$build_dir/client/tools/clinicflow-journey" --server tcp://127.0.0.1:17570 --data "$work/morning" --morning 30
xvfb-run -a -s "-screen 0 1920x1080x24" \
    "$build_dir/tests/app/clinicflow-screenshots" --server tcp://127.0.0.1:17570 --data "$work/stations" \
    --out "$here/docs/screenshots"
