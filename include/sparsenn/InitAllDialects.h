//===- InitAllDialects.h - Register SparseNN's dialects ---------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_INITALLDIALECTS_H
#define SPARSENN_INITALLDIALECTS_H

#include "mlir/IR/DialectRegistry.h"
#include "sparsenn/Dialect/SAcc/IR/SAccDialect.h"
#include "sparsenn/Dialect/SNN/IR/SNNDialect.h"

namespace sparsenn {
/// Adds SparseNN's own dialects to `registry`.
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::snn::SNNDialect, mlir::sacc::SAccDialect>();
}
} // namespace sparsenn

#endif // SPARSENN_INITALLDIALECTS_H
