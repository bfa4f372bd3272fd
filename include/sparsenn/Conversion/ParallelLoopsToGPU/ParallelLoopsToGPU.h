//===- ParallelLoopsToGPU.h - SparseNN's GPU code generation ----*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_CONVERSION_PARALLELLOOPSTOGPU_PARALLELLOOPSTOGPU_H
#define SPARSENN_CONVERSION_PARALLELLOOPSTOGPU_PARALLELLOOPSTOGPU_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
#define GEN_PASS_DECL_CONVERTPARALLELLOOPSTOGPUPASS
#define GEN_PASS_DECL_EMULATEGPUONHOSTPASS
#define GEN_PASS_DECL_SNNGPURESIDENTCONSTANTSPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

#endif // SPARSENN_CONVERSION_PARALLELLOOPSTOGPU_PARALLELLOOPSTOGPU_H
