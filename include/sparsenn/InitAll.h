//===- InitAll.h - The registry SparseNN's tools use ------------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_INITALL_H
#define SPARSENN_INITALL_H

#include "sparsenn/InitAllDialects.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

namespace sparsenn {
/// Everything a SparseNN tool may meet: every upstream dialect and
/// extension, SparseNN's dialects, and the translations to LLVM IR (the JIT,
/// AOT objects and gpu-module-to-binary translate inside the pipelines).
inline void registerAllForTools(mlir::DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  sparsenn::registerAllDialects(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
}
} // namespace sparsenn

#endif // SPARSENN_INITALL_H
