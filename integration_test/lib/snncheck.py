#!/usr/bin/env python3
"""Integration-test harness: builds snn programs with random pruned weights in
a chosen storage format, runs them with sparse-runner, and compares the
results with an independent NumPy reference.

Each subcommand prints what it checked and exits non-zero on a mismatch.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

# Encodings of a 2-D weight, by format name.
ENCODINGS = {
    "dense": None,
    "csr": "map = (d0, d1) -> (d0 : dense, d1 : compressed)",
    "csr32": "map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 32",
    # 16-bit coordinates, 32-bit positions (what format selection picks when
    # the columns fit 16 bits).
    "csr16": "map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 16",
    "csc": "map = (d0, d1) -> (d1 : dense, d0 : compressed)",
    "coo": "map = (d0, d1) -> (d0 : compressed(nonunique), d1 : singleton(soa))",
    "dcsr": "map = (d0, d1) -> (d0 : compressed, d1 : compressed)",
    "bsr": "map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : compressed, i mod 4 : dense, j mod 4 : dense)",
    "nv24": "map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4])",
    # CSR of panels of 64 columns (snn-select-formats' csr-tiled at 50%).
    "csrt64": "map = (i, j) -> (j floordiv 64 : dense, i : dense, j mod 64 : compressed), "
              "posWidth = 32, crdWidth = 32",
    # Panels of 256 columns with 8-bit coordinates (what the pass picks at 90%).
    "csrt256": "map = (i, j) -> (j floordiv 256 : dense, i : dense, j mod 256 : compressed), "
               "posWidth = 32, crdWidth = 8",
}


def prune(w, fmt, sparsity, rng):
    """Zeroes weights the way the format expects: 2:4 groups for nv24, 4x4
    blocks for bsr, unstructured magnitude pruning otherwise."""
    w = w.copy()
    if fmt == "nv24":
        g = w.reshape(w.shape[0], -1, 4)
        order = np.argsort(np.abs(g), axis=2)
        np.put_along_axis(g, order[:, :, :2], 0.0, axis=2)
        return g.reshape(w.shape)
    if fmt == "bsr" and w.shape[0] % 4 == 0 and w.shape[1] % 4 == 0:
        r, c = w.shape
        blocks = w.reshape(r // 4, 4, c // 4, 4)
        keep = rng.random((r // 4, c // 4)) >= sparsity
        return (blocks * keep[:, None, :, None]).reshape(r, c)
    thresh = np.quantile(np.abs(w), sparsity) if sparsity > 0 else -1
    w[np.abs(w) <= thresh] = 0.0
    return w


def hex_blob(a, dtype="<f4"):
    """A dense_resource blob: 4-byte alignment header, then the data."""
    return "0x04000000" + np.ascontiguousarray(a, dtype=dtype).tobytes().hex().upper()


def resources_text(blobs):
    """The dialect_resources section holding each array of `blobs` (a name
    -> array dict) as a builtin blob: f16 for float16 arrays, f32 else."""
    def blob(v):
        return hex_blob(v, "<f2" if np.asarray(v).dtype == np.float16 else "<f4")
    return ("{-#\n  dialect_resources: {\n    builtin: {\n" +
            ",\n".join(f'      {k}: "{blob(v)}"' for k, v in blobs.items()) +
            "\n    }\n  }\n#-}\n")


def linear_model_text(w, batch, enc):
    """@main(x) = snn.linear(x, w) with w a dense_resource constant, encoded
    with `enc` (the encoding's body, or None for dense). Shared by the
    benchmark scripts."""
    o, k = w.shape
    head = f"#W = #sparse_tensor.encoding<{{ {enc} }}>\n" if enc else ""
    wt = f"tensor<{o}x{k}xf32{', #W' if enc else ''}>"
    return (head + f"func.func @main(%x: tensor<{batch}x{k}xf32>) -> tensor<{batch}x{o}xf32> {{\n"
            f"  %w = arith.constant dense_resource<w> : {wt}\n"
            f"  %y = snn.linear %x, %w : (tensor<{batch}x{k}xf32>, {wt}) -> tensor<{batch}x{o}xf32>\n"
            f"  return %y : tensor<{batch}x{o}xf32>\n}}\n" + resources_text({"w": w}))


def benchmark(runner, model, inputs, reps, output=None):
    """Runs `model` with sparse-runner --benchmark=reps and returns the
    median call time in ms (exits with the runner's error on failure)."""
    cmd = [runner, model, *[f"--input=@{i}" for i in inputs], f"--benchmark={reps}"]
    cmd += [f"--output=@{output}"] if output else ["--quiet"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        sys.exit(p.stderr)
    for line in p.stdout.splitlines():
        if line.startswith("call time:"):
            return float(line.replace(",", "").split()[6])
    sys.exit("no timing in sparse-runner output")


def tensor(shape, enc=None, elt="f32"):
    dims = "x".join("?" if d is None else str(d) for d in shape)
    return f"tensor<{dims}x{elt}{', #' + enc if enc else ''}>"


def run(cmd, want_stderr=False):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        sys.exit(f"FAIL: {' '.join(cmd)} exited with {p.returncode}")
    if want_stderr:
        return p.stdout, p.stderr
    if any(a.startswith("--report") for a in cmd):
        sys.stdout.write(p.stderr)  # the per-layer report, for FileCheck
    return p.stdout


def accel_args(args):
    """sparse-runner arguments of --accel: the accelerator target, with the
    mapping report and the simulator's statistics as JSON on stderr."""
    if not args.accel:
        return []
    return ["--target=accel", f"--arch={args.accel}", "--report=json",
            "--stats=json"]


def check_accel(args, stderr, expect_launches):
    """Checks that `expect_launches` layers ran on the accelerator and that
    the analytical model's cycles agree with the simulator's within
    --model-tolerance for each launch. Prints one summary line."""
    import json
    # The mapping report (compile time), then the statistics.
    decoder = json.JSONDecoder()
    report, end = decoder.raw_decode(stderr, stderr.index("{"))
    stats, _ = decoder.raw_decode(stderr, stderr.index("{", end))
    mapped = [r for r in report["layers"] if r["target"] == "accel"]
    if len(mapped) != expect_launches or stats["launches"] != expect_launches:
        sys.exit(f"FAIL accel {args.accel}: {len(mapped)} layers mapped, "
                 f"{stats['launches']} launches, expected {expect_launches}")
    worst = 0.0
    for r, sim in zip(mapped, stats["launch_cycles"]):
        err = abs(r["predicted_cycles"] - sim) / sim
        worst = max(worst, err)
        if err > args.model_tolerance:
            sys.exit(f"FAIL accel {args.accel}: {r['op']} ({r['format']}, "
                     f"tiles {r['tiles']}): model {r['predicted_cycles']} "
                     f"cycles, simulator {sim} ({err:.1%} apart)")
    formats = ",".join(r["format"] for r in mapped)
    print(f"accel {args.accel}: {stats['launches']} launches [{formats}], "
          f"{stats['cycles']} cycles, model within {worst:.1%}")


def compare(name, got, want, rtol, atol):
    if got.shape != want.shape:
        sys.exit(f"FAIL {name}: shape {got.shape} != expected {want.shape}")
    err = np.abs(got.astype(np.float64) - want.astype(np.float64))
    bad = err > atol + rtol * np.abs(want)
    nan_mismatch = np.isnan(got) != np.isnan(want)
    if bad.any() or nan_mismatch.any():
        i = np.unravel_index(np.argmax(np.where(np.isnan(err), np.inf, err)), err.shape)
        sys.exit(f"FAIL {name}: max abs error {np.nanmax(err):.3g} at {i}: "
                 f"got {got[i]} want {want[i]} (rtol {rtol}, atol {atol})")
    print(f"ok {name}: max abs error {np.nanmax(err) if err.size else 0:.3g} "
          f"(rtol {rtol}, atol {atol})")


def zero_weakest_channels(weights, sparsity):
    """What snn-prune's channel recipe zeroes: each weight's rows (2-D view)
    with the smallest L2 norm, ties by position, half away from zero as its
    llround."""
    for w in weights:
        norms = np.sqrt((w.astype(np.float64) ** 2).sum(axis=1))
        order = np.argsort(norms, kind="stable")
        w[order[:int(np.floor(sparsity * w.shape[0] + 0.5))]] = 0.0


def channel_prune(args, mlir, weights=()):
    """Runs snn-prune recipe=channel (with shrinking) on `mlir`, zeroes the
    same channels of the reference `weights`, and returns the pruned file."""
    opt = os.path.join(os.path.dirname(args.runner), "sparse-opt")
    pruned = mlir.replace(".mlir", "_pruned.mlir")
    run([opt, mlir, f"--snn-prune=recipe=channel sparsity={args.channel_prune}",
         "-o", pruned])
    zero_weakest_channels(weights, args.channel_prune)
    return pruned


def cmd_mlp(args):
    """An MLP of snn.linear (+ bias) and activations with weights in one
    format, as packed constants or as arguments; checked against NumPy."""
    rng = np.random.default_rng(args.seed)
    sizes = [int(s) for s in args.layers.split(",")]
    fmt = args.format
    enc = ENCODINGS[fmt]
    os.makedirs(args.workdir, exist_ok=True)
    batch = args.batch
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    weights, biases = [], []
    for i in range(len(sizes) - 1):
        w = rng.standard_normal((sizes[i + 1], sizes[i])).astype(np.float32)
        w = prune(w, args.prune_style or fmt, args.sparsity, rng) / np.sqrt(sizes[i])
        weights.append(w.astype(np.float32))
        biases.append(rng.standard_normal(sizes[i + 1]).astype(np.float32))
    # --half: the layers in f16 (weights stored f16; the input and the biases
    # are f32 arguments truncated in the model, the result extended back).
    elt = "f16" if args.half else "f32"
    if args.half:
        if args.mode != "const":
            sys.exit("--half takes constant weights (--mode const)")
        weights = [w.astype(np.float16) for w in weights]

    lines = []
    if enc:
        lines.append(f"#W = #sparse_tensor.encoding<{{ {enc} }}>")
    xdim = None if args.dynamic_batch else batch
    params = [f"%x: {tensor([xdim, sizes[0]])}"]
    inputs = [f"--input=@{args.workdir}/x.npy"]
    np.save(f"{args.workdir}/x.npy", x)
    body, blobs = [], {}
    if args.half:
        body.append(f"  %xh = arith.truncf %x : {tensor([xdim, sizes[0]])} to "
                    f"{tensor([xdim, sizes[0]], elt=elt)}")
    for i, (w, b) in enumerate(zip(weights, biases)):
        wt = tensor(w.shape, "W" if enc else None, elt)
        if args.mode == "const":
            body.append(f"  %w{i} = arith.constant dense_resource<w{i}> : {wt}")
            blobs[f"w{i}"] = w.astype(np.float16) if args.half else w
        else:
            params.append(f"%w{i}: {wt}")
            path = f"{args.workdir}/w{i}"
            if args.mtx and i == 0:
                r, c = np.nonzero(w)
                with open(path + ".mtx", "w") as f:
                    f.write("%%MatrixMarket matrix coordinate real general\n")
                    f.write(f"{w.shape[0]} {w.shape[1]} {len(r)}\n")
                    for rr, cc in zip(r, c):
                        f.write(f"{rr + 1} {cc + 1} {w[rr, cc]!r}\n")
                inputs.append(f"--input=@{path}.mtx")
            else:
                np.save(path + ".npy", w)
                inputs.append(f"--input=@{path}.npy")
        if args.const_bias:
            body.append(f"  %b{i} = arith.constant dense_resource<b{i}> : {tensor([b.shape[0]])}")
            blobs[f"b{i}"] = b
        else:
            params.append(f"%b{i}: {tensor([b.shape[0]])}")
            np.save(f"{args.workdir}/b{i}.npy", b)
            inputs.append(f"--input=@{args.workdir}/b{i}.npy")
        if args.half:
            if args.const_bias:
                sys.exit("--half takes the biases as arguments")
            body.append(f"  %b{i}h = arith.truncf %b{i} : {tensor([b.shape[0]])} "
                        f"to {tensor([b.shape[0]], elt=elt)}")
    h = "%xh" if args.half else "%x"
    hdim = xdim
    for i, w in enumerate(weights):
        wt = tensor(w.shape, "W" if enc else None, elt)
        in_t = tensor([hdim, w.shape[1]], elt=elt)
        out_t = tensor([hdim, w.shape[0]], elt=elt)
        bias = f"%b{i}h" if args.half else f"%b{i}"
        body.append(f"  %l{i} = snn.linear {h}, %w{i} bias {bias} : "
                    f"({in_t}, {wt}, {tensor([w.shape[0]], elt=elt)}) -> {out_t}")
        h = f"%l{i}"
        if i + 1 < len(weights) or args.final_act:
            act = args.act if i + 1 < len(weights) else args.final_act
            body.append(f"  %a{i} = snn.{act} {h} : ({out_t}) -> {out_t}")
            h = f"%a{i}"
    out_t = tensor([hdim, sizes[-1]])
    if args.half:
        body.append(f"  %yf = arith.extf {h} : {tensor([hdim, sizes[-1]], elt=elt)} "
                    f"to {out_t}")
        h = "%yf"
    lines.append(f"func.func @{args.entry}({', '.join(params)}) -> {out_t} {{")
    lines += body
    lines.append(f"  return {h} : {out_t}")
    lines.append("}")
    mlir = f"{args.workdir}/mlp.mlir"
    with open(mlir, "w") as f:
        f.write("\n".join(lines) + "\n" + (resources_text(blobs) if blobs else ""))

    if args.channel_prune:
        # SparseNN prunes (and shrinks) the model; the reference prunes the
        # same channels in NumPy.
        mlir = channel_prune(args, mlir, weights)
    _, stderr = run([args.runner, mlir, f"--entry={args.entry}", *inputs,
                     f"--output=@{args.workdir}/y.npy", *args.runner_arg,
                     *accel_args(args)], want_stderr=True)
    got = np.load(f"{args.workdir}/y.npy")
    if any(a.startswith("--report") for a in args.runner_arg):
        sys.stdout.write(stderr)
    if args.accel:
        # sparse-runner gives a dynamic batch the input's size for the
        # accelerator; weights passed as arguments stay on the CPU.
        check_accel(args, stderr, len(weights) if args.mode == "const" else 0)

    # Reference: plain NumPy in float64 (from the f16-rounded input and
    # biases with --half; the tolerance must allow for f16 layer outputs).
    ref = (x.astype(np.float16) if args.half else x).astype(np.float64)
    for i, (w, b) in enumerate(zip(weights, biases)):
        if args.half:
            b = b.astype(np.float16)
        ref = ref @ w.astype(np.float64).T + b.astype(np.float64)
        act = args.act if i + 1 < len(weights) else args.final_act
        if act:
            ref = ACTS[act](ref)
    compare(f"mlp {fmt}{' f16' if args.half else ''} {args.mode} {args.layers} batch {batch}", got, ref,
            args.rtol, args.atol)


def conv2d_ref(x, w, b, stride, pad, dil, groups):
    """Direct convolution: for every kernel tap, a strided slice of the
    padded input times the weight tap (float64)."""
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    t, l, bo, r = pad
    xp = np.zeros((n, c, h + t + bo, wd + l + r))
    xp[:, :, t:t + h, l:l + wd] = x
    oh = (h + t + bo - dil[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + l + r - dil[1] * (kw - 1) - 1) // stride[1] + 1
    y = np.zeros((n, o, oh, ow))
    og = o // groups
    for g in range(groups):
        xs = xp[:, g * cg:(g + 1) * cg]
        ws = w[g * og:(g + 1) * og]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dil[0]:i * dil[0] + stride[0] * (oh - 1) + 1:stride[0],
                           j * dil[1]:j * dil[1] + stride[1] * (ow - 1) + 1:stride[1]]
                y[:, g * og:(g + 1) * og] += np.einsum("nchw,oc->nohw", patch, ws[:, :, i, j])
    if b is not None:
        y += b[None, :, None, None]
    return y


def pool2d_ref(x, kind, kernel, stride, pad, ceil, include_pad):
    """Pooling by explicit windows, as PyTorch defines it."""
    n, c, h, w = x.shape
    t, l, bo, r = pad

    def out_size(i, k, s, lo, hi):
        span = i + lo + hi - k
        o = (-(-span // s) if ceil else span // s) + 1
        if ceil and (o - 1) * s >= i + lo:
            o -= 1
        return o
    oh, ow = out_size(h, kernel[0], stride[0], t, bo), out_size(w, kernel[1], stride[1], l, r)
    y = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            hs, ws = i * stride[0] - t, j * stride[1] - l
            he, we = min(hs + kernel[0], h + bo), min(ws + kernel[1], w + r)
            pool = (he - hs) * (we - ws)
            hs0, ws0, he0, we0 = max(hs, 0), max(ws, 0), min(he, h), min(we, w)
            win = x[:, :, hs0:he0, ws0:we0]
            if kind == "max":
                y[:, :, i, j] = win.max(axis=(2, 3))
            else:
                div = pool if include_pad else (he0 - hs0) * (we0 - ws0)
                y[:, :, i, j] = win.sum(axis=(2, 3)) / div
    return y


def cmd_conv(args):
    """One snn.conv2d (+ bias) with its weight in a format, or one pooling
    op, checked against a direct NumPy convolution / explicit windows."""
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.workdir, exist_ok=True)
    n, c, h, w = [int(v) for v in args.input.split("x")]
    kh, kw = [int(v) for v in args.kernel.split("x")]
    stride = [int(v) for v in args.stride.split(",")]
    pad = [int(v) for v in args.pad.split(",")]
    dil = [int(v) for v in args.dil.split(",")]
    x = rng.standard_normal((n, c, h, w)).astype(np.float32)
    np.save(f"{args.workdir}/x.npy", x)
    xt = tensor([None if args.dynamic_batch else n, c, h, w])
    lines = []
    if args.op in ("maxpool", "avgpool"):
        want = pool2d_ref(x.astype(np.float64), args.op[:3], (kh, kw), stride, pad,
                          args.ceil, not args.exclude_pad)
        attrs = (f"kernel = array<i64: {kh}, {kw}>, strides = array<i64: {stride[0]}, {stride[1]}>, "
                 f"padding = array<i64: {', '.join(map(str, pad))}>, ceil_mode = {str(args.ceil).lower()}")
        if args.op == "avgpool":
            attrs += f", count_include_pad = {str(not args.exclude_pad).lower()}"
        yt = tensor([None if args.dynamic_batch else n, c, want.shape[2], want.shape[3]])
        lines += [f"func.func @main(%x: {xt}) -> {yt} {{",
                  f"  %y = snn.{args.op}2d %x {{{attrs}}} : ({xt}) -> {yt}",
                  f"  return %y : {yt}", "}"]
        inputs = [f"--input=@{args.workdir}/x.npy"]
    else:
        g = args.groups
        o = args.out
        cg = c // g
        wt4 = rng.standard_normal((o, cg, kh, kw)).astype(np.float32)
        k = cg * kh * kw
        w2 = wt4.reshape(o, k)
        fmt = args.format
        if fmt == "nv24":
            kp = -(-k // 4) * 4
            w2 = np.concatenate([w2, np.zeros((o, kp - k), np.float32)], axis=1)
        w2 = prune(w2, fmt, args.sparsity, rng).astype(np.float32)
        wt4 = w2[:, :k].reshape(o, cg, kh, kw)
        b = rng.standard_normal(o).astype(np.float32)
        want = conv2d_ref(x.astype(np.float64), wt4.astype(np.float64), b, stride, pad, dil, g)
        enc = ENCODINGS[fmt]
        if enc:
            lines.append(f"#W = #sparse_tensor.encoding<{{ {enc} }}>")
        if args.weight_4d:
            wtype = tensor(wt4.shape)
            wval = wt4
        else:
            wtype = tensor(w2.shape, "W" if enc else None)
            wval = w2
        yt = tensor([None if args.dynamic_batch else n, o, want.shape[2], want.shape[3]])
        attrs = (f"strides = array<i64: {stride[0]}, {stride[1]}>, padding = array<i64: {', '.join(map(str, pad))}>, "
                 f"dilations = array<i64: {dil[0]}, {dil[1]}>, groups = {g} : i64")
        if not args.weight_4d:
            attrs += f", kernel = array<i64: {kh}, {kw}>"
        act = []
        if args.act:
            want = {"relu": relu, "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
                    "tanh": np.tanh}[args.act](want)
            act = [f"  %a = snn.{args.act} %y : ({yt}) -> {yt}"]
        lines += [f"func.func @main(%x: {xt}, %b: {tensor([o])}) -> {yt} {{",
                  f"  %w = arith.constant dense_resource<w> : {wtype}",
                  f"  %y = snn.conv2d %x, %w bias %b {{{attrs}}} : ({xt}, {wtype}, {tensor([o])}) -> {yt}",
                  *act,
                  f"  return {'%a' if act else '%y'} : {yt}", "}",
                  resources_text({"w": wval}).rstrip("\n")]
        np.save(f"{args.workdir}/b.npy", b)
        inputs = [f"--input=@{args.workdir}/x.npy", f"--input=@{args.workdir}/b.npy"]
    mlir = f"{args.workdir}/conv.mlir"
    with open(mlir, "w") as f:
        f.write("\n".join(lines) + "\n")
    _, stderr = run([args.runner, mlir, *inputs, f"--output=@{args.workdir}/y.npy",
                     *args.runner_arg, *accel_args(args)], want_stderr=True)
    if any(a.startswith("--report") for a in args.runner_arg):
        sys.stdout.write(stderr)
    if args.accel:
        mapped = args.op == "conv" and args.groups == 1
        check_accel(args, stderr, 1 if mapped else 0)
    got = np.load(f"{args.workdir}/y.npy")
    desc = (f"{args.op} {args.format if args.op == 'conv' else ''} x {args.input} k {args.kernel} "
            f"s {args.stride} p {args.pad} d {args.dil} g {args.groups}")
    compare(desc, got, want, args.rtol, args.atol)


def cmd_cnn(args):
    """conv3x3(1->32) - relu - conv3x3(32->64) - relu - maxpool2x2 - flatten -
    linear(1024->10) on sklearn's 8x8 digits, every weight pruned and stored
    in one format (2-D views for the convs), against NumPy."""
    from sklearn.datasets import load_digits
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.workdir, exist_ok=True)
    fmt = args.format
    enc = ENCODINGS[fmt]
    x = (load_digits().data[:args.batch] / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    n = x.shape[0]
    np.save(f"{args.workdir}/x.npy", x)

    def conv_weight(o, c):
        w = (rng.standard_normal((o, c * 9)) * np.sqrt(2 / (c * 9))).astype(np.float32)
        if fmt == "nv24" and w.shape[1] % 4:
            w = np.concatenate([w, np.zeros((o, 4 - w.shape[1] % 4), np.float32)], 1)
        return prune(w, fmt, args.sparsity, rng).astype(np.float32)
    p2 = args.conv2_pad
    s2 = 8 + 2 * p2 - 2  # conv2's output size
    flat = 64 * (s2 // 2) ** 2
    w1, w2 = conv_weight(32, 1), conv_weight(64, 32)
    w3 = prune((rng.standard_normal((10, flat)) / np.sqrt(flat)).astype(np.float32), fmt, args.sparsity, rng)
    b1, b2, b3 = (rng.standard_normal(k).astype(np.float32) * 0.1 for k in (32, 64, 10))
    if args.channel_prune:
        zero_weakest_channels((w1, w2, w3), args.channel_prune)

    h = relu(conv2d_ref(x.astype(np.float64), w1[:, :9].reshape(32, 1, 3, 3), b1, (1, 1), (1, 1, 1, 1), (1, 1), 1))
    h = relu(conv2d_ref(h, w2.reshape(64, 32, 3, 3), b2, (1, 1), (p2,) * 4, (1, 1), 1))
    h = pool2d_ref(h, "max", (2, 2), (2, 2), (0, 0, 0, 0), False, True)
    want = h.reshape(n, -1) @ w3.T.astype(np.float64) + b3

    # BSR needs both dims divisible by its 4x4 blocks: conv1's [32, 9] and the
    # classifier's [10, 1024] weights stay dense in that case.
    def W(a):
        fits = fmt != "bsr" or (a.shape[0] % 4 == 0 and a.shape[1] % 4 == 0)
        return tensor(a.shape, "W" if enc and fits else None)
    pad = "padding = array<i64: 1, 1, 1, 1>, kernel = array<i64: 3, 3>"
    pad2 = f"padding = array<i64: {p2}, {p2}, {p2}, {p2}>, kernel = array<i64: 3, 3>"
    q = s2 // 2
    lines = [f"#W = #sparse_tensor.encoding<{{ {enc} }}>"] if enc else []
    lines += [
        "func.func @cnn(%x: tensor<?x1x8x8xf32>) -> tensor<?x10xf32> {",
        f"  %w1 = arith.constant dense_resource<w1> : {W(w1)}",
        f"  %w2 = arith.constant dense_resource<w2> : {W(w2)}",
        f"  %w3 = arith.constant dense_resource<w3> : {W(w3)}",
        f"  %b1 = arith.constant dense_resource<b1> : tensor<32xf32>",
        f"  %b2 = arith.constant dense_resource<b2> : tensor<64xf32>",
        f"  %b3 = arith.constant dense_resource<b3> : tensor<10xf32>",
        f"  %c1 = snn.conv2d %x, %w1 bias %b1 {{{pad}}} : (tensor<?x1x8x8xf32>, {W(w1)}, tensor<32xf32>) -> tensor<?x32x8x8xf32>",
        "  %r1 = snn.relu %c1 : (tensor<?x32x8x8xf32>) -> tensor<?x32x8x8xf32>",
        f"  %c2 = snn.conv2d %r1, %w2 bias %b2 {{{pad2}}} : (tensor<?x32x8x8xf32>, {W(w2)}, tensor<64xf32>) -> tensor<?x64x{s2}x{s2}xf32>",
        f"  %r2 = snn.relu %c2 : (tensor<?x64x{s2}x{s2}xf32>) -> tensor<?x64x{s2}x{s2}xf32>",
        f"  %p = snn.maxpool2d %r2 {{kernel = array<i64: 2, 2>}} : (tensor<?x64x{s2}x{s2}xf32>) -> tensor<?x64x{q}x{q}xf32>",
        f"  %f = snn.flatten %p : (tensor<?x64x{q}x{q}xf32>) -> tensor<?x{flat}xf32>",
        f"  %y = snn.linear %f, %w3 bias %b3 : (tensor<?x{flat}xf32>, {W(w3)}, tensor<10xf32>) -> tensor<?x10xf32>",
        "  return %y : tensor<?x10xf32>",
        "}"]
    text = "\n".join(lines) + "\n" + resources_text(
        {"w1": w1, "w2": w2, "w3": w3, "b1": b1, "b2": b2, "b3": b3})
    if args.static_batch:
        text = text.replace("tensor<?x", f"tensor<{n}x")
    mlir = f"{args.workdir}/cnn.mlir"
    with open(mlir, "w") as f:
        f.write(text)
    if args.channel_prune:
        mlir = channel_prune(args, mlir)
    _, stderr = run([args.runner, mlir, "--entry=cnn",
                     f"--input=@{args.workdir}/x.npy",
                     f"--output=@{args.workdir}/y.npy", *args.runner_arg,
                     *accel_args(args)], want_stderr=True)
    if any(a.startswith("--report") for a in args.runner_arg):
        sys.stdout.write(stderr)
    if args.accel:
        # With a dynamic batch, the classifier after the (CPU) pooling keeps
        # its dynamic shape: only the convolutions take the input's batch.
        check_accel(args, stderr, 3 if args.static_batch else 2)
    compare(f"cnn {fmt} digits batch {n}", np.load(f"{args.workdir}/y.npy"), want,
            args.rtol, args.atol)


def relu(z):
    return np.maximum(z, 0)


def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


ACTS = {
    "relu": lambda z: np.maximum(z, 0),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "softmax": softmax,
    None: lambda z: z,
    "": lambda z: z,
}


# Formats whose stored entries are exactly the nonzeros (a zero weight is
# never multiplied); block and N:M formats also store the zeros inside a
# stored block or group.
EXACT_NONZEROS = {"csr", "csr32", "csc", "coo", "dcsr", "csrt64", "csrt256"}


def edge_weight(case, o, k, rng):
    w = rng.standard_normal((o, k)).astype(np.float32)
    w[np.abs(w) < 0.6] = 0.0  # about half zeros, in no structure
    if case == "empty-rows":
        w[::2] = 0.0
    elif case == "empty-cols":
        w[:, 1::2] = 0.0
    elif case == "all-zero":
        w[:] = 0.0
    elif case == "full":
        w = rng.uniform(0.5, 1.5, (o, k)).astype(np.float32)
    elif case in ("nan-w", "inf-w"):
        w.flat[[0, w.size // 2]] = np.nan if case == "nan-w" else np.inf
        w.flat[w.size - 1] = -np.inf if case == "inf-w" else w.flat[w.size - 1]
    return w


def cmd_edge(args):
    """One snn.linear on an edge case of weights or inputs, in one format:
    empty rows / columns, all-zero and fully dense weights, NaN / Inf in the
    weights or the inputs, 1x1 and skinny shapes, batch 1 and 0. The
    reference is float64 NumPy; NaN and Inf propagate as IEEE says through
    the products that are computed: every product for dense weights, the
    stored nonzeros for the CSR family (an implicit zero is never multiplied,
    as in every sparse library)."""
    rng = np.random.default_rng(args.seed)
    o, k = (int(v) for v in args.shape.split("x"))
    fmt = args.format
    w = edge_weight(args.case, o, k, rng)
    if fmt == "nv24":  # keep at most 2 nonzeros in every group of 4
        g = w.reshape(o, -1, 4)
        order = np.argsort(np.isfinite(g) * np.abs(np.nan_to_num(g)), axis=2)
        np.put_along_axis(g, order[:, :, :2], 0.0, axis=2)
        w = g.reshape(o, k)
    x = rng.standard_normal((args.batch, k)).astype(np.float32)
    if args.case in ("nan-x", "inf-x") and x.size:
        x.flat[0] = np.nan if args.case == "nan-x" else np.inf
        x.flat[x.size - 1] = -np.inf if args.case == "inf-x" else np.nan
    os.makedirs(args.workdir, exist_ok=True)
    np.save(f"{args.workdir}/x.npy", x)
    with open(f"{args.workdir}/edge.mlir", "w") as f:
        f.write(linear_model_text(w, args.batch, ENCODINGS[fmt]))
    run([args.runner, f"{args.workdir}/edge.mlir", f"--input=@{args.workdir}/x.npy",
         f"--output=@{args.workdir}/y.npy", *args.runner_arg])
    got = np.load(f"{args.workdir}/y.npy")
    x64, w64 = x.astype(np.float64), w.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        if fmt in EXACT_NONZEROS:
            prod = np.where(w64[None, :, :] != 0, x64[:, None, :] * w64[None, :, :], 0.0)
            want = prod.sum(axis=2)
        else:
            want = x64 @ w64.T if x.size and w.size else np.zeros((args.batch, o))
    compare(f"edge {args.case} {fmt} {o}x{k} batch {args.batch}", got, want,
            args.rtol, args.atol)


def cmd_expr(args):
    """Compares a saved result with a NumPy expression over saved inputs
    (named a, b, c, ... in order); np, softmax and the activations are in
    scope."""
    scope = {"np": np, "softmax": softmax, "sigmoid": ACTS["sigmoid"],
             "relu": ACTS["relu"]}
    for name, path in zip("abcdefgh", args.inputs):
        scope[name] = np.load(path).astype(np.float64)
    want = np.asarray(eval(args.expr, scope))
    got = np.load(args.got)
    compare(args.expr, got, want, args.rtol, args.atol)


def add_accel(parser):
    parser.add_argument("--accel", default=None, metavar="ARCH",
                        help="run on the accelerator simulator (--target=accel "
                             "--arch=ARCH); checks that every constant layer "
                             "with static shapes ran there and that the "
                             "model's cycles agree with the simulator's")
    parser.add_argument("--model-tolerance", type=float, default=0.15)


def add_common(parser):
    """Options every model-running subcommand takes."""
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-4)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--runner-arg", action="append", default=[],
                        help="extra sparse-runner option (repeatable)")


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runner", default="sparse-runner")
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("mlp")
    m.add_argument("--format", choices=ENCODINGS, required=True)
    m.add_argument("--mode", choices=["const", "arg"], default="const")
    m.add_argument("--prune-style", choices=ENCODINGS, default=None,
                   help="prune as for this format (default: --format)")
    m.add_argument("--const-bias", action="store_true",
                   help="biases as constants (not arguments)")
    m.add_argument("--channel-prune", type=float, default=None,
                   help="run snn-prune recipe=channel at this sparsity first")
    m.add_argument("--mtx", action="store_true",
                   help="pass the first weight as a Matrix Market file")
    m.add_argument("--layers", default="64,128,32")
    m.add_argument("--batch", type=int, default=8)
    m.add_argument("--dynamic-batch", action="store_true")
    m.add_argument("--half", action="store_true",
                   help="layers in f16 (constant f16 weights; f32 input, "
                        "biases and result cast in the model)")
    m.add_argument("--sparsity", type=float, default=0.9)
    m.add_argument("--act", default="relu")
    m.add_argument("--final-act", default="")
    m.add_argument("--entry", default="main")
    add_accel(m)
    add_common(m)
    c = sub.add_parser("conv")
    c.add_argument("--op", choices=["conv", "maxpool", "avgpool"], default="conv")
    c.add_argument("--format", choices=ENCODINGS, default="dense")
    c.add_argument("--input", default="2x4x8x8", help="NxCxHxW")
    c.add_argument("--out", type=int, default=8, help="output channels")
    c.add_argument("--kernel", default="3x3")
    c.add_argument("--stride", default="1,1")
    c.add_argument("--pad", default="0,0,0,0", help="top,left,bottom,right")
    c.add_argument("--dil", default="1,1")
    c.add_argument("--groups", type=int, default=1)
    c.add_argument("--sparsity", type=float, default=0.7)
    c.add_argument("--weight-4d", action="store_true")
    c.add_argument("--act", choices=["relu", "sigmoid", "tanh"], default=None,
                   help="an activation after the convolution")
    c.add_argument("--dynamic-batch", action="store_true")
    c.add_argument("--ceil", action="store_true")
    add_accel(c)
    c.add_argument("--exclude-pad", action="store_true")
    add_common(c)
    m = sub.add_parser("cnn")
    m.add_argument("--format", choices=ENCODINGS, required=True)
    m.add_argument("--batch", type=int, default=16)
    m.add_argument("--channel-prune", type=float, default=None,
                   help="snn-prune recipe=channel at this sparsity (shrinking "
                   "the channels where it can)")
    m.add_argument("--conv2-pad", type=int, default=1,
                   help="padding of the second convolution (0 lets channel "
                   "shrinking fold act(bias) into it)")
    m.add_argument("--static-batch", action="store_true",
                   help="a static batch dimension (the accelerator's layers "
                        "need one)")
    add_accel(m)
    m.add_argument("--sparsity", type=float, default=0.7)
    add_common(m)
    e = sub.add_parser("expr")
    e.add_argument("--got", required=True)
    e.add_argument("--expr", required=True)
    e.add_argument("--rtol", type=float, default=1e-5)
    e.add_argument("--atol", type=float, default=1e-6)
    e.add_argument("inputs", nargs="*")
    ed = sub.add_parser("edge")
    ed.add_argument("--case", required=True,
                    choices=["empty-rows", "empty-cols", "all-zero", "full",
                             "nan-w", "inf-w", "nan-x", "inf-x", "plain"])
    ed.add_argument("--format", choices=ENCODINGS, required=True)
    ed.add_argument("--shape", default="16x32", help="OUTxIN")
    ed.add_argument("--batch", type=int, default=4)
    add_common(ed)
    args = p.parse_args()
    {"mlp": cmd_mlp, "conv": cmd_conv, "cnn": cmd_cnn, "expr": cmd_expr,
     "edge": cmd_edge}[args.cmd](args)


if __name__ == "__main__":
    main()
