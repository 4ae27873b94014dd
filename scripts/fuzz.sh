#!/usr/bin/env bash
# Runs mlstm-fuzz (built by scripts/sanitize.sh) from the committed seeds.
#   scripts/fuzz.sh BUILD_DIR SECONDS [libFuzzer flags...]
# New inputs go to BUILD_DIR/fuzz/corpus (test/fuzz/corpus stays as
# committed), crash reproducers to BUILD_DIR/fuzz/artifacts/. Exits non-zero
# on any crash, sanitizer report, timeout or out-of-memory.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=$(cd "$1" && pwd)
seconds=$2
shift 2

: "${ASAN_OPTIONS:=abort_on_error=1:halt_on_error=1:detect_leaks=1:allow_user_poisoning=0}"
: "${UBSAN_OPTIONS:=abort_on_error=1:halt_on_error=1:print_stacktrace=1}"
: "${ASAN_SYMBOLIZER_PATH:=/usr/lib/llvm-22/bin/llvm-symbolizer}"
export ASAN_OPTIONS UBSAN_OPTIONS ASAN_SYMBOLIZER_PATH

work=$BUILD_DIR/fuzz
mkdir -p "$work/corpus" "$work/artifacts"
# -timeout: one input (a whole spec through the PTX back end) takes seconds
# under the sanitizers, but over a minute on a starved two-core machine (a
# 3.7 s input once hit 72 s beside a ctest run). -max_len: the largest seed; longer
# inputs only slow the pipeline down.
exec "$BUILD_DIR/bin/mlstm-fuzz" \
  -max_total_time="$seconds" -timeout=300 -rss_limit_mb=4096 -max_len=8192 \
  -dict="$ROOT/test/fuzz/mlstm.dict" -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$@" \
  "$work/corpus" "$ROOT/test/fuzz/corpus"
