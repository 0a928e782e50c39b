#!/bin/bash
# Makes the two files the kustomization turns into the Secret clinicflow-secrets:
#   server.key   the server's CURVE secret key (Z85, 40 characters), made by clinicflow-server itself;
#   http.token   the operators' bearer token for /metrics and the REST reads (43 random URL-safe characters).
# They go to common/secrets/ (never committed: its .gitignore), readable by you only. An existing file is never
# replaced: a new server key means enrolling every station again.
#
#   bash packaging/kubernetes/make-secret.sh                       # a new key and token
#   bash packaging/kubernetes/make-secret.sh --from-keys /var/lib/clinicflow/keys
#                                    # moving a server: its key (and token), so that its stations keep working
#   options: --server PATH (clinicflow-server; default: on PATH, else ./build/server/), --out DIR (default: common/secrets)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out="$here/common/secrets"
server=""
from=""
while [ $# -gt 0 ]; do
    case "$1" in
        --server) server="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --from-keys) from="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "make-secret.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

umask 077
mkdir -p "$out"

if [ -e "$out/server.key" ]; then
    echo "make-secret.sh: $out/server.key exists already: kept (a new key means enrolling every station again;" \
         "remove the file yourself if that is what you want)" >&2
elif [ -n "$from" ]; then
    [ -r "$from/server.key" ] || { echo "make-secret.sh: no $from/server.key" >&2; exit 1; }
    cp "$from/server.key" "$out/server.key"
    chmod 600 "$out/server.key"
else
    if [ -z "$server" ]; then
        server=$(command -v clinicflow-server || true)
        [ -n "$server" ] || server="$here/../../build/server/clinicflow-server"
    fi
    [ -x "$server" ] || { echo "make-secret.sh: no clinicflow-server found (give --server PATH)" >&2; exit 1; }
    # clinicflow-server makes its key pair, with its own generator, in --keys the first time it needs it: at its
    # first start, or at an enrolment. An enrolment into a scratch database starts nothing and binds no port; the
    # scratch folder, its database and the throwaway station K go away after.
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    if ! "$server" enrol --data "$scratch/data" --keys "$scratch/keys" --station K --role board \
            --out "$scratch/K.enrolment.json" >"$scratch/log" 2>&1; then
        cat "$scratch/log" >&2
        echo "make-secret.sh: clinicflow-server could not make a key pair" >&2
        exit 1
    fi
    cp "$scratch/keys/server.key" "$out/server.key"
    chmod 600 "$out/server.key"
    sed -n 's/.*made the server.s key pair in .* - public key \(.\{40\}\).*/server public key (every enrolment file carries it): \1/p' \
        "$scratch/log"
fi

if [ -e "$out/http.token" ]; then
    echo "make-secret.sh: $out/http.token exists already: kept (remove it to make a new one)" >&2
elif [ -n "$from" ] && [ -r "$from/http.token" ]; then
    cp "$from/http.token" "$out/http.token"
    chmod 600 "$out/http.token"
else
    head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$out/http.token"
    echo >>"$out/http.token"
    chmod 600 "$out/http.token"
fi

echo "the Secret's files are in $out (server.key, http.token), readable by you only; the server logs its public"
echo "key at every start (\"CURVE server key ...\"). Next: kubectl apply -k packaging/kubernetes/base"
