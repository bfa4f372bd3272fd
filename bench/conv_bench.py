#!/usr/bin/env python3
"""Sparse convolution benchmark: SparseNN with CSR 2-D weights against the
same layer compiled dense by SparseNN and against NumPy's im2col + OpenBLAS
sgemm, for 3x3 and 1x1 convolutions at 50-95% unstructured sparsity.

Every result is checked against a direct NumPy convolution before it is
timed. Times are medians of --reps calls (sparse-runner --benchmark) on this
machine, one thread. Writes bench/results/conv.csv and prints the ratios.

NumPy must use OpenBLAS (Debian: libopenblas0-pthread; with only libblas3,
numpy runs the slow reference BLAS and the script says so). On machines that
set OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE, unset both for this command only:

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \
    /usr/bin/python3 bench/conv_bench.py --runner build/bin/sparse-runner
"""

import argparse
import csv
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration_test", "lib"))
import snncheck  # noqa: E402  (shared reference convolution and MLIR helpers)

CSR = snncheck.ENCODINGS["csr"]

CASES = [
    # name, N, C, H, W, O, KH, KW, pad
    ("conv3x3_c64_16x16_n8", 8, 64, 16, 16, 64, 3, 3, 1),
    ("conv1x1_c256_14x14_n8", 8, 256, 14, 14, 256, 1, 1, 0),
]
SPARSITIES = [0.5, 0.7, 0.8, 0.9, 0.95]


def write_conv(path, n, c, h, w, o, kh, kw, pad, w2, sparse):
    oh, ow = h + 2 * pad - kh + 1, w + 2 * pad - kw + 1
    enc = f"#W = #sparse_tensor.encoding<{{ {CSR} }}>\n" if sparse else ""
    wt = f"tensor<{o}x{c * kh * kw}xf32{', #W' if sparse else ''}>"
    xt, yt = f"tensor<{n}x{c}x{h}x{w}xf32>", f"tensor<{n}x{o}x{oh}x{ow}xf32>"
    text = (enc +
            f"func.func @main(%x: {xt}) -> {yt} {{\n"
            f"  %w = arith.constant dense_resource<w> : {wt}\n"
            f"  %y = snn.conv2d %x, %w {{kernel = array<i64: {kh}, {kw}>, "
            f"padding = array<i64: {pad}, {pad}, {pad}, {pad}>}} : ({xt}, {wt}) -> {yt}\n"
            f"  return %y : {yt}\n}}\n" + snncheck.resources_text({"w": w2}))
    with open(path, "w") as f:
        f.write(text)


def numpy_im2col_ms(x, w4, pad, reps):
    """Dense peer: im2col in NumPy + one sgemm (OpenBLAS)."""
    n, c, h, w = x.shape
    o, _, kh, kw = w4.shape
    w2 = w4.reshape(o, -1)
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = h + 2 * pad - kh + 1, w + 2 * pad - kw + 1
    times = []
    for _ in range(reps + 1):
        t = time.perf_counter()
        cols = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))
        cols = cols.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)
        y = (cols @ w2.T).reshape(n, oh, ow, o).transpose(0, 3, 1, 2)
        times.append((time.perf_counter() - t) * 1e3)
    return float(np.median(times[1:])), y


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runner", required=True)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--workdir", default="/tmp/sparsenn-conv-bench")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results", "conv.csv"))
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    try:
        from threadpoolctl import threadpool_info
        blas = [f"{i['internal_api']} {i.get('version')} {i.get('architecture')} "
                f"threads={i['num_threads']}" for i in threadpool_info()
                if i["user_api"] == "blas"]
    except ImportError:
        blas = []
    print(f"numpy BLAS: {blas[0] if blas else 'reference BLAS (not OpenBLAS): a slow peer'}")
    rng = np.random.default_rng(0)
    rows = []
    for name, n, c, h, w, o, kh, kw, pad in CASES:
        x = rng.standard_normal((n, c, h, w)).astype(np.float32)
        x_path = os.path.join(args.workdir, "x.npy")
        np.save(x_path, x)
        dense_w = rng.standard_normal((o, c * kh * kw)).astype(np.float32)
        dense_ms = None
        for sp in SPARSITIES:
            w2 = snncheck.prune(dense_w, "csr", sp, rng).astype(np.float32)
            ref = snncheck.conv2d_ref(x.astype(np.float64), w2.reshape(o, c, kh, kw).astype(np.float64),
                                      None, (1, 1), (pad,) * 4, (1, 1), 1)
            scale = np.abs(ref).max()
            times = {}
            for label, sparse in (("sparsenn_csr", True), ("sparsenn_dense", False)):
                model = os.path.join(args.workdir, f"{label}.mlir")
                out = os.path.join(args.workdir, f"{label}.npy")
                write_conv(model, n, c, h, w, o, kh, kw, pad, w2, sparse)
                if label == "sparsenn_dense" and dense_ms is not None:
                    times[label] = dense_ms  # dense time does not depend on sparsity
                    continue
                times[label] = snncheck.benchmark(args.runner, model, [x_path], args.reps, out)
                err = np.abs(np.load(out) - ref).max()
                if err > 1e-4 * max(1.0, scale):
                    sys.exit(f"{name} {label} s={sp}: max abs error {err} vs reference")
            dense_ms = times["sparsenn_dense"]
            np_ms, y = numpy_im2col_ms(x, w2.reshape(o, c, kh, kw), pad, args.reps)
            if np.abs(y - ref).max() > 1e-4 * max(1.0, scale):
                sys.exit("numpy peer disagrees with the reference")
            row = {"case": name, "sparsity": sp, "sparsenn_csr_ms": times["sparsenn_csr"],
                   "sparsenn_dense_ms": dense_ms, "numpy_im2col_openblas_ms": np_ms,
                   "speedup_vs_sparsenn_dense": dense_ms / times["sparsenn_csr"],
                   "speedup_vs_numpy_openblas": np_ms / times["sparsenn_csr"]}
            rows.append(row)
            print(f"{name:<24} s={sp:<5} csr {row['sparsenn_csr_ms']:8.3f} ms  "
                  f"dense {dense_ms:8.3f} ms  numpy+openblas {np_ms:8.3f} ms  "
                  f"x{row['speedup_vs_sparsenn_dense']:.2f} vs dense, "
                  f"x{row['speedup_vs_numpy_openblas']:.2f} vs openblas")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(rows[0]))
        wr.writeheader()
        wr.writerows(rows)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
