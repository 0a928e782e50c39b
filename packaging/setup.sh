#!/usr/bin/env bash
# The README's two commands: set up a Debian 12 machine for ClinicFlow, build it, then run it or test it.
#   bash packaging/setup.sh run    install what is missing, build, start ClinicFlow
#   bash packaging/setup.sh test   install what is missing, build, run the whole ctest suite, then the fuzzers
#   bash packaging/setup.sh deps   only install what is missing
#   bash packaging/setup.sh build  install what is missing, then build
# Environment: BUILD_DIR (default ./build), BUILD_TYPE (default RelWithDebInfo), JOBS (default: all cores),
# FUZZ_SECONDS (default 60: how long `test` runs each fuzzer), FUZZ_BUILD_DIR (default ./build-fuzz).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$here/build}
build_type=${BUILD_TYPE:-RelWithDebInfo}
jobs=${JOBS:-$(nproc)}

# Debian 12 packages: toolchain, Qt 6 (Widgets, Sql with SQLite and PostgreSQL drivers, Test, Linguist),
# protobuf, ZeroMQ with cppzmq, what running the GUI under a virtual display needs, and Debian's Python with the
# modules of the example station and the contract tests (examples/python, tests/contract), and Debian's clang 14 with
# libFuzzer and the sanitizer runtimes for the fuzzers (tests/fuzz; clang-14 only recommends libclang-rt-14-dev).
packages=(
    build-essential cmake ninja-build pkg-config git curl
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    libsqlite3-dev libprotobuf-dev protobuf-compiler cppzmq-dev libzmq3-dev libgl-dev libxkbcommon-dev
    libqt6svg6 xvfb xauth fonts-nanum
    python3 python3-zmq python3-protobuf python3-yaml python3-jsonschema
    clang-14 libfuzzer-14-dev libclang-rt-14-dev
)

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

build() {
    log "configuring ($build_type) in $build_dir"
    cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DBUILD_TESTING=ON
    log "building with $jobs jobs"
    cmake --build "$build_dir" --parallel "$jobs"
}

run_tests() {
    log "running the test suite"
    cd "$build_dir"
    ctest --output-on-failure --parallel "$jobs" --timeout 600
}

# The bounded fuzz step: its own instrumented build of the fuzz targets only (tests/fuzz/run-fuzzers.sh).
run_fuzzers() {
    log "running the fuzzers, ${FUZZ_SECONDS:-60} s each"
    FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-$build_dir-fuzz} JOBS=$jobs bash "$here/tests/fuzz/run-fuzzers.sh" "${FUZZ_SECONDS:-60}"
}

run_app() {
    exec "$here/packaging/run-local.sh" "$build_dir"
}

case "${1:-}" in
deps) install_deps ;;
build) install_deps && build ;;
test) install_deps && build && run_tests && run_fuzzers ;;
run) install_deps && build && run_app ;;
*)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
