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
/// Adds the patterns that lower every snn op to linalg on tensors. With
/// `matmulForm`, linear layers and ungrouped convolutions become a 2-D
/// linalg.matmul with the sparse weight on the left (the GPU form). A
/// convolution whose batch's im2col matrix takes at least
/// `imageLoopMinBytes` (>= 0) runs one image at a time.
void populateSNNToLinalgPatterns(RewritePatternSet &patterns,
                                 bool matmulForm = false,
                                 int64_t imageLoopMinBytes = -1);
} // namespace snn
} // namespace mlir

#endif // SPARSENN_CONVERSION_SNNTOLINALG_SNNTOLINALG_H
