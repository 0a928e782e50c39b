#!/usr/bin/env bash
# The bounded fuzz step of the test command (issue #12): builds the three libFuzzer targets with Debian's clang 14 in
# a build folder of their own, replays every input that ever crashed, then fuzzes each target for a while.
#
#   bash tests/fuzz/run-fuzzers.sh [seconds]     seconds per target, default 60; the three run side by side
#
# Targets: FuzzCodec (the envelope codec), FuzzCommand (the command validator), FuzzHttpRequest (the HTTP request
# head parser). Inputs: tests/fuzz/corpus/<target>/ (seeds) and tests/fuzz/crashes/<target>/ (every input that ever
# crashed, kept as regressions). Neither folder is written: new inputs go to a scratch corpus in the build folder,
# which later runs start from.
# Environment: FUZZ_BUILD_DIR (default ./build-fuzz, beside ./build), JOBS (build jobs, default: all cores),
# CC/CXX (default clang-14/clang++-14).
# Exit status: 0 when every replay passed and no fuzzer found anything; 1 otherwise, saying where each crashing input
# was saved.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fuzz_dir=$here/tests/fuzz
build_dir=${FUZZ_BUILD_DIR:-$here/build-fuzz}
seconds=${1:-60}
jobs=${JOBS:-$(nproc)}
targets=(FuzzCodec FuzzCommand FuzzHttpRequest)

if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: $0 [seconds per target, default 60]" >&2
    exit 2
fi

log() { printf '\033[1m[fuzz]\033[0m %s\n' "$*"; }

# Only the fuzz targets and the libraries they link (Proto, Domain, the HTTP parser) are built: nothing else of the
# app is compiled with the sanitizers. -O1 with line tables is the usual fuzzing trade (fast to build, fast enough to
# run, readable stacks); the Debug type keeps Q_ASSERT and assert() on, so a broken invariant is a crash too.
log "configuring $build_dir (clang 14, libFuzzer, ASan, UBSan)"
CC=${CC:-clang-14} CXX=${CXX:-clang++-14} nice -n 10 cmake -S "$here" -B "$build_dir" -G Ninja \
    -DCLINICFLOW_FUZZ=ON -DBUILD_TESTING=OFF -DCLINICFLOW_BUILD_CLIENT=OFF -DCMAKE_UNITY_BUILD=ON \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" >"$build_dir.configure.log" 2>&1 || {
    cat "$build_dir.configure.log" >&2
    exit 1
}
rm -f "$build_dir.configure.log"
log "building ${targets[*]} with $jobs jobs"
start=$SECONDS
nice -n 10 cmake --build "$build_dir" --target "${targets[@]}" --parallel "$jobs"
log "built in $((SECONDS - start)) s"

bin=$build_dir/tests/fuzz
work=$build_dir/fuzz-work
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# 1. Regressions: every input that ever crashed must now pass.
failed=0
for t in "${targets[@]}"; do
    mkdir -p "$fuzz_dir/crashes/$t"
    mapfile -t kept < <(find "$fuzz_dir/crashes/$t" -maxdepth 1 -type f ! -name 'README*' | sort)
    if [ ${#kept[@]} -eq 0 ]; then
        continue
    fi
    if nice -n 10 "$bin/$t" -timeout=10 -rss_limit_mb=2048 "${kept[@]}" >"$build_dir/$t.replay.log" 2>&1; then
        log "$t: ${#kept[@]} kept crash input(s) replayed, all pass"
    else
        log "$t: a kept crash input crashes again (a regression); its output:"
        tail -n 60 "$build_dir/$t.replay.log"
        failed=1
    fi
done
if [ $failed -ne 0 ]; then
    echo "run-fuzzers: regression: an input in tests/fuzz/crashes/ crashes again (see above)" >&2
    exit 1
fi

# 2. Fuzz the three side by side for the given time, each from its seeds, its kept crashes and its scratch corpus.
log "fuzzing ${targets[*]} for $seconds s each, side by side"
declare -A pids
for t in "${targets[@]}"; do
    mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
    dict=()
    [ -f "$fuzz_dir/$t.dict" ] && dict=(-dict="$fuzz_dir/$t.dict")
    # timeout: a safety net beyond libFuzzer's own limits (-max_total_time, -timeout per input).
    timeout -k 10 $((seconds + 120)) nice -n 10 "$bin/$t" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" "${dict[@]}" \
        "$work/$t/corpus" "$fuzz_dir/corpus/$t" "$fuzz_dir/crashes/$t" >"$work/$t/fuzz.log" 2>&1 &
    pids[$t]=$!
done

for t in "${targets[@]}"; do
    status=0
    wait "${pids[$t]}" || status=$?
    logfile=$work/$t/fuzz.log
    # libFuzzer's last status line: "#123456 DONE cov: 5974 ft: 6870 corp: 19/3026b lim: 654 exec/s: 2057 rss: 51Mb"
    last=$(grep -E '^#[0-9]+' "$logfile" | tail -n 1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logfile" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logfile" | tail -n 1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
    if [ $status -eq 0 ]; then
        printf '%-16s ok     %s execs (%s/s), corpus %s, coverage %s edges / %s features\n' "$t" \
            "${execs:-?}" "${rate:-?}" "${corp:-?}" "${cov:-?}" "${ft:-?}"
        continue
    fi
    failed=1
    printf '%-16s FAILED (exit %s) after %s execs; log: %s\n' "$t" "$status" "${execs:-?}" "$logfile"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error:|.*deadly signal|ALARM|.*out-of-memory)' "$logfile" |
        head -n 5 | sed 's/^/    /' || true
    mapfile -t found < <(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$logfile")
    if [ ${#found[@]} -eq 0 ]; then
        echo "    no input was saved (the fuzzer stopped without a crash input; see the log)"
        [ $status -eq 124 ] && echo "    it ran past its time limit and was killed"
        continue
    fi
    for f in "${found[@]}"; do
        echo "    crashing input saved at: $f"
        echo "    reproduce: $bin/$t $f"
        echo "    fix the bug, then keep the input as a regression: cp $f $fuzz_dir/crashes/$t/"
    done
done

if [ $failed -ne 0 ]; then
    echo "run-fuzzers: a fuzzer found a crash (see above); copy each input into tests/fuzz/crashes/<target>/ with the fix" >&2
    exit 1
fi
log "no crash in $seconds s per target; scratch corpora in $work (tests/fuzz/corpus/README.md says how to merge)"
