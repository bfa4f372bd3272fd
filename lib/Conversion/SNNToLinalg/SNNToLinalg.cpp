//===- SNNToLinalg.cpp - Lower snn layers to linalg on tensors ------------===//
//
// Part of SparseNN. Weight encodings are kept so that upstream's sparsifier
// generates the sparse kernels; element-wise ops on sparse tensors go through
// sparse_tensor.unary/binary so only stored elements are visited.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Conversion/SNNToLinalg/SNNToLinalg.h"
#include "LoweringUtils.h"
#include "sparsenn/Dialect/SNN/IR/SNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir {
#define GEN_PASS_DEF_CONVERTSNNTOLINALGPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

using namespace mlir;
using namespace mlir::snn;
using sparse_tensor::getSparseTensorEncoding;
using utils::IteratorType;

//===----------------------------------------------------------------------===//
// Helpers (shared with the other lowering files through LoweringUtils.h)
//===----------------------------------------------------------------------===//

namespace mlir::snn::detail {

bool isSparse(Value v) {
  return getSparseTensorEncoding(v.getType()) != nullptr;
}

/// Returns `v` as a dense tensor, converting a sparse one.
Value toDense(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  if (!getSparseTensorEncoding(type))
    return v;
  auto dense = RankedTensorType::get(type.getShape(), type.getElementType());
  return sparse_tensor::ConvertOp::create(b, loc, dense, v);
}

/// Creates an empty tensor of `type`; each dynamic dimension d takes its size
/// from dimension `srcDims[d]` of `src`.
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type, Value src,
                  ArrayRef<int64_t> srcDims) {
  SmallVector<Value> dynSizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynSizes.push_back(tensor::DimOp::create(b, loc, src, srcDims[d]));
  return tensor::EmptyOp::create(b, loc, type, dynSizes);
}

/// The identity mapping of result dims to source dims.
SmallVector<int64_t> identityDims(int64_t rank) {
  return llvm::to_vector(llvm::seq<int64_t>(0, rank));
}

Value floatConstant(OpBuilder &b, Location loc, Type elementType,
                    double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(elementType, value));
}

Value zeroFilled(OpBuilder &b, Location loc, Value empty) {
  Value zero = floatConstant(b, loc, getElementTypeOrSelf(empty.getType()), 0);
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

/// Casts `v` to `type` when the two differ only in static information.
Value castTo(OpBuilder &b, Location loc, Value v, Type type) {
  if (v.getType() == type)
    return v;
  return tensor::CastOp::create(b, loc, type, v);
}

/// Gives the dense tensor `v` the op's `resultType`: a cast for static
/// information, then a conversion when the result is sparse.
Value toSparsifiable(OpBuilder &b, Location loc, Value weight) {
  auto type = cast<RankedTensorType>(weight.getType());
  if (sparse_tensor::getSparseTensorEncoding(type))
    return weight;
  SmallVector<sparse_tensor::LevelType> levels(
      type.getRank(),
      sparse_tensor::LevelType(sparse_tensor::LevelFormat::Dense));
  auto enc = sparse_tensor::SparseTensorEncodingAttr::get(
      b.getContext(), levels, b.getMultiDimIdentityMap(type.getRank()),
      AffineMap(), 0, 0);
  return sparse_tensor::ConvertOp::create(
      b, loc,
      RankedTensorType::get(type.getShape(), type.getElementType(), enc),
      weight);
}

Value toResultType(OpBuilder &b, Location loc, Value v,
                   RankedTensorType resultType) {
  auto denseType =
      RankedTensorType::get(resultType.getShape(), resultType.getElementType());
  v = castTo(b, loc, v, denseType);
  if (getSparseTensorEncoding(resultType))
    v = sparse_tensor::ConvertOp::create(b, loc, resultType, v);
  return v;
}

} // namespace mlir::snn::detail

using namespace mlir::snn::detail;

/// A scalar function applied element-wise: builds f(x) at the insertion point.
using ScalarFn = function_ref<Value(OpBuilder &, Location, Value)>;

/// Applies `fn` element-wise to `input`. On a sparse input the body is a
/// `sparse_tensor.unary` whose present region computes `fn`; its absent
/// region yields `fn(0)` unless `fn(0) == 0` (`zeroPreserving`).
static Value mapElementwise(OpBuilder &b, Location loc, Value input,
                            RankedTensorType resultType, ScalarFn fn,
                            bool zeroPreserving) {
  int64_t rank = resultType.getRank();
  Value init = emptyTensor(b, loc, resultType, input, identityDims(rank));
  bool sparseIn = isSparse(input);
  // A dense result of a sparse input is only written where the input has
  // values (or everywhere, when the absent region yields): start from 0.
  if (sparseIn && !getSparseTensorEncoding(resultType))
    init = zeroFilled(b, loc, init);
  // The absent region may only yield a value defined outside the generic.
  Value absentValue;
  if (sparseIn && !zeroPreserving) {
    Value zero =
        floatConstant(b, loc, getElementTypeOrSelf(input.getType()), 0);
    absentValue = fn(b, loc, zero);
  }
  AffineMap id = b.getMultiDimIdentityMap(rank);
  SmallVector<IteratorType> iters(rank, IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, ValueRange{input}, ValueRange{init},
      ArrayRef<AffineMap>{id, id}, iters,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        if (!sparseIn) {
          linalg::YieldOp::create(nb, nloc, fn(nb, nloc, args[0]));
          return;
        }
        Type elt = args[0].getType();
        auto unary = sparse_tensor::UnaryOp::create(nb, nloc, elt, args[0]);
        {
          OpBuilder::InsertionGuard guard(nb);
          nb.createBlock(&unary.getPresentRegion(), {}, {elt}, {nloc});
          Value v = unary.getPresentRegion().front().getArgument(0);
          sparse_tensor::YieldOp::create(nb, nloc, fn(nb, nloc, v));
          if (absentValue) {
            nb.createBlock(&unary.getAbsentRegion());
            sparse_tensor::YieldOp::create(nb, nloc, absentValue);
          }
        }
        linalg::YieldOp::create(nb, nloc, unary.getResult());
      });
  return generic.getResult(0);
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

namespace mlir::snn::detail {
Value copyGeneric(OpBuilder &b, Location loc, Value src, Value init,
                  AffineMap srcMap) {
  auto type = cast<RankedTensorType>(init.getType());
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ValueRange{src}, ValueRange{init},
             ArrayRef<AffineMap>{srcMap,
                                 b.getMultiDimIdentityMap(type.getRank())},
             SmallVector<IteratorType>(type.getRank(), IteratorType::parallel),
             [](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, args[0]);
             })
      .getResult(0);
}

Value padDimHigh(OpBuilder &b, Location loc, Value v, int64_t dim,
                 OpFoldResult amount, int64_t paddedSize) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] = paddedSize;
  SmallVector<OpFoldResult> low(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> high(type.getRank(), b.getIndexAttr(0));
  high[dim] = amount;
  Value zero = floatConstant(b, loc, type.getElementType(), 0);
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), v, low, high,
      zero);
}

PaddedDim padToBlocks(OpBuilder &b, Location loc, Value v, int64_t dim,
                      int64_t block) {
  int64_t size = cast<RankedTensorType>(v.getType()).getDimSize(dim);
  PaddedDim result;
  if (!ShapedType::isDynamic(size)) {
    int64_t blocks = llvm::divideCeil(size, block);
    int64_t padded = blocks * block;
    result.size = b.getIndexAttr(size);
    result.blocks = b.getIndexAttr(blocks);
    result.padded =
        padded == size
            ? v
            : padDimHigh(b, loc, v, dim, b.getIndexAttr(padded - size), padded);
    return result;
  }
  Value n = tensor::DimOp::create(b, loc, v, dim);
  Value lanes = arith::ConstantIndexOp::create(b, loc, block);
  Value lanesMinus1 = arith::ConstantIndexOp::create(b, loc, block - 1);
  Value blocks = arith::DivUIOp::create(
      b, loc, arith::AddIOp::create(b, loc, n, lanesMinus1), lanes);
  Value padded = arith::MulIOp::create(b, loc, blocks, lanes);
  result.size = n;
  result.blocks = blocks;
  result.padded = padDimHigh(
      b, loc, v, dim, arith::SubIOp::create(b, loc, padded, n).getResult(),
      ShapedType::kDynamic);
  return result;
}

Value addBiasGeneric(OpBuilder &b, Location loc, Value a, AffineMap aMap,
                     Value bias, AffineMap biasMap, Value init) {
  auto type = cast<RankedTensorType>(init.getType());
  int64_t rank = type.getRank();
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ValueRange{a, bias}, ValueRange{init},
             ArrayRef<AffineMap>{
                 aMap, biasMap,
                 AffineMap::getMultiDimIdentityMap(rank, b.getContext())},
             SmallVector<IteratorType>(rank, IteratorType::parallel),
             [](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nloc,
                   arith::AddFOp::create(nb, nloc, args[0], args[1])
                       .getResult());
             })
      .getResult(0);
}

void multiplyAccumulate(OpBuilder &b, Location loc, ValueRange args) {
  Value mul = arith::MulFOp::create(b, loc, args[0], args[1]);
  linalg::YieldOp::create(
      b, loc, arith::AddFOp::create(b, loc, args[2], mul).getResult());
}
} // namespace mlir::snn::detail

namespace {

/// y[b, o] = bias[o] + sum_i x[b, i] * W[o, i]; inputs of rank > 2 are
/// collapsed to [B, IN] and the result expanded back.
struct LinearOpLowering : OpRewritePattern<LinearOp> {
  LinearOpLowering(MLIRContext *ctx, bool matmulForm)
      : OpRewritePattern(ctx), matmulForm(matmulForm) {}
  bool matmulForm;

  /// Batches from this size on (and dynamic ones) use the batch-major form
  /// (measured at 2048x2048, 90%: one row takes 0.17 ms row-major (static
  /// batch 1) and 0.25 ms batch-major (dynamic batch); two rows 0.34 ms
  /// row-major and 0.27 ms batch-major).
  static constexpr int64_t kMinBatchMajor = 2;
  static constexpr int64_t kLanes = snn::detail::kVectorBlock;

  static bool batchMajor(int64_t batch) {
    return ShapedType::isDynamic(batch) || batch >= kMinBatchMajor;
  }

  /// y[b, o] += x[b, i] * W[o, i] with loops (b, o, i): a sparse dot product
  /// per output, the form for a batch of one (SpMV).
  static Value lowerRowMajor(OpBuilder &b, Location loc, Value x, Value weight,
                             Value bias, int64_t out) {
    MLIRContext *ctx = b.getContext();
    auto type = RankedTensorType::get(
        {cast<RankedTensorType>(x.getType()).getDimSize(0), out},
        getElementTypeOrSelf(x.getType()));
    AffineExpr d0, d1, d2;
    bindDims(ctx, d0, d1, d2);
    Value init = emptyTensor(b, loc, type, x, {0, -1});
    init =
        bias ? copyGeneric(b, loc, bias, init, AffineMap::get(2, 0, {d1}, ctx))
             : zeroFilled(b, loc, init);
    return linalg::GenericOp::create(
               b, loc, TypeRange{type}, ValueRange{x, weight}, ValueRange{init},
               ArrayRef<AffineMap>{AffineMap::get(3, 0, {d0, d2}, ctx),
                                   AffineMap::get(3, 0, {d1, d2}, ctx),
                                   AffineMap::get(3, 0, {d0, d1}, ctx)},
               ArrayRef<IteratorType>{IteratorType::parallel,
                                      IteratorType::parallel,
                                      IteratorType::reduction},
               multiplyAccumulate)
        .getResult(0);
  }

  /// The batch rows per block of the batch-major form: at most kMaxBlock
  /// (the columns of C that snn-sparse-kernels keeps in registers across a
  /// weight row; a block of xT, IN x 64 floats, also stays in L2 while all
  /// of W streams by), as even as the batch allows, in whole vectors (so
  /// upstream's sparsifier needs no masks either). A dynamic batch gets
  /// kMaxBlock.
  static constexpr int64_t kMaxBlock = 4 * kLanes;
  static int64_t blockRows(int64_t batch) {
    if (ShapedType::isDynamic(batch))
      return kMaxBlock;
    if (batch == 0)
      return kLanes;
    int64_t blocks = llvm::divideCeil(batch, kMaxBlock);
    return llvm::alignTo(llvm::divideCeil(batch, blocks), kLanes);
  }

  /// y = (W xT)T in blocks of `lanes` batch rows (blockRows): the batch is
  /// padded to whole blocks (b = bo * lanes + bi) and each block transposed,
  /// so every stored weight scales a contiguous row of xT into one of yT: a
  /// vector FMA per register with a static trip count, no gathers and no
  /// masks (2048x2048 at 90%, a static batch of 17: 1.07 ms with a masked
  /// tail in every iteration, 0.46 ms in two blocks). The outer loop runs
  /// over the blocks, so it is also the one OpenMP splits, whatever the
  /// format (CSC's reduction-first order stays inside a block).
  static Value lowerBatchMajor(OpBuilder &b, Location loc, Value x,
                               Value weight, Value bias, int64_t out) {
    MLIRContext *ctx = b.getContext();
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t batch = xType.getDimSize(0), in = xType.getDimSize(1);
    Type elt = xType.getElementType();
    int64_t lanes = blockRows(batch);
    PaddedDim pb = padToBlocks(b, loc, x, 0, lanes);
    int64_t blocks = ShapedType::isDynamic(batch)
                         ? ShapedType::kDynamic
                         : llvm::divideCeil(batch, lanes);
    Value x3 = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({blocks, lanes, in}, elt), pb.padded,
        ArrayRef<ReassociationIndices>{{0, 1}, {2}},
        ArrayRef<OpFoldResult>{pb.blocks, b.getIndexAttr(lanes),
                               b.getIndexAttr(in)});
    SmallVector<Value> dynBlocks;
    if (ShapedType::isDynamic(blocks))
      dynBlocks.push_back(getValueOrCreateConstantIndexOp(b, loc, pb.blocks));

    // xT[bo, i, bi] = x3[bo, bi, i].
    AffineExpr e0, e1, e2;
    bindDims(ctx, e0, e1, e2);
    auto xTType = RankedTensorType::get({blocks, in, lanes}, elt);
    Value xT = copyGeneric(b, loc, x3,
                           tensor::EmptyOp::create(b, loc, xTType, dynBlocks),
                           AffineMap::get(3, 0, {e0, e2, e1}, ctx));

    // yT[bo, o, bi] = bias[o] + sum_i W[o, i] * xT[bo, i, bi], with the
    // block loop outermost (a dynamic loop inside the sparse ones made the
    // kernel 6x slower) and parallel.
    auto yTType = RankedTensorType::get({blocks, out, lanes}, elt);
    Value init = tensor::EmptyOp::create(b, loc, yTType, dynBlocks);
    init =
        bias ? copyGeneric(b, loc, bias, init, AffineMap::get(3, 0, {e1}, ctx))
             : zeroFilled(b, loc, init);
    AffineExpr bo, o, i, bi;
    bindDims(ctx, bo, o, i, bi);
    Value yT =
        linalg::GenericOp::create(
            b, loc, TypeRange{yTType}, ValueRange{xT, weight}, ValueRange{init},
            ArrayRef<AffineMap>{AffineMap::get(4, 0, {bo, i, bi}, ctx),
                                AffineMap::get(4, 0, {o, i}, ctx),
                                AffineMap::get(4, 0, {bo, o, bi}, ctx)},
            ArrayRef<IteratorType>{
                IteratorType::parallel, IteratorType::parallel,
                IteratorType::reduction, IteratorType::parallel},
            multiplyAccumulate)
            .getResult(0);

    // y[bo, bi, o] = yT[bo, o, bi], then drop the padding rows.
    auto y3Type = RankedTensorType::get({blocks, lanes, out}, elt);
    Value y3 = copyGeneric(b, loc, yT,
                           tensor::EmptyOp::create(b, loc, y3Type, dynBlocks),
                           AffineMap::get(3, 0, {e0, e2, e1}, ctx));
    Value yp = tensor::CollapseShapeOp::create(
        b, loc, y3, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
    return tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({batch, out}, elt), yp,
        ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{pb.size, b.getIndexAttr(out)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
  }

  /// yT = W . xT as one 2-D linalg.matmul over the whole batch, with the
  /// weight on the left (the form upstream's cuSPARSE path matches, its
  /// output rows the parallel loop), then y[b, o] = yT[o, b] + bias[o].
  static Value lowerMatmulForm(OpBuilder &b, Location loc, Value x,
                               Value weight, Value bias, int64_t out) {
    MLIRContext *ctx = b.getContext();
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t batch = xType.getDimSize(0), in = xType.getDimSize(1);
    Type elt = xType.getElementType();
    AffineExpr d0, d1;
    bindDims(ctx, d0, d1);
    AffineMap transposed = AffineMap::get(2, 0, {d1, d0}, ctx);
    Value xT =
        copyGeneric(b, loc, x,
                    emptyTensor(b, loc, RankedTensorType::get({in, batch}, elt),
                                x, {-1, 0}),
                    transposed);
    Value init =
        zeroFilled(b, loc,
                   emptyTensor(b, loc, RankedTensorType::get({out, batch}, elt),
                               x, {-1, 0}));
    Value yT = linalg::MatmulOp::create(b, loc, ValueRange{weight, xT},
                                        ValueRange{init})
                   .getResult(0);
    auto yType = RankedTensorType::get({batch, out}, elt);
    Value y = emptyTensor(b, loc, yType, x, {0, -1});
    if (!bias)
      return copyGeneric(b, loc, yT, y, transposed);
    return addBiasGeneric(b, loc, yT, transposed, bias,
                          AffineMap::get(2, 0, {d1}, ctx), y);
  }

  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getInput();
    auto xType = cast<RankedTensorType>(x.getType());
    auto wType = cast<RankedTensorType>(op.getWeight().getType());
    int64_t rank = xType.getRank();
    int64_t in = xType.getShape().back();
    int64_t out = wType.getDimSize(0);

    // [..., IN] -> [B, IN].
    if (rank != 2) {
      SmallVector<ReassociationIndices> reassoc;
      if (rank > 1)
        reassoc.push_back(llvm::to_vector(llvm::seq<int64_t>(0, rank - 1)));
      reassoc.push_back({rank - 1});
      int64_t batch = 1;
      for (int64_t d : xType.getShape().drop_back())
        batch = ShapedType::isDynamic(d) || ShapedType::isDynamic(batch)
                    ? ShapedType::kDynamic
                    : batch * d;
      if (rank == 1) {
        // A single vector [IN] is a batch of one.
        x = tensor::ExpandShapeOp::create(
            rewriter, loc,
            RankedTensorType::get({1, in}, xType.getElementType()), x,
            ArrayRef<ReassociationIndices>{{0, 1}});
      } else {
        x = tensor::CollapseShapeOp::create(
            rewriter, loc,
            RankedTensorType::get({batch, in}, xType.getElementType()), x,
            reassoc);
      }
    }
    int64_t batch = cast<RankedTensorType>(x.getType()).getDimSize(0);
    Value weight = op.getWeight(), bias = op.getBias();
    Value result =
        matmulForm
            ? lowerMatmulForm(rewriter, loc, x,
                              toSparsifiable(rewriter, loc, weight), bias, out)
        : batchMajor(batch)
            ? lowerBatchMajor(rewriter, loc, x,
                              toSparsifiable(rewriter, loc, weight), bias, out)
            : lowerRowMajor(rewriter, loc, x,
                            toSparsifiable(rewriter, loc, weight), bias, out);

    // [B, OUT] -> [..., OUT] when the result keeps the leading dims.
    auto resultType = op.getType();
    if (resultType.getRank() != 2) {
      SmallVector<ReassociationIndices> reassoc;
      int64_t r = resultType.getRank();
      if (r > 1)
        reassoc.push_back(llvm::to_vector(llvm::seq<int64_t>(0, r - 1)));
      reassoc.push_back({r - 1});
      if (r == 1)
        reassoc = {{0, 1}};
      SmallVector<OpFoldResult> outShape;
      for (int64_t d = 0; d + 1 < r; ++d) {
        if (ShapedType::isDynamic(resultType.getDimSize(d)))
          outShape.push_back(
              tensor::DimOp::create(rewriter, loc, op.getInput(), d)
                  .getResult());
        else
          outShape.push_back(rewriter.getIndexAttr(resultType.getDimSize(d)));
      }
      outShape.push_back(rewriter.getIndexAttr(out));
      if (r == 1) {
        result = tensor::CollapseShapeOp::create(rewriter, loc, resultType,
                                                 result, reassoc);
      } else {
        result = tensor::ExpandShapeOp::create(rewriter, loc, resultType,
                                               result, reassoc, outShape);
      }
    }
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

struct MatmulOpLowering : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto lhsType = cast<RankedTensorType>(op.getLhs().getType());
    auto rhsType = cast<RankedTensorType>(op.getRhs().getType());
    auto accType =
        RankedTensorType::get({lhsType.getDimSize(0), rhsType.getDimSize(1)},
                              lhsType.getElementType());
    // Dynamic M comes from lhs; a dynamic N from rhs.
    SmallVector<Value> dynSizes;
    if (accType.isDynamicDim(0))
      dynSizes.push_back(tensor::DimOp::create(rewriter, loc, op.getLhs(), 0));
    if (accType.isDynamicDim(1))
      dynSizes.push_back(tensor::DimOp::create(rewriter, loc, op.getRhs(), 1));
    Value init =
        zeroFilled(rewriter, loc,
                   tensor::EmptyOp::create(rewriter, loc, accType, dynSizes));
    auto matmul = linalg::MatmulOp::create(
        rewriter, loc, ValueRange{op.getLhs(), op.getRhs()}, ValueRange{init});
    rewriter.replaceOp(
        op, castTo(rewriter, loc, matmul.getResult(0), op.getType()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

template <typename OpTy> struct UnaryOpLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  static Value compute(OpBuilder &b, Location loc, Value x);

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, mapElementwise(rewriter, op.getLoc(), op.getInput(),
                                          op.getType(), compute,
                                          zeroPreserving(op)));
    return success();
  }
  static bool zeroPreserving(OpTy);
};

template <>
Value UnaryOpLowering<ReluOp>::compute(OpBuilder &b, Location loc, Value x) {
  Value zero = floatConstant(b, loc, x.getType(), 0);
  return arith::MaximumFOp::create(b, loc, x, zero);
}
template <> bool UnaryOpLowering<ReluOp>::zeroPreserving(ReluOp) {
  return true;
}

template <>
Value UnaryOpLowering<SigmoidOp>::compute(OpBuilder &b, Location loc, Value x) {
  Value one = floatConstant(b, loc, x.getType(), 1);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}
template <> bool UnaryOpLowering<SigmoidOp>::zeroPreserving(SigmoidOp) {
  return false;
}

template <>
Value UnaryOpLowering<TanhOp>::compute(OpBuilder &b, Location loc, Value x) {
  return math::TanhOp::create(b, loc, x);
}
template <> bool UnaryOpLowering<TanhOp>::zeroPreserving(TanhOp) {
  return true;
}

template <typename OpTy>
static Value lowerActivationAs(OpBuilder &b, Location loc, Operation *op,
                               Value input, RankedTensorType resultType) {
  auto act = dyn_cast<OpTy>(op);
  if (!act)
    return Value();
  return mapElementwise(b, loc, input, resultType,
                        UnaryOpLowering<OpTy>::compute,
                        UnaryOpLowering<OpTy>::zeroPreserving(act));
}

/// lhs + rhs with NumPy broadcasting of rhs. Equal-shaped operands of which
/// one is sparse use sparse_tensor.binary; broadcast operands are made dense.
struct AddOpLowering : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value lhs = op.getLhs(), rhs = op.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    auto resultType = op.getType();
    int64_t rank = lhsType.getRank();
    bool broadcast = lhsType.getShape() != rhsType.getShape();
    if (broadcast) {
      lhs = toDense(rewriter, loc, lhs);
      rhs = toDense(rewriter, loc, rhs);
    }
    bool sparse = isSparse(lhs) || isSparse(rhs);

    // rhs dims align with lhs's trailing dims; size-1 dims broadcast.
    SmallVector<AffineExpr> rhsExprs;
    int64_t offset = rank - rhsType.getRank();
    for (int64_t d = 0; d < rhsType.getRank(); ++d)
      rhsExprs.push_back(rhsType.getDimSize(d) == 1 &&
                                 lhsType.getDimSize(d + offset) != 1
                             ? getAffineConstantExpr(0, ctx)
                             : getAffineDimExpr(d + offset, ctx));
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap rhsMap = AffineMap::get(rank, 0, rhsExprs, ctx);

    Value init =
        emptyTensor(rewriter, loc, resultType, lhs, identityDims(rank));
    if (sparse && !getSparseTensorEncoding(resultType))
      init = zeroFilled(rewriter, loc, init);
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{lhs, rhs},
        ValueRange{init}, ArrayRef<AffineMap>{id, rhsMap, id}, iters,
        [&](OpBuilder &b, Location l, ValueRange args) {
          if (!sparse) {
            linalg::YieldOp::create(
                b, l,
                arith::AddFOp::create(b, l, args[0], args[1]).getResult());
            return;
          }
          Type elt = args[0].getType();
          auto binary =
              sparse_tensor::BinaryOp::create(b, l, elt, args[0], args[1]);
          binary.setLeftIdentity(true);
          binary.setRightIdentity(true);
          {
            OpBuilder::InsertionGuard guard(b);
            Block *overlap = b.createBlock(&binary.getOverlapRegion(), {},
                                           {elt, elt}, {l, l});
            sparse_tensor::YieldOp::create(
                b, l,
                arith::AddFOp::create(b, l, overlap->getArgument(0),
                                      overlap->getArgument(1)));
          }
          linalg::YieldOp::create(b, l, binary.getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// exp(x - max) / sum(exp(x - max)) along the axis, in three generics.
struct SoftmaxOpLowering : OpRewritePattern<SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = toDense(rewriter, loc, op.getInput());
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    int64_t axis = op.getNormalizedAxis();

    SmallVector<int64_t> reducedShape, reducedDims;
    SmallVector<AffineExpr> reducedExprs;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis)
        continue;
      reducedShape.push_back(type.getDimSize(d));
      reducedDims.push_back(d);
      reducedExprs.push_back(getAffineDimExpr(d, ctx));
    }
    auto reducedType =
        RankedTensorType::get(reducedShape, type.getElementType());
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reducedMap = AffineMap::get(rank, 0, reducedExprs, ctx);
    SmallVector<IteratorType> reduceIters(rank, IteratorType::parallel);
    reduceIters[axis] = IteratorType::reduction;
    SmallVector<IteratorType> parallelIters(rank, IteratorType::parallel);

    auto filled = [&](float value) {
      Value c =
          floatConstant(rewriter, loc, reducedType.getElementType(), value);
      Value e = emptyTensor(rewriter, loc, reducedType, x, reducedDims);
      return linalg::FillOp::create(rewriter, loc, c, e).getResult(0);
    };
    Value max = linalg::GenericOp::create(
                    rewriter, loc, TypeRange{reducedType}, ValueRange{x},
                    ValueRange{filled(-std::numeric_limits<float>::infinity())},
                    ArrayRef<AffineMap>{id, reducedMap}, reduceIters,
                    [](OpBuilder &b, Location l, ValueRange args) {
                      linalg::YieldOp::create(
                          b, l,
                          arith::MaximumFOp::create(b, l, args[0], args[1])
                              .getResult());
                    })
                    .getResult(0);
    auto expShifted = [](OpBuilder &b, Location l, Value v, Value m) {
      return math::ExpOp::create(b, l, arith::SubFOp::create(b, l, v, m));
    };
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{reducedType}, ValueRange{x, max},
            ValueRange{filled(0.0f)},
            ArrayRef<AffineMap>{id, reducedMap, reducedMap}, reduceIters,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value e = expShifted(b, l, args[0], args[1]);
              linalg::YieldOp::create(
                  b, l, arith::AddFOp::create(b, l, args[2], e).getResult());
            })
            .getResult(0);
    auto resultType = op.getType();
    Value init = emptyTensor(
        rewriter, loc,
        RankedTensorType::get(type.getShape(), type.getElementType()), x,
        identityDims(rank));
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{init.getType()}, ValueRange{x, max, sum},
            ValueRange{init},
            ArrayRef<AffineMap>{id, reducedMap, reducedMap, id}, parallelIters,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value e = expShifted(b, l, args[0], args[1]);
              linalg::YieldOp::create(
                  b, l, arith::DivFOp::create(b, l, e, args[2]).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, toResultType(rewriter, loc, result, resultType));
    return success();
  }
};

struct FlattenOpLowering : OpRewritePattern<FlattenOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FlattenOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = toDense(rewriter, loc, op.getInput());
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    int64_t start = op.getNormalizedStartDim();
    int64_t end = op.getNormalizedEndDim();
    SmallVector<ReassociationIndices> reassoc;
    for (int64_t d = 0; d < start; ++d)
      reassoc.push_back({d});
    reassoc.push_back(llvm::to_vector(llvm::seq<int64_t>(start, end + 1)));
    for (int64_t d = end + 1; d < rank; ++d)
      reassoc.push_back({d});
    Value result = x;
    if (start != end)
      result = tensor::CollapseShapeOp::create(rewriter, loc, x, reassoc);
    rewriter.replaceOp(op, toResultType(rewriter, loc, result, op.getType()));
    return success();
  }
};

struct ConvertSNNToLinalgPass
    : impl::ConvertSNNToLinalgPassBase<ConvertSNNToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    ConvertSNNToLinalgPassOptions options;
    options.matmulForm = matmulForm;
    options.convImageLoopMinBytes = convImageLoopMinBytes;
    options.batchSize = batchSize;
    populateSNNToLinalgPatterns(patterns, options);
    ConversionTarget target(*ctx);
    target.addIllegalDialect<SNNDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

Value mlir::snn::detail::lowerActivation(OpBuilder &b, Location loc,
                                         Operation *activation, Value input,
                                         RankedTensorType resultType) {
  if (Value v =
          lowerActivationAs<ReluOp>(b, loc, activation, input, resultType))
    return v;
  if (Value v =
          lowerActivationAs<SigmoidOp>(b, loc, activation, input, resultType))
    return v;
  return lowerActivationAs<TanhOp>(b, loc, activation, input, resultType);
}

void mlir::snn::populateSNNToLinalgPatterns(
    RewritePatternSet &patterns, const ConvertSNNToLinalgPassOptions &options) {
  patterns.add<LinearOpLowering>(patterns.getContext(), options.matmulForm);
  patterns.add<MatmulOpLowering, UnaryOpLowering<ReluOp>,
               UnaryOpLowering<SigmoidOp>, UnaryOpLowering<TanhOp>,
               AddOpLowering, SoftmaxOpLowering, FlattenOpLowering>(
      patterns.getContext());
  detail::populateConvPoolLoweringPatterns(patterns, options);
}
