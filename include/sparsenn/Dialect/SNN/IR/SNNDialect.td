//===- SNNDialect.td - The snn dialect definition ----------*- tablegen -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SNN_IR_SNNDIALECT_TD
#define SPARSENN_DIALECT_SNN_IR_SNNDIALECT_TD

include "mlir/IR/OpBase.td"

def SNN_Dialect : Dialect {
  let name = "snn";
  let summary = "Layers of pruned (sparse) neural networks";
  let description = [{
    The `snn` dialect expresses the layers of a neural network whose weights
    may be pruned: `snn.linear`, `snn.matmul`, activations, `snn.add`,
    `snn.softmax` and `snn.flatten`. Operands are ranked tensors of `f32`;
    only weight operands carry a `#sparse_tensor.encoding`, and a layer may
    record how its weight was pruned in a `#snn.pattern` attribute.

    Conventions follow PyTorch (`snn.linear` computes `x * W^T + b` with a
    weight of shape `[OUT, IN]`), so a model moves over without reshuffling.
    The ops lower to `linalg` on tensors (`convert-snn-to-linalg`), keeping
    the encodings so upstream's sparsifier generates the sparse kernels.
  }];
  let cppNamespace = "::mlir::snn";
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
  let dependentDialects = [
    "::mlir::sparse_tensor::SparseTensorDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // SPARSENN_DIALECT_SNN_IR_SNNDIALECT_TD
