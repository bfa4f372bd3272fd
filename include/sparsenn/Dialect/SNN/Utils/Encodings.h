//===- Encodings.h - Recognizing weight storage formats ---------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SNN_UTILS_ENCODINGS_H
#define SPARSENN_DIALECT_SNN_UTILS_ENCODINGS_H

#include "mlir/IR/BuiltinTypes.h"

#include <optional>
#include <utility>

namespace mlir::snn {

/// The block rows and columns (R, C) of a 2-D tensor stored as BSR with
/// row-major R x C blocks, `(i floordiv R : dense, j floordiv C :
/// compressed, i mod R : dense, j mod C : dense)`, or nullopt for any other
/// storage. Callers check what they need beyond that (sizes divisible by
/// the block, square blocks, ordered levels).
std::optional<std::pair<int64_t, int64_t>> getBsrBlock(RankedTensorType type);

/// The (N, M) of a 2-D tensor stored N:M along its rows, `(i : dense, j
/// floordiv M : dense, j mod M : structured[N, M])`, or nullopt for any
/// other storage. Callers check the sizes they need (columns a multiple of
/// M, say).
std::optional<std::pair<int64_t, int64_t>> getNOutOfM(RankedTensorType type);

/// Bytes of the activations a matrix-vector row reads that fit L1 beside
/// the weight streams (L1 is 32-48 KiB on current x86 cores). A slice this
/// small is what snn-sparse-kernels loads with scalar loads instead of
/// gathers (`gather=false`), and what one csr-tiled panel covers when
/// snn-select-formats stores a wide weight for a batch of one.
constexpr int64_t kMatVecSliceBytes = 32 * 1024;

/// Stored entries of a matrix-vector row (or of a row's part of a csr-tiled
/// panel) from which snn-sparse-kernels runs its vector loop; shorter ones
/// run a scalar loop.
constexpr int64_t kMatVecMinSegment = 64;

} // namespace mlir::snn

#endif // SPARSENN_DIALECT_SNN_UTILS_ENCODINGS_H
