"""Sequential-style layers and the snn MLIR they become.

Each layer knows its output shape and how to print itself as an snn op;
`build_module` strings them into `func.func @main(%x)` with the weights as
`dense_resource` blobs (so large weights stay out of the attribute printer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np

Shape = Tuple[Optional[int], ...]


def _tensor(shape: Shape) -> str:
    dims = "x".join("?" if d is None else str(d) for d in shape)
    return f"tensor<{dims}xf32>" if dims else "tensor<f32>"


def _pair(v: Union[int, Sequence[int]]) -> Tuple[int, int]:
    if isinstance(v, int):
        return (v, v)
    v = tuple(int(x) for x in v)
    if len(v) != 2:
        raise ValueError(f"expected an int or a pair, got {v}")
    return v


def _padding(v: Union[int, Sequence[int]]) -> Tuple[int, int, int, int]:
    """int, (vertical, horizontal) as PyTorch, or (top, left, bottom, right)."""
    if isinstance(v, int):
        return (v, v, v, v)
    v = tuple(int(x) for x in v)
    if len(v) == 2:
        return (v[0], v[1], v[0], v[1])
    if len(v) == 4:
        return v
    raise ValueError(f"padding must be an int, 2 or 4 values, got {v}")


def _windowed(size: int, k: int, stride: int, lo: int, hi: int, dil: int = 1,
              ceil: bool = False) -> int:
    span = size + lo + hi - dil * (k - 1) - 1
    out = (math.ceil(span / stride) if ceil else span // stride) + 1
    if ceil and (out - 1) * stride >= size + lo:
        out -= 1  # the last window must start inside the input
    if out <= 0:
        raise ValueError(f"a window of {k} (stride {stride}) does not fit "
                         f"an input of {size} with padding {lo}+{hi}")
    return out


class Layer:
    """A layer of a Sequential model."""

    def out_shape(self, shape: Shape) -> Shape:
        raise NotImplementedError

    def emit(self, value: str, shape: Shape, name: str,
             blobs: dict) -> Tuple[str, str]:
        """Returns (the MLIR lines, the result value)."""
        raise NotImplementedError


def _weight_blob(blobs: dict, name: str, array: np.ndarray) -> str:
    blobs[name] = np.ascontiguousarray(array, dtype="<f4")
    return f"dense_resource<{name}>"


def _layer_operands(layer, value: str, shape: Shape, name: str, blobs: dict):
    """The constants of a layer's weight and bias, and its operand list and
    operand types: (lines, "x, %w bias %b", "tensor<...>, ...")."""
    wt = _tensor(layer.weight.shape)
    lines = [f"  %{name}_w = arith.constant "
             f"{_weight_blob(blobs, name + '_w', layer.weight)} : {wt}"]
    operands, types = f"{value}, %{name}_w", f"{_tensor(shape)}, {wt}"
    if layer.bias is not None:
        bt = _tensor(layer.bias.shape)
        lines.append(f"  %{name}_b = arith.constant "
                     f"{_weight_blob(blobs, name + '_b', layer.bias)} : {bt}")
        operands += f" bias %{name}_b"
        types += f", {bt}"
    return lines, operands, types


@dataclass
class Linear(Layer):
    """y = x W^T + b, W of shape [out, in] as in torch.nn.Linear."""
    weight: np.ndarray
    bias: Optional[np.ndarray] = None

    def __post_init__(self):
        self.weight = np.asarray(self.weight, dtype=np.float32)
        if self.weight.ndim != 2:
            raise ValueError(f"Linear weight must be [out, in], got shape "
                             f"{self.weight.shape}")
        if self.bias is not None:
            self.bias = np.asarray(self.bias, dtype=np.float32)
            if self.bias.shape != (self.weight.shape[0],):
                raise ValueError(f"Linear bias must be [{self.weight.shape[0]}]"
                                 f", got shape {self.bias.shape}")

    def out_shape(self, shape):
        if len(shape) < 2 or shape[-1] != self.weight.shape[1]:
            raise ValueError(f"Linear with {self.weight.shape[1]} inputs "
                             f"cannot take shape {shape}")
        return shape[:-1] + (self.weight.shape[0],)

    def emit(self, value, shape, name, blobs):
        out = self.out_shape(shape)
        lines, operands, types = _layer_operands(self, value, shape, name, blobs)
        lines.append(f"  %{name} = snn.linear {operands} : ({types}) -> "
                     f"{_tensor(out)}")
        return lines, f"%{name}"


@dataclass
class Conv2d(Layer):
    """NCHW convolution, weight [O, C/groups, KH, KW] as torch.nn.Conv2d."""
    weight: np.ndarray
    bias: Optional[np.ndarray] = None
    stride: Union[int, Sequence[int]] = 1
    padding: Union[int, Sequence[int]] = 0
    dilation: Union[int, Sequence[int]] = 1
    groups: int = 1

    def __post_init__(self):
        self.weight = np.asarray(self.weight, dtype=np.float32)
        if self.weight.ndim != 4:
            raise ValueError(f"Conv2d weight must be [O, C/groups, KH, KW], "
                             f"got shape {self.weight.shape}")
        if self.bias is not None:
            self.bias = np.asarray(self.bias, dtype=np.float32)
        self.stride, self.dilation = _pair(self.stride), _pair(self.dilation)
        self.padding = _padding(self.padding)

    def out_shape(self, shape):
        if len(shape) != 4 or shape[1] != self.weight.shape[1] * self.groups:
            raise ValueError(f"Conv2d with {self.weight.shape[1] * self.groups}"
                             f" input channels cannot take shape {shape}")
        o, _, kh, kw = self.weight.shape
        t, l, b, r = self.padding
        return (shape[0], o,
                _windowed(shape[2], kh, self.stride[0], t, b, self.dilation[0]),
                _windowed(shape[3], kw, self.stride[1], l, r, self.dilation[1]))

    def emit(self, value, shape, name, blobs):
        out = self.out_shape(shape)
        lines, operands, types = _layer_operands(self, value, shape, name, blobs)
        attrs = (f"strides = array<i64: {self.stride[0]}, {self.stride[1]}>, "
                 f"padding = array<i64: {', '.join(map(str, self.padding))}>, "
                 f"dilations = array<i64: {self.dilation[0]}, {self.dilation[1]}>, "
                 f"groups = {self.groups}")
        lines.append(f"  %{name} = snn.conv2d {operands} {{{attrs}}} : "
                     f"({types}) -> {_tensor(out)}")
        return lines, f"%{name}"


@dataclass
class _Pool2d(Layer):
    kernel: Union[int, Sequence[int]]
    stride: Optional[Union[int, Sequence[int]]] = None
    padding: Union[int, Sequence[int]] = 0
    ceil_mode: bool = False
    op = ""

    def __post_init__(self):
        self.kernel = _pair(self.kernel)
        self.stride = self.kernel if self.stride is None else _pair(self.stride)
        self.padding = _padding(self.padding)

    def out_shape(self, shape):
        if len(shape) != 4:
            raise ValueError(f"{type(self).__name__} takes NCHW, got {shape}")
        t, l, b, r = self.padding
        return (shape[0], shape[1],
                _windowed(shape[2], self.kernel[0], self.stride[0], t, b, 1, self.ceil_mode),
                _windowed(shape[3], self.kernel[1], self.stride[1], l, r, 1, self.ceil_mode))

    def _extra(self):
        return ""

    def emit(self, value, shape, name, blobs):
        out = self.out_shape(shape)
        attrs = (f"kernel = array<i64: {self.kernel[0]}, {self.kernel[1]}>, "
                 f"strides = array<i64: {self.stride[0]}, {self.stride[1]}>, "
                 f"padding = array<i64: {', '.join(map(str, self.padding))}>, "
                 f"ceil_mode = {'true' if self.ceil_mode else 'false'}"
                 + self._extra())
        return ([f"  %{name} = snn.{self.op} {value} {{{attrs}}} : "
                 f"({_tensor(shape)}) -> {_tensor(out)}"], f"%{name}")


@dataclass
class MaxPool2d(_Pool2d):
    op = "maxpool2d"


@dataclass
class AvgPool2d(_Pool2d):
    count_include_pad: bool = True
    op = "avgpool2d"

    def _extra(self):
        return (", count_include_pad = "
                + ("true" if self.count_include_pad else "false"))


class _Unary(Layer):
    op = ""

    def out_shape(self, shape):
        return shape

    def emit(self, value, shape, name, blobs):
        t = _tensor(shape)
        return [f"  %{name} = snn.{self.op} {value} : ({t}) -> {t}"], f"%{name}"


class ReLU(_Unary):
    op = "relu"


class Sigmoid(_Unary):
    op = "sigmoid"


class Tanh(_Unary):
    op = "tanh"


@dataclass
class Softmax(Layer):
    axis: int = -1

    def out_shape(self, shape):
        return shape

    def emit(self, value, shape, name, blobs):
        t = _tensor(shape)
        axis = self.axis % len(shape)
        return ([f"  %{name} = snn.softmax {value} {{axis = {axis}}} : ({t}) -> {t}"],
                f"%{name}")


@dataclass
class Flatten(Layer):
    start_dim: int = 1
    end_dim: int = -1

    def out_shape(self, shape):
        s, e = self.start_dim % len(shape), self.end_dim % len(shape)
        dims = shape[s:e + 1]
        size = None if any(d is None for d in dims) else int(np.prod(dims))
        return shape[:s] + (size,) + shape[e + 1:]

    def emit(self, value, shape, name, blobs):
        out = self.out_shape(shape)
        return ([f"  %{name} = snn.flatten {value} {{start_dim = {self.start_dim}, "
                 f"end_dim = {self.end_dim}}} : ({_tensor(shape)}) -> {_tensor(out)}"],
                f"%{name}")


def _hex_blob(a: np.ndarray) -> str:
    """A dense_resource blob: 4-byte alignment header, then the data."""
    return "0x04000000" + a.tobytes().hex().upper()


def build_module(layers: List[Layer], input_shape: Shape,
                 entry: str = "main") -> str:
    """The MLIR text of `@entry(%x) = layers(x)`; None in `input_shape` is a
    dynamic dimension."""
    if not layers:
        raise ValueError("a model needs at least one layer")
    shape = tuple(None if d is None else int(d) for d in input_shape)
    blobs: dict = {}
    body: List[str] = []
    value = "%x"
    for i, layer in enumerate(layers):
        if not isinstance(layer, Layer):
            raise TypeError(f"layer #{i} is {type(layer).__name__}, not a "
                            "sparsenn layer")
        try:
            lines, value = layer.emit(value, shape, f"l{i}", blobs)
        except ValueError as e:
            raise ValueError(f"layer #{i} ({type(layer).__name__}): {e}") from None
        body += lines
        shape = layer.out_shape(shape)
    text = [f"func.func @{entry}(%x: {_tensor(tuple(input_shape))}) -> "
            f"{_tensor(shape)} {{"] + body + [
            f"  return {value} : {_tensor(shape)}", "}"]
    if blobs:
        text.append("{-#\n  dialect_resources: {\n    builtin: {")
        text.append(",\n".join(f'      {k}: "{_hex_blob(v)}"'
                               for k, v in blobs.items()))
        text.append("    }\n  }\n#-}")
    return "\n".join(text) + "\n"
