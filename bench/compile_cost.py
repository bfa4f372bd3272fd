#!/usr/bin/env python3
"""Compile time and peak memory of a large pruned model (issue 5's target:
a model with 50M weights compiles in under 10 s with a peak under 3x the
weight bytes).

Generates an MLP of LAYERS square layers of WIDTH (default 3 x 4096, 50.3M
weights, 201 MB of f32) at SPARSITY, its weights as dense_resource blobs,
converts it to MLIR bytecode (how large models should be stored: the text
form doubles the input), then runs `sparse-opt --sparsenn-cpu-pipeline
{select-formats=true}` under /usr/bin/time and reports the wall time and the
peak resident memory as a multiple of the weight bytes. Writes
bench/results/compile.json.

  /usr/bin/python3 bench/compile_cost.py [--build build] [--width 4096]
      [--layers 3] [--sparsity 0.9] [--repeat 3]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np


def write_model(path, width, layers, sparsity, seed=0):
    rng = np.random.default_rng(seed)
    with open(path, "w") as f:
        f.write(f"func.func @main(%x: tensor<?x{width}xf32>) -> "
                f"tensor<?x{width}xf32> {{\n")
        for i in range(layers):
            f.write(f"  %w{i} = arith.constant dense_resource<w{i}> : "
                    f"tensor<{width}x{width}xf32>\n")
        prev = "%x"
        for i in range(layers):
            f.write(f"  %h{i} = snn.linear {prev}, %w{i} : "
                    f"(tensor<?x{width}xf32>, tensor<{width}x{width}xf32>) "
                    f"-> tensor<?x{width}xf32>\n")
            prev = f"%h{i}"
        f.write(f"  return {prev} : tensor<?x{width}xf32>\n}}\n")
        f.write("{-#\n  dialect_resources: {\n    builtin: {\n")
        for i in range(layers):
            w = rng.standard_normal((width, width)).astype(np.float32)
            w[rng.random((width, width)) < sparsity] = 0
            # The blob's 4-byte alignment prefix, then the little-endian data.
            blob = (4).to_bytes(4, "little") + w.tobytes()
            sep = "," if i + 1 < layers else ""
            f.write(f"      w{i}: \"0x{blob.hex().upper()}\"{sep}\n")
        f.write("    }\n  }\n#-}\n")


def measure(cmd):
    """Wall seconds and peak RSS bytes of `cmd` (/usr/bin/time -v)."""
    t0 = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd],
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)",
                           proc.stderr).group(1))
    return wall, rss_kb * 1024


def compile_cost(build, width=4096, layers=3, sparsity=0.9, repeat=3):
    """The measurement, as a dict (also used by bench/run --targets)."""
    opt = os.path.join(build, "bin", "sparse-opt")
    weights = layers * width * width
    weight_bytes = 4 * weights
    with tempfile.TemporaryDirectory() as tmp:
        text = os.path.join(tmp, "model.mlir")
        bytecode = os.path.join(tmp, "model.mlirbc")
        write_model(text, width, layers, sparsity)
        subprocess.run([opt, text, "--emit-bytecode", "-o", bytecode],
                       check=True)
        os.remove(text)
        runs = [measure([opt, bytecode,
                         "--sparsenn-cpu-pipeline=select-formats=true",
                         "-o", os.devnull]) for _ in range(repeat)]
    wall = min(r[0] for r in runs)
    rss = min(r[1] for r in runs)
    return {
        "weights": weights, "weight_bytes": weight_bytes,
        "sparsity": sparsity, "layers": layers, "width": width,
        "compile_s": round(wall, 3), "peak_rss_bytes": rss,
        "peak_rss_over_weights": round(rss / weight_bytes, 2),
        "goal_compile_s": 10.0, "goal_peak_over_weights": 3.0,
        "runs": [{"s": round(w, 3), "rss": r} for w, r in runs],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--width", type=int, default=4096)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--sparsity", type=float, default=0.9)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default="bench/results/compile.json")
    args = ap.parse_args()
    result = compile_cost(args.build, args.width, args.layers, args.sparsity,
                          args.repeat)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    wall, rss = result["compile_s"], result["peak_rss_bytes"]
    weights, weight_bytes = result["weights"], result["weight_bytes"]
    print(f"{weights / 1e6:.1f}M weights ({weight_bytes / 1e6:.0f} MB): "
          f"compile {wall:.2f} s (goal < 10 s), peak {rss / 1e6:.0f} MB = "
          f"{rss / weight_bytes:.2f}x the weights (goal < 3x); min of "
          f"{args.repeat}")


if __name__ == "__main__":
    main()
