//===- Encodings.cpp - Recognizing weight storage formats -----------------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Utils/Encodings.h"

#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensorType.h"

using namespace mlir;
using namespace mlir::sparse_tensor;

std::optional<std::pair<int64_t, int64_t>>
snn::getBsrBlock(RankedTensorType type) {
  if (!getSparseTensorEncoding(type) || type.getRank() != 2)
    return std::nullopt;
  SparseTensorType stt(type);
  ArrayRef<LevelType> lts = stt.getLvlTypes();
  if (stt.getLvlRank() != 4 || !isDenseLT(lts[0]) || !isCompressedLT(lts[1]) ||
      !isDenseLT(lts[2]) || !isDenseLT(lts[3]))
    return std::nullopt;
  AffineMap map = stt.getDimToLvl();
  if (!isBlockSparsity(map))
    return std::nullopt;
  // Upstream's block size per dimension (0: not blocked); the levels must
  // then be in row-major block order.
  SmallVector<unsigned> block = getBlockSize(map);
  if (block.size() != 2 || block[0] == 0 || block[1] == 0)
    return std::nullopt;
  int64_t r = block[0], c = block[1];
  MLIRContext *ctx = type.getContext();
  AffineExpr i = getAffineDimExpr(0, ctx), j = getAffineDimExpr(1, ctx);
  if (map !=
      AffineMap::get(2, 0, {i.floorDiv(r), j.floorDiv(c), i % r, j % c}, ctx))
    return std::nullopt;
  return std::make_pair(r, c);
}

std::optional<std::pair<int64_t, int64_t>>
snn::getNOutOfM(RankedTensorType type) {
  if (!getSparseTensorEncoding(type) || type.getRank() != 2)
    return std::nullopt;
  SparseTensorType stt(type);
  ArrayRef<LevelType> lts = stt.getLvlTypes();
  if (stt.getLvlRank() != 3 || !isDenseLT(lts[0]) || !isDenseLT(lts[1]) ||
      !isNOutOfMLT(lts[2]))
    return std::nullopt;
  int64_t n = getN(lts[2]), m = getM(lts[2]);
  MLIRContext *ctx = type.getContext();
  AffineExpr i = getAffineDimExpr(0, ctx), j = getAffineDimExpr(1, ctx);
  if (stt.getDimToLvl() != AffineMap::get(2, 0, {i, j.floorDiv(m), j % m}, ctx))
    return std::nullopt;
  return std::make_pair(n, m);
}
