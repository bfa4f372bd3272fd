//===- SAccToRuntime.h - The SAccToRuntime conversion pass ----------*- C++
//-*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_CONVERSION_SACCTORUNTIME_SACCTORUNTIME_H
#define SPARSENN_CONVERSION_SACCTORUNTIME_SACCTORUNTIME_H

#include "mlir/Pass/Pass.h"

namespace mlir {
#define GEN_PASS_DECL_CONVERTSACCTORUNTIMEPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

#endif // SPARSENN_CONVERSION_SACCTORUNTIME_SACCTORUNTIME_H
