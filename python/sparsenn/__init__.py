"""SparseNN: compile pruned neural networks for CPUs, GPUs and sparse accelerators.

    import numpy as np
    import sparsenn as snn

    model = snn.Model.sequential(
        [snn.Linear(w1, b1), snn.ReLU(), snn.Linear(w2, b2)], input_shape=(None, 784))
    model = model.prune("magnitude", sparsity=0.9)
    print(model.report(batch_size=64))          # format chosen per layer
    run = model.compile(select_formats=True)    # JIT for this CPU
    y = run(x.astype(np.float32))               # NumPy in, NumPy out
    print(run.benchmark(x, reps=50))

    acc = model.compile(target="accel", arch="eie")   # the accelerator simulator
    y = acc(x); print(acc.accel_stats()["cycles"])

    print(model.report(target="gpu"))           # the GPU cost model's formats
    gpu = model.compile(target="gpu-emulated")  # the GPU kernels, run on the host
    y = gpu(x)

Compiler errors raise CompileError with MLIR's diagnostics; arguments of the
wrong dtype raise TypeError, of the wrong shape ValueError.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

try:
    from ._sparsenn import (CompileError, Program, check as _check,
                            export_object as _export_object, transform as _transform)
except ImportError as _error:  # the extension is not built (e.g. a sanitizer build)
    _missing = _error

    class CompileError(RuntimeError):
        """A compiler error carrying MLIR's diagnostics."""

    def _unavailable(*args, **kwargs):
        raise ImportError("sparsenn's compiler extension (_sparsenn) is not "
                          f"built or cannot load: {_missing}") from _missing

    Program = _check = _export_object = _transform = _unavailable
from .layers import (AvgPool2d, Conv2d, Flatten, Layer, Linear, MaxPool2d,
                     ReLU, Sigmoid, Softmax, Tanh, build_module)

__all__ = ["Model", "CompiledModel", "Report", "CompileError", "Layer",
           "import_onnx", "OnnxImportError",
           "Linear", "Conv2d", "MaxPool2d", "AvgPool2d", "ReLU", "Sigmoid",
           "Tanh", "Softmax", "Flatten", "PRESETS"]

from ._errors import OnnxImportError  # noqa: E402


def import_onnx(model: Any) -> "Model":
    """Imports an ONNX model (path, bytes or onnx.ModelProto) as a Model
    whose @main takes the graph's inputs in order."""
    return Model.from_onnx(model)


#: The accelerator presets (docs/Accelerator.md); `arch=` also takes a
#: "#sacc.arch<...>" attribute.
PRESETS = ("eie", "scnn", "cambricon-x", "tc-2:4", "dense", "dense-decompress")


class Report:
    """A per-layer report: `rows` is a list of dicts (one per layer),
    str(report) a table."""

    def __init__(self, target: str, rows: List[Dict[str, Any]],
                 extra: Optional[Dict[str, Any]] = None):
        self.target = target
        self.rows = rows
        self.extra = extra or {}

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __str__(self) -> str:
        if not self.rows:
            return "(no layers)"
        if self.target in ("cpu", "gpu"):
            cols = ["location", "op", "shape", "sparsity", "structure",
                    "format", "bytes_dense", "bytes_chosen",
                    "predicted_ms_dense", "predicted_ms_chosen"]
        else:
            cols = ["location", "op", "shape", "sparsity", "target", "format",
                    "tiles", "predicted_cycles", "bytes_dense", "bytes_packed",
                    "reason"]
        cols = [c for c in cols if any(c in r for r in self.rows)]

        def cell(v):
            if isinstance(v, float):
                return f"{v:.4g}"
            return "" if v is None else str(v)
        table = [cols] + [[cell(r.get(c)) for c in cols] for r in self.rows]
        widths = [max(len(row[i]) for row in table) for i in range(len(cols))]
        return "\n".join("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip()
                         for row in table)

    def __repr__(self) -> str:
        return f"Report(target={self.target!r}, {len(self.rows)} layers)"


class Model:
    """An snn program (MLIR text) with one entry function.

    Build one from MLIR (`Model(text)`, `Model.from_file`), from layers
    (`Model.sequential`) or from a PyTorch module (`Model.from_torch`).
    Transformations return new models; the original is unchanged."""

    def __init__(self, mlir: str, entry: str = "main"):
        _check(mlir)
        self.mlir = mlir
        self.entry = entry

    @classmethod
    def from_file(cls, path: Union[str, os.PathLike], entry: str = "main") -> "Model":
        with open(path) as f:
            return cls(f.read(), entry)

    @classmethod
    def sequential(cls, layers: Sequence[Layer],
                   input_shape: Sequence[Optional[int]]) -> "Model":
        """A model applying `layers` in order to one input of `input_shape`
        (None for a dynamic dimension, usually the batch)."""
        return cls(build_module(list(layers), tuple(input_shape)))

    @classmethod
    def from_onnx(cls, model: Any) -> "Model":
        """A model from an ONNX file (a path, bytes or an onnx.ModelProto;
        python3-onnx). Raises OnnxImportError naming an unsupported op and
        where it is in the graph."""
        from .onnx_import import import_onnx
        return cls(import_onnx(model))

    @classmethod
    def from_torch(cls, module: Any, input_shape: Sequence[Optional[int]]) -> "Model":
        """A model from a torch.nn.Sequential (or a module whose children run
        in order) of Linear, Conv2d, MaxPool2d, AvgPool2d, ReLU, Sigmoid,
        Tanh, Softmax and Flatten, with its current weights."""
        from .torch import layers_from_torch
        return cls.sequential(layers_from_torch(module), input_shape)

    def __str__(self) -> str:
        return self.mlir

    def transform(self, pipeline: str) -> "Model":
        """Runs a pass pipeline, e.g. 'snn-prune{recipe=nm n=2 m=4}'."""
        return Model(_transform(self.mlir, pipeline), self.entry)

    def prune(self, recipe: str = "magnitude", sparsity: float = 0.9,
              n: int = 2, m: int = 4, block: Tuple[int, int] = (4, 4),
              global_ranking: bool = False) -> "Model":
        """Zeroes weights as snn-prune does: recipe 'magnitude' (to
        `sparsity`, per layer or with `global_ranking`), 'nm' (n of every m
        along the reduction), 'block' (whole blocks by norm) or 'channel'
        (whole output channels, shrinking the next layer)."""
        if recipe not in ("magnitude", "nm", "block", "channel"):
            raise ValueError(f"unknown pruning recipe {recipe!r} (magnitude, "
                             "nm, block, channel)")
        opts = [f"recipe={recipe}", f"sparsity={sparsity!r}", f"n={n}", f"m={m}",
                f"block={block[0]},{block[1]}",
                f"global={'true' if global_ranking else 'false'}"]
        return self.transform("snn-prune{" + " ".join(opts) + "}")

    def select_formats(self, batch_size: int = 16) -> "Model":
        """Gives every constant weight the storage format the calibrated CPU
        cost model predicts fastest (snn-select-formats)."""
        return self.transform(f"snn-select-formats{{batch-size={batch_size}}}")

    def report(self, target: str = "cpu", batch_size: int = 16,
               arch: str = "scnn") -> Report:
        """What format selection (target='cpu' or 'gpu', each with its own
        cost model) or the accelerator mapping (target='accel') decides for
        each layer, without compiling."""
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "report.json")
            if target in ("cpu", "gpu"):
                _transform(self.mlir, f"snn-select-formats{{target={target} "
                           f"report=json report-file={path} "
                           f"batch-size={batch_size}}}")
            elif target == "accel":
                _transform(self.mlir, "convert-snn-to-sacc{report=json "
                           f"report-file={path} arch={{{arch}}}}}")
            else:
                raise ValueError("target must be 'cpu', 'gpu' or 'accel', "
                                 f"got {target!r}")
            with open(path) as f:
                data = json.load(f)
        rows = data.pop("layers")
        return Report(target, rows, data)

    def export_object(self, path: Union[str, os.PathLike], target: str = "cpu",
                      cpu: str = "host", threads: int = 1,
                      select_formats: bool = False, batch_size: int = 16,
                      gpu_strategy: str = "auto", gpu_chip: str = "sm_90",
                      gpu_threads: int = 256) -> str:
        """Compiles ahead of time into a host object file at `path` with the
        entry-point ABI of docs/ABI.md (what `sparse-translate
        --snn-to-object` writes), to link with runtime/'s driver or your own
        code: target='cpu' (sparsenn-cpu-pipeline with `threads` OpenMP
        threads) or 'gpu' (sparsenn-gpu-pipeline: `gpu_strategy` codegen,
        library or auto, kernels for `gpu_chip` with `gpu_threads` per block
        embedded as PTX; link with runtime/cuda on the GPU machine,
        docs/GPU.md). `cpu` is the host CPU the object is compiled for
        ('host', or e.g. 'x86-64-v3' for any AVX2 machine); formats are
        chosen with the target's cost model when `select_formats`. Returns
        the pipeline that ran."""
        flags = (f"select-formats={'true' if select_formats else 'false'} "
                 f"batch-size={batch_size}")
        if target == "cpu":
            pipeline = f"sparsenn-cpu-pipeline{{threads={threads} {flags}}}"
        elif target == "gpu":
            pipeline = (f"sparsenn-gpu-pipeline{{strategy={gpu_strategy} "
                        f"chip={gpu_chip} threads={gpu_threads} {flags}}}")
        else:
            raise ValueError(f"target must be 'cpu' or 'gpu', got {target!r}")
        data = _export_object(self.mlir, pipeline, cpu)
        with open(path, "wb") as f:
            f.write(data)
        return pipeline

    def compile(self, target: str = "cpu", arch: str = "scnn", threads: int = 1,
                vl: int = -1, select_formats: bool = False,
                batch_size: int = 16, gpu_threads: int = 256,
                gpu_strategy: str = "codegen", gather: int = -1) -> "CompiledModel":
        """JIT-compiles the entry for this CPU (target='cpu': `threads`
        OpenMP threads, vector length `vl`, -1 from the host, and optional
        automatic formats), for the accelerator simulator (target='accel',
        `arch` a preset or '#sacc.arch<...>'), or for the GPU with its
        kernels, device buffers and copies run on the host
        (target='gpu-emulated': the GPU pipeline's code generation, checked
        without a GPU; `gpu_threads` per block, `gpu_strategy` codegen,
        library or auto, cuSPARSE's products run as host loops, and
        optional formats from the GPU cost model). `gather`: how a CPU
        matrix-vector row loads the activations, 1 vector gathers, 0 scalar
        loads, -1 the host's choice (scalar loads on AMD Zen). Invalid
        combinations raise ValueError."""
        program = Program(self.mlir, self.entry, target, arch, threads, vl,
                          select_formats, batch_size, gpu_threads, gpu_strategy,
                          gather)
        return CompiledModel(self, program, target, arch, batch_size)


class CompiledModel:
    """A compiled entry point: call it with NumPy arrays (C-contiguous arrays
    of the right dtype are passed without copying)."""

    def __init__(self, model: Model, program: Program, target: str, arch: str,
                 batch_size: int):
        self.model = model
        self._program = program
        self.target = target
        self.arch = arch
        self._batch_size = batch_size

    @property
    def mlir(self) -> str:
        return self.model.mlir

    @property
    def compile_ms(self) -> float:
        """Compilation time (pipeline + JIT), milliseconds."""
        return self._program.compile_ms

    @property
    def pipeline(self) -> str:
        """The pass pipeline the target ran, as text (sparse-opt syntax)."""
        return self._program.pipeline

    @property
    def argument_types(self) -> List[str]:
        return self._program.argument_types

    @property
    def result_types(self) -> List[str]:
        return self._program.result_types

    def __call__(self, *arrays: np.ndarray):
        return self._program(*arrays)

    def report(self) -> Report:
        target = "gpu" if self.target == "gpu-emulated" else self.target
        return self.model.report(target, self._batch_size, self.arch)

    def benchmark(self, *arrays: np.ndarray, reps: int = 20) -> Dict[str, float]:
        """Times `reps` calls after a warm-up: min and median milliseconds."""
        if reps < 1:
            raise ValueError("reps must be at least 1")
        times = self._program.time(*arrays, reps=reps)
        return {"min_ms": min(times), "median_ms": statistics.median(times),
                "reps": reps}

    def accel_stats(self) -> Optional[Dict[str, Any]]:
        """The simulator's statistics of the last call (target='accel'):
        cycles, bytes moved, MACs, PE utilisation, energy, area."""
        text = self._program.accel_stats_json
        return json.loads(text) if text else None

    def __repr__(self) -> str:
        return (f"CompiledModel(target={self.target!r}, "
                f"arguments={self.argument_types}, results={self.result_types})")
