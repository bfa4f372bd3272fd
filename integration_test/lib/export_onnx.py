#!/usr/bin/env python3
"""Exports small PyTorch models to ONNX for the import tests:
export_onnx.py DIR writes DIR/cnn.onnx (conv + batch norm + pooling +
flatten + linear + softmax, dynamic batch), DIR/x.npy, DIR/want.npy (what
PyTorch computes on x) and DIR/gelu.onnx (an op the importer lacks)."""

import os
import sys

import numpy as np
import torch

out = sys.argv[1]
torch.manual_seed(0)
net = torch.nn.Sequential(
    torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.BatchNorm2d(4),
    torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
    torch.nn.Linear(64, 10), torch.nn.Softmax(dim=1)).eval()
with torch.no_grad():
    net[1].running_mean.uniform_(-1, 1)
    net[1].running_var.uniform_(0.5, 2)
x = torch.randn(5, 1, 8, 8)
torch.onnx.export(net, x, os.path.join(out, "cnn.onnx"), opset_version=13,
                  do_constant_folding=False, input_names=["x"],
                  output_names=["y"], dynamic_axes={"x": {0: "n"}, "y": {0: "n"}})
np.save(os.path.join(out, "x.npy"), x.numpy())
with torch.no_grad():
    np.save(os.path.join(out, "want.npy"), net(x).numpy())
torch.onnx.export(torch.nn.GELU(), torch.randn(2, 3),
                  os.path.join(out, "gelu.onnx"), opset_version=13)
