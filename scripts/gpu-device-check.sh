#!/usr/bin/env bash
# Runs the GPU check prepared by scripts/gpu-prepare.sh, on a machine with an
# NVIDIA GPU, CUDA (driver, cuSPARSE), CMake and Python with NumPy, and no
# LLVM/MLIR: builds runtime/ (runtime/cuda, the AOT driver), links every
# object, runs it on its inputs, compares with the CPU reference and prints a
# table (max abs error, median time). Usage:
#   scripts/gpu-device-check.sh [PREPARED] (default gpu-check/)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
IN="${1:-$ROOT/gpu-check}"
RT=/tmp/sparsenn-runtime
PY=${PYTHON:-python3}
cmake -S "$ROOT/runtime" -B "$RT" -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=Release > "$RT.log" 2>&1 || { cat "$RT.log"; exit 1; }
cmake --build "$RT" -j > "$RT.build.log" 2>&1 || { tail -30 "$RT.build.log"; exit 1; }
test -f "$RT/lib/libsparsenn_cuda.so" || { echo "runtime/cuda not built"; exit 1; }
printf "%-18s %-8s %-10s %-12s %s\n" case strategy max_err median_ms status
for dir in "$IN"/*/; do
  name=$(basename "$dir")
  # The model's argument order: x, then the biases (snncheck's convention).
  inputs="--input=$dir/ref/x.npy $(ls "$dir"/ref/*.npy | grep -v -e '/y.npy$' -e '/x.npy$' | sort | sed 's/^/--input=/' | tr '\n' ' ')"
  for obj in "$dir"/*.o; do
    s=$(basename "$obj" .o)
    exe="$dir/$s"
    c++ "$dir/$s.o" -L"$RT/lib" -lsparsenn_aot_main -lsparsenn_io \
      -lsparsenn_cuda -ldl -rdynamic -Wl,-rpath,"$RT/lib" -o "$exe"
    if out=$("$exe" $inputs --output="$dir/$s.y.npy" 2>&1) &&
       time=$("$exe" $inputs --repeat=20 2>&1 | sed -n 's/^median: \([0-9.]*\).*/\1/p'); then
      err=$($PY -c "import numpy as np; print('%.2e' % abs(np.load('$dir/$s.y.npy').astype('f8') - np.load('$dir/ref/y.npy')).max())")
      printf "%-18s %-8s %-10s %-12s ok\n" "$name" "$s" "$err" "$time"
    else
      printf "%-18s %-8s %-10s %-12s FAIL: %s\n" "$name" "$s" - - "$(echo "$out" | tail -1)"
    fi
  done
done
