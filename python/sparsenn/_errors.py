"""Exceptions of the sparsenn package (CompileError comes from _sparsenn)."""


class OnnxImportError(ValueError):
    """The ONNX model is unreadable, invalid, or uses something the importer
    does not take; the message names the op and where it is in the graph."""
