#!/usr/bin/env bash
# Shared by scripts/demo.sh and scripts/test.sh: install what is missing,
# configure and build into build/. Idempotent; fast when nothing changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${SPARSENN_BUILD_DIR:-$ROOT/build}"
LLVM_DIR_ROOT=/usr/lib/llvm-22

# Debian 12 packages the build, tests and demo need.
PACKAGES=(
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22 lld-22
  libomp-22-dev cmake ninja-build ccache clang-format-22 libgtest-dev
  pybind11-dev python3-pybind11 python3-numpy python3-pytest python3-scipy
  python3-sklearn libclang-rt-22-dev libopenblas0-pthread python3-matplotlib
  python3-dev python3-torch python3-onnx python3-psutil
)

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

configure_and_build() {
  if [ ! -f "$BUILD/build.ninja" ]; then
    cmake -G Ninja -S "$ROOT" -B "$BUILD" \
      -DCMAKE_BUILD_TYPE=Release \
      -DMLIR_DIR="$LLVM_DIR_ROOT/lib/cmake/mlir" \
      -DLLVM_EXTERNAL_LIT="$LLVM_DIR_ROOT/bin/lit" \
      -DPython3_EXECUTABLE=/usr/bin/python3 \
      -DCMAKE_C_COMPILER_LAUNCHER=ccache \
      -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
  fi
  # 2 cores, ~1.3 GB per compile job: -j2 fits everywhere.
  ninja -C "$BUILD" -j"${SPARSENN_JOBS:-2}"
}
