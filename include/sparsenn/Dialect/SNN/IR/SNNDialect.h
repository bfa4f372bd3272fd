//===- SNNDialect.h - The snn dialect ---------------------------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SNN_IR_SNNDIALECT_H
#define SPARSENN_DIALECT_SNN_IR_SNNDIALECT_H

#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "sparsenn/Dialect/SNN/IR/SNNOpsDialect.h.inc"

#endif // SPARSENN_DIALECT_SNN_IR_SNNDIALECT_H
