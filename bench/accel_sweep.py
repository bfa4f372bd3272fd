#!/usr/bin/env python3
"""Design-space sweep of the sparse accelerator (issue 8).

Compiles one pruned linear layer (OUT x IN, batch B) for accelerators of the
sacc family, runs it on runtime/accel's simulator through the command stream
(sparse-opt --convert-snn-to-sacc | sparse-translate --sacc-to-commands |
sacc-run), checks every result against NumPy, and reports cycles and energy.

Four studies, all on the same layer:
  sparsity  sparse (csr, bitmap) vs dense execution on the same arch, 0-99%
            unstructured sparsity: speed-up and energy ratio;
  nm        nm<2,4> vs dense on a 2:4 array (at most 2x);
  pes       csr vs dense as the PE array grows (4x4 .. 32x32) at 90%;
  area      equal silicon area: a few sparse PEs (index logic in every PE)
            or more dense PEs behind a decompression unit; throughput per
            mm^2 and energy per inference over sparsity.

Writes bench/results/accel_sweep.csv, accel_sweep.png and accel_sweep.md.

  /usr/bin/python3 bench/accel_sweep.py --build build
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration_test", "lib"))
import snncheck  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SPARSITIES = [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99]


def arch(**params):
    """A #sacc.arch attribute from keyword parameters (formats as a list)."""
    parts = []
    for k, v in params.items():
        if k == "formats":
            v = "[" + ", ".join(v) + "]"
        elif isinstance(v, bool):
            v = "true" if v else "false"
        elif isinstance(v, float):
            v = repr(v)
        parts.append(f"{k} = {v}")
    return "#sacc.arch<" + ", ".join(parts) + ">"


class Runner:
    def __init__(self, build, workdir, batch, out, inp, seed):
        self.bin = os.path.join(build, "bin")
        self.workdir = workdir
        self.batch, self.out, self.inp = batch, out, inp
        self.rng = np.random.default_rng(seed)
        self.x = self.rng.standard_normal((batch, inp)).astype(np.float32)
        np.save(os.path.join(workdir, "x.npy"), self.x)

    def weights(self, sparsity, pattern="unstructured"):
        w = self.rng.standard_normal((self.out, self.inp)).astype(np.float32)
        fmt = {"unstructured": "csr", "2:4": "nv24"}[pattern]
        return snncheck.prune(w, fmt, sparsity, self.rng).astype(np.float32)

    def run(self, w, arch_attr, fmt):
        """Cycles, energy (pJ) and area of the layer with weight format
        `fmt` on `arch_attr`, after checking the result."""
        text = snncheck.linear_model_text(w, self.batch, None).replace(
            "snn.linear %x, %w :", f'snn.linear %x, %w {{sacc.format = "{fmt}"}} :')
        d = self.workdir
        with open(os.path.join(d, "m.mlir"), "w") as f:
            f.write(text)
        subprocess.run([os.path.join(self.bin, "sparse-opt"),
                        os.path.join(d, "m.mlir"),
                        f"--convert-snn-to-sacc=arch={{{arch_attr}}}",
                        "-o", os.path.join(d, "s.mlir")], check=True)
        subprocess.run([os.path.join(self.bin, "sparse-translate"),
                        "--sacc-to-commands", os.path.join(d, "s.mlir"),
                        "-o", os.path.join(d, "m.sacc")], check=True)
        p = subprocess.run([os.path.join(self.bin, "sacc-run"),
                            os.path.join(d, "m.sacc"),
                            f"--input=@{d}/x.npy", f"--output=@{d}/y.npy",
                            "--stats=json"], check=True, capture_output=True,
                           text=True)
        got = np.load(os.path.join(d, "y.npy"))
        want = self.x.astype(np.float64) @ w.astype(np.float64).T
        err = np.abs(got - want).max()
        if err > 1e-3 * max(1.0, np.abs(want).max()):
            sys.exit(f"FAIL: {fmt} on {arch_attr}: max abs error {err}")
        s = json.loads(p.stderr)
        return s["cycles"], s["energy_pj"]["total"], s["area_mm2"], s


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--out", type=int, default=512, help="output features")
    ap.add_argument("--in", dest="inp", type=int, default=512, help="input features")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--results", default=os.path.join(HERE, "results"))
    args = ap.parse_args()
    os.makedirs(args.results, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        r = Runner(args.build, tmp, args.batch, args.out, args.inp, args.seed)
        layer = f"{args.out}x{args.inp}, batch {args.batch}"

        # 1. Sparse vs dense on the same arch.
        base = dict(pe_rows=16, pe_cols=16, weight_kib=256, act_kib=128,
                    out_kib=128, formats=["dense", "csr", "bitmap"])
        a = arch(**base)
        for s in SPARSITIES:
            w = r.weights(s)
            dc, de, area, _ = r.run(w, a, "dense")
            for fmt in ("csr", "bitmap"):
                c, e, _, _ = r.run(w, a, fmt)
                rows.append(dict(study="sparsity", arch="16x16", format=fmt,
                                 sparsity=s, cycles=c, energy_pj=e, area_mm2=area,
                                 dense_cycles=dc, dense_energy_pj=de))
            print(f"sparsity {s:.2f}: dense {dc} cycles, csr "
                  f"{dc / rows[-2]['cycles']:.2f}x, bitmap "
                  f"{dc / rows[-1]['cycles']:.2f}x")

        # 2. 2:4 on a 2:4 array.
        a = arch(pe_rows=16, pe_cols=16, macs_per_pe=4, weight_kib=256,
                 act_kib=128, out_kib=128, dram_bytes_per_cycle=64,
                 formats=["dense", "nm<2, 4>"])
        w = r.weights(0.5, "2:4")
        dc, de, area, _ = r.run(w, a, "dense")
        c, e, _, _ = r.run(w, a, "nm<2,4>")
        rows.append(dict(study="nm", arch="16x16x4", format="nm<2,4>",
                         sparsity=0.5, cycles=c, energy_pj=e, area_mm2=area,
                         dense_cycles=dc, dense_energy_pj=de))
        print(f"2:4: {dc / c:.2f}x faster, {de / e:.2f}x less energy")

        # 3. PE count at 90%.
        w = r.weights(0.9)
        for n in (4, 8, 16, 32):
            a = arch(pe_rows=n, pe_cols=n, weight_kib=256, act_kib=128,
                     out_kib=128, formats=["dense", "csr"])
            dc, de, area, _ = r.run(w, a, "dense")
            c, e, _, _ = r.run(w, a, "csr")
            rows.append(dict(study="pes", arch=f"{n}x{n}", format="csr",
                             sparsity=0.9, cycles=c, energy_pj=e, area_mm2=area,
                             dense_cycles=dc, dense_energy_pj=de))
            print(f"{n}x{n} PEs at 90%: csr {dc / c:.2f}x faster than dense")

        # 4. Equal area: 64 sparse PEs, or dense PEs + a decompressor in the
        # same PE area (0.010 mm^2 per PE, +0.006 for sparse index logic,
        # 0.05 for the decompressor; Arch defaults).
        sparse_pes = 64
        pe_area = sparse_pes * (0.010 + 0.006)
        dense_pes = int((pe_area - 0.05) / 0.010)
        common = dict(weight_kib=256, act_kib=128, out_kib=128)
        a_sparse = arch(pe_rows=1, pe_cols=sparse_pes, formats=["dense", "csr"],
                        **common)
        a_dense = arch(pe_rows=1, pe_cols=dense_pes, sparse_pes=False,
                       formats=["dense", "csr", "bitmap"], **common)
        for s in SPARSITIES:
            w = r.weights(s)
            for name, a, fmts in (("sparse-pes", a_sparse, ("dense", "csr")),
                                  ("dense+decompress", a_dense,
                                   ("dense", "csr", "bitmap"))):
                best = min((r.run(w, a, f) + (f,) for f in fmts),
                           key=lambda t: t[0])
                c, e, area, _, f = best
                rows.append(dict(study="area", arch=name, format=f, sparsity=s,
                                 cycles=c, energy_pj=e, area_mm2=area,
                                 dense_cycles="", dense_energy_pj=""))
            print(f"equal area at {s:.2f}: sparse PEs {rows[-2]['cycles']} "
                  f"cycles ({rows[-2]['format']}), {dense_pes} dense PEs + "
                  f"decompressor {rows[-1]['cycles']} ({rows[-1]['format']})")

    csv_path = os.path.join(args.results, "accel_sweep.csv")
    with open(csv_path, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        wr.writeheader()
        wr.writerows(rows)
    write_markdown(rows, layer, sparse_pes, dense_pes,
                   os.path.join(args.results, "accel_sweep.md"))
    plot(rows, layer, sparse_pes, dense_pes,
         os.path.join(args.results, "accel_sweep.png"))
    print(f"wrote {csv_path}, accel_sweep.md and accel_sweep.png")


def write_markdown(rows, layer, sparse_pes, dense_pes, path):
    out = [f"Layer {layer}; cycles and energy from runtime/accel's simulator "
           "(bench/accel_sweep.py).", "",
           "Sparse vs dense execution on one 16x16-PE arch (1 MAC/PE, 32 B/cycle DRAM):", "",
           "| sparsity | csr speed-up | csr energy ratio | bitmap speed-up | bitmap energy ratio |",
           "|---|---|---|---|---|"]
    by = {}
    for r in rows:
        if r["study"] == "sparsity":
            by.setdefault(r["sparsity"], {})[r["format"]] = r
    for s, d in sorted(by.items()):
        c, b = d["csr"], d["bitmap"]
        out.append(f"| {s:.0%} | {c['dense_cycles'] / c['cycles']:.2f}x | "
                   f"{c['dense_energy_pj'] / c['energy_pj']:.2f}x | "
                   f"{b['dense_cycles'] / b['cycles']:.2f}x | "
                   f"{b['dense_energy_pj'] / b['energy_pj']:.2f}x |")
    nm = next(r for r in rows if r["study"] == "nm")
    out += ["", f"2:4 weights on a 2:4 array (16x16 PEs x 4 MACs): nm<2,4> is "
            f"{nm['dense_cycles'] / nm['cycles']:.2f}x faster than dense and uses "
            f"{nm['dense_energy_pj'] / nm['energy_pj']:.2f}x less energy.", "",
            "CSR vs dense as the PE array grows, 90% sparse:", "",
            "| PEs | dense cycles | csr cycles | speed-up |", "|---|---|---|---|"]
    for r in rows:
        if r["study"] == "pes":
            out.append(f"| {r['arch']} | {r['dense_cycles']} | {r['cycles']} | "
                       f"{r['dense_cycles'] / r['cycles']:.2f}x |")
    out += ["", f"Equal PE area ({sparse_pes} sparse PEs = {dense_pes} dense PEs + "
            "a decompression unit; same buffers):", "",
            "| sparsity | sparse PEs: inferences/s/mm^2 | energy/inference (uJ) | "
            "dense+decompress: inferences/s/mm^2 | energy/inference (uJ) |",
            "|---|---|---|---|---|"]
    area = {}
    for r in rows:
        if r["study"] == "area":
            area.setdefault(r["sparsity"], {})[r["arch"]] = r
    for s, d in sorted(area.items()):
        sp, dd = d["sparse-pes"], d["dense+decompress"]
        tput = lambda r: 1e9 / r["cycles"] / r["area_mm2"]  # 1 GHz clock
        out.append(f"| {s:.0%} | {tput(sp):.0f} | {sp['energy_pj'] * 1e-6:.2f} | "
                   f"{tput(dd):.0f} | {dd['energy_pj'] * 1e-6:.2f} |")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def plot(rows, layer, sparse_pes, dense_pes, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(1, 3, figsize=(16, 4.5))
    for fmt, style in (("csr", "o-"), ("bitmap", "s-")):
        pts = [r for r in rows if r["study"] == "sparsity" and r["format"] == fmt]
        xs = [r["sparsity"] * 100 for r in pts]
        ax[0].plot(xs, [r["dense_cycles"] / r["cycles"] for r in pts], style,
                   label=f"{fmt}: speed-up")
        ax[0].plot(xs, [r["dense_energy_pj"] / r["energy_pj"] for r in pts],
                   style[0] + "--", alpha=0.5, label=f"{fmt}: energy ratio")
    nm = next(r for r in rows if r["study"] == "nm")
    ax[0].plot([50], [nm["dense_cycles"] / nm["cycles"]], "r*", markersize=12,
               label="nm<2,4> on a 2:4 array")
    ax[0].axhline(1, color="gray", linewidth=0.8)
    ax[0].set_yscale("log")
    ax[0].set_xlabel("sparsity (%)")
    ax[0].set_ylabel("vs dense on the same arch")
    ax[0].set_title(f"sparse vs dense execution ({layer})")
    ax[0].legend(fontsize=8)
    for name, style in (("sparse-pes", "o-"), ("dense+decompress", "s-")):
        pts = [r for r in rows if r["study"] == "area" and r["arch"] == name]
        xs = [r["sparsity"] * 100 for r in pts]
        label = (f"{sparse_pes} sparse PEs" if name == "sparse-pes"
                 else f"{dense_pes} dense PEs + decompressor")
        ax[1].plot(xs, [1e9 / r["cycles"] / r["area_mm2"] for r in pts], style,
                   label=label)
        ax[2].plot(xs, [r["energy_pj"] * 1e-6 for r in pts], style, label=label)
    ax[1].set_xlabel("sparsity (%)")
    ax[1].set_ylabel("inferences / s / mm^2 (1 GHz)")
    ax[1].set_title("equal PE area: throughput per area")
    ax[1].legend(fontsize=8)
    ax[2].set_xlabel("sparsity (%)")
    ax[2].set_ylabel("energy per inference (uJ)")
    ax[2].set_yscale("log")
    ax[2].set_title("equal PE area: energy")
    ax[2].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
