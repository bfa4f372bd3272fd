//===- LoweringUtils.h - Helpers shared by the snn lowerings ----*- C++ -*-===//
//
// Part of SparseNN. Private to lib/Conversion/SNNToLinalg.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_LIB_CONVERSION_SNNTOLINALG_LOWERINGUTILS_H
#define SPARSENN_LIB_CONVERSION_SNNTOLINALG_LOWERINGUTILS_H

#include "sparsenn/Conversion/SNNToLinalg/SNNToLinalg.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::snn::detail {

bool isSparse(Value v);
/// Returns `v` as a dense tensor, converting a sparse one.
Value toDense(OpBuilder &b, Location loc, Value v);
/// An empty tensor of `type`; each dynamic dimension d takes its size from
/// dimension `srcDims[d]` of `src`.
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type, Value src,
                  ArrayRef<int64_t> srcDims);
/// [0, 1, ..., rank - 1].
SmallVector<int64_t> identityDims(int64_t rank);
/// `empty` filled with 0.
/// An arith.constant of `value` in the float type `elementType`.
Value floatConstant(OpBuilder &b, Location loc, Type elementType, double value);
Value zeroFilled(OpBuilder &b, Location loc, Value empty);
/// Casts `v` to `type` when the two differ only in static information.
Value castTo(OpBuilder &b, Location loc, Value v, Type type);
/// A dense weight re-typed with an all-dense encoding (sparse_tensor.convert;
/// snn-pack-weights turns that into a buffer when the weight is a constant),
/// so the sparsifier generates and vectorizes its kernel like a sparse one's:
/// 2.0 ms against 3.6 ms for LLVM's loops (1024x1024, batch 64). Sparse
/// weights are returned as they are.
Value toSparsifiable(OpBuilder &b, Location loc, Value weight);

/// Gives the dense tensor `v` the op's `resultType` (cast, then convert when
/// the result is sparse).
Value toResultType(OpBuilder &b, Location loc, Value v,
                   RankedTensorType resultType);

/// The width of the blocks that vectorized inner loops run over: inner
/// dimensions are padded to a multiple of it so that loops need no masks.
constexpr int64_t kVectorBlock = 16;

/// A dimension padded with zeros to a multiple of a block size.
struct PaddedDim {
  Value padded;        ///< The padded tensor (the input when nothing to pad).
  OpFoldResult size;   ///< The original size of the dimension.
  OpFoldResult blocks; ///< The padded size divided by the block size.
};
/// Pads dimension `dim` of `v` at the end with `amount` zeros, to
/// `paddedSize` (dynamic when `amount` is).
Value padDimHigh(OpBuilder &b, Location loc, Value v, int64_t dim,
                 OpFoldResult amount, int64_t paddedSize);

/// Pads dimension `dim` of `v` with zeros to a multiple of `block`.
PaddedDim padToBlocks(OpBuilder &b, Location loc, Value v, int64_t dim,
                      int64_t block);

/// A generic copying `src` (read through `srcMap`) into `init`.
Value copyGeneric(OpBuilder &b, Location loc, Value src, Value init,
                  AffineMap srcMap);

/// A generic writing `a` (read through `aMap`) plus `bias` (through
/// `biasMap`) into `init`, over init's dimensions.
Value addBiasGeneric(OpBuilder &b, Location loc, Value a, AffineMap aMap,
                     Value bias, AffineMap biasMap, Value init);

/// The body of a multiply-accumulate generic: yields args[2] + args[0] *
/// args[1].
void multiplyAccumulate(OpBuilder &b, Location loc, ValueRange args);

/// `activation` (snn.relu, snn.sigmoid or snn.tanh) applied to `input` as
/// its lowering does, with the result type `resultType`; null for other ops.
Value lowerActivation(OpBuilder &b, Location loc, Operation *activation,
                      Value input, RankedTensorType resultType);

/// Adds the lowerings of snn.conv2d, snn.maxpool2d and snn.avgpool2d. With
/// `options.matmulForm`, an ungrouped convolution is one 2-D linalg.matmul
/// W . cols with the im2col matrix cols laid out [C*KH*KW, N*OH*OW].
/// Otherwise a convolution whose batch's im2col matrix takes at least
/// `options.convImageLoopMinBytes` (>= 0; a dynamic batch counts as
/// `options.batchSize` images) computes one image at a time in an
/// scf.forall over the batch.
void populateConvPoolLoweringPatterns(
    RewritePatternSet &patterns, const ConvertSNNToLinalgPassOptions &options);

} // namespace mlir::snn::detail

#endif // SPARSENN_LIB_CONVERSION_SNNTOLINALG_LOWERINGUTILS_H
