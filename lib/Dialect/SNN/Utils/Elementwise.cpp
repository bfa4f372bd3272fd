//===- Elementwise.cpp - Element-by-element linalg ops --------------------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Utils/Elementwise.h"

#include "mlir/Dialect/Linalg/Utils/Utils.h"

using namespace mlir;

bool snn::isUnaryElementwise(linalg::GenericOp op) {
  if (!op || op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumResults() != 1 || !linalg::isElementwise(op))
    return false;
  if (!llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return false;
  return !op.payloadUsesValueFromOperand(op.getDpsInitOperand(0));
}
