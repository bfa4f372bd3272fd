"""Model.export_object: the AOT object the Python package writes links with
runtime/'s driver and computes what NumPy does (CPU), or links against
runtime/cuda with the cuSPARSE calls and kernels in it (GPU, where the CUDA
toolkit's stub libcuda is installed); bad targets and unlowerable options
are errors. Run: PYTHONPATH=build/python /usr/bin/python3 -m pytest python/tests
"""

import os
import shutil
import subprocess

import numpy as np
import pytest

import sparsenn as snn

BUILD = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(snn.__file__))))
LIB = os.path.join(BUILD, "lib")
CXX = shutil.which("c++")

needs_driver = pytest.mark.skipif(
    CXX is None or not os.path.exists(os.path.join(LIB, "libsparsenn_aot_main.a")),
    reason="needs c++ and the build's AOT driver (build/lib/libsparsenn_aot_main.a)")


def pruned_mlp(rng, sparsity=0.8):
    w0 = rng.standard_normal((128, 64)).astype(np.float32) / 8
    w1 = rng.standard_normal((10, 128)).astype(np.float32) / 11
    for w in (w0, w1):
        w[np.abs(w) < np.quantile(np.abs(w), sparsity)] = 0
    b0 = rng.standard_normal(128).astype(np.float32)
    model = snn.Model.sequential([snn.Linear(w0, b0), snn.ReLU(), snn.Linear(w1)],
                                 input_shape=(16, 64))
    return model, (w0, b0, w1)


def link(obj, exe, libs):
    subprocess.run([CXX, obj, f"-L{LIB}", "-lsparsenn_aot_main", "-lsparsenn_io", *libs,
                    "-ldl", "-rdynamic", f"-Wl,-rpath,{LIB}", "-o", exe], check=True)


@needs_driver
@pytest.mark.parametrize("select_formats", [False, True])
def test_cpu_object_runs_and_matches_numpy(tmp_path, select_formats):
    rng = np.random.default_rng(1)
    model, (w0, b0, w1) = pruned_mlp(rng)
    obj, exe = tmp_path / "mlp.o", tmp_path / "mlp"
    pipeline = model.export_object(obj, select_formats=select_formats)
    assert pipeline.startswith("sparsenn-cpu-pipeline")
    link(str(obj), str(exe), [])
    x = rng.standard_normal((16, 64)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    subprocess.run([str(exe), f"--input={tmp_path / 'x.npy'}",
                    f"--output={tmp_path / 'y.npy'}"], check=True)
    want = np.maximum(x.astype(np.float64) @ w0.T + b0, 0) @ w1.T
    np.testing.assert_allclose(np.load(tmp_path / "y.npy"), want, rtol=1e-4, atol=1e-4)


@needs_driver
@pytest.mark.skipif(not os.path.exists(os.path.join(LIB, "libsparsenn_cuda.so")),
                    reason="runtime/cuda is not built (no CUDA toolkit)")
@pytest.mark.parametrize("strategy, symbol", [("codegen", "mgpuLaunchKernel"),
                                              ("library", "mgpuSpMM")])
def test_gpu_object_links_with_runtime_cuda(tmp_path, strategy, symbol):
    # 97% sparse: the GPU cost model picks CSR (cuSPARSE) from about 93%.
    model, _ = pruned_mlp(np.random.default_rng(2), sparsity=0.97)
    obj = tmp_path / "mlp.o"
    model.export_object(obj, target="gpu", gpu_strategy=strategy, cpu="x86-64-v3",
                        select_formats=True)
    symbols = subprocess.run(["nm", str(obj)], capture_output=True, text=True,
                             check=True).stdout
    assert f"U {symbol}" in symbols and "T _mlir_ciface_main" in symbols
    # Links against the toolkit's stub libcuda here; runs on a GPU machine.
    link(str(obj), str(tmp_path / "mlp"),
         ["-lsparsenn_cuda", "-Wl,--no-undefined", "-Wl,--allow-shlib-undefined"])


def test_export_errors(tmp_path):
    model, _ = pruned_mlp(np.random.default_rng(3))
    with pytest.raises(ValueError, match="target must be"):
        model.export_object(tmp_path / "x.o", target="tpu")
    with pytest.raises(snn.CompileError, match="strategy"):
        model.export_object(tmp_path / "x.o", target="gpu", gpu_strategy="fast")
    with pytest.raises(snn.CompileError, match="unknown CPU 'no-such-cpu'"):
        model.export_object(tmp_path / "x.o", cpu="no-such-cpu")
    assert not os.path.exists(tmp_path / "x.o")
