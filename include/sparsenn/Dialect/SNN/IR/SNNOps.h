//===- SNNOps.h - Operations of the snn dialect -----------------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SNN_IR_SNNOPS_H
#define SPARSENN_DIALECT_SNN_IR_SNNOPS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "sparsenn/Dialect/SNN/IR/SNNAttrs.h"
#include "sparsenn/Dialect/SNN/IR/SNNDialect.h"

namespace mlir::snn {
/// The output size of a convolution or pooling window along one dimension:
/// floor((in + padLo + padHi - dilation * (kernel - 1) - 1) / stride) + 1, or
/// the ceil form, where the last window must start inside the input or the
/// low padding (PyTorch). Dynamic for a dynamic `in`; 0 or less when the
/// window does not fit.
int64_t getWindowedSize(int64_t in, int64_t kernel, int64_t stride,
                        int64_t padLo, int64_t padHi, int64_t dilation,
                        bool ceilMode);
} // namespace mlir::snn

#define GET_OP_CLASSES
#include "sparsenn/Dialect/SNN/IR/SNNOps.h.inc"

#endif // SPARSENN_DIALECT_SNN_IR_SNNOPS_H
