#!/usr/bin/env bash
# Installs the Debian packages the compiler builds against, if any is missing.
# Sourced by build.sh and test.sh; safe to run on its own.
set -euo pipefail

# clang-22 and its runtimes (ASan, UBSan, libFuzzer) build the sanitized
# tree of scripts/sanitize.sh.
MLSTM_PACKAGES=(libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
                libgtest-dev ninja-build cmake g++ python3
                clang-22 libclang-rt-22-dev)

missing=()
for pkg in "${MLSTM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$pkg")
done
command -v ccache >/dev/null || missing+=(ccache)

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi
