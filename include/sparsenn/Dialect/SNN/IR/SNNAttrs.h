//===- SNNAttrs.h - Attributes of the snn dialect ---------------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SNN_IR_SNNATTRS_H
#define SPARSENN_DIALECT_SNN_IR_SNNATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include <optional>

#include "sparsenn/Dialect/SNN/IR/SNNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "sparsenn/Dialect/SNN/IR/SNNAttrs.h.inc"

#endif // SPARSENN_DIALECT_SNN_IR_SNNATTRS_H
