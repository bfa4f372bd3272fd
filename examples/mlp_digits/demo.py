#!/usr/bin/env python3
"""SparseNN demo: a pruned MLP on sklearn's digits, compiled and run on the CPU.

Trains a 64-1024-1024-10 MLP on the 8x8 digits bundled with scikit-learn (a
fixed seed, so every run is the same), magnitude-prunes every layer to ~90%
zeros with a short masked fine-tune, writes the network as an snn program
with its pruned weights, and lets SparseNN's cost model choose each layer's
storage format (sparse-runner --report=text prints the compiler's per-layer
table). It runs on the held-out images, is checked against a dense NumPy
forward pass, and is timed against the same network compiled dense.
"""

import argparse
import os
import subprocess
import sys

import numpy as np
from sklearn.datasets import load_digits

def relu(z):
    return np.maximum(z, 0)


def forward(x, params):
    h = x
    for i, (w, b) in enumerate(params):
        h = h @ w.T + b
        if i + 1 < len(params):
            h = relu(h)
    return h


def train(x, y, sizes, epochs, rng, params=None, masks=None, lr=1e-3):
    """Plain NumPy Adam on softmax cross-entropy; `masks` keep pruned weights
    at zero while fine-tuning."""
    if params is None:
        params = []
        for i in range(len(sizes) - 1):
            w = rng.standard_normal((sizes[i + 1], sizes[i])) * np.sqrt(2 / sizes[i])
            params.append([w.astype(np.float32), np.zeros(sizes[i + 1], np.float32)])
    m = [[np.zeros_like(p) for p in layer] for layer in params]
    v = [[np.zeros_like(p) for p in layer] for layer in params]
    t = 0
    onehot = np.eye(sizes[-1], dtype=np.float32)[y]
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for s in range(0, len(x), 64):
            idx = order[s:s + 64]
            acts = [x[idx]]
            for i, (w, b) in enumerate(params):
                z = acts[-1] @ w.T + b
                acts.append(relu(z) if i + 1 < len(params) else z)
            p = np.exp(acts[-1] - acts[-1].max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            g = (p - onehot[idx]) / len(idx)
            t += 1
            for i in reversed(range(len(params))):
                w, b = params[i]
                grads = [g.T @ acts[i], g.sum(0)]
                if i > 0:
                    g = (g @ w) * (acts[i] > 0)
                for k in range(2):
                    m[i][k] = 0.9 * m[i][k] + 0.1 * grads[k]
                    v[i][k] = 0.999 * v[i][k] + 0.001 * grads[k] ** 2
                    mh = m[i][k] / (1 - 0.9 ** t)
                    vh = v[i][k] / (1 - 0.999 ** t)
                    params[i][k] -= (lr * mh / (np.sqrt(vh) + 1e-8)).astype(np.float32)
                if masks is not None:
                    params[i][0] *= masks[i]
    return params


def blob(a):
    return "0x04000000" + np.ascontiguousarray(a, "<f4").tobytes().hex()


def write_model(path, params):
    """The MLP as an snn program; weights and biases are dense_resource
    constants, written dense: the compiler chooses their formats."""
    n_in = params[0][0].shape[1]
    n_out = params[-1][0].shape[0]
    lines = [f"func.func @main(%x: tensor<?x{n_in}xf32>) -> tensor<?x{n_out}xf32> {{"]
    h, resources = "%x", []
    for i, (w, b) in enumerate(params):
        o, k = w.shape
        lines.append(f"  %w{i} = arith.constant dense_resource<w{i}> : tensor<{o}x{k}xf32>")
        lines.append(f"  %b{i} = arith.constant dense_resource<b{i}> : tensor<{o}xf32>")
        lines.append(f"  %l{i} = snn.linear {h}, %w{i} bias %b{i} : "
                     f"(tensor<?x{k}xf32>, tensor<{o}x{k}xf32>, tensor<{o}xf32>) -> tensor<?x{o}xf32>"
                     f" loc(\"linear{i}\")")
        h = f"%l{i}"
        if i + 1 < len(params):
            lines.append(f"  %a{i} = snn.relu {h} : (tensor<?x{o}xf32>) -> tensor<?x{o}xf32>")
            h = f"%a{i}"
        resources += [f'      w{i}: "{blob(w)}"', f'      b{i}: "{blob(b)}"']
    lines.append(f"  return {h} : tensor<?x{n_out}xf32>")
    lines.append("}")
    lines.append("{-#\n  dialect_resources: {\n    builtin: {")
    lines.append(",\n".join(resources))
    lines.append("    }\n  }\n#-}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def run(runner, model, x_path, out_path, reps, extra):
    cmd = [runner, model, "--entry=main", f"--input=@{x_path}",
           f"--output=@{out_path}", f"--benchmark={reps}", *extra]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"sparse-runner failed:\n{p.stderr}")
    for line in p.stderr.splitlines():  # the compiler's per-layer report
        print("   " + line)
    timing = {}
    for line in p.stdout.splitlines():
        if line.startswith("jit time:"):
            timing["jit"] = float(line.split()[2])
        if line.startswith("call time:"):
            parts = line.replace(",", "").split()
            timing["min"] = float(parts[3])
            timing["median"] = float(parts[6])
    return np.load(out_path), timing


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runner", required=True, help="path to sparse-runner")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--hidden", type=int, default=1024)
    ap.add_argument("--sparsity", type=float, default=0.9)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)

    rng = np.random.default_rng(0)
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target
    order = rng.permutation(len(x))
    test, tr = order[:360], order[360:]
    sizes = [64, args.hidden, args.hidden, 10]

    print(f"== training a {'-'.join(map(str, sizes))} MLP on {len(tr)} digits (NumPy, seed 0)")
    params = train(x[tr], y[tr], sizes, args.epochs, rng)
    dense_acc = (forward(x[test], params).argmax(1) == y[test]).mean()
    print(f"   dense accuracy on {len(test)} held-out digits: {dense_acc:.3f}")

    print(f"== magnitude-pruning every layer to {args.sparsity:.0%} zeros, masked fine-tune")
    masks = []
    for w, _ in params:
        thresh = np.quantile(np.abs(w), args.sparsity)
        masks.append((np.abs(w) > thresh).astype(np.float32))
        w *= masks[-1]
    params = train(x[tr], y[tr], sizes, max(3, args.epochs // 3), rng, params, masks)

    x_path = os.path.join(args.workdir, "x_test.npy")
    np.save(x_path, x[test])
    model = os.path.join(args.workdir, "mlp_pruned.mlir")
    write_model(model, params)

    print(f"== compiling with automatic formats (per-layer report from the compiler), "
          f"{args.reps} timed calls, batch {len(test)}")
    got, t_sparse = run(args.runner, model, x_path,
                        os.path.join(args.workdir, "y_sparse.npy"), args.reps,
                        ["--report=text", f"--num-threads={args.threads}"])
    print(f"== the same network compiled dense")
    got_dense, t_dense = run(args.runner, model, x_path,
                             os.path.join(args.workdir, "y_dense.npy"), args.reps,
                             [f"--num-threads={args.threads}"])

    ref = forward(x[test].astype(np.float64), [(w.astype(np.float64), b) for w, b in params])
    err = np.abs(got - ref).max()
    acc = (got.argmax(1) == y[test]).mean()
    print(f"   accuracy (SparseNN, pruned): {acc:.3f}   (dense before pruning: {dense_acc:.3f})")
    tol = 1e-3
    if err <= tol and np.abs(got_dense - ref).max() <= tol:
        print(f"   result matches reference (max abs error {err:.2e})")
    else:
        print(f"   RESULT DOES NOT MATCH reference (max abs error {err:.2e} > {tol})")
        sys.exit(1)
    print(f"   automatic:    median {t_sparse['median']:.3f} ms, min {t_sparse['min']:.3f} ms "
          f"(JIT {t_sparse['jit']:.0f} ms)")
    print(f"   dense:        median {t_dense['median']:.3f} ms, min {t_dense['min']:.3f} ms "
          f"(JIT {t_dense['jit']:.0f} ms)")
    print(f"   speed-up over the same network compiled dense: "
          f"{t_dense['median'] / t_sparse['median']:.2f}x (median)")
    print(f"   the program is {model}: try "
          f"'sparse-opt --snn-select-formats=report=text {model} -o /dev/null'")


if __name__ == "__main__":
    main()
