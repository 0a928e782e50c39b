#!/usr/bin/env bash
# Runs ClinicFlow on this machine from a build folder: the server (embedded SQLite in ./var/clinicflow unless
# CLINICFLOW_DATA says otherwise) and, once it is built, a desktop client for each role. Ctrl-C stops everything.
set -euo pipefail

build_dir=${1:?usage: run-local.sh BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
server="$build_dir/server/clinicflow-server"
client="$build_dir/client/clinicflow"
export CLINICFLOW_DATA=${CLINICFLOW_DATA:-$here/var/clinicflow}
export CLINICFLOW_BIND=${CLINICFLOW_BIND:-127.0.0.1}
[ -d "$CLINICFLOW_DATA" ] || mkdir -p -m 700 "$CLINICFLOW_DATA" # patients' data: this account's alone

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

echo "[run] clinicflow-server: data in $CLINICFLOW_DATA, requests on ${CLINICFLOW_BIND}:${CLINICFLOW_PORT:-7470}," \
    "status on ${CLINICFLOW_PUB_PORT:-7471}, HTTP on ${CLINICFLOW_HTTP_PORT:-8080}"
"$server" &
pids+=($!)

if [ -x "$client" ]; then
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        echo "[run] no display: starting a virtual one (Xvfb :99) for the clients"
        Xvfb :99 -screen 0 1600x1000x24 >/dev/null 2>&1 &
        pids+=($!)
        export DISPLAY=:99
        sleep 1
    fi
    for role in receptionist doctor examiner board; do
        "$client" --role "$role" &
        pids+=($!)
    done
else
    echo "[run] the desktop client is not part of this build yet: the server runs alone."
    echo "[run] try: curl http://127.0.0.1:${CLINICFLOW_HTTP_PORT:-8080}/health/ready"
fi
echo "[run] Ctrl-C to stop."
wait "${pids[0]}"
