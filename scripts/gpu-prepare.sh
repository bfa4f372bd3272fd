#!/usr/bin/env bash
# Prepares the GPU check (issue 7) on this machine, which has no GPU: builds
# AOT objects of each case for both strategies (sparsenn-gpu-pipeline ->
# sparse-translate --snn-to-object), their .npy inputs, and the CPU pipeline's
# outputs as the reference. scripts/gpu-device-check.sh runs them on a GPU
# machine. Usage: scripts/gpu-prepare.sh [OUT] (default gpu-check/).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/gpu-check}"
BIN="$ROOT/build/bin"
PY=/usr/bin/python3
rm -rf "$OUT" && mkdir -p "$OUT"
# name | strategies | snncheck arguments (the model and its inputs). The
# whole folder must fit the device tool's 64 MiB carry: keep sizes modest.
CASES=(
  "mlp-csr|codegen auto|mlp --format csr --layers 1024,1024,1024 --batch 256 --sparsity 0.95"
  "mlp-bsr|codegen library|mlp --format bsr --layers 1024,1024,1024 --batch 256 --sparsity 0.9"
  "mlp-coo|codegen library|mlp --format coo --layers 1024,1024,1024 --batch 256 --sparsity 0.95"
  "mlp-nv24|codegen|mlp --format nv24 --layers 1024,1024,1024 --batch 256"
  "linear-nv24-f16|library|mlp --format nv24 --half --rtol 2e-2 --atol 1e-1 --layers 2048,2048 --batch 512"
  "linear-csr-4096|codegen auto|mlp --format csr --layers 4096,4096 --batch 256 --sparsity 0.99"
  "conv-csr|codegen auto|conv --format csr --input 8x64x16x16 --out 64 --pad 1,1,1,1 --sparsity 0.9"
)
for c in "${CASES[@]}"; do
  name="${c%%|*}"; rest="${c#*|}"; strategies="${rest%%|*}"; args="${rest#*|}"
  dir="$OUT/$name"; mkdir -p "$dir"
  # The model, its inputs and the CPU reference (checked against NumPy).
  $PY "$ROOT/integration_test/lib/snncheck.py" --runner "$BIN/sparse-runner" \
    $args --workdir "$dir/ref" | tail -1
  model=$(ls "$dir"/ref/*.mlir | head -1)
  for s in $strategies; do
    "$BIN/sparse-opt" "$model" --sparsenn-gpu-pipeline="strategy=$s" |
      "$BIN/sparse-translate" --snn-to-object --object-cpu=x86-64-v3 \
        -o "$dir/$s.o"
  done
  rm -f "$dir"/ref/*.mlir # large as text; the objects hold the weights
  # The shape, for the device script's dense PyTorch (cuBLAS) comparison.
  echo "$args" > "$dir/args.txt"
done
echo "prepared $OUT ($(du -sh "$OUT" | cut -f1))"
