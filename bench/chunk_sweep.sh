#!/usr/bin/env bash
# bench/chunk_sweep.sh: forward time against chunk size (bench/chunk_sweep.py).
# Two halves, because the device machine has no MLIR:
#   bash bench/chunk_sweep.sh generate   # here: every bf16 entry of
#       specs/mlstm.mlir at chunks 64, 128, 256 (forward only) into
#       build-sweep/gen/mlstm with mlstm-opt / mlstm-translate (BUILD_DIR)
#   bash bench/chunk_sweep.sh run        # on the device, carrying build-sweep/gen:
#       run(command="bash bench/chunk_sweep.sh run", carry=["build-sweep/gen"])
# The run builds the library with CMake + the CUDA toolkit and writes
# $OUT/chunk-sweep.jsonl. BACKWARD=1 keeps the specs' {backward} (for
# bench/fwdbwd.py --chunks); DIMS="256x512 128x256" limits the head dims.
set -euo pipefail
cd "$(dirname "$0")/.."
CHUNKS=${CHUNKS:-64 128 256}
case "${1:-}" in
generate)
  BUILD_DIR=${BUILD_DIR:-build}
  mkdir -p build-sweep
  python3 - "$CHUNKS" "${BACKWARD:-0}" "${DIMS:-}" > build-sweep/spec.mlir <<'PY'
import re, sys
chunks = [int(c) for c in sys.argv[1].split()]
backward, dims = sys.argv[2] == "1", sys.argv[3].split()
src = open("specs/mlstm.mlir").read()
print("module @mlstm {")
for name, body in re.findall(r"  func\.func @(\w+)\((.*?)\n  \}\n", src, re.S):
    if "bf16" not in name or (dims and not any(name.endswith("_d" + d) for d in dims)):
        continue
    for c in chunks:
        keep = r"\1" if backward else ""
        b = re.sub(r"chunk_size = auto( \{backward\})?", f"chunk_size = {c}{keep}", body)
        print(f"  func.func @{name}_c{c}({b}\n  }}")
print("}")
PY
  rm -rf build-sweep/gen
  "$BUILD_DIR/bin/mlstm-opt" build-sweep/spec.mlir --mlstm-pipeline |
    "$BUILD_DIR/bin/mlstm-translate" --emit-host-api --host-api-dir=build-sweep/gen \
      --host-api-source=build-sweep/spec.mlir
  ls build-sweep/gen/mlstm | wc -l ;;
run)
  OUT=${OUT:-$PWD/bench/out}
  mkdir -p "$OUT"
  nvidia-smi --query-gpu=name,clocks.sm,clocks.max.sm --format=csv,noheader
  cmake -S build-sweep/gen/mlstm -B build-sweep/lib -G Ninja -DCMAKE_BUILD_TYPE=Release > "$OUT/sweep-build.log" 2>&1
  cmake --build build-sweep/lib >> "$OUT/sweep-build.log" 2>&1 || { tail -30 "$OUT/sweep-build.log"; exit 1; }
  python3 bench/chunk_sweep.py --lib build-sweep/lib/libmlstm.so \
    --header build-sweep/gen/mlstm/mlstm.h --chunks "$(echo $CHUNKS | tr ' ' ,)" --out "$OUT/chunk-sweep.jsonl" ;;
*) echo "usage: bench/chunk_sweep.sh generate|run" >&2; exit 2 ;;
esac
