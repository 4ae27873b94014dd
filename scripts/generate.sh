#!/usr/bin/env bash
# Generates the kernel library of every spec in specs/ into generated/<name>/
# (name = the spec's module name): mlstm-opt --mlstm-pipeline, then
# mlstm-translate --emit-host-api. OUT_DIR overrides the destination (the
# staleness test regenerates into the build tree and compares).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
OUT_DIR=${OUT_DIR:-$ROOT/generated}
# Run from the root with relative paths: the libraries' error messages name
# spec locations (specs/mlstm.mlir:12:5), the same in every clone.
cd "$ROOT"
for spec in specs/*.mlir; do
  "$BUILD_DIR/bin/mlstm-opt" "$spec" --mlstm-pipeline --mlir-print-debuginfo |
    "$BUILD_DIR/bin/mlstm-translate" --emit-host-api --host-api-dir="$OUT_DIR" \
      --host-api-source="$spec"
done
