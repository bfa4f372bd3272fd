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

#define GET_OP_CLASSES
#include "sparsenn/Dialect/SNN/IR/SNNOps.h.inc"

#endif // SPARSENN_DIALECT_SNN_IR_SNNOPS_H
