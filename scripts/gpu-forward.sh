#!/usr/bin/env bash
# Checks the generated default library (generated/mlstm) on the GPU machine:
# builds gpu/ (CMake + CUDA only), runs every entry point against the float64
# reference (mlstm-forward-check, ctest label gpu), then compute-sanitizer's
# memcheck, racecheck and synccheck on a small case. Writes under $OUT:
#   forward.jsonl  one JSON line per case      forward.log  its console
#   stress.jsonl   the stress families          threads.jsonl  4 threads
#   sanitizer.log  summary.json (device, counts, sanitizer verdicts)
# Through the device tool: run(command="bash scripts/gpu-forward.sh").
set -uo pipefail
source "$(dirname "$0")/gpu-common.sh"

build_gpu_checks "$OUT/build.log"

# MLSTM_GPU_MODES picks the runs: forward (the matrix, with this script's
# arguments), stress (--gates=stress), threads (4 threads on 4 streams of one
# context), sanitizers; each run draws fresh inputs from its own seed.
modes=" ${MLSTM_GPU_MODES:-forward stress threads sanitizers} "
status=0
for mode in forward stress threads; do
  [[ $modes == *" $mode "* ]] || continue
  args=("$@")
  [[ $mode == stress ]] && args=(--gates=stress)
  [[ $mode == threads ]] && args=(--threads=4)
  rm -f "$OUT/$mode.jsonl"
  "$BUILD/mlstm-forward-check" --json="$OUT/$mode.jsonl" "${args[@]}" \
    >"$OUT/$mode.log" 2>&1 || status=1
  tail -1 "$OUT/$mode.log"
done

declare -A verdict=([memcheck]=skipped [racecheck]=skipped [synccheck]=skipped)
: >"$OUT/sanitizer.log"
for tool in memcheck racecheck synccheck; do
  [[ $modes == *" sanitizers "* ]] || break
  echo "=== $tool" >>"$OUT/sanitizer.log"
  compute-sanitizer --tool "$tool" --error-exitcode 86 \
    "$BUILD/mlstm-forward-check" --only=mlstm_exp_bf16_d64x128 --max-s=128 \
    >>"$OUT/sanitizer.log" 2>&1
  case $? in 0) verdict[$tool]=clean ;; 86) verdict[$tool]=errors; status=1 ;;
             *) verdict[$tool]=failed; status=1 ;; esac
done

count() { local c; c=$(grep -c "\"pass\": $1" "$OUT/$2.jsonl" 2>/dev/null); echo "${c:-0}"; }
passed=$(count true forward)
failed=$(count false forward)
cat >"$OUT/summary.json" <<JSON
{"device": "$device", "cases_passed": $passed, "cases_failed": $failed,
 "stress_passed": $(count true stress), "stress_failed": $(count false stress),
 "threads_passed": $(count true threads), "threads_failed": $(count false threads),
 "memcheck": "${verdict[memcheck]}", "racecheck": "${verdict[racecheck]}",
 "synccheck": "${verdict[synccheck]}"}
JSON
tail -2 "$OUT/forward.log"
cat "$OUT/summary.json"
exit $status
