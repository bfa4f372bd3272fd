//===- Elementwise.h - Element-by-element linalg ops ------------*- C++ -*-===//
//
// Part of SparseNN. The predicate the passes that move or fuse activations
// share (snn-fold-batch-transposes, snn-sparse-kernels).
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SNN_UTILS_ELEMENTWISE_H
#define SPARSENN_DIALECT_SNN_UTILS_ELEMENTWISE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::snn {

/// Whether `op` applies its body to one tensor element by element, so the
/// body can run on any layout of that tensor or at the store of each of its
/// elements: one input, one init that the body does not read, identity maps,
/// parallel loops, and a body of scalar elementwise-mappable ops and
/// constants (linalg::isElementwise).
bool isUnaryElementwise(linalg::GenericOp op);

} // namespace mlir::snn

#endif // SPARSENN_DIALECT_SNN_UTILS_ELEMENTWISE_H
