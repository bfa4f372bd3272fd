"""ONNX import: an ONNX model (opsets 11-17) to an snn program.

Layers become snn ops (Gemm and MatMul with a constant weight -> snn.linear,
Conv -> snn.conv2d, pooling, activations, Softmax, Flatten and flattening
Reshapes -> snn.flatten); element-wise arithmetic with NumPy broadcasting
(Add, Sub, Mul, Div, Pow, Sqrt, Exp) and reductions (ReduceMean, ReduceSum)
become linalg.generic on tensors; BatchNormalization after a Conv or Gemm is
folded into its weights; LayerNormalization is spelled out in those ops.
Initializers become weights (dense_resource blobs). Shape arithmetic that
exporters emit for flattening (Shape, Gather, Unsqueeze, Concat feeding a
Reshape) is folded at import time. The imported function is @main; its
arguments are the graph's inputs in order.

An unsupported op raises OnnxImportError naming the op, the node and its
position in the graph.
"""

from __future__ import annotations

import os
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ._errors import OnnxImportError
from .layers import _hex_blob

Shape = Tuple[Optional[int], ...]


def _tensor(shape: Shape, elt: str = "f32") -> str:
    dims = "x".join("?" if d is None else str(d) for d in shape)
    return f"tensor<{dims}x{elt}>" if dims else f"tensor<{elt}>"


class _Dim:
    """A symbolic dimension in folded shape arithmetic: dimension `index` of
    graph value `value` (unknown at import time)."""

    def __init__(self, value: str, index: int):
        self.value, self.index = value, index


class _Importer:
    def __init__(self, model):
        import onnx
        from onnx import numpy_helper
        self.onnx, self.numpy_helper = onnx, numpy_helper
        self.model = model
        self.graph = model.graph
        self.opset = max((o.version for o in model.opset_import
                          if o.domain in ("", "ai.onnx")), default=13)
        if not 11 <= self.opset <= 17:
            raise OnnxImportError(f"opset {self.opset} is not supported "
                                  "(11 to 17)")
        self.lines: List[str] = []
        self.blobs: Dict[str, np.ndarray] = {}
        self.values: Dict[str, Tuple[str, Shape]] = {}  # name -> (ssa, shape)
        self.consts: Dict[str, np.ndarray] = {}
        self.shapes: Dict[str, list] = {}  # folded shape vectors
        self.count = 0
        for init in self.graph.initializer:
            self.consts[init.name] = numpy_helper.to_array(init)

    # ------------------------------------------------------------ helpers
    def fresh(self) -> str:
        self.count += 1
        return f"%v{self.count}"

    def fail(self, node, index, why):
        raise OnnxImportError(f"node #{index} '{node.name or node.output[0]}' "
                              f"({node.op_type}): {why}")

    def attr(self, node, name, default=None):
        for a in node.attribute:
            if a.name == name:
                return self.onnx.helper.get_attribute_value(a)
        return default

    def constant(self, array: np.ndarray) -> Tuple[str, Shape]:
        """Emits an f32 constant."""
        a = np.ascontiguousarray(array, dtype=np.float32)
        ssa = self.fresh()
        t = _tensor(a.shape)
        if a.size <= 16 and np.isfinite(a).all():
            if a.ndim == 0:
                body = f"{float(a):.9g}"
            else:
                body = repr(a.tolist())
            self.lines.append(f"  {ssa} = arith.constant dense<{body}> : {t}")
        else:
            name = f"w{len(self.blobs)}"
            self.blobs[name] = a
            self.lines.append(f"  {ssa} = arith.constant dense_resource<{name}> : {t}")
        return ssa, a.shape

    def value(self, name: str) -> Tuple[str, Shape]:
        if name in self.values:
            return self.values[name]
        if name in self.consts:
            self.values[name] = self.constant(self.consts[name])
            return self.values[name]
        raise OnnxImportError(f"value '{name}' is not defined")

    def const_of(self, name: str) -> Optional[np.ndarray]:
        return self.consts.get(name) if name else None

    # --------------------------------------------------- element-wise ops
    def broadcast(self, shapes: Sequence[Shape]) -> Shape:
        rank = max(len(s) for s in shapes)
        out = []
        for d in range(rank):
            dims = [s[d - rank + len(s)] for s in shapes if d - rank + len(s) >= 0]
            known = {x for x in dims if x is not None and x != 1}
            if len(known) > 1:
                raise OnnxImportError(f"shapes {shapes} do not broadcast")
            if known:
                out.append(known.pop())
            elif None in dims:
                out.append(None)
            else:
                out.append(1)
        return tuple(out)

    def empty(self, shape: Shape, like: List[Tuple[str, Shape]]) -> str:
        """tensor.empty of `shape`, dynamic sizes taken from an operand."""
        dyn = []
        for d, size in enumerate(shape):
            if size is not None:
                continue
            for ssa, s in like:
                k = d - len(shape) + len(s)
                if k >= 0 and s[k] is None:
                    c = self.fresh()
                    self.lines.append(f"  {c} = arith.constant {k} : index")
                    v = self.fresh()
                    self.lines.append(f"  {v} = tensor.dim {ssa}, {c} : {_tensor(s)}")
                    dyn.append(v)
                    break
            else:
                raise OnnxImportError(f"cannot size dynamic dimension {d}")
        e = self.fresh()
        self.lines.append(f"  {e} = tensor.empty({', '.join(dyn)}) : {_tensor(shape)}")
        return e

    def elementwise(self, operands: List[Tuple[str, Shape]], body) -> Tuple[str, Shape]:
        """A linalg.generic applying `body(args) -> (lines, result)` to the
        NumPy-broadcast operands."""
        shape = self.broadcast([s for _, s in operands])
        rank = len(shape)
        dims = ", ".join(f"d{i}" for i in range(rank))
        maps = []
        for _, s in operands:
            exprs = []
            for k, size in enumerate(s):
                d = k + rank - len(s)
                exprs.append("0" if size == 1 and shape[d] != 1 else f"d{d}")
            maps.append(f"affine_map<({dims}) -> ({', '.join(exprs)})>")
        maps.append(f"affine_map<({dims}) -> ({dims})>")
        init = self.empty(shape, operands)
        args = [f"%a{i}" for i in range(len(operands))]
        lines, res = body(args)
        out = self.fresh()
        ins = ", ".join(o for o, _ in operands)
        ins_t = ", ".join(_tensor(s) for _, s in operands)
        iters = ", ".join(['"parallel"'] * rank)
        block_args = ", ".join(f"{a}: f32" for a in args)
        self.lines.append(
            f"  {out} = linalg.generic {{indexing_maps = [{', '.join(maps)}], "
            f"iterator_types = [{iters}]}} ins({ins} : {ins_t}) "
            f"outs({init} : {_tensor(shape)}) {{")
        self.lines.append(f"  ^bb0({block_args}, %out: f32):")
        self.lines += [f"    {l}" for l in lines]
        self.lines.append(f"    linalg.yield {res} : f32")
        self.lines.append(f"  }} -> {_tensor(shape)}")
        return out, shape

    def binary(self, op: str, a, b):
        return self.elementwise([a, b], lambda x: (
            [f"%r = {op} {x[0]}, {x[1]} : f32"], "%r"))

    def unary(self, op: str, a):
        return self.elementwise([a], lambda x: ([f"%r = {op} {x[0]} : f32"], "%r"))

    def reduce(self, a, axes: List[int], keepdims: bool, mean: bool):
        ssa, shape = a
        rank = len(shape)
        axes = sorted({x % rank for x in axes}) if axes else list(range(rank))
        out_shape = tuple(1 if d in axes else s for d, s in enumerate(shape)
                          if keepdims or d not in axes)
        dims = ", ".join(f"d{i}" for i in range(rank))
        out_exprs = [("0" if d in axes else f"d{d}") for d in range(rank)
                     if keepdims or d not in axes]
        # Dynamic output sizes come from the input dimension each output
        # dimension keeps.
        dyn = []
        for d, size in enumerate(shape):
            if size is None and d not in axes:
                c, v = self.fresh(), self.fresh()
                self.lines.append(f"  {c} = arith.constant {d} : index")
                self.lines.append(f"  {v} = tensor.dim {ssa}, {c} : {_tensor(shape)}")
                dyn.append(v)
        init = self.fresh()
        self.lines.append(f"  {init} = tensor.empty({', '.join(dyn)}) : "
                          f"{_tensor(out_shape)}")
        zero = self.fresh()
        self.lines.append(f"  {zero} = arith.constant 0.0 : f32")
        filled = self.fresh()
        self.lines.append(f"  {filled} = linalg.fill ins({zero} : f32) outs({init} : "
                          f"{_tensor(out_shape)}) -> {_tensor(out_shape)}")
        iters = ", ".join('"reduction"' if d in axes else '"parallel"'
                          for d in range(rank))
        out = self.fresh()
        self.lines.append(
            f"  {out} = linalg.generic {{indexing_maps = [affine_map<({dims}) -> ({dims})>, "
            f"affine_map<({dims}) -> ({', '.join(out_exprs)})>], iterator_types = [{iters}]}} "
            f"ins({ssa} : {_tensor(shape)}) outs({filled} : {_tensor(out_shape)}) {{")
        self.lines.append("  ^bb0(%in: f32, %acc: f32):")
        self.lines.append("    %s = arith.addf %in, %acc : f32")
        self.lines.append("    linalg.yield %s : f32")
        self.lines.append(f"  }} -> {_tensor(out_shape)}")
        result = (out, out_shape)
        if mean:
            count = 1
            for d in axes:
                if shape[d] is None:
                    raise OnnxImportError("ReduceMean over a dynamic dimension")
                count *= shape[d]
            result = self.binary("arith.divf", result, self.constant(np.float32(count)))
        return result

    def layer_norm(self, x, axis: int, eps: float, scale, bias):
        rank = len(x[1])
        axes = list(range(axis % rank, rank))
        mean = self.reduce(x, axes, True, True)
        d = self.binary("arith.subf", x, mean)
        var = self.reduce(self.binary("arith.mulf", d, d), axes, True, True)
        std = self.unary("math.sqrt", self.binary(
            "arith.addf", var, self.constant(np.float32(eps))))
        y = self.binary("arith.divf", d, std)
        if scale is not None:
            y = self.binary("arith.mulf", y, scale)
        if bias is not None:
            y = self.binary("arith.addf", y, bias)
        return y

    # ------------------------------------------------------------- layers
    def linear(self, x, w: np.ndarray, b: Optional[np.ndarray]):
        ssa, shape = x
        if len(shape) < 2 or shape[-1] != w.shape[1]:
            raise OnnxImportError(f"a [{w.shape[0]}, {w.shape[1]}] weight "
                                  f"cannot take shape {shape}")
        out = shape[:-1] + (w.shape[0],)
        operands, types = self.layer_operands(ssa, shape, w, b)
        res = self.fresh()
        self.lines.append(f"  {res} = snn.linear {operands} : ({types}) -> {_tensor(out)}")
        return res, out

    def layer_operands(self, x: str, shape: Shape, w: np.ndarray,
                       b: Optional[np.ndarray]) -> Tuple[str, str]:
        """Emits the weight (and bias) constants; returns a layer op's operand
        list and operand types."""
        wv, wt = self.constant(w)
        operands, types = f"{x}, {wv}", f"{_tensor(shape)}, {_tensor(wt)}"
        if b is not None:
            bv, bt = self.constant(b)
            operands += f" bias {bv}"
            types += f", {_tensor(bt)}"
        return operands, types

    def snn_unary(self, op, x):
        res = self.fresh()
        t = _tensor(x[1])
        self.lines.append(f"  {res} = snn.{op} {x[0]} : ({t}) -> {t}")
        return res, x[1]

    def flatten(self, x, start: int, end: int):
        ssa, shape = x
        s, e = start % len(shape), end % len(shape)
        if s == e:
            return x
        dims = shape[s:e + 1]
        size = None if None in dims else int(np.prod(dims))
        out = shape[:s] + (size,) + shape[e + 1:]
        res = self.fresh()
        self.lines.append(f"  {res} = snn.flatten {ssa} {{start_dim = {s}, end_dim = {e}}}"
                          f" : ({_tensor(shape)}) -> {_tensor(out)}")
        return res, out

    def window(self, size, k, stride, lo, hi, dil=1, ceil=False):
        if size is None:
            return None
        span = size + lo + hi - dil * (k - 1) - 1
        out = (-(-span // stride) if ceil else span // stride) + 1
        if ceil and (out - 1) * stride >= size + lo:
            out -= 1
        return out

    def pads(self, node, index, shape, kernel, strides, dil=(1, 1)):
        auto = self.attr(node, "auto_pad", b"NOTSET")
        auto = auto.decode() if isinstance(auto, bytes) else auto
        if auto in ("NOTSET", "VALID"):
            p = list(self.attr(node, "pads", [0, 0, 0, 0])) if auto == "NOTSET" else [0] * 4
            return (p[0], p[1], p[2], p[3])
        if shape[2] is None or shape[3] is None:
            self.fail(node, index, f"auto_pad {auto} needs static spatial sizes")
        pads = []
        for d in range(2):
            out = -(-shape[2 + d] // strides[d])
            total = max(0, (out - 1) * strides[d] + dil[d] * (kernel[d] - 1) + 1
                        - shape[2 + d])
            lo = total // 2 if auto == "SAME_UPPER" else total - total // 2
            pads.append((lo, total - lo))
        return (pads[0][0], pads[1][0], pads[0][1], pads[1][1])

    # -------------------------------------------------------------- nodes
    def fold_batchnorms(self, nodes):
        """Folds BatchNormalization into a preceding Conv/Gemm/MatMul with
        constant weights whose output only it reads. Returns the nodes to
        emit and the weight overrides {node index: (W, b)}."""
        users: Dict[str, int] = {}
        for n in nodes:
            for i in n.input:
                users[i] = users.get(i, 0) + 1
        producer = {o: k for k, n in enumerate(nodes) for o in n.output}
        overrides, skip, alias = {}, set(), {}
        for k, n in enumerate(nodes):
            if n.op_type != "BatchNormalization" or len(n.output) > 1 and any(n.output[1:]):
                continue
            p = producer.get(n.input[0])
            params = [self.const_of(i) for i in n.input[1:5]]
            if p is None or users.get(n.input[0], 0) != 1 or any(v is None for v in params):
                continue
            prev = nodes[p]
            w, b = self.layer_weights(prev, overrides.get(p))
            if w is None:
                continue
            scale, shift, mean, var = (v.astype(np.float64) for v in params)
            s = scale / np.sqrt(var + self.attr(n, "epsilon", 1e-5))
            w = (w.astype(np.float64) * s.reshape((-1,) + (1,) * (w.ndim - 1)))
            b = ((b.astype(np.float64) if b is not None else 0) - mean) * s + shift
            overrides[p] = (w.astype(np.float32), b.astype(np.float32))
            skip.add(k)
            alias[n.output[0]] = prev.output[0]
        return overrides, skip, alias

    def layer_weights(self, node, override):
        """(W, b) of a Conv, Gemm or MatMul with constant weights, in snn's
        layout (Conv [O, C, KH, KW]; Gemm/MatMul [out, in]), or (None, None)."""
        if override is not None:
            return override
        if node.op_type == "Conv":
            w = self.const_of(node.input[1])
            b = self.const_of(node.input[2]) if len(node.input) > 2 else None
            return (w, b) if w is not None and w.ndim == 4 else (None, None)
        if node.op_type == "Gemm":
            w = self.const_of(node.input[1])
            if w is None or self.attr(node, "transA", 0) or w.ndim != 2:
                return None, None
            w = w if self.attr(node, "transB", 0) else w.T
            w = w * self.attr(node, "alpha", 1.0)
            b = None
            if len(node.input) > 2 and node.input[2]:
                c = self.const_of(node.input[2])
                if c is None or c.size not in (1, w.shape[0]):
                    return None, None
                b = np.broadcast_to(c.reshape(-1) * self.attr(node, "beta", 1.0),
                                    (w.shape[0],))
            return np.ascontiguousarray(w), b
        if node.op_type == "MatMul":
            w = self.const_of(node.input[1])
            return (np.ascontiguousarray(w.T), None) if w is not None and w.ndim == 2 else (None, None)
        return None, None

    def shape_vec(self, name) -> Optional[list]:
        """A folded shape vector (ints and _Dims) for value `name`."""
        if name in self.shapes:
            return self.shapes[name]
        c = self.const_of(name)
        if c is not None and c.dtype.kind == "i":
            return [int(v) for v in c.reshape(-1)]
        return None

    def run(self) -> str:
        g = self.graph
        init_names = set(self.consts)
        params = []
        for i, inp in enumerate(x for x in g.input if x.name not in init_names):
            tt = inp.type.tensor_type
            if tt.elem_type != self.onnx.TensorProto.FLOAT:
                raise OnnxImportError(f"graph input '{inp.name}' is not float32")
            shape = tuple(d.dim_value if d.HasField("dim_value") else None
                          for d in tt.shape.dim)
            ssa = f"%arg{i}"
            self.values[inp.name] = (ssa, shape)
            params.append(f"{ssa}: {_tensor(shape)}")
        nodes = list(g.node)
        overrides, skip, alias = self.fold_batchnorms(nodes)
        for k, node in enumerate(nodes):
            if k in skip:  # a folded BatchNormalization: its producer's value
                self.values[node.output[0]] = self.value(alias[node.output[0]])
                continue
            try:
                self.node(k, node, overrides.get(k))
            except OnnxImportError as e:
                if str(e).startswith("node #"):
                    raise
                self.fail(node, k, str(e))
        results = [self.value(o.name) for o in g.output]
        lines = [f"func.func @main({', '.join(params)}) -> "
                 f"({', '.join(_tensor(s) for _, s in results)}) {{"]
        lines += self.lines
        lines.append(f"  return {', '.join(v for v, _ in results)} : "
                     f"{', '.join(_tensor(s) for _, s in results)}")
        lines.append("}")
        if self.blobs:
            lines.append("{-#\n  dialect_resources: {\n    builtin: {")
            lines.append(",\n".join(f'      {k}: "{_hex_blob(v)}"'
                                    for k, v in self.blobs.items()))
            lines.append("    }\n  }\n#-}")
        return "\n".join(lines) + "\n"

    def node(self, k, node, override):
        op, ins, outs = node.op_type, list(node.input), list(node.output)

        def val(i):
            return self.value(ins[i])

        def set_out(v, i=0):
            self.values[outs[i]] = v

        if op == "Constant":
            t = self.attr(node, "value")
            if t is not None:
                self.consts[outs[0]] = self.numpy_helper.to_array(t)
            elif self.attr(node, "value_float") is not None:
                self.consts[outs[0]] = np.float32(self.attr(node, "value_float"))
            elif self.attr(node, "value_floats") is not None:
                self.consts[outs[0]] = np.array(self.attr(node, "value_floats"), np.float32)
            elif self.attr(node, "value_int") is not None:
                self.consts[outs[0]] = np.int64(self.attr(node, "value_int"))
            elif self.attr(node, "value_ints") is not None:
                self.consts[outs[0]] = np.array(self.attr(node, "value_ints"), np.int64)
            else:
                self.fail(node, k, "unsupported Constant form")
            return
        if op in ("Identity", "Dropout"):
            set_out(val(0))
            return
        # Shape arithmetic, folded.
        if op == "Shape":
            _, shape = val(0)
            self.shapes[outs[0]] = [s if s is not None else _Dim(ins[0], d)
                                    for d, s in enumerate(shape)]
            return
        if op in ("Gather", "Unsqueeze", "Concat", "Squeeze", "Cast") and \
                all(self.shape_vec(i) is not None for i in ins if i) and ins:
            vecs = [self.shape_vec(i) for i in ins]
            if op == "Gather":
                idx = vecs[1]
                self.shapes[outs[0]] = [vecs[0][i] for i in idx]
            elif op == "Concat":
                self.shapes[outs[0]] = [v for vec in vecs for v in vec]
            else:
                self.shapes[outs[0]] = vecs[0]
            return
        if op in ("Gemm", "MatMul") or op == "Conv":
            w, b = self.layer_weights(node, override)
            if op == "MatMul" and w is None:
                (a, sa), (bb, sb) = val(0), val(1)
                if len(sa) != 2 or len(sb) != 2:
                    self.fail(node, k, "MatMul of two non-constant operands "
                              "must be 2-D")
                res = self.fresh()
                out = (sa[0], sb[1])
                self.lines.append(f"  {res} = snn.matmul {a}, {bb} : ({_tensor(sa)}, "
                                  f"{_tensor(sb)}) -> {_tensor(out)}")
                set_out((res, out))
                return
            if w is None:
                self.fail(node, k, "needs a constant weight (and transA = 0, "
                          "a constant bias)")
            if op != "Conv":
                set_out(self.linear(val(0), w, b))
                return
            x, shape = val(0)
            if len(shape) != 4:
                self.fail(node, k, "only 2-D convolutions (NCHW) are supported")
            strides = tuple(self.attr(node, "strides", [1, 1]))
            dil = tuple(self.attr(node, "dilations", [1, 1]))
            group = self.attr(node, "group", 1)
            kernel = w.shape[2:]
            pads = self.pads(node, k, shape, kernel, strides, dil)
            out = (shape[0], w.shape[0],
                   self.window(shape[2], kernel[0], strides[0], pads[0], pads[2], dil[0]),
                   self.window(shape[3], kernel[1], strides[1], pads[1], pads[3], dil[1]))
            operands, types = self.layer_operands(x, shape, w, b)
            res = self.fresh()
            self.lines.append(
                f"  {res} = snn.conv2d {operands} {{strides = array<i64: {strides[0]}, "
                f"{strides[1]}>, padding = array<i64: {', '.join(map(str, pads))}>, "
                f"dilations = array<i64: {dil[0]}, {dil[1]}>, groups = {group}}} : "
                f"({types}) -> {_tensor(out)}")
            set_out((res, out))
            return
        if op in ("Relu", "Sigmoid", "Tanh"):
            set_out(self.snn_unary(op.lower(), val(0)))
            return
        if op == "Softmax":
            x = val(0)
            axis = self.attr(node, "axis", -1 if self.opset >= 13 else 1)
            axis %= len(x[1])
            if self.opset < 13 and axis != len(x[1]) - 1:
                self.fail(node, k, "opset < 13 Softmax over several axes")
            res = self.fresh()
            t = _tensor(x[1])
            self.lines.append(f"  {res} = snn.softmax {x[0]} {{axis = {axis}}} : ({t}) -> {t}")
            set_out((res, x[1]))
            return
        if op == "Flatten":
            x = val(0)
            axis = self.attr(node, "axis", 1) % max(len(x[1]), 1)
            if axis == 0:
                self.fail(node, k, "Flatten with axis 0 is not supported")
            y = self.flatten(x, axis, -1)
            set_out(self.flatten(y, 0, axis - 1))
            return
        if op == "Reshape":
            x = val(0)
            vec = self.shape_vec(ins[1])
            if vec is None:
                self.fail(node, k, "the target shape must be a constant or "
                          "folded shape arithmetic")
            target = []
            for d, v in enumerate(vec):
                if isinstance(v, _Dim):
                    src = self.values.get(v.value, (None, ()))[1]
                    same = v.value == ins[0] or (len(src) > v.index and v.index == d)
                    target.append(x[1][d] if same and d < len(x[1]) else None)
                elif v == 0:
                    target.append(x[1][d])
                else:
                    target.append(v)
            shape = x[1]
            # The flatten forms: [d0, -1], [d0, prod(rest)], [-1, prod(rest)].
            rest = None if None in shape[1:] else int(np.prod(shape[1:]))
            if len(target) == 2 and len(shape) >= 2 and \
                    (target[0] in (shape[0], -1) or target[0] is None) and \
                    target[1] in (-1, rest):
                set_out(self.flatten(x, 1, -1))
                return
            if list(target) == list(shape):
                set_out(x)
                return
            self.fail(node, k, f"Reshape of {shape} to {vec} is not a "
                      "flattening (only [N, -1] forms are supported)")
        if op in ("MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool"):
            x, shape = val(0)
            if len(shape) != 4:
                self.fail(node, k, "only 2-D pooling (NCHW) is supported")
            if op.startswith("Global"):
                if shape[2] is None or shape[3] is None:
                    self.fail(node, k, "needs static spatial sizes")
                kernel, strides, pads, ceil = shape[2:], (1, 1), (0, 0, 0, 0), 0
            else:
                kernel = tuple(self.attr(node, "kernel_shape"))
                strides = tuple(self.attr(node, "strides", [1, 1]))
                if self.attr(node, "dilations", [1, 1]) != [1, 1]:
                    self.fail(node, k, "pooling with dilations")
                pads = self.pads(node, k, shape, kernel, strides)
                ceil = self.attr(node, "ceil_mode", 0)
            out = (shape[0], shape[1],
                   self.window(shape[2], kernel[0], strides[0], pads[0], pads[2], 1, bool(ceil)),
                   self.window(shape[3], kernel[1], strides[1], pads[1], pads[3], 1, bool(ceil)))
            kind = "maxpool2d" if "Max" in op else "avgpool2d"
            extra = ""
            if kind == "avgpool2d":
                include = self.attr(node, "count_include_pad", 0)
                extra = f", count_include_pad = {'true' if include else 'false'}"
            res = self.fresh()
            self.lines.append(
                f"  {res} = snn.{kind} {x} {{kernel = array<i64: {kernel[0]}, {kernel[1]}>, "
                f"strides = array<i64: {strides[0]}, {strides[1]}>, padding = array<i64: "
                f"{', '.join(map(str, pads))}>, ceil_mode = {'true' if ceil else 'false'}"
                f"{extra}}} : ({_tensor(shape)}) -> {_tensor(out)}")
            set_out((res, out))
            return
        if op == "Transpose":
            x, shape = val(0)
            perm = list(self.attr(node, "perm", list(range(len(shape)))[::-1]))
            out = tuple(shape[p] for p in perm)
            dyn = []
            for d, p in enumerate(perm):
                if shape[p] is None:
                    c, v = self.fresh(), self.fresh()
                    self.lines.append(f"  {c} = arith.constant {p} : index")
                    self.lines.append(f"  {v} = tensor.dim {x}, {c} : {_tensor(shape)}")
                    dyn.append(v)
            init, res = self.fresh(), self.fresh()
            self.lines.append(f"  {init} = tensor.empty({', '.join(dyn)}) : {_tensor(out)}")
            self.lines.append(
                f"  {res} = linalg.transpose ins({x} : {_tensor(shape)}) "
                f"outs({init} : {_tensor(out)}) permutation = "
                f"[{', '.join(map(str, perm))}]")
            set_out((res, out))
            return
        if op == "Pad":
            mode = self.attr(node, "mode", b"constant")
            mode = mode.decode() if isinstance(mode, bytes) else mode
            if mode != "constant":
                self.fail(node, k, f"Pad mode '{mode}' (only constant)")
            pads = self.attr(node, "pads")
            if pads is None:
                c = self.const_of(ins[1]) if len(ins) > 1 else None
                if c is None:
                    self.fail(node, k, "pads must be constant")
                pads = [int(v) for v in c.reshape(-1)]
            value = 0.0
            if len(ins) > 2 and ins[2]:
                c = self.const_of(ins[2])
                if c is None:
                    self.fail(node, k, "the pad value must be constant")
                value = float(c.reshape(-1)[0])
            value = self.attr(node, "value", value)
            x, shape = val(0)
            r = len(shape)
            lo, hi = pads[:r], pads[r:]
            if any(p < 0 for p in pads):
                self.fail(node, k, "negative pads (cropping)")
            if not any(pads):
                set_out((x, shape))
                return
            out = tuple(None if s is None else s + lo[d] + hi[d]
                        for d, s in enumerate(shape))
            res = self.fresh()
            idx = ", ".join(f"%i{d}: index" for d in range(r))
            self.lines.append(
                f"  {res} = tensor.pad {x} low[{', '.join(map(str, lo))}] "
                f"high[{', '.join(map(str, hi))}] {{")
            self.lines.append(f"  ^bb0({idx}):")
            self.lines.append(f"    %pv = arith.constant {value!r} : f32")
            self.lines.append("    tensor.yield %pv : f32")
            self.lines.append(f"  }} : {_tensor(shape)} to {_tensor(out)}")
            set_out((res, out))
            return
        arith = {"Add": "arith.addf", "Sub": "arith.subf", "Mul": "arith.mulf",
                 "Div": "arith.divf"}
        if op in arith:
            set_out(self.binary(arith[op], val(0), val(1)))
            return
        if op == "Pow":
            e = self.const_of(ins[1])
            if e is not None and e.size == 1 and float(e) == 2.0:
                x = val(0)
                set_out(self.binary("arith.mulf", x, x))
            else:
                set_out(self.binary("math.powf", val(0), val(1)))
            return
        if op in ("Sqrt", "Exp"):
            set_out(self.unary("math." + op.lower(), val(0)))
            return
        if op in ("ReduceMean", "ReduceSum"):
            axes = self.attr(node, "axes")
            if axes is None and len(ins) > 1 and ins[1]:
                c = self.const_of(ins[1])
                if c is None:
                    self.fail(node, k, "axes must be constant")
                axes = [int(a) for a in c.reshape(-1)]
            if axes is None and self.attr(node, "noop_with_empty_axes", 0):
                set_out(val(0))
                return
            set_out(self.reduce(val(0), list(axes or []),
                                bool(self.attr(node, "keepdims", 1)),
                                op == "ReduceMean"))
            return
        if op == "LayerNormalization":
            if len(outs) > 1 and any(outs[1:]):
                self.fail(node, k, "only the normalized output is supported")
            scale = val(1)
            bias = val(2) if len(ins) > 2 and ins[2] else None
            set_out(self.layer_norm(val(0), self.attr(node, "axis", -1),
                                    self.attr(node, "epsilon", 1e-5), scale, bias))
            return
        if op == "BatchNormalization":
            x = val(0)
            params = [self.const_of(i) for i in ins[1:5]]
            if any(p is None for p in params):
                self.fail(node, k, "needs constant scale, bias, mean and variance")
            scale, shift, mean, var = (p.astype(np.float64) for p in params)
            s = scale / np.sqrt(var + self.attr(node, "epsilon", 1e-5))
            t = shift - mean * s
            bshape = (-1,) + (1,) * (len(x[1]) - 2)
            y = self.binary("arith.mulf", x, self.constant(s.reshape(bshape)))
            set_out(self.binary("arith.addf", y, self.constant(t.reshape(bshape))))
            return
        self.fail(node, k, f"unsupported op '{op}'")


def import_onnx(model) -> str:
    """The snn MLIR text of an ONNX model (a path, bytes or an
    onnx.ModelProto)."""
    import onnx
    if isinstance(model, (str, os.PathLike)):
        try:
            model = onnx.load(model)
        except OSError as e:
            raise OnnxImportError(f"cannot read '{model}': {e.strerror or e}") from None
        except Exception as e:  # a truncated or corrupt file
            raise OnnxImportError(f"'{model}' is not an ONNX model: {e}") from None
    elif isinstance(model, bytes):
        try:
            model = onnx.load_from_string(model)
        except Exception as e:
            raise OnnxImportError(f"not an ONNX model: {e}") from None
    try:
        onnx.checker.check_model(model)
    except Exception as e:
        raise OnnxImportError(f"the ONNX model is invalid: {e}") from None
    return _Importer(model).run()


def main(argv=None) -> int:
    """python3 -m sparsenn.onnx_import MODEL.onnx: prints the snn MLIR."""
    import sys
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python3 -m sparsenn.onnx_import MODEL.onnx\n")
        return 2
    try:
        sys.stdout.write(import_onnx(args[0]))
    except OnnxImportError as e:
        sys.stderr.write(f"error: {e}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
