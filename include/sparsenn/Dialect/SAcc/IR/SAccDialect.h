//===- SAccDialect.h - The sacc dialect -------------------------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SACC_IR_SACCDIALECT_H
#define SPARSENN_DIALECT_SACC_IR_SACCDIALECT_H

#include "mlir/IR/Dialect.h"

#include "sparsenn/Dialect/SAcc/IR/SAccOpsDialect.h.inc"

#endif // SPARSENN_DIALECT_SACC_IR_SACCDIALECT_H
