#!/usr/bin/env bash
# The main job: install what is missing, build the compiler, and generate the
# kernel libraries of specs/ (the default spec is specs/mlstm.mlir) into
# generated/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

bash "$ROOT/scripts/configure.sh"
bash "$ROOT/scripts/generate.sh"
