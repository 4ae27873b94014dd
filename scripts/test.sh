#!/usr/bin/env bash
# Runs every test (lit + GoogleTest through ctest) after building whatever is
# missing, then the same suite on the sanitized build (ASan + UBSan,
# assertions) with the 60 s smoke fuzz: scripts/sanitize.sh, build-sanitize/
# (SANITIZE=0 skips it). GPU tests (ctest label `gpu`) need the H100 and are run by
# scripts/gpu-check.sh on the device, not here.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}

bash "$ROOT/scripts/configure.sh"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${JOBS:-2}" -LE gpu

if [[ ${SANITIZE:-1} != 0 ]]; then
  bash "$ROOT/scripts/sanitize.sh"
fi
