"""PyTorch modules to sparsenn layers (python3-torch)."""

from __future__ import annotations

from typing import Any, List

from .layers import (AvgPool2d, Conv2d, Flatten, Layer, Linear, MaxPool2d,
                     ReLU, Sigmoid, Softmax, Tanh)


def _np(t):
    return None if t is None else t.detach().cpu().float().numpy()


def layers_from_torch(module: Any) -> List[Layer]:
    """The layers of a torch.nn.Sequential (nested Sequentials flattened),
    with their current weights. Unsupported modules raise ValueError naming
    them and their position."""
    import torch.nn as nn

    def walk(m, path):
        if isinstance(m, nn.Sequential):
            for name, child in m.named_children():
                yield from walk(child, f"{path}.{name}" if path else name)
        else:
            yield path, m

    layers: List[Layer] = []
    for path, m in walk(module, ""):
        if isinstance(m, nn.Linear):
            layers.append(Linear(_np(m.weight), _np(m.bias)))
        elif isinstance(m, nn.Conv2d):
            if isinstance(m.padding, str) or m.padding_mode != "zeros":
                raise ValueError(f"{path}: Conv2d with padding "
                                 f"{m.padding!r}/{m.padding_mode!r} is not "
                                 "supported (numeric zero padding only)")
            layers.append(Conv2d(_np(m.weight), _np(m.bias), m.stride,
                                 m.padding, m.dilation, m.groups))
        elif isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):
            if isinstance(m, nn.MaxPool2d) and m.dilation not in (1, (1, 1)):
                raise ValueError(f"{path}: MaxPool2d with dilation is not "
                                 "supported")
            cls = MaxPool2d if isinstance(m, nn.MaxPool2d) else AvgPool2d
            kwargs = {}
            if cls is AvgPool2d:
                if m.divisor_override is not None:
                    raise ValueError(f"{path}: AvgPool2d divisor_override is "
                                     "not supported")
                kwargs["count_include_pad"] = m.count_include_pad
            layers.append(cls(m.kernel_size, m.stride, m.padding, m.ceil_mode,
                              **kwargs))
        elif isinstance(m, nn.ReLU):
            layers.append(ReLU())
        elif isinstance(m, nn.Sigmoid):
            layers.append(Sigmoid())
        elif isinstance(m, nn.Tanh):
            layers.append(Tanh())
        elif isinstance(m, nn.Softmax):
            layers.append(Softmax(-1 if m.dim is None else m.dim))
        elif isinstance(m, nn.Flatten):
            layers.append(Flatten(m.start_dim, m.end_dim))
        elif isinstance(m, nn.Identity) or isinstance(m, nn.Dropout):
            continue  # inference: no-ops
        else:
            raise ValueError(f"module '{path}' ({type(m).__name__}) has no "
                             "sparsenn layer (supported: Linear, Conv2d, "
                             "MaxPool2d, AvgPool2d, ReLU, Sigmoid, Tanh, "
                             "Softmax, Flatten, Dropout, Identity)")
    return layers
