#!/usr/bin/env bash
# Makes the README's screenshots again: for each language a throwaway server, a realistic morning of 30 patients
# played through it (clinicflow-journey --morning), then each role's window grabbed under a virtual display with a
# CJK font (Xvfb, fonts-nanum) into docs/screenshots/. The Korean pictures show a Korean clinic's roster
# (resources/roster-ko.json), the English ones the built-in roster. Run after building:
#   bash packaging/screenshots.sh [BUILD_DIR]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${1:-$here/build}
work=$(mktemp -d)
server_pid=
trap 'kill "${server_pid:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

for lang in en; do
    roster=()
    [ "$lang" = ko ] && roster=(--roster "$here/resources/roster-ko.json")
    "$build_dir/server/clinicflow-server" --bind 127.0.0.1 --port 17670 --pub-port 17671 --http-port 18670 \
        --data "$work/server-$lang" "${roster[@]}" >"$work/server-$lang.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        curl -fsS http://127.0.0.1:18670/health/ready >/dev/null 2>&1 && break
        sleep 0.1
    done
    # The morning's stations and the pictured ones, enrolled on this server.
    enrolments="$work/enrolments-$lang"
    mkdir -p -m 700 "$enrolments"
    # A doctor acts on their own patients only: the morning has a room per doctor (MorningScript.cpp).
    for station in MA:receptionist MB:receptionist ML:examiner MD:doctor:dr.kim MD2:doctor:dr.lee \
        MD3:doctor:dr.park MD4:doctor:dr.choi MD5:doctor:dr.jung MD6:doctor:dr.kang SA:receptionist \
        SD:doctor:dr.kim SL:examiner SB:board; do
        IFS=: read -r code role doctor_id <<<"$station"
        doctor=()
        [ -n "$doctor_id" ] && doctor=(--doctor "$doctor_id")
        "$build_dir/server/clinicflow-server" enrol --data "$work/server-$lang" "${roster[@]}" --port 17670 \
            --pub-port 17671 --address 127.0.0.1 --station "$code" --role "$role" "${doctor[@]}" \
            --out "$enrolments/$code.enrolment.json" >/dev/null
    done
    "$build_dir/client/tools/clinicflow-journey" --server tcp://127.0.0.1:17670 --pub tcp://127.0.0.1:17671 \
        --data "$work/morning-$lang" --enrolments "$enrolments" --morning 30
    xvfb-run -a -s "-screen 0 1400x900x24" \
        "$build_dir/tests/app/clinicflow-screenshots" --server tcp://127.0.0.1:17670 --data "$work/stations-$lang" \
        --enrolments "$enrolments" --out /tmp/shots --lang "$lang" --width 1400 --height 900 --board-size 1366x768
    kill "$server_pid"
    wait "$server_pid" || true
    server_pid=
done
