"""Tests of the sparsenn Python package: models from layers, MLIR and PyTorch,
pruning, format selection, the CPU, emulated GPU and accelerator targets,
and errors.
Every numeric result is compared with an independent NumPy (or PyTorch)
reference. Run: PYTHONPATH=build/python /usr/bin/python3 -m pytest python/tests
"""

import numpy as np
import pytest

import sparsenn as snn

RNG = np.random.default_rng(0)


def rand(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def mlp_layers(sizes=(64, 128, 10), bias=True, final=None):
    layers, ws = [], []
    for i in range(len(sizes) - 1):
        w = rand(sizes[i + 1], sizes[i]) / np.sqrt(sizes[i])
        b = rand(sizes[i + 1]) if bias else None
        layers.append(snn.Linear(w, b))
        ws.append((w, b))
        if i + 1 < len(sizes) - 1:
            layers.append(snn.ReLU())
    if final:
        layers.append(final)
    return layers, ws


def mlp_ref(x, ws, final=None):
    h = x.astype(np.float64)
    for i, (w, b) in enumerate(ws):
        h = h @ w.astype(np.float64).T + (0 if b is None else b)
        if i + 1 < len(ws):
            h = np.maximum(h, 0)
    if final == "softmax":
        e = np.exp(h - h.max(axis=-1, keepdims=True))
        h = e / e.sum(axis=-1, keepdims=True)
    return h


def conv_ref(x, w, b, stride, pad):
    """NCHW cross-correlation in float64 (padding top, left, bottom, right)."""
    t, l, bo, r = pad
    x = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (t, bo), (l, r)))
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    oh, ow = (h - kh) // stride + 1, (wd - kw) // stride + 1
    y = np.zeros((n, o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            y[:, :, i, j] = np.tensordot(patch, w.astype(np.float64), ([1, 2, 3], [1, 2, 3]))
    return y + b[None, :, None, None]


# ---------------------------------------------------------------- CPU target

@pytest.mark.parametrize("batch", [1, 7, 33])
def test_mlp_dynamic_batch_matches_numpy(batch):
    layers, ws = mlp_layers(final=snn.Softmax())
    run = snn.Model.sequential(layers, input_shape=(None, 64)).compile()
    x = rand(batch, 64)
    y = run(x)
    assert y.shape == (batch, 10) and y.dtype == np.float32
    np.testing.assert_allclose(y, mlp_ref(x, ws, "softmax"), rtol=1e-4, atol=1e-5)


def test_one_compile_serves_every_batch():
    layers, ws = mlp_layers()
    run = snn.Model.sequential(layers, input_shape=(None, 64)).compile()
    for batch in (2, 16, 5):
        x = rand(batch, 64)
        np.testing.assert_allclose(run(x), mlp_ref(x, ws), rtol=1e-4, atol=1e-4)


def magnitude_prune(w, sparsity):
    """snn-prune's magnitude recipe per layer: the round(sparsity * size)
    smallest magnitudes become zero."""
    w = w.copy()
    k = int(np.floor(sparsity * w.size + 0.5))
    w.ravel()[np.argsort(np.abs(w).ravel(), kind="stable")[:k]] = 0
    return w


def test_pruned_and_selected_formats_match_numpy():
    layers, ws = mlp_layers(sizes=(256, 512, 64))
    model = snn.Model.sequential(layers, input_shape=(32, 256))
    pruned = model.prune("magnitude", sparsity=0.9)
    rep = pruned.report(batch_size=32)
    assert [r["sparsity"] for r in rep] == pytest.approx([0.9, 0.9], abs=1e-3)
    assert all(r["format"] != "dense" for r in rep), str(rep)
    x = rand(32, 256)
    want = mlp_ref(x, [(magnitude_prune(w, 0.9), b) for w, b in ws])
    np.testing.assert_allclose(pruned.compile()(x), want, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(pruned.compile(select_formats=True)(x), want,
                               rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("recipe,structure", [
    ("nm", "nm 2:4"), ("block", "block 4x4"), ("magnitude", "unstructured")])
def test_prune_recipes_leave_their_structure(recipe, structure):
    model = snn.Model.sequential([snn.Linear(rand(64, 64))], input_shape=(8, 64))
    row = model.prune(recipe, sparsity=0.75).report().rows[0]
    assert row["structure"] == structure
    assert row["sparsity"] == pytest.approx(0.5 if recipe == "nm" else 0.75, abs=0.01)


@pytest.mark.parametrize("zero", ["rows", "columns"])
def test_whole_zero_rows_or_columns_compile_with_automatic_formats(zero):
    # Found by the digits study: channel pruning leaves 1 x C blocks (an
    # uninvertible map) and zero columns R x 1 blocks (a sparsifier crash).
    w = rand(64, 64)
    keep = RNG.random(64) < 0.1
    if zero == "rows":
        w[~keep] = 0
    else:
        w[:, ~keep] = 0
    model = snn.Model.sequential([snn.Linear(w)], input_shape=(32, 64))
    x = rand(32, 64)
    got = model.compile(select_formats=True, batch_size=32)(x)
    np.testing.assert_allclose(got, x.astype(np.float64) @ w.T, rtol=1e-4, atol=1e-4)


def test_transformations_return_new_models():
    model = snn.Model.sequential([snn.Linear(rand(8, 8))], input_shape=(2, 8))
    before = model.mlir
    pruned = model.prune("nm")
    assert model.mlir == before and pruned.mlir != before


def test_cnn_matches_numpy():
    w1, b1 = rand(4, 1, 3, 3), rand(4)
    w2, b2 = rand(10, 4 * 3 * 3) / 6, rand(10)
    model = snn.Model.sequential(
        [snn.Conv2d(w1, b1, padding=1), snn.ReLU(), snn.MaxPool2d(2),
         snn.Flatten(), snn.Linear(w2, b2)], input_shape=(None, 1, 6, 6))
    x = rand(3, 1, 6, 6)
    h = np.maximum(conv_ref(x, w1, b1, 1, (1, 1, 1, 1)), 0)
    h = h.reshape(3, 4, 3, 2, 3, 2).max(axis=(3, 5)).reshape(3, -1)
    want = h @ w2.astype(np.float64).T + b2
    np.testing.assert_allclose(model.compile()(x), want, rtol=1e-4, atol=1e-4)


def test_mlir_text_and_multiple_results():
    text = """
    func.func @two(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
      %s = snn.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
      %r = snn.relu %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
      return %s, %r : tensor<2x3xf32>, tensor<2x3xf32>
    }"""
    run = snn.Model(text, entry="two").compile()
    a, b = rand(2, 3), rand(2, 3)
    s, r = run(a, b)
    np.testing.assert_allclose(s, a + b, rtol=1e-6)
    np.testing.assert_array_equal(r, np.maximum(a, 0))


def test_non_contiguous_inputs_are_copied_not_misread():
    layers, ws = mlp_layers()
    run = snn.Model.sequential(layers, input_shape=(None, 64)).compile()
    x = rand(64, 10).T  # Fortran order
    np.testing.assert_allclose(run(x), mlp_ref(x, ws), rtol=1e-4, atol=1e-4)


def test_benchmark_reports_times():
    run = snn.Model.sequential([snn.Linear(rand(16, 16))], input_shape=(4, 16)).compile()
    t = run.benchmark(rand(4, 16), reps=5)
    assert t["reps"] == 5 and 0 < t["min_ms"] <= t["median_ms"]
    assert run.compile_ms > 0


# -------------------------------------------------------- accelerator target

@pytest.mark.parametrize("arch", ["eie", "scnn", "tc-2:4", "dense-decompress"])
def test_accelerator_matches_numpy(arch):
    layers, ws = mlp_layers(sizes=(64, 96, 16))
    model = snn.Model.sequential(layers, input_shape=(8, 64))
    model = model.prune("nm" if arch == "tc-2:4" else "magnitude", sparsity=0.8)
    acc = model.compile(target="accel", arch=arch)
    x = rand(8, 64)
    cpu = model.compile()(x)
    np.testing.assert_allclose(acc(x), cpu, rtol=1e-4, atol=1e-4)
    stats = acc.accel_stats()
    assert stats["launches"] == 2 and stats["cycles"] > 0
    assert stats["energy_pj"]["total"] > 0
    rep = acc.report()
    assert [r["target"] for r in rep] == ["accel", "accel"]


def test_accelerator_report_names_cpu_fallbacks():
    layers, _ = mlp_layers(final=snn.Softmax())
    rep = snn.Model.sequential(layers, input_shape=(4, 64)).report(target="accel")
    assert rep.rows[-1]["target"] == "cpu"
    assert "softmax" in rep.rows[-1]["op"] and rep.rows[-1]["reason"]
    assert "predicted_cycles" in str(rep)


# --------------------------------------------------- GPU target (emulated)

@pytest.mark.parametrize("threads", [1, 7, 256])
def test_gpu_emulated_mlp_matches_numpy(threads):
    # The GPU pipeline's kernels, device buffers and copies run on the host:
    # a pruned MLP with a dynamic batch against the float64 reference.
    layers, ws = mlp_layers(sizes=(64, 96, 16))
    ws = [(magnitude_prune(w, 0.8), b) for w, b in ws]
    layers = [snn.Linear(w, b) if isinstance(l, snn.Linear) else l
              for l, (w, b) in zip(layers, [ws[0], (None, None), ws[1]])]
    model = snn.Model.sequential(layers, input_shape=(None, 64))
    gpu = model.compile(target="gpu-emulated", gpu_threads=threads)
    # The GPU pipeline ran (the same numbers from the CPU pipeline would
    # pass the comparison too): its kernels, then their emulation.
    assert f"snn-parallel-loops-to-gpu{{remarks=false threads={threads}}}" in gpu.pipeline
    assert "snn-emulate-gpu-on-host" in gpu.pipeline
    assert "snn-parallel-loops-to-gpu" not in model.compile().pipeline
    for batch in (1, 13):
        x = rand(batch, 64)
        np.testing.assert_allclose(gpu(x), mlp_ref(x, ws), rtol=1e-4, atol=1e-4)


def test_gpu_emulated_cnn_matches_numpy():
    w1, b1 = rand(4, 2, 3, 3), rand(4)
    w2, b2 = rand(5, 4 * 2 * 2) / 4, rand(5)
    model = snn.Model.sequential(
        [snn.Conv2d(w1, b1, stride=2, padding=1), snn.ReLU(), snn.MaxPool2d(2),
         snn.Flatten(), snn.Linear(w2, b2)], input_shape=(None, 2, 8, 8))
    x = rand(3, 2, 8, 8)
    h = np.maximum(conv_ref(x, w1, b1, 2, (1, 1, 1, 1)), 0)
    h = h.reshape(3, 4, 2, 2, 2, 2).max(axis=(3, 5)).reshape(3, -1)
    want = h @ w2.astype(np.float64).T + b2
    got = model.compile(target="gpu-emulated", gpu_threads=32)(x)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_gpu_report_and_formats():
    # The GPU cost model keeps a 90% layer dense (cuBLAS is faster there)
    # and stores a 99% one in CSR, where the CPU model compresses both;
    # select_formats on the emulated GPU then computes the same numbers.
    w90 = magnitude_prune(rand(256, 256), 0.9)
    w99 = magnitude_prune(rand(256, 256), 0.99)
    model = snn.Model.sequential([snn.Linear(w90), snn.ReLU(), snn.Linear(w99)],
                                 input_shape=(64, 256))
    gpu_rep, cpu_rep = model.report(target="gpu", batch_size=64), model.report(batch_size=64)
    assert [r["format"] for r in gpu_rep] == ["dense", "csr"]
    assert all(r["format"] != "dense" for r in cpu_rep)
    assert "predicted_ms_chosen" in str(gpu_rep)
    run = model.compile(target="gpu-emulated", select_formats=True, batch_size=64)
    assert run.report().target == "gpu"
    x = rand(64, 256)
    np.testing.assert_allclose(run(x), model.compile()(x), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("strategy", ["library", "auto"])
def test_gpu_emulated_library_strategy_matches_numpy(strategy):
    # With the GPU cost model's formats (CSR for the 99% layer, 32-bit
    # indices) the library strategies call cuSPARSE, whose product the
    # emulation runs on the host: the host code's buffers, sizes and copy
    # back are checked against NumPy.
    w90 = magnitude_prune(rand(256, 256), 0.9)
    w99 = magnitude_prune(rand(256, 256), 0.99)
    model = snn.Model.sequential([snn.Linear(w90), snn.ReLU(), snn.Linear(w99)],
                                 input_shape=(64, 256))
    run = model.compile(target="gpu-emulated", select_formats=True, batch_size=64,
                        gpu_strategy=strategy)
    # The same pipeline without emulation calls cuSPARSE for the CSR layer
    # (the numbers alone would also match if it ran on the host, as it did
    # when the GPU model gave it 8-bit coordinates cuSPARSE cannot take).
    lowered = model.transform(f"sparsenn-gpu-pipeline{{strategy={strategy} "
                              "select-formats=true batch-size=64}").mlir
    assert "llvm.call @mgpuCreateCsr" in lowered and "llvm.call @mgpuSpMM(" in lowered
    assert ("snn-parallel-loops-to-gpu" in run.pipeline) == (strategy == "auto")
    x = rand(64, 256)
    want = np.maximum(x.astype(np.float64) @ w90.T, 0) @ w99.T
    np.testing.assert_allclose(run(x), want, rtol=1e-4, atol=1e-4)


def test_gpu_emulated_bad_options():
    model = snn.Model.sequential([snn.Linear(rand(4, 8))], input_shape=(2, 8))
    with pytest.raises(ValueError, match="threads=0 is out of range: a block has 1 to 1024"):
        model.compile(target="gpu-emulated", gpu_threads=0)
    with pytest.raises(ValueError, match="threads=2048 is out of range"):
        model.compile(target="gpu-emulated", gpu_threads=2048)
    with pytest.raises(ValueError, match="strategy='fast' is not one of codegen, library, auto"):
        model.compile(target="gpu-emulated", gpu_strategy="fast")
    with pytest.raises(ValueError, match="on the accelerator its own model chooses"):
        model.compile(target="accel", select_formats=True)
    with pytest.raises(ValueError, match="target must be 'cpu', 'gpu' or 'accel'"):
        model.report(target="tpu")


# ------------------------------------------------------------------ PyTorch

torch = pytest.importorskip("torch")


def test_from_torch_mlp_and_cnn_match_pytorch():
    torch.manual_seed(0)
    mlp = torch.nn.Sequential(torch.nn.Linear(20, 30), torch.nn.Tanh(),
                              torch.nn.Linear(30, 5), torch.nn.Softmax(dim=1))
    cnn = torch.nn.Sequential(torch.nn.Conv2d(2, 4, 3, stride=2, padding=1),
                              torch.nn.ReLU(), torch.nn.AvgPool2d(2),
                              torch.nn.Flatten(), torch.nn.Linear(16, 3))
    for module, shape in ((mlp, (6, 20)), (cnn, (2, 2, 8, 8))):
        x = rand(*shape)
        with torch.no_grad():
            want = module(torch.from_numpy(x)).numpy()
        got = snn.Model.from_torch(module, input_shape=(None,) + shape[1:]).compile()(x)
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_from_torch_names_an_unsupported_module():
    module = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.LSTM(4, 4))
    with pytest.raises(ValueError, match=r"module '1' \(LSTM\) has no sparsenn layer"):
        snn.Model.from_torch(module, input_shape=(1, 4))


# ------------------------------------------------------------------- errors

def test_malformed_mlir_raises_compile_error_with_location():
    with pytest.raises(snn.CompileError, match=r"<input>:1:\d+: error:"):
        snn.Model("func.func @main(")


def test_verifier_errors_carry_the_diagnostic():
    text = """func.func @main(%x: tensor<2x4xf32>, %w: tensor<3x5xf32>) -> tensor<2x3xf32> {
      %y = snn.linear %x, %w : (tensor<2x4xf32>, tensor<3x5xf32>) -> tensor<2x3xf32>
      return %y : tensor<2x3xf32>
    }"""
    with pytest.raises(snn.CompileError, match="has IN = 4 but 'weight'"):
        snn.Model(text)


def test_bad_arguments():
    run = snn.Model.sequential([snn.Linear(rand(4, 8))], input_shape=(None, 8)).compile()
    with pytest.raises(TypeError, match="has dtype float64 but the model takes"):
        run(np.zeros((2, 8)))
    with pytest.raises(ValueError, match=r"has shape \(2, 9\) but the model takes"):
        run(np.zeros((2, 9), np.float32))
    with pytest.raises(TypeError, match="takes 1 argument"):
        run()


@pytest.mark.parametrize("gather", [0, 1])
def test_batch_one_gathers_or_scalar_loads_match_numpy(gather):
    # A 90%-pruned layer at batch 1 (the matrix-vector kernels, rows of about
    # 100 entries: the vector loop), x loaded by gathers or scalar loads.
    layers, ws = mlp_layers(sizes=(1000, 48, 8))
    model = snn.Model.sequential(layers, input_shape=(1, 1000)).prune(
        "magnitude", sparsity=0.9)
    x = rand(1, 1000)
    want = mlp_ref(x, [(magnitude_prune(w, 0.9), b) for w, b in ws])
    compiled = model.compile(select_formats=True, batch_size=1, gather=gather)
    assert f"gather={'true' if gather else 'false'}" in compiled.pipeline
    np.testing.assert_allclose(compiled(x), want, rtol=1e-4, atol=1e-4)


def test_bad_options():
    model = snn.Model.sequential([snn.Linear(rand(4, 8))], input_shape=(2, 8))
    with pytest.raises(ValueError, match="gather=3 is out of range"):
        model.compile(gather=3)
    with pytest.raises(ValueError, match="unknown pruning recipe"):
        model.prune("random")
    with pytest.raises(ValueError, match="unknown accelerator 'tpu'"):
        model.compile(target="accel", arch="tpu")
    with pytest.raises(ValueError, match="target must be"):
        model.compile(target="gpu")
    with pytest.raises(snn.CompileError, match="does not refer to a registered pass"):
        model.transform("no-such-pass")
    with pytest.raises(ValueError, match="Linear with 8 inputs cannot take shape"):
        snn.Model.sequential([snn.Linear(rand(4, 8))], input_shape=(2, 9))


def test_sparse_weights_as_arguments():
    # A weight passed at call time (swapped without recompiling), in CSR and
    # in 2:4: the dense array's nonzeros are packed into the format.
    text = """#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
    #NV = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
    func.func @main(%x: tensor<5x8xf32>, %w: tensor<3x8xf32, #CSR>, %v: tensor<3x8xf32, #NV>) -> (tensor<5x3xf32>, tensor<5x3xf32>) {
      %y = snn.linear %x, %w : (tensor<5x8xf32>, tensor<3x8xf32, #CSR>) -> tensor<5x3xf32>
      %z = snn.linear %x, %v : (tensor<5x8xf32>, tensor<3x8xf32, #NV>) -> tensor<5x3xf32>
      return %y, %z : tensor<5x3xf32>, tensor<5x3xf32>
    }"""
    run = snn.Model(text).compile()
    x = rand(5, 8)
    for _ in range(2):  # new weights each call, one compile
        w = (rand(3, 8) * (RNG.random((3, 8)) < 0.3)).astype(np.float32)
        v = rand(3, 8)
        v.reshape(3, 2, 4)[:, :, 2:] = 0  # 2:4
        y, z = run(x, w, v)
        np.testing.assert_allclose(y, x.astype(np.float64) @ w.T, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(z, x.astype(np.float64) @ v.T, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="argument #2 does not fit .*not 2:4 structured"):
        run(x, w, rand(3, 8))


# --------------------------------------------------------------------- ONNX

onnx = pytest.importorskip("onnx")


def export(module, x, opset, **kwargs):
    import io
    f = io.BytesIO()
    torch.onnx.export(module, torch.from_numpy(x), f, opset_version=opset,
                      input_names=["x"], output_names=["y"], **kwargs)
    return f.getvalue()


class OnnxNet(torch.nn.Module):
    """Conv + BatchNorm (folded) + pooling, a flattening view, Gemm, a
    LayerNorm, and element-wise / reduction arithmetic."""

    def __init__(self):
        super().__init__()
        self.c = torch.nn.Conv2d(2, 4, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(4)
        self.c2 = torch.nn.Conv2d(4, 4, 3, padding=1, groups=2)
        self.bn2 = torch.nn.BatchNorm2d(4)
        self.l = torch.nn.Linear(16, 6)
        self.ln = torch.nn.LayerNorm(6)

    def forward(self, x):
        x = torch.sigmoid(self.bn(self.c(x)))
        y = self.bn2(x)  # not after a conv: per-channel arithmetic
        x = torch.nn.functional.max_pool2d(self.c2(y) + y, 2)
        x = torch.nn.functional.avg_pool2d(x, 2)
        x = x.view(x.size(0), -1)
        h = self.ln(self.l(x))
        h = torch.tanh(h) / torch.sqrt(torch.exp(h) + 1.0)
        return torch.softmax(h - h.mean(dim=1, keepdim=True) * 0.5, dim=1)


@pytest.mark.parametrize("opset", [11, 13, 17])
@pytest.mark.parametrize("folding", [True, False])
def test_onnx_import_matches_pytorch(opset, folding):
    torch.manual_seed(opset)
    net = OnnxNet().eval()
    with torch.no_grad():
        for bn in (net.bn, net.bn2):
            bn.running_mean.uniform_(-1, 1)
            bn.running_var.uniform_(0.5, 2)
            bn.weight.uniform_(0.5, 1.5)
    x = rand(3, 2, 8, 8)
    data = export(net, x, opset, do_constant_folding=folding,
                  dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    ops = {n.op_type for n in onnx.load_from_string(data).graph.node}
    if opset == 17:
        assert "LayerNormalization" in ops
    else:
        assert {"ReduceMean", "Pow", "Sqrt"} <= ops  # LayerNorm spelled out
    model = snn.import_onnx(data)
    assert "func.func @main(%arg0: tensor<?x2x8x8xf32>)" in model.mlir
    with torch.no_grad():
        want = net(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(model.compile()(x), want, rtol=1e-4, atol=1e-5)


def test_onnx_file_and_pruning(tmp_path):
    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.ReLU(),
                              torch.nn.Linear(64, 8))
    x = rand(4, 32)
    path = tmp_path / "mlp.onnx"
    path.write_bytes(export(net, x, 13))
    model = snn.Model.from_onnx(str(path)).prune("magnitude", sparsity=0.5)
    w = [magnitude_prune(m.weight.detach().numpy(), 0.5) for m in (net[0], net[2])]
    b = [m.bias.detach().numpy() for m in (net[0], net[2])]
    np.testing.assert_allclose(model.compile()(x), mlp_ref(x, list(zip(w, b))),
                               rtol=1e-4, atol=1e-4)


def test_onnx_unsupported_op_is_named_with_its_place():
    class Gelu(torch.nn.Module):
        def forward(self, x):
            return torch.nn.functional.gelu(torch.relu(x))
    data = export(Gelu(), rand(2, 3), 13)
    with pytest.raises(snn.OnnxImportError, match=r"node #3 '/Erf' \(Erf\): unsupported op 'Erf'"):
        snn.import_onnx(data)


def test_onnx_bad_files(tmp_path):
    with pytest.raises(snn.OnnxImportError, match="cannot read"):
        snn.import_onnx(str(tmp_path / "missing.onnx"))
    data = export(torch.nn.Linear(3, 2), rand(1, 3), 13)
    (tmp_path / "cut.onnx").write_bytes(data[:len(data) // 2])
    with pytest.raises(snn.OnnxImportError, match="not an ONNX model|invalid"):
        snn.import_onnx(str(tmp_path / "cut.onnx"))


@pytest.mark.parametrize("dynamic", [None, 0, 1])
def test_onnx_reductions_over_dynamic_shapes(dynamic):
    # A reduced axis before a dynamic one: the result's dynamic size comes
    # from the input dimension it keeps.
    class Reduce(torch.nn.Module):
        def forward(self, x):
            return (x.sum(dim=0) * x.sum(dim=0), x.sum(dim=2),
                    x.mean(dim=2, keepdim=True))
    x = rand(3, 4, 5)
    axes = None if dynamic is None else {"x": {dynamic: "n"}}
    data = export(Reduce(), x, 13, dynamic_axes=axes)
    got = snn.import_onnx(data).compile()(x)
    with torch.no_grad():
        want = [t.numpy() for t in Reduce()(torch.from_numpy(x))]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5)


def test_half_precision_2to4_takes_cusparselt():
    # f16 layers (f32 at the function's boundary): a 2:4 weight goes to
    # cuSPARSELt under the library strategy (emulated here: the dense
    # weight's product on the host) and matches NumPy from the f16-rounded
    # inputs; the CPU pipeline compiles the same model.
    rng = np.random.default_rng(3)
    w = rng.standard_normal((32, 64)).astype(np.float32)
    groups = w.reshape(32, 16, 4)
    smallest = np.argsort(np.abs(groups), axis=2)[:, :, :2]
    np.put_along_axis(groups, smallest, 0.0, axis=2)
    w = groups.reshape(32, 64).astype(np.float16)
    blob = "0x04000000" + w.tobytes().hex().upper()
    text = f"""
#NV24 = #sparse_tensor.encoding<{{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }}>
func.func @main(%x: tensor<16x64xf32>) -> tensor<16x32xf32> {{
  %xh = arith.truncf %x : tensor<16x64xf32> to tensor<16x64xf16>
  %w = arith.constant dense_resource<w> : tensor<32x64xf16, #NV24>
  %y = snn.linear %xh, %w : (tensor<16x64xf16>, tensor<32x64xf16, #NV24>) -> tensor<16x32xf16>
  %r = snn.relu %y : (tensor<16x32xf16>) -> tensor<16x32xf16>
  %yf = arith.extf %r : tensor<16x32xf16> to tensor<16x32xf32>
  return %yf : tensor<16x32xf32>
}}
{{-#
  dialect_resources: {{ builtin: {{ w: "{blob}" }} }}
#-}}
"""
    model = snn.Model(text)
    lowered = model.transform("sparsenn-gpu-pipeline{strategy=library}").mlir
    assert "llvm.call @mgpuCusparseLtCreate2To4SpMat" in lowered
    assert "llvm.call @mgpuCuSparseLtSpMM(" in lowered
    x = rand(16, 64)
    want = np.maximum(x.astype(np.float16).astype(np.float64)
                      @ w.astype(np.float64).T, 0)
    for options in (dict(target="gpu-emulated", gpu_strategy="library"),
                    dict(target="cpu")):
        np.testing.assert_allclose(model.compile(**options)(x), want,
                                   rtol=2e-2, atol=2e-2)
