#!/usr/bin/env bash
# Checks the backward entry points of the generated libraries (generated/mlstm,
# generated/mlstm_chunks) on the GPU machine: builds gpu/ (CMake + CUDA only),
# runs every backward entry point, fed the h of its own forward entry point,
# against the float64 reference gradients (mlstm-backward-check, ctest label
# gpu), then compute-sanitizer's memcheck, racecheck and synccheck on a small
# case. Writes under $OUT:
#   backward.jsonl           one JSON line per case
#   backward.log             its console
#   backward-build.log       the build
#   backward-sanitizer.log   the three sanitizer runs
#   backward-summary.json    device, seed, counts, sanitizer verdicts
# Extra arguments go to the full run (e.g. --seed=N, --gates=extreme).
# Through the device tool: run(command="bash scripts/gpu-backward.sh").
set -uo pipefail
source "$(dirname "$0")/gpu-common.sh"
SANITIZER_TIMEOUT=${MLSTM_SANITIZER_TIMEOUT:-120}

build_gpu_checks "$OUT/backward-build.log" mlstm-backward-check

status=0
rm -f "$OUT/backward.jsonl"
"$BUILD/mlstm-backward-check" --json="$OUT/backward.jsonl" "$@" \
  >"$OUT/backward.log" 2>&1 || status=1

declare -A verdict
: >"$OUT/backward-sanitizer.log"
for tool in memcheck racecheck synccheck; do
  echo "=== $tool" >>"$OUT/backward-sanitizer.log"
  timeout -k 10 "$SANITIZER_TIMEOUT" compute-sanitizer --tool "$tool" \
    --error-exitcode 86 "$BUILD/mlstm-backward-check" \
    --only=mlstm_exp_bf16_d64x128_backward --max-s=128 \
    >"$OUT/sanitizer-$tool.tmp" 2>&1
  rc=$?
  # A case of the check itself failing (exit 1) is not a sanitizer finding:
  # then the tool's own summary decides ("clean, check failed").
  zero=$(grep -cE 'ERROR SUMMARY: 0 errors|RACECHECK SUMMARY: 0 hazards' \
         "$OUT/sanitizer-$tool.tmp")
  cat "$OUT/sanitizer-$tool.tmp" >>"$OUT/backward-sanitizer.log"
  rm -f "$OUT/sanitizer-$tool.tmp"
  case $rc in 0) verdict[$tool]=clean ;; 86) verdict[$tool]=errors; status=1 ;;
              124|137) verdict[$tool]=timeout; status=1 ;;
              *) if [ "$zero" -gt 0 ]; then verdict[$tool]="clean, check failed"
                 else verdict[$tool]=failed; fi; status=1 ;; esac
done

passed=$(grep -c '"pass": true' "$OUT/backward.jsonl" 2>/dev/null)
failed=$(grep -c '"pass": false' "$OUT/backward.jsonl" 2>/dev/null)
seed=$(sed -n 's/^device .*, seed \([0-9]*\)$/\1/p' "$OUT/backward.log" | head -1)
cat >"$OUT/backward-summary.json" <<JSON
{"device": "$device", "seed": ${seed:-null},
 "cases_passed": ${passed:-0}, "cases_failed": ${failed:-0},
 "result_line": "$(tail -1 "$OUT/backward.log" | tr -d '"\\')",
 "memcheck": "${verdict[memcheck]}", "racecheck": "${verdict[racecheck]}",
 "synccheck": "${verdict[synccheck]}"}
JSON
tail -2 "$OUT/backward.log"
cat "$OUT/backward-summary.json"
exit $status
