# Sourced by the scripts that check generated/ on the GPU machine
# (gpu-forward.sh, gpu-backward.sh, gpu-sanitize.sh): the paths, the device
# line, and the build of gpu/'s check programs (CMake + CUDA only).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${MLSTM_GPU_BUILD_DIR:-/tmp/mlstm-gpu-build}
OUT=${OUT:-$BUILD/out}
mkdir -p "$OUT"
export PATH=$PATH:${CUDA_HOME:-/usr/local/cuda}/bin
device=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>&1)

# build_gpu_checks LOG [TARGET...]: configures and builds gpu/ into $BUILD
# (every target if none is named); on failure prints the log's tail and
# exits 1.
build_gpu_checks() {
  local log=$1 gen=() targets=()
  shift
  command -v ninja >/dev/null && gen=(-G Ninja)
  [ $# -gt 0 ] && targets=(--target "$@")
  if ! { cmake -S "$ROOT/gpu" -B "$BUILD" "${gen[@]}" &&
         cmake --build "$BUILD" -j "$(nproc)" "${targets[@]}"; } >"$log" 2>&1; then
    tail -30 "$log"; exit 1
  fi
}
