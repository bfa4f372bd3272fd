//===- SparseToGPULibrary.h - cuSPARSE calls for BSR and COO ----*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_CONVERSION_SPARSETOGPULIBRARY_SPARSETOGPULIBRARY_H
#define SPARSENN_CONVERSION_SPARSETOGPULIBRARY_SPARSETOGPULIBRARY_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
#define GEN_PASS_DECL_CONVERTSPARSETOGPULIBRARYPASS
#define GEN_PASS_DECL_CONVERTSPARSETOCUSPARSELTPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

#endif // SPARSENN_CONVERSION_SPARSETOGPULIBRARY_SPARSETOGPULIBRARY_H
