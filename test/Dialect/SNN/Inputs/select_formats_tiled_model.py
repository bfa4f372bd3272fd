#!/usr/bin/env python3
"""A 16x256 linear layer (batch: argv[1], default 16) at 50% unstructured sparsity (4 panels of 64
columns) for select-formats-tiled.mlir. Deterministic (seeded)."""
import sys

import numpy as np

rng = np.random.default_rng(0)
w = rng.standard_normal((16, 256)).astype(np.float32)
w[np.abs(w) <= np.quantile(np.abs(w), 0.5)] = 0
blob = "0x04000000" + np.ascontiguousarray(w, "<f4").tobytes().hex().upper()
b = int(sys.argv[1]) if len(sys.argv) > 1 else 16  # the batch
print(f"func.func @main(%x: tensor<{b}x256xf32>) -> tensor<{b}x16xf32> {{")
print("  %w = arith.constant dense_resource<w> : tensor<16x256xf32>")
print(f"  %y = snn.linear %x, %w : (tensor<{b}x256xf32>, tensor<16x256xf32>) -> tensor<{b}x16xf32> loc(\"s50\")")
print(f"  return %y : tensor<{b}x16xf32>")
print("}")
print("{-#\n  dialect_resources: {\n    builtin: {\n      w: \"" + blob + "\"\n    }\n  }\n#-}")
