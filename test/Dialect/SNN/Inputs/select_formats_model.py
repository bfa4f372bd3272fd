#!/usr/bin/env python3
"""Writes an snn module of linear layers whose weights have known sparsity
and structure, for select-formats.mlir. Deterministic (seeded)."""
import numpy as np

rng = np.random.default_rng(0)


def blob(a):
    return "0x04000000" + np.ascontiguousarray(a, "<f4").tobytes().hex().upper()


def unstructured(rows, cols, sparsity):
    w = rng.standard_normal((rows, cols)).astype(np.float32)
    w[np.abs(w) <= np.quantile(np.abs(w), sparsity)] = 0
    return w


def nm(rows, cols, n, m):
    w = rng.standard_normal((rows, cols)).astype(np.float32)
    g = w.reshape(rows, -1, m)
    np.put_along_axis(g, np.argsort(np.abs(g), axis=2)[:, :, :m - n], 0, axis=2)
    return g.reshape(rows, cols)


def blocks(rows, cols, r, c, sparsity):
    w = rng.standard_normal((rows, cols)).astype(np.float32)
    keep = rng.random((rows // r, cols // c)) >= sparsity
    return (w.reshape(rows // r, r, cols // c, c) * keep[:, None, :, None]).reshape(rows, cols)


layers = {
    "s30": (unstructured(64, 64, 0.30), ""),
    "s95": (unstructured(64, 64, 0.95), ""),
    "nv24": (nm(64, 64, 2, 4), ""),
    "blk4": (blocks(64, 64, 4, 4, 0.9), ""),
    "user_bsr": (blocks(64, 64, 4, 4, 0.9), ' {snn.format = "bsr"}'),
    "user_dense": (unstructured(64, 64, 0.99), ' {snn.format = "dense"}'),
}
print("#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>")
types = ", ".join("tensor<16x64xf32>" for _ in range(len(layers) + 1))
print(f"func.func @model(%x: tensor<16x64xf32>) -> ({types}) {{")
for name, (w, attrs) in layers.items():
    print(f"  %{name} = arith.constant dense_resource<{name}> : tensor<64x64xf32>")
    print(f"  %y_{name} = snn.linear %x, %{name}{attrs} : (tensor<16x64xf32>, tensor<64x64xf32>) -> tensor<16x64xf32> loc(\"{name}\")")
# A weight the user already encoded keeps its encoding.
print("  %user_enc = arith.constant dense_resource<s95> : tensor<64x64xf32, #CSR>")
print("  %y_user_enc = snn.linear %x, %user_enc : (tensor<16x64xf32>, tensor<64x64xf32, #CSR>) -> tensor<16x64xf32> loc(\"user_enc\")")
results = ", ".join(f"%y_{n}" for n in list(layers) + ["user_enc"])
print(f"  return {results} : {types}")
print("}")
print("{-#\n  dialect_resources: {\n    builtin: {")
print(",\n".join(f'      {n}: "{blob(w)}"' for n, (w, _) in layers.items()))
print("    }\n  }\n#-}")
