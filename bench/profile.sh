#!/usr/bin/env bash
# bench/profile.sh: Nsight Compute reports of the forward kernels at one
# configuration, ours and TFLA's, on the device machine:
#
#   run(command="bash bench/profile.sh", carry=[".peers"])
#
# Builds the generated libraries the runs load (build-bench/<name>), then
# profiles one steady-state forward call each (bench/ncu_call.py) with
# `ncu --set full` and writes the reports' details pages as text:
# $OUT/ncu-<what>.txt, plus a one-line-per-kernel summary ($OUT/summary.txt).
# PROFILE_CONFIG (default "paper") and PROFILE_RUNS (a list of
# what=arguments-to-ncu_call.py) override the defaults.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/bench/out}
mkdir -p "$OUT"
CONFIG=${PROFILE_CONFIG:-paper}
NCU=${NCU:-ncu}

default_runs=(
  "exp_c64=--lib build-bench/mlstm/libmlstm.so --variant exp"
  "sig_c64=--lib build-bench/mlstm/libmlstm.so --variant sig"
)
[ -d .peers/mlstm_kernels ] &&
  default_runs+=("tfla_sig=--tfla .peers --variant sig")
if [ -n "${PROFILE_RUNS:-}" ]; then
  mapfile -t runs <<< "$PROFILE_RUNS"
else
  runs=("${default_runs[@]}")
fi

# Build the generated libraries the runs load (--lib build-bench/<name>/...).
for lib in $(printf '%s\n' "${runs[@]}" | grep -o 'build-bench/[A-Za-z0-9_]*/' |
             cut -d/ -f2 | sort -u); do
  { cmake -S generated/$lib -B build-bench/$lib -G Ninja -DCMAKE_BUILD_TYPE=Release &&
    cmake --build build-bench/$lib; } > "$OUT/build-$lib.log" 2>&1 ||
    { echo "build of $lib failed"; tail -30 "$OUT/build-$lib.log"; exit 1; }
done

: > "$OUT/summary.txt"
for r in "${runs[@]}"; do
  what=${r%%=*}; argv=${r#*=}
  echo "== $what ($argv, $CONFIG)"
  # shellcheck disable=SC2086
  $NCU --profile-from-start off --clock-control none --set full \
       --import-source no --print-units base --page details \
       python3 bench/ncu_call.py $argv --config "$CONFIG" \
       > "$OUT/ncu-$what.txt" 2> "$OUT/ncu-$what.err"
  echo "ncu exit $?"; tail -3 "$OUT/ncu-$what.err"
  # kernel name, duration, DRAM throughput, SM throughput, registers, occupancy
  awk -v w="$what" '
    /^  [A-Za-z_].*\(/ { k=$1 }
    /^    Duration / { d=$NF } /^    DRAM Throughput / { dr=$NF }
    /^    Compute \(SM\) Throughput / { sm=$NF }
    /^    Registers Per Thread / { rg=$NF }
    /^    Achieved Occupancy / { printf "%s %s duration_ns=%s dram%%=%s sm%%=%s regs=%s occ%%=%s\n", w, k, d, dr, sm, rg, $NF }
  ' "$OUT/ncu-$what.txt" | tee -a "$OUT/summary.txt"
done
