//===- Passes.td - SparseNN conversion passes --------------*- tablegen -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_CONVERSION_PASSES_TD
#define SPARSENN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertSNNToLinalgPass : Pass<"convert-snn-to-linalg"> {
  let summary = "Lower snn layers to linalg on tensors, keeping encodings";
  let description = [{
    Every snn op becomes `linalg` (plus `tensor`, `arith`, `math`) on tensors.
    Weight encodings are kept, so upstream's sparsifier generates the sparse
    kernels:

    - `snn.linear`: a `linalg.generic` over (batch, out, in) computing
      `y[b, o] += x[b, i] * W[o, i]`, its init the broadcast bias (or 0);
      inputs of rank > 2 are collapsed to 2-D and the result expanded back;
    - `snn.matmul`: `linalg.matmul` into a zero-filled init;
    - `snn.relu`/`sigmoid`/`tanh`/`add`: `linalg.generic`; on a sparse
      operand the body is `sparse_tensor.unary`/`binary`, so only stored
      elements are visited (the `absent` region yields f(0) where f(0) != 0);
    - `snn.softmax`: max, exp, sum and divide generics along the axis;
    - `snn.flatten`: `tensor.collapse_shape`.

    Sparse operands of softmax, flatten and broadcasting adds are converted
    to dense first (`sparse_tensor.convert`).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::sparse_tensor::SparseTensorDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // SPARSENN_CONVERSION_PASSES_TD
