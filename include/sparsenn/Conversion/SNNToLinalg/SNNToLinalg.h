//===- SNNToLinalg.h - Lower snn to linalg on tensors -----------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_CONVERSION_SNNTOLINALG_SNNTOLINALG_H
#define SPARSENN_CONVERSION_SNNTOLINALG_SNNTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;

#define GEN_PASS_DECL_CONVERTSNNTOLINALGPASS
#include "sparsenn/Conversion/Passes.h.inc"

namespace snn {
/// Adds the patterns that lower every snn op to linalg on tensors, with the
/// pass's options: `matmulForm` (linear layers and ungrouped convolutions as
/// a 2-D linalg.matmul with the sparse weight on the left, the GPU form),
/// `convImageLoopMinBytes` and `batchSize` (convolutions one image at a
/// time when the batch's im2col matrix is that large).
void populateSNNToLinalgPatterns(
    RewritePatternSet &patterns,
    const ConvertSNNToLinalgPassOptions &options = {});
} // namespace snn
} // namespace mlir

#endif // SPARSENN_CONVERSION_SNNTOLINALG_SNNTOLINALG_H
