#!/usr/bin/env bash
# bench/run.sh: the mLSTM forward benchmark as one command on the device
# machine (bench/README.md). From the repository root, through the device tool:
#
#   bash bench/run.sh            # run(command="bash bench/run.sh", carry=[".peers"])
#
# 1. starts the TFLA compile probe (bench/peers.py probe) in the background,
# 2. builds generated/mlstm with CMake + the CUDA toolkit (build-bench/mlstm),
# 3. runs bench/bench.py (sanity checks, then every configuration),
# 4. prints the table and draws the plot (bench/report.py).
# Writes $OUT/bench.json, bench.png, table.md, bench.log, probe.log, build.log
# ($OUT defaults to bench/out). Options through the environment:
#   BENCH_ARGS="--quick"   smoke test on small sizes;  BENCH_BUDGET_S=420
set -uo pipefail
export BENCH_T0=$(date +%s.%N)
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/bench/out}
WORK=${BENCH_WORK:-/tmp/bench-work}
PY=${PYTHON:-python3}
mkdir -p "$OUT"
rm -rf "$WORK" && mkdir -p "$WORK"
export PYTHONUNBUFFERED=1
export BENCH_SOURCE_COMMIT=${BENCH_SOURCE_COMMIT:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}
BENCH_ARGS=${BENCH_ARGS:-}

nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,memory.total --format=csv,noheader

# 1. TFLA compile probe (crash-isolated first calls), in the background.
PROBE_PID=
if [ -d .peers/mlstm_kernels ]; then
  QUICK=; case " $BENCH_ARGS " in *" --quick "*) QUICK=--quick;; esac
  $PY bench/configs.py $QUICK > "$WORK/configs.json"
  $PY bench/peers.py probe --peers .peers --configs "$WORK/configs.json" \
      --out "$WORK/probe.json" --workdir "$WORK/probe" --budget-s 240 \
      > "$OUT/probe.log" 2>&1 &
  PROBE_PID=$!
else
  echo "no .peers/mlstm_kernels: TFLA peers skipped (see bench/README.md)" | tee "$OUT/probe.log"
  BENCH_ARGS="$BENCH_ARGS --no-peers"
fi

# 2. The generated library.
t=$(date +%s)
if ! { cmake -S generated/mlstm -B build-bench/mlstm -G Ninja -DCMAKE_BUILD_TYPE=Release \
       && cmake --build build-bench/mlstm; } > "$OUT/build.log" 2>&1; then
  echo "library build failed:"; tail -40 "$OUT/build.log"
  [ -n "$PROBE_PID" ] && kill "$PROBE_PID" 2>/dev/null
  exit 1
fi
echo "built build-bench/mlstm/libmlstm.so in $(( $(date +%s) - t )) s"

# 3. The benchmark (waits for the probe before timing the peers).
$PY bench/bench.py --lib build-bench/mlstm/libmlstm.so --peers .peers \
    --probe "$WORK/probe.json" --out "$OUT" --budget-s "${BENCH_BUDGET_S:-420}" \
    $BENCH_ARGS 2>&1 | tee "$OUT/bench.log"
rc=${PIPESTATUS[0]}
[ -n "$PROBE_PID" ] && wait "$PROBE_PID"
echo "---- probe log"; tail -30 "$OUT/probe.log"

# 4. Table and plot, from whatever bench.json holds.
if [ -f "$OUT/bench.json" ]; then
  $PY bench/report.py "$OUT/bench.json" --png "$OUT/bench.png" | tee "$OUT/table.md"
fi
echo "bench.py exit $rc; total $(( $(date +%s) - ${BENCH_T0%.*} )) s"
exit $rc
