#!/usr/bin/env python3
"""Linear layers at batch argv[1] (default 16) for select-formats-tiled.mlir:
16x256 at 50%, 16x1024 at 90% and 16x2048 at 99% unstructured sparsity (the
csr-tiled panel widths 64, 256 and 1024, the widest). Deterministic."""
import sys

import numpy as np

rng = np.random.default_rng(0)
b = int(sys.argv[1]) if len(sys.argv) > 1 else 16  # the batch
blobs = []
for name, cols, sparsity in (("s50", 256, 0.5), ("s90", 1024, 0.9), ("s99", 2048, 0.99)):
    w = rng.standard_normal((16, cols)).astype(np.float32)
    w[np.abs(w) <= np.quantile(np.abs(w), sparsity)] = 0
    blobs.append(f"      {name}: \"0x04000000" +
                 np.ascontiguousarray(w, "<f4").tobytes().hex().upper() + "\"")
    x, wt, y = f"tensor<{b}x{cols}xf32>", f"tensor<16x{cols}xf32>", f"tensor<{b}x16xf32>"
    print(f"func.func @{name}(%x: {x}) -> {y} {{")
    print(f"  %w = arith.constant dense_resource<{name}> : {wt}")
    print(f"  %y = snn.linear %x, %w : ({x}, {wt}) -> {y} loc(\"{name}\")")
    print(f"  return %y : {y}")
    print("}")
print("{-#\n  dialect_resources: {\n    builtin: {\n" + ",\n".join(blobs) +
      "\n    }\n  }\n#-}")
