//===- InitAllPasses.h - Register SparseNN's passes -------------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_INITALLPASSES_H
#define SPARSENN_INITALLPASSES_H

#include "sparsenn/Conversion/Passes.h"
#include "sparsenn/Dialect/SNN/Transforms/Passes.h"
#include "sparsenn/Pipelines/Pipelines.h"

namespace sparsenn {
/// Registers SparseNN's passes and pipelines.
inline void registerAllPasses() {
  mlir::snn::registerSNNPasses();
  mlir::registerSparseNNConversionPasses();
  mlir::snn::registerPipelines();
}
} // namespace sparsenn

#endif // SPARSENN_INITALLPASSES_H
