#!/bin/sh
# Run every cargo-fuzz target for a while; copy crashes into tests/fuzz-regressions/<target>/
# (replayed by `cargo test`, tests/fuzz.rs). Needs cargo-fuzz (`cargo install cargo-fuzz`) and a
# nightly toolchain, or RUSTC_BOOTSTRAP=1 on stable (set below).
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-"properties kms_arrays get_secret_value_json proto_response secret_json"}
export RUSTC_BOOTSTRAP=1
status=0
for t in $targets; do
    echo "== fuzz $t for ${secs}s"
    mkdir -p "fuzz/corpus/$t"
    if [ -d "tests/fuzz-regressions/$t" ]; then cp -n tests/fuzz-regressions/"$t"/* "fuzz/corpus/$t/" 2>/dev/null || true; fi
    if ! (cd fuzz && cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536); then
        status=1
    fi
    for crash in fuzz/artifacts/"$t"/crash-* fuzz/artifacts/"$t"/oom-* fuzz/artifacts/"$t"/timeout-*; do
        [ -f "$crash" ] || continue
        mkdir -p "tests/fuzz-regressions/$t"
        cp "$crash" "tests/fuzz-regressions/$t/"
        echo "kept $crash as a regression input"
    done
done
exit $status
