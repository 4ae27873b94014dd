#!/usr/bin/env bash
# Checks the generated default library (generated/mlstm) on the GPU machine:
# builds gpu/ (CMake + CUDA only), runs every entry point against the float64
# reference (mlstm-forward-check, ctest label gpu), then compute-sanitizer's
# memcheck, racecheck and synccheck on a small case. Writes under $OUT:
#   forward.jsonl  one JSON line per case      forward.log  its console
#   sanitizer.log  summary.json (device, counts, sanitizer verdicts)
# Through the device tool: run(command="bash scripts/gpu-forward.sh").
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${MLSTM_GPU_BUILD_DIR:-/tmp/mlstm-gpu-build}
OUT=${OUT:-$BUILD/out}
mkdir -p "$OUT"
export PATH=$PATH:${CUDA_HOME:-/usr/local/cuda}/bin
device=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>&1)

gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
if ! { cmake -S "$ROOT/gpu" -B "$BUILD" "${gen[@]}" &&
       cmake --build "$BUILD" -j "$(nproc)"; } >"$OUT/build.log" 2>&1; then
  tail -30 "$OUT/build.log"; exit 1
fi

status=0
rm -f "$OUT/forward.jsonl"
"$BUILD/mlstm-forward-check" --json="$OUT/forward.jsonl" "$@" \
  >"$OUT/forward.log" 2>&1 || status=1

declare -A verdict
: >"$OUT/sanitizer.log"
for tool in memcheck racecheck synccheck; do
  echo "=== $tool" >>"$OUT/sanitizer.log"
  compute-sanitizer --tool "$tool" --error-exitcode 86 \
    "$BUILD/mlstm-forward-check" --only=mlstm_exp_bf16_d64x128 --max-s=128 \
    >>"$OUT/sanitizer.log" 2>&1
  case $? in 0) verdict[$tool]=clean ;; 86) verdict[$tool]=errors; status=1 ;;
             *) verdict[$tool]=failed; status=1 ;; esac
done

passed=$(grep -c '"pass": true' "$OUT/forward.jsonl")
failed=$(grep -c '"pass": false' "$OUT/forward.jsonl")
cat >"$OUT/summary.json" <<JSON
{"device": "$device", "cases_passed": $passed, "cases_failed": $failed,
 "memcheck": "${verdict[memcheck]}", "racecheck": "${verdict[racecheck]}",
 "synccheck": "${verdict[synccheck]}"}
JSON
tail -2 "$OUT/forward.log"
cat "$OUT/summary.json"
exit $status
