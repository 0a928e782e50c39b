#!/usr/bin/env bash
# The README's two commands: set up a Debian 12 machine for ClinicFlow, build it, then run it or test it.
#   bash packaging/setup.sh run    install what is missing, build, start ClinicFlow
#   bash packaging/setup.sh test   install what is missing, then the CI gates: formatting, a build with warnings as
#                                  errors and its tests, a sanitizer build (ASan + UBSan) and its tests, the fuzzers
#   bash packaging/setup.sh deps   only install what is missing
#   bash packaging/setup.sh build  install what is missing, then build
# Environment: BUILD_DIR (default ./build), BUILD_TYPE (default RelWithDebInfo), JOBS (default: all cores),
# SANITIZE_BUILD_DIR (default ./build-sanitize), FUZZ_SECONDS (default 12: how long `test` runs each fuzzer),
# FUZZ_BUILD_DIR (default ./build-fuzz).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$here/build}
build_type=${BUILD_TYPE:-RelWithDebInfo}
jobs=${JOBS:-$(nproc)}

# Debian 12 packages: toolchain, Qt 6 (Widgets, Sql with SQLite and PostgreSQL drivers, Test, Linguist),
# protobuf, ZeroMQ with cppzmq, what running the GUI under a virtual display needs, and Debian's Python with the
# modules of the example station and the contract tests (examples/python, tests/contract).
packages=(
    build-essential cmake ninja-build pkg-config git curl
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    libsqlite3-dev libpq-dev libprotobuf-dev protobuf-compiler cppzmq-dev libzmq3-dev libgl-dev libxkbcommon-dev
    libqt6svg6 xvfb xauth fonts-nanum
    python3 python3-zmq python3-protobuf python3-yaml python3-jsonschema
)
# And for `test` only: Debian's clang 14 with libFuzzer and the sanitizer runtimes for the fuzzers and the sanitizer
# build (clang-14 only recommends libclang-rt-14-dev), clang-format for the formatting gate, and what the operations
# tests use (tests/packaging): Podman (with the network stack and init its recommends would bring, as apt installs
# without recommends here) with a Debian base made by mmdebstrap, dpkg-dev (dpkg-shlibdeps for CPack),
# systemd (systemd-analyze), desktop-file-utils, and the Kubernetes API's models (python3-kubernetes) with kubectl
# for kustomize: Debian's kubernetes-client, unless a kubectl is already there (another package may own
# /usr/bin/kubectl, and Debian's would then not install).
# iproute2 (ip netns, veth) for the partition test (tests/faults/TestNetworkPartition).
# PostgreSQL 15's server for the test layer `postgresql`: each ctest run starts a throwaway cluster of its own with it
# (tests/support/postgres/pg-cluster.sh, as `nobody` under root, in /tmp), never the packaged one on port 5432.
test_packages=(
    clang-14 libfuzzer-14-dev libclang-rt-14-dev clang-format
    podman runc mmdebstrap uidmap netavark iptables catatonit dpkg-dev systemd desktop-file-utils python3-kubernetes
    iproute2 postgresql-15
)
command -v kubectl >/dev/null 2>&1 || test_packages+=(kubernetes-client)

# The test command's two builds. The release build (gcc) runs every layer of tests but those the sanitizer build runs
# (the fault tests among them, on both databases: they measure recovery and take long under the sanitizers);
# the sanitizer build (clang, AddressSanitizer + UndefinedBehaviorSanitizer, -O0 to build fast) runs the unit, server
# module, integration and HTTP tests, the server under test instrumented too, and the server module and integration
# suites a second time against a throwaway PostgreSQL cluster (the `postgresql` layer, tests named *.postgresql).
# Both treat warnings as errors. The release build keeps line tables only (-g1): enough for a backtrace, and a third
# quicker to compile than -g.
release_test_layers="client;screens;app;faults;contract;translations;packaging;bench;hostile;postgresql"
sanitizer_test_layers="unit;server;integration;http;postgresql"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "setup: installing packages needs root: run this as root (or install sudo)" >&2
        exit 1
    fi
}

install_deps() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        log "all ${#packages[@]} Debian packages are already installed"
        return
    fi
    log "installing ${#missing[@]} missing packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Unity builds (CMake compiles a target's sources eight to a file): a whole build takes a third less CPU, since each
# group parses the Qt, protobuf and ZeroMQ headers once (release build 1,290 -> 890 s of compiler time measured, the
# sanitizer build 750 -> 500 s). For building once, as these commands do; a developer's own build folder recompiles
# less after an edit without them (CMake's default).
build() {
    log "configuring ($build_type) in $build_dir"
    cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DBUILD_TESTING=ON \
        -DCMAKE_UNITY_BUILD=ON "$@"
    log "building with $jobs jobs"
    cmake --build "$build_dir" --parallel "$jobs"
}

run_tests() {
    log "running the release build's tests"
    (cd "$build_dir" && ctest --output-on-failure --parallel "$jobs" --timeout 600)
}

# Every C++ file git knows, against .clang-format (clang-format 14, Debian's).
check_format() {
    log "checking the formatting (.clang-format)"
    local files
    mapfile -t files < <(git -C "$here" ls-files '*.cpp' '*.h' 2>/dev/null ||
        (cd "$here" && find client server shared tests examples -name '*.cpp' -o -name '*.h'))
    if ! (cd "$here" && clang-format --dry-run --Werror "${files[@]}"); then
        echo "setup: files above are not formatted: run clang-format -i on them" >&2
        return 1
    fi
    log "${#files[@]} files formatted as .clang-format says"
}

# The sanitizer build: its own folder, only what its tests need (no desktop client), then its tests. A leak, an
# out-of-bounds access or undefined behaviour anywhere (the server under test included) fails the test.
sanitizer_tests() {
    local dir=${SANITIZE_BUILD_DIR:-$build_dir-sanitize}
    log "configuring the sanitizer build (clang 14, ASan + UBSan) in $dir"
    CC=clang-14 CXX=clang++-14 cmake -S "$here" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_FLAGS_DEBUG="-O0 -gline-tables-only" -DCLINICFLOW_SANITIZE=ON -DCMAKE_UNITY_BUILD=ON \
        -DCLINICFLOW_WARNINGS_AS_ERRORS=ON -DCLINICFLOW_BUILD_CLIENT=OFF -DBUILD_TESTING=ON \
        -DCLINICFLOW_TEST_LAYERS="$sanitizer_test_layers" >"$dir.configure.log" 2>&1 || {
        cat "$dir.configure.log" >&2
        return 1
    }
    log "building the sanitizer build with $jobs jobs"
    cmake --build "$dir" --parallel "$jobs"
    log "running the sanitizer build's tests ($sanitizer_test_layers)"
    (cd "$dir" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
        ctest --output-on-failure --parallel "$jobs" --timeout 900)
}

# The bounded fuzz step: its own instrumented build of the fuzz targets only (tests/fuzz/run-fuzzers.sh).
run_fuzzers() {
    log "running the fuzzers, ${FUZZ_SECONDS:-12} s each"
    FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-$build_dir-fuzz} JOBS=$jobs bash "$here/tests/fuzz/run-fuzzers.sh" "${FUZZ_SECONDS:-12}"
}

run_app() {
    exec "$here/packaging/run-local.sh" "$build_dir"
}

case "${1:-}" in
deps) install_deps ;;
build) install_deps && build ;;
test)
    packages+=("${test_packages[@]}")
    install_deps
    started=$SECONDS
    check_format
    build -DCLINICFLOW_WARNINGS_AS_ERRORS=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
        -DCLINICFLOW_TEST_LAYERS="$release_test_layers"
    log "release build done at $((SECONDS - started)) s"
    run_tests
    log "release tests done at $((SECONDS - started)) s"
    sanitizer_tests
    log "sanitizer tests done at $((SECONDS - started)) s"
    run_fuzzers
    log "every gate passed in $((SECONDS - started)) s"
    ;;
run) install_deps && build && run_app ;;
*)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
