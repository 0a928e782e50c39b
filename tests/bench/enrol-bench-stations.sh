#!/usr/bin/env bash
# Enrols the stations the server benchmark plays as a load generator (clinicflow-bench-server --server HOST), on the
# server host. Prints the `clinicflow-server enrol` commands, or runs them with --run.
#
#   enrol-bench-stations.sh [--run] --stations N --address HOST --out DIR [--subscribers K]
#                           [--server-binary PATH] [-- SERVER OPTIONS]
#
# Stations: N desks R000.., N doctors' rooms M000.. (for dr.kim, the doctor every benchmark visit is registered
# for), N examiners X000.., and K+1 boards FEED, S000.. for the status feed (K: the benchmark's --subscribers,
# default 10). Each gets DIR/<code>.enrolment.json, which holds its secret key (0600). With --run, stations whose file
# is in DIR already are skipped, so the script can be run again with a larger N.
# --address: the server's address as the load generator reaches it (written in the files).
# SERVER OPTIONS: the server's own, the ones it runs with, e.g. --data /var/lib/clinicflow --port 7470
# --pub-port 7471 (or its CLINICFLOW_* variables in the environment); the enrolments name its ports and its key.
# The packaged service: sudo enrol-bench-stations.sh --run --server-binary clinicflow-server-admin ... (its user, its
# settings: no SERVER OPTIONS). The printed commands can also be piped to a shell on the server host (ssh HOST sh).
#
# Then copy DIR to the load generator and run there:
#   clinicflow-bench-server --server HOST --enrolments DIR --stations N --subscribers K
set -euo pipefail

usage() {
    sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "$1"
}

run=0 stations='' address='' out='' subscribers=10 binary=clinicflow-server
while [ $# -gt 0 ]; do
    case $1 in
    --run) run=1 ;;
    --stations) stations=${2:?}; shift ;;
    --address) address=${2:?}; shift ;;
    --out) out=${2:?}; shift ;;
    --subscribers) subscribers=${2:?}; shift ;;
    --server-binary) binary=${2:?}; shift ;;
    --) shift; break ;;
    -h | --help) usage 0 ;;
    *) echo "enrol-bench-stations.sh: unknown option $1 (--help)" >&2; exit 2 ;;
    esac
    shift
done
server_options=("$@")
if ! [[ $stations =~ ^[0-9]+$ ]] || [ "$stations" -lt 1 ] || [ "$stations" -gt 1000 ] ||
    ! [[ $subscribers =~ ^[0-9]+$ ]] || [ "$subscribers" -gt 99 ] || [ -z "$address" ] || [ -z "$out" ]; then
    echo "enrol-bench-stations.sh: --stations 1..1000, --address and --out are required, --subscribers 0..99" \
        "(--help)" >&2
    exit 2
fi

per_address=33 # the server admits 100 request connections per source address; a station opens 3
cat <<EOF
# ClinicFlow benchmark stations: $stations x (desk R, doctor's room M for dr.kim, examiner X) + FEED + $subscribers boards S
# into $out, for a server reached at $address. Run on the server host, with the server's own options.
# The files hold the stations' secret keys: copy $out to the load generator only (scp -r), and delete it after.
# Station codes are the server's for good, and the benchmark registers real visits for dr.kim: load-test a staging
# server, never one with patients on it.
# The server admits 100 request connections per source address: one load-generator address plays at most
# $per_address stations. For more, give the generator --source-addresses a,b,c (several addresses of its own), or run
# several generator hosts, each its share: --stations $per_address --first-station 0, $per_address, $((2 * per_address)), ...
EOF

codes=()
roles=()
for ((s = 0; s < stations; s++)); do
    n=$(printf '%03d' "$s")
    codes+=("R$n" "M$n" "X$n")
    roles+=(receptionist doctor examiner)
done
codes+=(FEED)
roles+=(board)
for ((i = 0; i < subscribers; i++)); do
    codes+=("$(printf 'S%03d' "$i")")
    roles+=(board)
done

if [ "$run" = 1 ]; then
    (umask 077 && mkdir -p "$out")
else
    printf 'umask 077; mkdir -p %q\n' "$out"
fi
enrolled=0 skipped=0
for i in "${!codes[@]}"; do
    code=${codes[$i]} role=${roles[$i]}
    command=("$binary" enrol --station "$code" --role "$role" --name "bench $code" --address "$address"
        --out "$out/$code.enrolment.json")
    [ "$role" = doctor ] && command+=(--doctor dr.kim)
    command+=("${server_options[@]}")
    if [ "$run" = 0 ]; then
        printf '%q' "${command[0]}"
        printf ' %q' "${command[@]:1}"
        printf '\n'
    elif [ -e "$out/$code.enrolment.json" ]; then
        skipped=$((skipped + 1))
    else
        "${command[@]}" >/dev/null || {
            echo "enrol-bench-stations.sh: enrolling $code failed (command: ${command[*]})" >&2
            exit 1
        }
        enrolled=$((enrolled + 1))
    fi
done
if [ "$run" = 1 ]; then
    echo "# enrolled $enrolled station(s) into $out ($skipped there already)"
fi
echo "# Then, on the load generator:"
echo "#   clinicflow-bench-server --server $address --enrolments $out --stations $stations --subscribers $subscribers"
if [ "$stations" -gt "$per_address" ]; then
    echo "# ($stations stations: add --source-addresses, or split them over several generator hosts, as said above)"
fi
