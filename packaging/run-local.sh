#!/usr/bin/env bash
# Runs ClinicFlow on this machine from a build folder: the server (embedded SQLite in ./var/clinicflow unless
# CLINICFLOW_DATA says otherwise), then four workstations against it on the local display: the front desk (A), a
# doctor's room (D1, dr.kim), an examination room (L1) and the status board (B1), with their stores in
# ./var/stations. With no display, it says so and plays one patient's journey with headless stations instead,
# printing each status change. Ctrl-C, or closing the four windows, stops everything cleanly.
set -euo pipefail

build_dir=${1:?usage: run-local.sh BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
server="$build_dir/server/clinicflow-server"
client="$build_dir/client/app/clinicflow"
journey="$build_dir/client/tools/clinicflow-journey"
export CLINICFLOW_DATA=${CLINICFLOW_DATA:-$here/var/clinicflow}
export CLINICFLOW_BIND=${CLINICFLOW_BIND:-127.0.0.1}
port=${CLINICFLOW_PORT:-7470}
pub_port=${CLINICFLOW_PUB_PORT:-7471}
http_port=${CLINICFLOW_HTTP_PORT:-8080}
stations="$here/var/stations"
# Patients' data: this account's alone.
mkdir -p -m 700 "$CLINICFLOW_DATA" "$stations"

server_pid=""
client_pids=()
stop() {
    trap - EXIT INT TERM
    for pid in "${client_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${client_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    echo "[run] stopped"
}
trap stop EXIT INT TERM

echo "[run] clinicflow-server: data in $CLINICFLOW_DATA, requests on $CLINICFLOW_BIND:$port, status on $pub_port," \
    "HTTP on $http_port"
"$server" >"$here/var/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$http_port/health/ready" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "[run] the server did not start; its log (var/server.log) ends with:" >&2
        tail -n 20 "$here/var/server.log" >&2
        exit 1
    fi
    sleep 0.1
done
token_file="${CLINICFLOW_HTTP_TOKEN_FILE:-${CLINICFLOW_KEYS:-$CLINICFLOW_DATA/keys}/http.token}"
echo "[run] server ready (log in var/server.log); the operators' REST reads take its token:"
echo "[run]   curl -H \"Authorization: Bearer \$(cat $token_file)\" http://127.0.0.1:$http_port/visits"

# Only enrolled stations connect (CURVE keys, README "Enrolling stations"): this machine's own stations are enrolled
# once, and their enrolment files kept with the server's data, which knows their keys.
enrolments="$CLINICFLOW_DATA/local-stations"
mkdir -p -m 700 "$enrolments"
enrol() { # code, role, then enrol's other options
    local code=$1 role=$2
    shift 2
    [ -f "$enrolments/$code.enrolment.json" ] && return 0
    if ! "$server" enrol --station "$code" --role "$role" --name "$code on $(hostname)" --address 127.0.0.1 \
        --out "$enrolments/$code.enrolment.json" "$@" >>"$here/var/server.log" 2>&1; then
        echo "[run] cannot enrol station $code; var/server.log ends with:" >&2
        tail -n 5 "$here/var/server.log" >&2
        exit 1
    fi
}

endpoint="tcp://127.0.0.1:$port"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "[run] no display (neither DISPLAY nor WAYLAND_DISPLAY is set): the windows cannot open here."
    echo "[run] playing one patient's journey with four headless stations instead:"
    enrol JD receptionist
    enrol JK doctor --doctor dr.kim
    enrol JL examiner
    enrol JB board
    "$journey" --server "$endpoint" --pub "tcp://127.0.0.1:$pub_port" --data "$stations/journey" \
        --enrolments "$enrolments"
    echo "[run] the server keeps running for the REST reads and remote stations; Ctrl-C to stop."
    wait "$server_pid"
    exit 0
fi

common=(--data "$stations")
start_station() { # code, role, then enrol's options; its log goes to var/stations/<code>.log
    local code=$1 role=$2
    shift 2
    enrol "$code" "$role" "$@"
    "$client" "${common[@]}" --enrolment "$enrolments/$code.enrolment.json" >"$stations/$code.log" 2>&1 &
    client_pids+=($!)
}
start_station A receptionist
start_station D1 doctor --doctor dr.kim
start_station L1 examiner
start_station B1 board
echo "[run] four windows: front desk A, doctor D1 (dr.kim), examinations L1, status board B1 (logs in var/stations)."
echo "[run] Ctrl-C, or closing the four windows, stops everything."
for pid in "${client_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
