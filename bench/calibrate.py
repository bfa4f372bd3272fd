#!/usr/bin/env python3
"""Calibrates snn-select-formats' CPU cost model on this machine.

Times the kernels the CPU pipeline generates for one snn.linear per format
(sparse-runner --benchmark, median) over a grid of sizes, batches and
sparsities, and fits by least squares
    time = per_unit * units + per_row_block * rows * ceil(batch / 16)
(and, for a batch of one, which runs the row-major kernels,
    time = per_unit * stored entries + per_row_block * rows)
where units = stored weight entries (zeros a format stores included)
              x batch rounded up to the 16-row blocks of the batch-major form
(dense weights: every entry x batch). Writes the constants (ms) as JSON, the file
`snn-select-formats{cost-model=...}` reads:

  /usr/bin/python3 bench/calibrate.py --runner build/bin/sparse-runner \\
      --out bench/results/cpu-cost-model.json
"""

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration_test", "lib"))
import snncheck  # noqa: E402

# Format name in the cost model -> (snncheck encoding name, pruning style).
FORMATS = {
    "dense": "dense", "csr": "csr32", "csc": "csc", "coo": "coo",
    "dcsr": "dcsr", "bsr4x4": "bsr", "nm2:4": "nv24", "csr-tiled": "csrt64",
}
# Formats the pass proposes only for batches above one.
BATCHED_ONLY = {"csr-tiled"}


def panel(density):
    """snn-select-formats' csr-tiled panel width (csrTiledPanel): the power
    of two nearest 32 / density, within [64, 1024]."""
    if density <= 0:
        return 1024
    return int(min(1024, max(64, 2 ** max(0, round(np.log2(32 / density))))))


def tiled_encoding(t):
    return (f"map = (i, j) -> (j floordiv {t} : dense, i : dense, j mod {t} : "
            "compressed), posWidth = 32, crdWidth = 32")


def stored_entries(w, fmt):
    if fmt == "dense":
        return w.size
    if fmt == "bsr4x4":
        blocks = w.reshape(w.shape[0] // 4, 4, w.shape[1] // 4, 4)
        return int(np.count_nonzero(np.abs(blocks).sum(axis=(1, 3)))) * 16
    if fmt == "nm2:4":
        return w.size // 2
    return int(np.count_nonzero(w))


def time_layer(runner, workdir, w, batch, enc, reps):
    k = w.shape[1]
    text = snncheck.linear_model_text(w, batch, enc)
    path = os.path.join(workdir, "layer.mlir")
    with open(path, "w") as f:
        f.write(text)
    x = np.random.default_rng(1).standard_normal((batch, k)).astype(np.float32)
    np.save(os.path.join(workdir, "x.npy"), x)
    return snncheck.benchmark(runner, path, [f"{workdir}/x.npy"], reps)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runner", required=True)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results", "cpu-cost-model.json"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[512, 1024])
    ap.add_argument("--batches", type=int, nargs="+", default=[16, 64])
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--workdir", default="/tmp/sparsenn-calibrate")
    ap.add_argument("--only", nargs="+", choices=FORMATS, default=None,
                    help="calibrate these formats and keep the others of --out")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    rng = np.random.default_rng(0)
    model = {"model": "time_ms = per_unit * units + per_row_block * rows * ceil(batch/16)"
                      " (csr-tiled: rows * panels * ceil(batch/16))",
             "units": "stored entries x batch rounded up to 16 (dense: entries x batch)",
             "formats": {}}
    if args.only:
        with open(args.out) as f:
            model.update({k: v for k, v in json.load(f).items() if k not in ("model", "units")})
    for name, enc_name in FORMATS.items():
        if args.only and name not in args.only:
            continue
        enc = snncheck.ENCODINGS[enc_name]
        rows, times = [], []
        sparsities = (0.0,) if name == "dense" else (0.5, 0.9, 0.97)
        for n in args.sizes:
            for batch in args.batches:
                blocks = -(-batch // 16)
                for sparsity in sparsities:
                    base = rng.standard_normal((n, n)).astype(np.float32)
                    w = snncheck.prune(base, enc_name, sparsity, rng).astype(np.float32)
                    units = stored_entries(w, name) * (batch if name == "dense" else blocks * 16)
                    panels = 1
                    if name == "csr-tiled":
                        t_ = panel(np.count_nonzero(w) / w.size)
                        enc, panels = tiled_encoding(t_), -(-n // t_)
                    t = time_layer(args.runner, args.workdir, w, batch, enc, args.reps)
                    rows.append([units, n * blocks * panels])
                    times.append(t)
                    print(f"{name:8} n={n:5} batch={batch:4} sparsity {sparsity:.2f}: "
                          f"{units:>11} units {t:8.3f} ms", flush=True)
        a = np.array(rows, dtype=np.float64)
        t = np.array(times)
        if name == "dense":
            coef = [float(np.linalg.lstsq(a[:, :1], t, rcond=None)[0][0]), 0.0]
        else:
            coef = [float(c) for c in np.linalg.lstsq(a, t, rcond=None)[0]]
        pred = a @ np.array(coef)
        err = np.median(np.abs(pred - t) / t)
        model["formats"][name] = {"per_unit_ms": coef[0], "per_row_block_ms": coef[1],
                                  "median_fit_error": float(err)}
        print(f"{name}: per_unit {coef[0]:.3e} ms, per_row_block {coef[1]:.3e} ms, "
              f"median fit error {err:.1%}")
        # A batch of one runs the row-major kernels: their own fit,
        # time = per_unit * stored + per_row_block * rows.
        if name in BATCHED_ONLY:
            continue
        rows1, times1 = [], []
        for n in args.sizes:
            for sparsity in sparsities:
                base = rng.standard_normal((n, n)).astype(np.float32)
                w = snncheck.prune(base, enc_name, sparsity, rng).astype(np.float32)
                t = time_layer(args.runner, args.workdir, w, 1, enc, args.reps * 4)
                rows1.append([stored_entries(w, name), n])
                times1.append(t)
        a1, t1 = np.array(rows1, dtype=np.float64), np.array(times1)
        coef1 = [float(c) for c in np.linalg.lstsq(a1, t1, rcond=None)[0]]
        err1 = float(np.median(np.abs(a1 @ np.array(coef1) - t1) / t1))
        model.setdefault("formats_batch1", {})[name] = {
            "per_unit_ms": coef1[0], "per_row_block_ms": coef1[1], "median_fit_error": err1}
        print(f"{name} batch 1: per_unit {coef1[0]:.3e} ms, per_row {coef1[1]:.3e} ms, "
              f"median fit error {err1:.1%}", flush=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(model, f, indent=2)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
