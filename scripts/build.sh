#!/usr/bin/env bash
# The main job: install what is missing, build the compiler, and compile the
# default spec (specs/mlstm.mlir).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}

bash "$ROOT/scripts/configure.sh"
"$BUILD_DIR/bin/mlstm-opt" "$ROOT/specs/mlstm.mlir"
