#!/usr/bin/env bash
# ctest `hostapi.build-generated-library`: builds a library that
# `mlstm-translate --emit-host-api` wrote, on its own, the way a user would:
# its CMakeLists.txt with CMake and the CUDA toolkit only (no MLIR), warnings
# as errors. Then checks that only the entry points are exported and that a
# C99 program can include the header, link the library and call it (run
# against the toolkit's libcuda stub when no driver is installed).
#
#   build-generated.sh <library dir> <scratch dir> <C consumer source>
#
# Exit 77 (ctest: skipped) when there is no CUDA toolkit.
set -euo pipefail
src=$1 build=$2 consumer=$3
lib=$(basename "$src")

cuda=${CUDA_HOME:-${CUDA_PATH:-/usr/local/cuda}}
if [[ ! -f $cuda/include/cuda.h ]]; then
  echo "SKIPPED: no CUDA toolkit at $cuda (set CUDA_HOME); the generated" \
    "library was not built"
  exit 77
fi

rm -rf "$build"
cmake -S "$src" -B "$build" -G Ninja -DCUDAToolkit_ROOT="$cuda" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wpedantic -Wshadow -Werror"
cmake --build "$build"

so=$build/lib$lib.so
exported=$(nm -D --defined-only "$so" | awk '$2 == "T" && $3 !~ /^_/ { print $3 }' | sort)
expected=$(grep -ho '^MLSTM_API mlstm_status [A-Za-z0-9_]*' "$src/$lib.h" |
  awk '{ print $3 }' | sort)
if [[ $exported != "$expected" ]]; then
  echo "exported symbols differ from the header's entry points:"
  diff <(echo "$expected") <(echo "$exported") || true
  exit 1
fi
echo "exports: $(echo $exported)"

# A C consumer (C99, warnings as errors), linked against the library. The
# linker resolves the library's libcuda.so.1 through the toolkit's stub.
stub_dir=$build/stub
mkdir -p "$stub_dir"
for stub in "$cuda"/lib64/stubs/libcuda.so "$cuda"/lib/stubs/libcuda.so; do
  [[ -f $stub ]] && ln -sf "$stub" "$stub_dir/libcuda.so.1" && break
done
cc -std=c99 -Wall -Wextra -Werror -I"$src" -I"$cuda/include" "$consumer" \
  -L"$build" -l"$lib" -Wl,-rpath-link,"$stub_dir" -o "$build/c_consumer"
# It runs with the driver where there is one, else with the stub (the call
# is refused before any driver call either way).
run_path=$build
ldconfig -p 2>/dev/null | grep -q 'libcuda.so.1 ' || run_path=$build:$stub_dir
LD_LIBRARY_PATH="$run_path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  "$build/c_consumer"
echo "generated library $lib: built, exports checked, C consumer ran"
