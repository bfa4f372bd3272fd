#!/usr/bin/env python3
"""Accuracy vs sparsity on sklearn's digits, compiled with SparseNN.

Part 1: a small MLP (64-256-256-10) and a small CNN (conv 1->16, conv
16->32, max-pool, linear 512->10) are trained with PyTorch on 80% of the
8x8 digits, pruned to 0-95% sparsity with each recipe (magnitude
"unstructured", 2:4, 4x4 blocks, whole channels) and fine-tuned with the
pruning mask, then compiled with SparseNN (sparsenn.Model.from_torch,
automatic formats) and run on the held-out 20%. For each model it reports
accuracy, whether SparseNN's predictions equal the pruned PyTorch model's
on every test image, and the time of one batch of all test images against
the dense SparseNN compile and PyTorch (one thread, median of reps).

Part 2, the thesis: at an equal number of nonzero weights, is a large sparse
MLP more accurate than a small dense one, and how fast does each run?
Dense MLPs of widths 16..512 and 512-wide MLPs pruned to the same nonzero
counts are trained with the same budget (epochs).

Writes bench/results/digits_study.csv and digits_study.png and prints the
markdown tables of docs/DigitsStudy.md.

  PYTHONPATH=build/python /usr/bin/python3 examples/digits_study/study.py
"""

import argparse
import csv
import os
import statistics
import sys
import time

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import sparsenn as snn

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "..", "..", "bench", "results")
SPARSITIES = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95]
RECIPES = ["unstructured", "2:4", "block4x4", "channel"]


def data(seed=0):
    d = load_digits()
    x = (d.data / 16.0).astype(np.float32)
    return train_test_split(x, d.target, test_size=0.2, random_state=seed,
                            stratify=d.target)


def mlp(width=256):
    return torch.nn.Sequential(torch.nn.Linear(64, width), torch.nn.ReLU(),
                               torch.nn.Linear(width, width), torch.nn.ReLU(),
                               torch.nn.Linear(width, 10))


def cnn():
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(),
        torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(512, 10))


def as_input(model, x):
    return x.reshape(-1, 1, 8, 8) if isinstance(model[0], torch.nn.Conv2d) else x


def train(model, x, y, epochs, masks=None, lr=3e-3, seed=0):
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    xt, yt = torch.from_numpy(as_input(model, x)), torch.from_numpy(y).long()
    for _ in range(epochs):
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(xt[idx]), yt[idx]).backward()
            opt.step()
            if masks:
                with torch.no_grad():
                    for p, m in masks:
                        p.mul_(m)
    return model


def prunable(model):
    """The weight of every layer but the classifier (the last layer keeps
    its 10 outputs whole for channel pruning)."""
    layers = [m for m in model if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d))]
    return layers


def mask_for(w, recipe, sparsity):
    """A 0/1 mask over a weight ([out, in] or [O, C, KH, KW]) that keeps
    the largest magnitudes under the recipe."""
    w2 = w.reshape(w.shape[0], -1).abs()
    if sparsity == 0:
        return torch.ones_like(w)
    if recipe == "unstructured":
        k = int(round(sparsity * w2.numel()))
        thresh = w2.flatten().kthvalue(k).values if k else -1
        m = (w2 > thresh).float()
    elif recipe == "2:4":
        cols = w2.shape[1] - w2.shape[1] % 4
        m = torch.ones_like(w2)
        g = w2[:, :cols].reshape(w2.shape[0], -1, 4)
        order = g.argsort(dim=2)
        gm = torch.ones_like(g)
        gm.scatter_(2, order[:, :, :2], 0.0)
        m[:, :cols] = gm.reshape(w2.shape[0], cols)
    elif recipe == "block4x4":
        r, c = w2.shape
        if r % 4 or c % 4:
            return mask_for(w, "unstructured", sparsity)
        blocks = w2.reshape(r // 4, 4, c // 4, 4).pow(2).sum(dim=(1, 3))
        k = int(round(sparsity * blocks.numel()))
        thresh = blocks.flatten().kthvalue(k).values if k else -1
        m = (blocks > thresh).float().repeat_interleave(4, 0).repeat_interleave(4, 1)
    elif recipe == "channel":
        norms = w2.pow(2).sum(dim=1)
        k = int(round(sparsity * w2.shape[0]))
        m = torch.ones_like(w2)
        if k:
            m[norms.argsort()[:k]] = 0.0
    return m.reshape(w.shape)


def prune(model, recipe, sparsity):
    masks = []
    layers = prunable(model)
    for i, layer in enumerate(layers):
        if recipe == "channel" and i == len(layers) - 1:
            continue  # keep the 10 classes
        m = mask_for(layer.weight.data, recipe, sparsity)
        layer.weight.data.mul_(m)
        masks.append((layer.weight, m))
    return masks


def nonzeros(model):
    return sum(int((l.weight != 0).sum()) for l in prunable(model))


def time_ms(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def evaluate(model, x_test, y_test, reps, dense_ms=None):
    """Accuracy of PyTorch and of SparseNN's compile, agreement, times."""
    model.eval()
    xin = as_input(model, x_test)
    with torch.no_grad():
        logits_t = model(torch.from_numpy(xin)).numpy()
    shape = (len(x_test),) + xin.shape[1:]
    compiled = snn.Model.from_torch(model, input_shape=shape).compile(
        select_formats=True, batch_size=len(x_test))
    logits_s = compiled(np.ascontiguousarray(xin))
    pred_t, pred_s = logits_t.argmax(1), logits_s.argmax(1)
    with torch.no_grad():
        torch_ms = time_ms(lambda: model(torch.from_numpy(xin)), reps)
    snn_ms = compiled.benchmark(np.ascontiguousarray(xin), reps=reps)["median_ms"]
    formats = ",".join(r["format"] for r in compiled.report())
    return {
        "acc_torch": float((pred_t == y_test).mean()),
        "acc_snn": float((pred_s == y_test).mean()),
        "pred_differences": int((pred_t != pred_s).sum()),
        "max_logit_diff": float(np.abs(logits_t - logits_s).max()),
        "snn_ms": snn_ms, "torch_ms": torch_ms, "formats": formats,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--finetune", type=int, default=10,
                    help="masked fine-tuning epochs after pruning (0: none)")
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--results", default=RESULTS)
    ap.add_argument("--quick", action="store_true",
                    help="fewer epochs and sparsities (a smoke test)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    sparsities = SPARSITIES
    if args.quick:
        args.epochs, args.finetune, args.reps = 3, 1, 3
        sparsities = [0.0, 0.9]
    x_tr, x_te, y_tr, y_te = data()
    rows = []

    # Part 1: recipes x sparsities.
    for name, make in (("mlp", mlp), ("cnn", cnn)):
        base = train(make(), x_tr, y_tr, args.epochs)
        state = {k: v.clone() for k, v in base.state_dict().items()}
        dense = evaluate(base, x_te, y_te, args.reps)
        for recipe in RECIPES:
            for s in sparsities:
                if recipe == "2:4" and s not in (0.0, 0.5):
                    continue  # 2:4 is 50% by construction
                if s == 0.0 and recipe != "unstructured":
                    continue
                model = make()
                model.load_state_dict(state)
                masks = prune(model, recipe, s)
                if args.finetune and s > 0:
                    train(model, x_tr, y_tr, args.finetune, masks, lr=1e-3)
                r = evaluate(model, x_te, y_te, args.reps)
                r.update(study="recipes", model=name, recipe=recipe,
                         sparsity=s, nonzeros=nonzeros(model),
                         dense_snn_ms=dense["snn_ms"])
                rows.append(r)
                print(f"{name} {recipe:12s} {s:.2f}: acc {r['acc_snn']:.3f} "
                      f"(torch {r['acc_torch']:.3f}, {r['pred_differences']} "
                      f"differences), {r['snn_ms']:.3f} ms vs dense "
                      f"{dense['snn_ms']:.3f} ms, torch {r['torch_ms']:.3f} ms "
                      f"[{r['formats']}]", flush=True)

    # Part 2: large-sparse vs small-dense at equal nonzeros.
    widths = [16, 32, 64, 128] if args.quick else [16, 32, 64, 128, 256, 512]
    big = 512
    for wdt in widths:
        small = train(mlp(wdt), x_tr, y_tr, args.epochs)
        r = evaluate(small, x_te, y_te, args.reps)
        nz = nonzeros(small)
        r.update(study="thesis", model=f"dense-{wdt}", recipe="dense",
                 sparsity=0.0, nonzeros=nz, dense_snn_ms="")
        rows.append(r)
        large = train(mlp(big), x_tr, y_tr, args.epochs)
        s = 1 - nz / nonzeros(large)
        if s > 0:
            masks = prune(large, "unstructured", s)
            train(large, x_tr, y_tr, args.epochs, masks, lr=1e-3)
            r2 = evaluate(large, x_te, y_te, args.reps)
            r2.update(study="thesis", model=f"sparse-{big}", recipe="unstructured",
                      sparsity=round(s, 4), nonzeros=nonzeros(large), dense_snn_ms="")
            rows.append(r2)
            print(f"{nz} nonzeros: dense-{wdt} acc {r['acc_snn']:.3f} "
                  f"{r['snn_ms']:.3f} ms | sparse-{big} ({s:.1%}) acc "
                  f"{r2['acc_snn']:.3f} {r2['snn_ms']:.3f} ms", flush=True)

    os.makedirs(args.results, exist_ok=True)
    path = os.path.join(args.results, "digits_study.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    plot(rows, os.path.join(args.results, "digits_study.png"))
    print_markdown(rows)
    print(f"wrote {path} and digits_study.png")


def print_markdown(rows):
    print("\n| model | recipe | sparsity | nonzeros | accuracy (SparseNN) | "
          "accuracy (PyTorch) | prediction differences | SparseNN ms | dense "
          "SparseNN ms | PyTorch ms | formats |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if r["study"] != "recipes":
            continue
        print(f"| {r['model']} | {r['recipe']} | {r['sparsity']:.0%} | "
              f"{r['nonzeros']} | {r['acc_snn']:.3f} | {r['acc_torch']:.3f} | "
              f"{r['pred_differences']} | {r['snn_ms']:.3f} | "
              f"{r['dense_snn_ms']:.3f} | {r['torch_ms']:.3f} | {r['formats']} |")
    print("\n| model | nonzeros | sparsity | accuracy | SparseNN ms | PyTorch ms |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        if r["study"] == "thesis":
            print(f"| {r['model']} | {r['nonzeros']} | {r['sparsity']:.1%} | "
                  f"{r['acc_snn']:.3f} | {r['snn_ms']:.3f} | {r['torch_ms']:.3f} |")


def plot(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(1, 3, figsize=(16, 4.5))
    for name, marker in (("mlp", "o"), ("cnn", "s")):
        for recipe in RECIPES:
            pts = [r for r in rows if r["study"] == "recipes" and r["model"] == name
                   and (r["recipe"] == recipe or r["sparsity"] == 0)]
            pts.sort(key=lambda r: r["sparsity"])
            if len(pts) < 2:
                continue
            ax[0].plot([r["sparsity"] * 100 for r in pts],
                       [r["acc_snn"] for r in pts], marker=marker, linestyle="-",
                       label=f"{name} {recipe}")
    ax[0].set_xlabel("sparsity (%)")
    ax[0].set_ylabel("test accuracy (SparseNN)")
    ax[0].set_title("accuracy vs sparsity (digits)")
    ax[0].legend(fontsize=7)
    for fam, marker in (("dense-", "o"), ("sparse-", "s")):
        pts = [r for r in rows if r["study"] == "thesis" and r["model"].startswith(fam)]
        pts.sort(key=lambda r: r["nonzeros"])
        label = "small dense MLPs" if fam == "dense-" else "512-wide sparse MLPs"
        ax[1].plot([r["nonzeros"] for r in pts], [r["acc_snn"] for r in pts],
                   marker=marker, label=label)
        ax[2].plot([r["snn_ms"] for r in pts], [r["acc_snn"] for r in pts],
                   marker=marker, label=label)
    ax[1].set_xscale("log")
    ax[1].set_xlabel("nonzero weights")
    ax[1].set_ylabel("test accuracy")
    ax[1].set_title("equal nonzeros: large sparse vs small dense")
    ax[1].legend(fontsize=8)
    ax[2].set_xscale("log")
    ax[2].set_xlabel("SparseNN latency, 360 images (ms)")
    ax[2].set_ylabel("test accuracy")
    ax[2].set_title("accuracy vs compiled latency")
    ax[2].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    sys.exit(main())
