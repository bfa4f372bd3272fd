#!/usr/bin/env python3
"""Format selection against measurement (issue 4).

For single snn.linear layers over a grid of sizes, batches, sparsities and
patterns (unstructured, 2:4, 4x4 blocks), asks snn-select-formats for its
choice and its predicted time of every candidate format (report=json), then
compiles and times every candidate with sparse-runner (median of --reps
calls, one thread) after checking its result against NumPy. Reports the
median prediction error, how often the chosen format is within 10% of the
best measured one, and predicted vs measured speed-up over dense. Writes
bench/results/formats.csv and formats.png.

  /usr/bin/python3 bench/formats_bench.py --runner build/bin/sparse-runner \\
      --opt build/bin/sparse-opt
"""

import argparse
import csv
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration_test", "lib"))
import snncheck  # noqa: E402

W32 = ", posWidth = 32, crdWidth = 32"
MAPS = {  # candidate name in the report -> encoding (as snn-select-formats writes it)
    "dense": None,
    "csr": "map = (d0, d1) -> (d0 : dense, d1 : compressed)" + W32,
    "csc": "map = (d0, d1) -> (d1 : dense, d0 : compressed)" + W32,
    "coo": "map = (d0, d1) -> (d0 : compressed(nonunique), d1 : singleton(soa))" + W32,
    "dcsr": "map = (d0, d1) -> (d0 : compressed, d1 : compressed)" + W32,
}


def encoding(name):
    """The encoding of a report candidate, including "bsr RxC", "nm N:M" and
    "csr-tiled T" (panels of T columns)."""
    if name in MAPS:
        return MAPS[name]
    kind, size = name.split()
    if kind == "csr-tiled":
        return (f"map = (d0, d1) -> (d1 floordiv {size} : dense, d0 : dense, "
                f"d1 mod {size} : compressed)" + W32)
    if kind == "bsr":
        r, c = size.split("x")
        return (f"map = (i, j) -> (i floordiv {r} : dense, j floordiv {c} : compressed, "
                f"i mod {r} : dense, j mod {c} : dense)" + W32)
    n, m = size.split(":")
    return (f"map = (i, j) -> (i : dense, j floordiv {m} : dense, "
            f"j mod {m} : structured[{n}, {m}])" + W32)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runner", required=True)
    ap.add_argument("--opt", required=True)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1024, 2048])
    ap.add_argument("--batches", type=int, nargs="+", default=[1, 16, 128])
    ap.add_argument("--sparsities", type=float, nargs="+", default=[0.5, 0.9, 0.99])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--workdir", default="/tmp/sparsenn-formats-bench")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results", "formats.csv"))
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    rng = np.random.default_rng(0)
    rows, errors, within = [], [], []
    cases = []
    for n in args.sizes:
        for b in args.batches:
            for s in args.sparsities:
                cases.append((n, b, "unstructured", s))
                cases.append((n, b, "block4x4", s))
            cases.append((n, b, "2:4", 0.5))
    for n, batch, pattern, sparsity in cases:
        base = rng.standard_normal((n, n)).astype(np.float32)
        style = {"unstructured": "csr", "block4x4": "bsr", "2:4": "nv24"}[pattern]
        w = snncheck.prune(base, style, sparsity, rng).astype(np.float32)
        x = rng.standard_normal((batch, n)).astype(np.float32)
        xp = os.path.join(args.workdir, "x.npy")
        np.save(xp, x)
        ref = x.astype(np.float64) @ w.T.astype(np.float64)
        dense_path = os.path.join(args.workdir, "dense.mlir")
        with open(dense_path, "w") as f:
            f.write(snncheck.linear_model_text(w, batch, None))
        rep = subprocess.run([args.opt, dense_path, "--snn-select-formats=report=json", "-o", "/dev/null"],
                             capture_output=True, text=True)
        layer = json.loads(rep.stderr)["layers"][0]
        chosen = layer["format"]
        measured = {}
        for name, predicted in layer["predicted_ms"].items():
            path = os.path.join(args.workdir, "cand.mlir")
            with open(path, "w") as f:
                f.write(snncheck.linear_model_text(w, batch, encoding(name)))
            out = os.path.join(args.workdir, "y.npy")
            ms = snncheck.benchmark(args.runner, path, [xp], args.reps, out)
            err = np.abs(np.load(out) - ref).max()
            if err > 1e-3 * max(1.0, np.abs(ref).max()):
                sys.exit(f"{name} n={n} b={batch}: wrong result (max abs error {err})")
            measured[name] = ms
            errors.append(abs(predicted - ms) / ms)
            rows.append({"size": n, "batch": batch, "pattern": pattern, "sparsity": sparsity,
                         "format": name, "predicted_ms": predicted, "measured_ms": ms,
                         "chosen": name == chosen})
        best = min(measured, key=measured.get)
        ok = measured[chosen] <= 1.10 * measured[best]
        within.append(ok)
        print(f"n={n:5} b={batch:4} {pattern:12} s={sparsity:.2f}: chose {chosen:8} "
              f"({measured[chosen]:8.3f} ms), best {best:8} ({measured[best]:8.3f} ms), "
              f"dense {measured['dense']:8.3f} ms; speed-up predicted "
              f"{layer['predicted_ms_dense'] / layer['predicted_ms_chosen']:5.2f}x measured "
              f"{measured['dense'] / measured[chosen]:5.2f}x {'ok' if ok else 'MISS'}", flush=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(rows[0]))
        wr.writeheader()
        wr.writerows(rows)
    med = float(np.median(errors))
    frac = sum(within) / len(within)
    print(f"median prediction error {med:.1%} over {len(errors)} (case, format) pairs; "
          f"chosen within 10% of the best measured in {frac:.0%} of {len(within)} cases")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        pred = [r["predicted_ms"] for r in rows]
        meas = [r["measured_ms"] for r in rows]
        plt.figure(figsize=(5, 5))
        plt.loglog(meas, pred, ".", alpha=0.6)
        lo, hi = min(meas + pred), max(meas + pred)
        plt.plot([lo, hi], [lo, hi], "k--", lw=1)
        plt.xlabel("measured ms")
        plt.ylabel("predicted ms")
        plt.title(f"CPU cost model: median error {med:.0%}")
        plt.tight_layout()
        png = os.path.splitext(args.out)[0] + ".png"
        plt.savefig(png, dpi=100)
        print(f"wrote {args.out} and {png}")
    except ImportError:
        print(f"wrote {args.out} (python3-matplotlib absent: no plot)")


if __name__ == "__main__":
    main()
