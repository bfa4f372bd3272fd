//===- SparsePacking.h - Pack tensors into sparse format buffers -*- C++
//-*-===//
//
// Part of SparseNN. One general packer, used by snn-pack-weights (constant
// weights, at compile time) and by sparse-runner (sparse arguments read from
// .npy or .mtx files).
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SNN_UTILS_SPARSEPACKING_H
#define SPARSENN_DIALECT_SNN_UTILS_SPARSEPACKING_H

#include "mlir/Dialect/SparseTensor/IR/SparseTensorType.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <string>
#include <vector>

namespace mlir::snn {

/// One nonzero of a tensor, by dimension coordinates.
struct CooEntry {
  llvm::SmallVector<uint64_t, 4> coords;
  double value;
};

/// The buffers of a sparse tensor in the order `sparse_tensor.assemble` and
/// `--sparse-assembler` take them: for each level in order, its positions
/// (compressed, loose_compressed) then its coordinates (compressed,
/// loose_compressed, singleton, structured), then the values.
struct PackedSparseTensor {
  struct LevelBuffer {
    enum class Kind { Positions, Coordinates } kind;
    unsigned level;
    /// 0 means `index` (64-bit).
    unsigned bitWidth;
    std::vector<uint64_t> data;
  };
  std::vector<LevelBuffer> levelBuffers;
  std::vector<double> values;
};

/// Packs `entries` (nonzeros of a tensor of shape `stt.getDimShape()`, in any
/// order, duplicates summed) into the buffers of `stt`'s encoding. The shape
/// must be static. Returns failure with a message in `error` when the data
/// does not fit the encoding (coordinates out of range, a structured[n, m]
/// group with more than n nonzeros, a position or coordinate beyond the
/// encoding's width).
LogicalResult packSparseTensor(sparse_tensor::SparseTensorType stt,
                               std::vector<CooEntry> entries,
                               PackedSparseTensor &packed, std::string &error);

} // namespace mlir::snn

#endif // SPARSENN_DIALECT_SNN_UTILS_SPARSEPACKING_H
