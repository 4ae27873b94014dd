#!/usr/bin/env bash
# CI checks of the generated kernel libraries (ctest label `generated`):
#   check-generated.sh fresh  BUILD_DIR  generated/ equals a regeneration from
#                                        specs/ with this compiler
#   check-generated.sh ptxas  BUILD_DIR  ptxas -arch=sm_90a accepts every PTX;
#                                        registers and spills per kernel
#   check-generated.sh build  BUILD_DIR  each library builds with CMake and the
#                                        CUDA toolkit alone (libcuda stub)
# Without a CUDA toolkit, `ptxas` and `build` print SKIPPED and exit 77.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
what=$1
BUILD_DIR=$(cd "$2" && pwd)
CUDA=${CUDA_HOME:-/usr/local/cuda}

case $what in
fresh)
  out=$BUILD_DIR/generated-check
  rm -rf "$out"
  OUT_DIR=$out BUILD_DIR=$BUILD_DIR bash "$ROOT/scripts/generate.sh" >/dev/null
  if ! diff -rq "$ROOT/generated" "$out" --exclude=README.md; then
    echo "generated/ is stale: run scripts/generate.sh and commit the result" >&2
    exit 1
  fi
  echo "generated/ is up to date with specs/"
  ;;
ptxas)
  [[ -x $CUDA/bin/ptxas ]] || { echo "SKIPPED: no ptxas at $CUDA/bin"; exit 77; }
  count=0
  for ptx in "$ROOT"/generated/*/*.ptx; do
    report=$("$CUDA/bin/ptxas" -arch=sm_90a -v "$ptx" -o /dev/null 2>&1) || {
      echo "$report"; echo "ptxas rejected $ptx" >&2; exit 1; }
    # One line per kernel: name, registers, spills.
    echo "$report" | awk -v f="$(basename "$ptx")" '
      /Compiling entry function/ { gsub(/[`'"'"']/, "", $7); kernel = $7 }
      /bytes spill stores/ { spills = $5 }
      /Used [0-9]+ registers/ { print f ": " kernel ": " $5 " registers, " spills " bytes spilled" }'
    count=$((count + 1))
  done
  echo "ptxas -arch=sm_90a accepted $count PTX files"
  ;;
build)
  [[ -d $CUDA/include ]] || { echo "SKIPPED: no CUDA toolkit at $CUDA"; exit 77; }
  for lib in "$ROOT"/generated/*/CMakeLists.txt; do
    dir=$(dirname "$lib")
    out=$BUILD_DIR/generated-build/$(basename "$dir")
    cmake -S "$dir" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCUDAToolkit_ROOT="$CUDA" >/dev/null
    cmake --build "$out"
    echo "built $(basename "$dir")"
  done
  ;;
*)
  echo "usage: $0 fresh|ptxas|build BUILD_DIR" >&2
  exit 2
  ;;
esac
