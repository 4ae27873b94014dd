#!/usr/bin/env bash
# compute-sanitizer's memcheck, racecheck and synccheck over every generated
# kernel (issue #7): every forward entry point of generated/mlstm,
# mlstm_chunks, mlstm_shapes and mlstm_family, and every backward entry point
# (which launch all kernel kinds: state scan, output, row adjoint, reverse
# scan, dq, dk/dv, gate gradients), on small problems (S <= 128,
# B * NH <= 7, ordinary gates, with and without states). Each run also checks
# its results against the float64 reference. Writes under $OUT:
#   sanitize-logs.tar.gz          the tools' outputs (sanitize-<check>-<tool>.log)
#   sanitize-summary.json         device, per-run verdicts and case counts
# Through the device tool: run(command="bash scripts/gpu-sanitize.sh").
set -uo pipefail
source "$(dirname "$0")/gpu-common.sh"
TIMEOUT=${MLSTM_SANITIZER_TIMEOUT:-500}
SMALL=(--max-s=128 --max-bnh=7 --gates=ordinary)

build_gpu_checks "$OUT/sanitize-build.log" mlstm-forward-check mlstm-backward-check

# The six (check, tool) runs go side by side: the tools serialize their
# kernels, and the float64 references keep CPU cores busy meanwhile.
sanitize() {  # check tool
  local log=$OUT/sanitize-$1-$2.log start
  start=$(date +%s)
  timeout -k 10 "$TIMEOUT" compute-sanitizer --tool "$2" --error-exitcode 86 \
    "$BUILD/mlstm-$1-check" "${SMALL[@]}" --json="$OUT/sanitize-$1-$2.jsonl" \
    >"$log" 2>&1
  echo "$? $(( $(date +%s) - start ))" >"$OUT/sanitize-$1-$2.rc"
}
for check in forward backward; do
  for tool in memcheck racecheck synccheck; do
    sanitize "$check" "$tool" &
  done
done
wait

status=0
runs=()
for check in forward backward; do
  for tool in memcheck racecheck synccheck; do
    log=$OUT/sanitize-$check-$tool.log
    read -r rc secs <"$OUT/sanitize-$check-$tool.rc"
    case $rc in 0) verdict=clean ;; 86) verdict=errors ;;
                124|137) verdict=timeout ;; 1) verdict="clean, check failed" ;;
                *) verdict="failed(rc=$rc)" ;; esac
    # Exit 1 is the check's own verdict; the tool's summary must still say 0.
    if [ "$rc" = 1 ] && ! grep -qE 'ERROR SUMMARY: 0 errors|RACECHECK SUMMARY: 0 hazards' "$log"; then
      verdict=failed
    fi
    [ "$verdict" = clean ] || status=1
    cases=$(grep -c '"pass": true' "$OUT/sanitize-$check-$tool.jsonl" 2>/dev/null)
    misses=$(grep -c '"pass": false' "$OUT/sanitize-$check-$tool.jsonl" 2>/dev/null)
    summary=$(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$log" | tail -1)
    echo "$check $tool: $verdict, ${cases:-0} cases pass, ${misses:-0} fail, $secs s; $summary"
    runs+=("{\"check\": \"$check\", \"tool\": \"$tool\", \"verdict\": \"$verdict\", \"seconds\": $secs, \"cases_passed\": ${cases:-0}, \"cases_failed\": ${misses:-0}, \"summary\": \"$summary\"}")
    rm -f "$OUT/sanitize-$check-$tool.jsonl" "$OUT/sanitize-$check-$tool.rc"
  done
done

{
  echo "{\"device\": \"$device\", \"filter\": \"${SMALL[*]}\", \"runs\": ["
  (IFS=,; echo "${runs[*]}")
  echo "]}"
} >"$OUT/sanitize-summary.json"
cat "$OUT/sanitize-summary.json"
tar -C "$OUT" -czf "$OUT/sanitize-logs.tar.gz" $(cd "$OUT" && ls sanitize-*.log) &&
  rm -f "$OUT"/sanitize-*.log
exit $status
