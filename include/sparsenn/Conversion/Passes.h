//===- Passes.h - SparseNN conversion passes --------------------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_CONVERSION_PASSES_H
#define SPARSENN_CONVERSION_PASSES_H

#include "sparsenn/Conversion/ParallelLoopsToGPU/ParallelLoopsToGPU.h"
#include "sparsenn/Conversion/SAccToRuntime/SAccToRuntime.h"
#include "sparsenn/Conversion/SNNToLinalg/SNNToLinalg.h"
#include "sparsenn/Conversion/SNNToSAcc/SNNToSAcc.h"
#include "sparsenn/Conversion/SparseToGPULibrary/SparseToGPULibrary.h"

namespace mlir {

#define GEN_PASS_REGISTRATION
#include "sparsenn/Conversion/Passes.h.inc"

} // namespace mlir

#endif // SPARSENN_CONVERSION_PASSES_H
