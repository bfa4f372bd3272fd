#!/usr/bin/env python3
"""Linear layers at batch argv[1] (default 16) for select-formats-tiled.mlir:
16x256 at 50%, 16x1024 at 90% and 16x2048 at 99% unstructured sparsity (the
csr-tiled panel widths 64, 256 and 1024, the widest). With argv[2] = "wide",
4-row layers as wide as a batch of one tiles: 16384 columns at 90% and 99.5%
sparsity, 8192 at 90%. Deterministic."""
import sys

import numpy as np

rng = np.random.default_rng(0)
b = int(sys.argv[1]) if len(sys.argv) > 1 else 16  # the batch
rows, layers = 16, (("s50", 256, 0.5), ("s90", 1024, 0.9), ("s99", 2048, 0.99))
if len(sys.argv) > 2 and sys.argv[2] == "wide":
    rows, layers = 4, (("w90", 16384, 0.9), ("w995", 16384, 0.995), ("n90", 8192, 0.9))
blobs = []
for name, cols, sparsity in layers:
    w = rng.standard_normal((rows, cols)).astype(np.float32)
    w[np.abs(w) <= np.quantile(np.abs(w), sparsity)] = 0
    blobs.append(f"      {name}: \"0x04000000" +
                 np.ascontiguousarray(w, "<f4").tobytes().hex().upper() + "\"")
    x, wt, y = f"tensor<{b}x{cols}xf32>", f"tensor<{rows}x{cols}xf32>", f"tensor<{b}x{rows}xf32>"
    print(f"func.func @{name}(%x: {x}) -> {y} {{")
    print(f"  %w = arith.constant dense_resource<{name}> : {wt}")
    print(f"  %y = snn.linear %x, %w : ({x}, {wt}) -> {y} loc(\"{name}\")")
    print(f"  return %y : {y}")
    print("}")
print("{-#\n  dialect_resources: {\n    builtin: {\n" + ",\n".join(blobs) +
      "\n    }\n  }\n#-}")
