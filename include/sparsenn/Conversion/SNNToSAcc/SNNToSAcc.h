//===- SNNToSAcc.h - The SNNToSAcc conversion pass ----------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_CONVERSION_SNNTOSACC_SNNTOSACC_H
#define SPARSENN_CONVERSION_SNNTOSACC_SNNTOSACC_H

#include "mlir/Pass/Pass.h"

namespace mlir {
#define GEN_PASS_DECL_CONVERTSNNTOSACCPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

#endif // SPARSENN_CONVERSION_SNNTOSACC_SNNTOSACC_H
