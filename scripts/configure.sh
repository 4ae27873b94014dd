#!/usr/bin/env bash
# Configures (once) and builds everything into ${BUILD_DIR:-build}.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}

bash "$ROOT/scripts/deps.sh"

if [[ ! -f $BUILD_DIR/build.ninja ]]; then
  launcher=()
  command -v ccache >/dev/null &&
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    "${launcher[@]}"
fi
# Two jobs: the CI machine has two cores and MLIR headers are heavy.
cmake --build "$BUILD_DIR" -j "${JOBS:-2}"
