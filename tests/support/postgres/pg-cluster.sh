#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests that run against PostgreSQL (the ctest fixture `postgresql`,
# tests/support/postgres/CMakeLists.txt): started before them, stopped and deleted after them.
#
#   bash tests/support/postgres/pg-cluster.sh start DIR    prints the cluster's base URL (also written to DIR/url)
#   bash tests/support/postgres/pg-cluster.sh stop DIR [--force]
#   bash tests/support/postgres/pg-cluster.sh crash DIR      pg_ctl stop -m immediate: the database dies under load
#   bash tests/support/postgres/pg-cluster.sh restart DIR    starts it again on the same files and port
#
# start: a fresh cluster (initdb) on a free loopback port below the kernel's ephemeral range (where the servers under
# test pick theirs), listening on 127.0.0.1 only, its Unix socket in its own folder (which DIR/cluster names), trust
# authentication for 127.0.0.1 and that socket and nothing else, the superuser `clinicflow` (tests CREATE and DROP a
# database each), fsync and synchronous_commit on (the real durability), max_connections 300, shared_buffers 128MB.
# Its base URL, postgresql://clinicflow@127.0.0.1:PORT/postgres, goes to DIR/url; tests read it there
# (tests/support/TestPostgres.h).
# When DIR already has a running cluster, start only prints its URL.
# stop: `pg_ctl stop -m fast`, then deletes the cluster and DIR; quiet and successful when nothing runs.
#
# initdb and postgres refuse to run as root. As root, the cluster runs as `nobody`. Its files are then not in DIR
# (a build folder under /root, mode 0700, is not traversable by nobody, and a long build path would overflow the
# 107 bytes of a Unix socket's path) but in a folder of nobody's own made by mktemp in /tmp (mode 0700, owned by
# nobody), whose path DIR/cluster records; DIR/postgresql.log links to the server's log there. Not as root, the
# cluster runs as the current user, in the same kind of folder.
#
# Several users of one DIR (two ctest runs in one build folder): start records its parent's PID (ctest's) in
# DIR/users, and stop shuts the cluster down only when no other recorded process is still alive (--force: anyway).
# A ctest run that was killed before its stop leaves the cluster running; the next start reuses it.
#
# Environment: PG_BINDIR, PostgreSQL's bin folder (default: `pg_config --bindir`, else the highest version under
# /usr/lib/postgresql). Exit status: 0, 1 when the cluster could not start, 2 for bad arguments.
set -euo pipefail
unset PGDATA PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGOPTIONS PGSERVICE

role=clinicflow

die() {
    echo "pg-cluster: $*" >&2
    exit 1
}

usage() {
    sed -n '5,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# PostgreSQL's bin folder: the one with initdb, pg_ctl and pg_isready.
find_bindir() {
    local candidates=()
    [ -n "${PG_BINDIR:-}" ] && candidates+=("$PG_BINDIR")
    command -v pg_config >/dev/null 2>&1 && candidates+=("$(pg_config --bindir 2>/dev/null || true)")
    # Debian's libpq-dev brings a pg_config that names a bin folder without a server: fall back on what is installed.
    while IFS= read -r d; do candidates+=("$d"); done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
    for d in "${candidates[@]}"; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/pg_isready" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

# Runs a command as the cluster's owner (the owner of its folder) from inside that folder, without the lock's fd.
as_owner() {
    local owner
    owner=$(stat -c %U "$cluster")
    if [ "$(id -u)" -eq 0 ] && [ "$owner" != root ]; then
        (cd "$cluster" && setpriv --reuid="$owner" --regid="$(id -g "$owner")" --clear-groups \
            env HOME="$cluster" USER="$owner" LOGNAME="$owner" "$@" 9<&-)
    else
        (cd "$cluster" && "$@" 9<&-)
    fi
}

# The folder of the cluster DIR/cluster names, if it is one of ours (never rm -rf anything else).
recorded_cluster() {
    local c
    c=$(cat "$dir/cluster" 2>/dev/null || true)
    [[ $c == /tmp/clinicflow-pg.* ]] && [ -d "$c" ] && echo "$c"
    return 0
}

is_running() {
    [ -n "$cluster" ] && [ -f "$cluster/data/postmaster.pid" ] && [ -s "$dir/url" ] && [ -s "$dir/port" ] &&
        "$bindir/pg_isready" -q -h 127.0.0.1 -p "$(cat "$dir/port")" -t 5
}

# Keeps only the PIDs in DIR/users that are still alive, less $1.
prune_users() {
    local pid kept=()
    [ -f "$dir/users" ] || return 0
    while read -r pid; do
        [ -n "$pid" ] && [ "$pid" != "${1:-}" ] && kill -0 "$pid" 2>/dev/null && kept+=("$pid")
    done <"$dir/users"
    printf '%s\n' "${kept[@]}" | grep . >"$dir/users" || true
}

shut_down() {
    [ -n "$cluster" ] || return 0
    if [ -f "$cluster/data/postmaster.pid" ] && [ -n "$bindir" ]; then
        as_owner "$bindir/pg_ctl" stop -D "$cluster/data" -m fast -w -t 60 -s >/dev/null 2>&1 ||
            as_owner "$bindir/pg_ctl" stop -D "$cluster/data" -m immediate -w -t 30 -s >/dev/null 2>&1 || true
    fi
    rm -rf "$cluster"
}

# A port no one listens on, below the ephemeral range (bound sockets of clients and tests' servers live there).
pick_port() {
    local low port
    low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    [ "$low" -gt 11000 ] 2>/dev/null || low=32768
    for _ in $(seq 50); do
        port=$((10000 + (RANDOM * 32768 + RANDOM) % (low - 10000)))
        if ! (: </dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# Writes stdin to a file of the cluster's, as its owner.
write_as_owner() {
    as_owner tee "$1" >/dev/null
}

start() {
    bindir=$(find_bindir) ||
        die "PostgreSQL is not installed (no initdb): install postgresql-15 (apt-get install postgresql-15, or" \
            "'bash packaging/setup.sh test', which installs it with the other test packages)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    exec 9<"$dir"
    flock 9
    cluster=$(recorded_cluster)
    if is_running; then
        prune_users
        grep -qx "$PPID" "$dir/users" 2>/dev/null || echo "$PPID" >>"$dir/users"
        cat "$dir/url"
        return 0
    fi
    # Whatever is left of an earlier cluster (killed, or its machine restarted) goes.
    shut_down
    rm -f "$dir/url" "$dir/port" "$dir/cluster" "$dir/users" "$dir/postgresql.log"

    local owner=
    if [ "$(id -u)" -eq 0 ]; then
        id nobody >/dev/null 2>&1 || die "running as root, the cluster runs as 'nobody', and there is no such user"
        owner=nobody
    fi
    cluster=$(mktemp -d /tmp/clinicflow-pg.XXXXXX)
    echo "$cluster" >"$dir/cluster"
    [ -z "$owner" ] || chown "$owner:$(id -g "$owner")" "$cluster"
    ln -sfn "$cluster/postgresql.log" "$dir/postgresql.log"

    if ! as_owner "$bindir/initdb" -D "$cluster/data" -U "$role" --auth=trust --encoding=UTF8 --no-locale \
        --no-instructions >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        die "initdb failed (above)"
    fi
    rm -f "$dir/initdb.log"
    # Loopback IPv4 and the Unix socket, nothing else: no IPv6, no other host. The socket is in the cluster's own
    # folder (mode 0700) with mode 0700 itself: only the cluster's owner and root reach it.
    printf '%s\n' '# pg-cluster.sh: loopback IPv4 and the socket only, no password (a throwaway test cluster)' \
        'host all all 127.0.0.1/32 trust' 'local all all trust' | write_as_owner "$cluster/data/pg_hba.conf"
    echo "include_if_exists = 'clinicflow-test.conf'" | as_owner tee -a "$cluster/data/postgresql.conf" >/dev/null

    local port
    for _ in 1 2 3 4 5; do
        port=$(pick_port) || die "no free loopback port found"
        cat <<EOF | write_as_owner "$cluster/data/clinicflow-test.conf"
# pg-cluster.sh: a throwaway cluster for ClinicFlow's tests
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$cluster'
unix_socket_permissions = 0700
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 300
shared_buffers = 128MB
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
EOF
        if as_owner "$bindir/pg_ctl" start -D "$cluster/data" -l "$cluster/postgresql.log" -w -t 60 -s \
            >/dev/null 2>&1; then
            local url="postgresql://$role@127.0.0.1:$port/postgres"
            echo "$port" >"$dir/port"
            echo "$url" >"$dir/url"
            echo "$PPID" >"$dir/users"
            local version
            version=$("$bindir/pg_ctl" --version | awk '{print $3}')
            echo "pg-cluster: PostgreSQL $version in $cluster as ${owner:-$(id -un)}, log $dir/postgresql.log" >&2
            echo "$url"
            return 0
        fi
        # Another process took the port between the check and the bind: try another one.
        if ! grep -q -i 'could not bind\|could not create any TCP/IP sockets\|address already in use' \
            "$cluster/postgresql.log" 2>/dev/null; then
            break
        fi
        echo "pg-cluster: port $port was taken, trying another" >&2
        as_owner "$bindir/pg_ctl" stop -D "$cluster/data" -m immediate -s >/dev/null 2>&1 || true
    done
    tail -n 30 "$cluster/postgresql.log" >&2 2>/dev/null || true
    die "the cluster in $cluster did not start (its log above)"
}

stop() {
    [ -d "$dir" ] || {
        echo "pg-cluster: no cluster in $dir" >&2
        return 0
    }
    dir=$(cd "$dir" && pwd)
    exec 9<"$dir"
    flock 9
    bindir=$(find_bindir || true)
    cluster=$(recorded_cluster)
    prune_users "$PPID"
    if [ "$force" != yes ] && [ -s "$dir/users" ]; then
        echo "pg-cluster: the cluster in $dir is still used by process $(paste -sd, "$dir/users"): left running" >&2
        return 0
    fi
    shut_down
    rm -rf "$dir"
}

# The fault tests' crash and recovery of the database itself: `pg_ctl stop -m immediate` (no checkpoint, every
# connection cut, as a crash would), then a start on the same files and port (crash recovery replays the WAL).
crash() {
    dir=$(cd "$dir" && pwd)
    bindir=$(find_bindir) || die "PostgreSQL is not installed"
    cluster=$(recorded_cluster)
    [ -n "$cluster" ] && is_running || die "no running cluster in $dir"
    as_owner "$bindir/pg_ctl" stop -D "$cluster/data" -m immediate -w -t 30 -s >/dev/null
}

restart() {
    dir=$(cd "$dir" && pwd)
    bindir=$(find_bindir) || die "PostgreSQL is not installed"
    cluster=$(recorded_cluster)
    [ -n "$cluster" ] || die "no cluster in $dir"
    is_running && return 0
    as_owner "$bindir/pg_ctl" start -D "$cluster/data" -l "$cluster/postgresql.log" -w -t 60 -s >/dev/null 2>&1 ||
        die "the cluster in $cluster did not start again (see $dir/postgresql.log)"
}

[ $# -ge 2 ] || usage
command=$1
dir=$2
force=no
[ "${3:-}" = --force ] && force=yes
bindir=
cluster=
case "$command" in
start) start ;;
stop) stop ;;
crash) crash ;;
restart) restart ;;
*) usage ;;
esac
