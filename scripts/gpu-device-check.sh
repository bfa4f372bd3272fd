#!/usr/bin/env bash
# Runs the GPU check prepared by scripts/gpu-prepare.sh, on a machine with an
# NVIDIA GPU, CUDA (driver, cuSPARSE), CMake and Python with NumPy, and no
# LLVM/MLIR: builds runtime/ (runtime/cuda, the AOT driver), links every
# object, runs it on its inputs, compares with the CPU reference and prints a
# table (max abs error, median time, and the ratios to PyTorch's dense and
# cuSPARSE CSR products on the device). Usage:
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
# cuSPARSELt (2:4 f16 products) is opened at run time; on the GPU machine it
# sits in PyTorch's nvidia wheels, off the loader's path.
if [ -z "${SPARSENN_CUSPARSELT:-}" ]; then
  SPARSENN_CUSPARSELT=$($PY -c '
import glob, os, sys
for p in sys.path:
    for f in (glob.glob(os.path.join(p, "nvidia", "cusparselt", "lib", "libcusparseLt.so*"))
              + glob.glob(os.path.join(p, "torch", "lib", "libcusparseLt.so*"))):
        print(f)
        sys.exit(0)
' 2>/dev/null || true)
  export SPARSENN_CUSPARSELT
fi
echo "cuSPARSELt: ${SPARSENN_CUSPARSELT:-not found (the 2:4 f16 cases will fail)}"
# The peers, PyTorch on the device for the same shapes (fp32, weights and
# activations resident on the device): dense (cuBLAS), and for MLPs the
# weights pruned to the case's sparsity in CSR (torch.sparse.mm, cuSPARSE).
# Ours includes the host<->device copies of the activations of every call.
peer_ms() {
  $PY - "$1" "$2" <<'PY' 2>/dev/null || echo "-"
import sys, time
import torch
kind = sys.argv[1]
a = sys.argv[2].split()
get = lambda k, d: a[a.index(k) + 1] if k in a else d
dev = "cuda"
if a[0] == "mlp":
    sizes = [int(v) for v in get("--layers", "64,128,32").split(",")]
    # --half: f16 layers, the peer in f16 too (cuBLAS's tensor cores).
    dt = torch.float16 if "--half" in a else torch.float32
    x = torch.randn(int(get("--batch", "8")), sizes[0], device=dev, dtype=dt)
    ws = [torch.randn(o, i, device=dev, dtype=dt)
          for i, o in zip(sizes, sizes[1:])]
    if kind == "csr":
        keep = 1.0 - float(get("--sparsity", "0.9"))
        ws = [(w * (torch.rand_like(w) < keep)).to_sparse_csr() for w in ws]
        product = lambda h, w: torch.sparse.mm(w, h.T).T
    else:
        product = lambda h, w: h @ w.T
    def f():
        h = x
        for k, w in enumerate(ws):
            h = product(h, w)
            if k + 1 < len(ws):
                h = torch.relu(h)
        return h
elif kind == "csr":
    sys.exit(1)
else:
    n, c, hh, ww = (int(v) for v in get("--input", "2x4x8x8").split("x"))
    o = int(get("--out", "8"))
    x = torch.randn(n, c, hh, ww, device=dev)
    w = torch.randn(o, c, 3, 3, device=dev)
    f = lambda: torch.nn.functional.conv2d(x, w, padding=1)
for _ in range(5):
    f()
torch.cuda.synchronize()
t = []
for _ in range(20):
    s = time.perf_counter(); f(); torch.cuda.synchronize()
    t.append((time.perf_counter() - s) * 1e3)
print("%.4f" % sorted(t)[len(t) // 2])
PY
}
printf "%-18s %-8s %-10s %-10s %-10s %-7s %-10s %-7s %s\n" case strategy max_err median_ms dense_ms vs_dense torch_csr vs_csr status
for dir in "$IN"/*/; do
  name=$(basename "$dir")
  # The model's argument order: x, then the biases (snncheck's convention).
  inputs="--input=$dir/ref/x.npy $(ls "$dir"/ref/*.npy | grep -v -e '/y.npy$' -e '/x.npy$' | sort | sed 's/^/--input=/' | tr '\n' ' ')"
  dense=$(peer_ms dense "$(cat "$dir/args.txt")")
  csr=$(peer_ms csr "$(cat "$dir/args.txt")")
  for obj in "$dir"/*.o; do
    s=$(basename "$obj" .o)
    exe="$dir/$s"
    c++ "$dir/$s.o" -L"$RT/lib" -lsparsenn_aot_main -lsparsenn_io \
      -lsparsenn_cuda -ldl -rdynamic -Wl,-rpath,"$RT/lib" -o "$exe"
    if out=$("$exe" $inputs --output="$dir/$s.y.npy" 2>&1) &&
       time=$("$exe" $inputs --repeat=20 2>&1 | sed -n 's/^median: \([0-9.]*\).*/\1/p'); then
      err=$($PY -c "import numpy as np; print('%.2e' % abs(np.load('$dir/$s.y.npy').astype('f8') - np.load('$dir/ref/y.npy')).max())")
      ratio=$($PY -c "print('%.2f' % ($dense / $time))" 2>/dev/null || echo -)
      csr_ratio=$($PY -c "print('%.2f' % ($csr / $time))" 2>/dev/null || echo -)
      printf "%-18s %-8s %-10s %-10s %-10s %-7s %-10s %-7s ok\n" "$name" "$s" "$err" "$time" "$dense" "$ratio" "$csr" "$csr_ratio"
    else
      printf "%-18s %-8s %-10s %-10s %-10s %-7s %-10s %-7s FAIL: %s\n" "$name" "$s" - - "$dense" - "$csr" - "$(echo "$out" | tail -1)"
    fi
  done
done
