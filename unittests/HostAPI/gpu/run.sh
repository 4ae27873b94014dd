#!/usr/bin/env bash
# On the GPU machine: builds unittests/HostAPI/gpu (the carried generated
# sample library and its check), runs it, then once more under
# compute-sanitizer memcheck (wrong memref descriptors would show up as
# out-of-bounds accesses). Exit status 0 iff both pass.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
BUILD=${BUILD:-$ROOT/build-hostapi-gpu}
export PATH=$PATH:${CUDA_HOME:-/usr/local/cuda}/bin
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
cmake -S "$ROOT/unittests/HostAPI/gpu" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
  >"$BUILD.log" 2>&1 || { tail -30 "$BUILD.log"; exit 1; }
cmake --build "$BUILD" -j "$(nproc)" >>"$BUILD.log" 2>&1 ||
  { tail -30 "$BUILD.log"; exit 1; }
"$BUILD/hostapi-sample-gpu-check"
if command -v compute-sanitizer >/dev/null; then
  compute-sanitizer --tool memcheck --error-exitcode 86 \
    "$BUILD/hostapi-sample-gpu-check" --quick | tail -3
fi
