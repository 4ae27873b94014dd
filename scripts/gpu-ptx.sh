#!/usr/bin/env bash
# Emits the PTX of the GPU proof kernels (test/Target/PTX/*.mlir) with the
# compiler built here, into a folder that travels to the GPU machine:
#
#   bash scripts/gpu-ptx.sh                  # -> build-gpu-inputs/
#   (device tool) carry: ["build-gpu-inputs"], command: bash scripts/gpu-check.sh
#
# build-gpu-inputs/ is git-ignored (/build*/). Where ptxas is found, each
# kernel is also assembled for sm_90a and its resource report (registers,
# spills) kept beside the PTX.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
OUT_DIR=${MLSTM_PTX_DIR:-$ROOT/build-gpu-inputs}

# The kernels the checks in gpu/checks run (file stem = PTX name).
KERNELS=(gemm-tma-wgmma qk-rowmax-exp)

cmake --build "$BUILD_DIR" --target mlstm-opt mlstm-translate -j "${JOBS:-2}" >/dev/null
mkdir -p "$OUT_DIR"
ptxas=$(command -v ptxas || true)
[[ -z $ptxas && -x ${CUDA_HOME:-/usr/local/cuda}/bin/ptxas ]] &&
  ptxas=${CUDA_HOME:-/usr/local/cuda}/bin/ptxas

{
  echo "source_commit=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "dirty=$(git -C "$ROOT" status --porcelain -- test/Target/PTX lib include 2>/dev/null | wc -l)"
} >"$OUT_DIR/MANIFEST"

for k in "${KERNELS[@]}"; do
  src=$ROOT/test/Target/PTX/$k.mlir
  "$BUILD_DIR/bin/mlstm-opt" "$src" --mlstm-gpu-to-ptx |
    "$BUILD_DIR/bin/mlstm-translate" --extract-ptx -o "$OUT_DIR/$k.ptx"
  echo "$k.ptx sha256=$(sha256sum "$OUT_DIR/$k.ptx" | cut -d' ' -f1) from=test/Target/PTX/$k.mlir" >>"$OUT_DIR/MANIFEST"
  if [[ -n $ptxas ]]; then
    "$ptxas" -arch=sm_90a -v "$OUT_DIR/$k.ptx" -o /dev/null 2>"$OUT_DIR/$k.ptxas.txt"
    echo "$k: $(grep -o 'Used [0-9]* registers' "$OUT_DIR/$k.ptxas.txt"), $(grep -o '[0-9]* bytes spill stores' "$OUT_DIR/$k.ptxas.txt")"
  else
    echo "$k: PTX written (no ptxas here to assemble it)"
  fi
done
echo "PTX in $OUT_DIR"
