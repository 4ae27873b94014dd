#!/usr/bin/env bash
# The PyTorch binding (python/mlstm_compiled) on the GPU machine: builds the
# generated libraries (CMake + CUDA only), then runs python/tests/gpu_checks.py
# (forward and gradients against float64, error cases) and
# python/tests/train_lm.py (a tiny mLSTM language model, compiled kernels vs
# the PyTorch reference). Writes under $OUT:
#   torch-build.log  torch.log  torch-checks.json  torch-lm.json
# Through the device tool: run(command="bash scripts/gpu-torch.sh").
# Extra arguments go to train_lm.py (e.g. --steps 200).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${MLSTM_TORCH_BUILD_DIR:-/tmp/mlstm-torch-build}
OUT=${OUT:-$BUILD/out}
mkdir -p "$OUT"
export PATH=$PATH:${CUDA_HOME:-/usr/local/cuda}/bin PYTHONUNBUFFERED=1

gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
libs=()
for lib in mlstm mlstm_chunks; do
  if ! { cmake -S "$ROOT/generated/$lib" -B "$BUILD/$lib" "${gen[@]}" \
           -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_LIBDIR=lib &&
         cmake --build "$BUILD/$lib" -j "${MLSTM_JOBS:-$(nproc)}" &&
         cmake --install "$BUILD/$lib" --prefix "$BUILD/install"; } \
       >>"$OUT/torch-build.log" 2>&1; then
    tail -30 "$OUT/torch-build.log"; exit 1
  fi
  libs+=("$BUILD/install/lib/lib$lib.so")
done
export MLSTM_COMPILED_LIBRARIES=$(IFS=:; echo "${libs[*]}")

status=0
{
  python3 -m pytest -q "$ROOT/python/tests/test_cpu.py" || status=1
  python3 "$ROOT/python/tests/gpu_checks.py" --out "$OUT/torch-checks.json" || status=1
  python3 "$ROOT/python/tests/train_lm.py" --out "$OUT/torch-lm.json" "$@" || status=1
} >"$OUT/torch.log" 2>&1
# The verdicts, failing cases and LM summaries (the JSON files hold the rest).
grep -E '^[0-9]+ (passed|failed)|"pass_": false|^EXCEPTION|^(exp|sig|sig_nonorm) [{]|^lm ' \
  "$OUT/torch.log" | cut -c1-600
exit $status
