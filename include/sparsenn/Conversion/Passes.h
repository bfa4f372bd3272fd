//===- Passes.h - SparseNN conversion passes --------------------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_CONVERSION_PASSES_H
#define SPARSENN_CONVERSION_PASSES_H

#include "sparsenn/Conversion/SNNToLinalg/SNNToLinalg.h"

namespace mlir {

#define GEN_PASS_REGISTRATION
#include "sparsenn/Conversion/Passes.h.inc"

} // namespace mlir

#endif // SPARSENN_CONVERSION_PASSES_H
