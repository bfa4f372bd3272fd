//===- ConvPoolLowering.cpp - Lower snn.conv2d and pooling to linalg ------===//
//
// Part of SparseNN. Convolutions go through im2col: the padded input becomes
// a [G, N*OH*OW, C/G*KH*KW] matrix (order c, kh, kw) that multiplies the 2-D
// weight [O, C/G*KH*KW], so every 2-D sparse format of snn.linear applies
// (SNN_OPS.md). Pooling is a windowed reduction generic over the padded input;
// average pooling divides by a compile-time constant map of window sizes.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "sparsenn/Dialect/SNN/IR/SNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::snn;
using namespace mlir::snn::detail;
using utils::IteratorType;

/// Pads the spatial dims of an NCHW tensor with `value`.
static Value padSpatial(OpBuilder &b, Location loc, Value x, int64_t top,
                        int64_t left, int64_t bottom, int64_t right,
                        float value) {
  if (!top && !left && !bottom && !right)
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[2] += top + bottom;
  shape[3] += left + right;
  auto padded = RankedTensorType::get(shape, type.getElementType());
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(0),
                                   b.getIndexAttr(top), b.getIndexAttr(left)};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(0),
                                    b.getIndexAttr(bottom),
                                    b.getIndexAttr(right)};
  Value pad = floatConstant(b, loc, getElementTypeOrSelf(x.getType()), value);
  return tensor::PadOp::create(b, loc, padded, x, low, high, pad);
}

namespace {

struct Conv2DOpLowering : OpRewritePattern<Conv2DOp> {
  Conv2DOpLowering(MLIRContext *ctx,
                   const ConvertSNNToLinalgPassOptions &options)
      : OpRewritePattern(ctx), matmulForm(options.matmulForm),
        imageLoopMinBytes(options.convImageLoopMinBytes),
        dynamicBatch(options.batchSize) {}
  bool matmulForm;
  /// Compute one image at a time (an scf.forall over the batch) when the
  /// batch's im2col matrix takes at least this many bytes; < 0: never.
  int64_t imageLoopMinBytes;
  /// The images a dynamic batch counts as for imageLoopMinBytes.
  int64_t dynamicBatch;

  /// The matmul form of an ungrouped convolution: cols[c, kh, kw, n, oh, ow]
  /// = x[n, c, oh*sh + kh*dh, ow*sw + kw*dw] of the padded input, seen as the
  /// matrix [K, N*OH*OW]; acc = W . cols, one 2-D linalg.matmul with the
  /// weight on the left; y[n, o, q] = acc[o, n*Q + q] + bias[o].
  Value lowerMatmulForm(PatternRewriter &b, Conv2DOp op, Value weight,
                        int64_t kPadded) const {
    Location loc = op.getLoc();
    MLIRContext *ctx = b.getContext();
    Type elt = op.getInput().getType().getElementType();
    auto inputType = op.getInput().getType();
    auto resultType = op.getType();
    int64_t n = inputType.getDimSize(0), c = inputType.getDimSize(1);
    auto [kh, kw] = op.getKernelSize();
    ArrayRef<int64_t> s = op.getStrides(), p = op.getPadding(),
                      d = op.getDilations();
    int64_t o = resultType.getDimSize(1), oh = resultType.getDimSize(2),
            ow = resultType.getDimSize(3), q = oh * ow, k = c * kh * kw;
    int64_t cols = ShapedType::isDynamic(n) ? ShapedType::kDynamic : n * q;

    Value x = padSpatial(b, loc, op.getInput(), p[0], p[1], p[2], p[3], 0.0f);
    SmallVector<AffineExpr> dims(6);
    bindDimsList(ctx, MutableArrayRef<AffineExpr>(dims));
    AffineExpr dc = dims[0], dkh = dims[1], dkw = dims[2], dn = dims[3],
               doh = dims[4], dow = dims[5];
    Value patches = copyGeneric(
        b, loc, x,
        emptyTensor(b, loc, RankedTensorType::get({c, kh, kw, n, oh, ow}, elt),
                    op.getInput(), {-1, -1, -1, 0, -1, -1}),
        AffineMap::get(
            6, 0, {dn, dc, doh * s[0] + dkh * d[0], dow * s[1] + dkw * d[1]},
            ctx));
    Value matrix = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({k, cols}, elt), patches,
        ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
    if (kPadded != k)
      matrix =
          padDimHigh(b, loc, matrix, 0, b.getIndexAttr(kPadded - k), kPadded);
    Value acc =
        zeroFilled(b, loc,
                   emptyTensor(b, loc, RankedTensorType::get({o, cols}, elt),
                               matrix, {-1, 1}));
    acc = linalg::MatmulOp::create(b, loc, ValueRange{weight, matrix},
                                   ValueRange{acc})
              .getResult(0);
    OpFoldResult batchDim =
        ShapedType::isDynamic(n)
            ? OpFoldResult(
                  tensor::DimOp::create(b, loc, op.getInput(), 0).getResult())
            : OpFoldResult(b.getIndexAttr(n));
    Value acc3 = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({o, n, q}, elt), acc,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}},
        ArrayRef<OpFoldResult>{b.getIndexAttr(o), batchDim, b.getIndexAttr(q)});

    // y[n, o, q] = acc3[o, n, q] (+ bias[o]).
    AffineExpr yn, yo, yq;
    bindDims(ctx, yn, yo, yq);
    auto yType = RankedTensorType::get({n, o, q}, elt);
    Value y = emptyTensor(b, loc, yType, op.getInput(), {0, -1, -1});
    AffineMap fromAcc = AffineMap::get(3, 0, {yo, yn, yq}, ctx);
    if (Value bias = op.getBias()) {
      y = addBiasGeneric(b, loc, acc3, fromAcc, bias,
                         AffineMap::get(3, 0, {yo}, ctx), y);
    } else {
      y = copyGeneric(b, loc, acc3, y, fromAcc);
    }
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({n, o, oh, ow}, elt), y,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}},
        ArrayRef<OpFoldResult>{batchDim, b.getIndexAttr(o), b.getIndexAttr(oh),
                               b.getIndexAttr(ow)});
  }

  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type elt = op.getInput().getType().getElementType();
    auto inputType = op.getInput().getType();
    auto resultType = op.getType();
    int64_t n = inputType.getDimSize(0), c = inputType.getDimSize(1);
    int64_t groups = op.getNumGroups();
    int64_t cg = c / groups;
    // Plain variables: lambdas below capture them (captured structured
    // bindings are C++20).
    int64_t kh = op.getKernelSize().first, kw = op.getKernelSize().second;
    ArrayRef<int64_t> s = op.getStrides(), p = op.getPadding(),
                      d = op.getDilations();
    int64_t oh = resultType.getDimSize(2), ow = resultType.getDimSize(3);
    int64_t o = resultType.getDimSize(1), og = o / groups;
    int64_t k = cg * kh * kw;

    // The 2-D weight [O, K] (a 4-D dense weight is collapsed).
    Value weight = op.getWeight();
    auto weightType = cast<RankedTensorType>(weight.getType());
    if (weightType.getRank() == 4)
      weight = tensor::CollapseShapeOp::create(
          rewriter, loc, weight,
          ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
    weight = toSparsifiable(rewriter, loc, weight);
    int64_t kPadded = cast<RankedTensorType>(weight.getType()).getDimSize(1);
    if (matmulForm && groups == 1) {
      rewriter.replaceOp(
          op, toResultType(rewriter, loc,
                           lowerMatmulForm(rewriter, op, weight, kPadded),
                           resultType));
      return success();
    }

    // im2col, K-major per image: cols[n, g, c, kh, kw, oh, ow] =
    //   x[n, g*Cg + c, oh*sh + kh*dh, ow*sw + kw*dw] of the padded input,
    // seen as the matrix [N, G, K, OH*OW]. A 1x1, stride-1, unpadded conv
    // needs no copy: the input already is that matrix.
    int64_t q = oh * ow;
    OpFoldResult batchDim =
        ShapedType::isDynamic(n)
            ? OpFoldResult(
                  tensor::DimOp::create(rewriter, loc, op.getInput(), 0)
                      .getResult())
            : OpFoldResult(rewriter.getIndexAttr(n));
    bool pointwise = kh == 1 && kw == 1 && s[0] == 1 && s[1] == 1 &&
                     llvm::all_of(p, [](int64_t v) { return v == 0; });
    // The im2col matrix of `images` (the padded input, or one image of it).
    auto im2col = [&](OpBuilder &b, Value images) {
      auto imagesType = cast<RankedTensorType>(images.getType());
      int64_t count = imagesType.getDimSize(0);
      SmallVector<AffineExpr> dims(7);
      bindDimsList(ctx, MutableArrayRef<AffineExpr>(dims));
      AffineExpr dn = dims[0], dg = dims[1], dc = dims[2], dkh = dims[3],
                 dkw = dims[4], doh = dims[5], dow = dims[6];
      auto colsType =
          RankedTensorType::get({count, groups, cg, kh, kw, oh, ow}, elt);
      Value colsInit =
          emptyTensor(b, loc, colsType, images, {0, -1, -1, -1, -1, -1, -1});
      Value cols =
          copyGeneric(b, loc, images, colsInit,
                      AffineMap::get(7, 0,
                                     {dn, dg * cg + dc, doh * s[0] + dkh * d[0],
                                      dow * s[1] + dkw * d[1]},
                                     ctx));
      Value matrix = tensor::CollapseShapeOp::create(
          b, loc, RankedTensorType::get({count, groups, k, q}, elt), cols,
          ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3, 4}, {5, 6}});
      if (kPadded != k) {
        // N:M weights are padded along K to a multiple of M.
        matrix =
            padDimHigh(b, loc, matrix, 2, b.getIndexAttr(kPadded - k), kPadded);
      }
      return matrix;
    };

    // acc[n, g, og, q] = bias[g*Og + og]
    //                    + sum_k W[g*Og + og, k] * matrix[n, g, k, q]
    // with loops (n, g, og, k, q): each stored weight scales a contiguous
    // row of the image's im2col matrix (a vector FMA, no gathers), and the
    // outermost loop is the image, safe to run in parallel.
    AffineExpr mn, mg, mo, mk, mq;
    bindDims(ctx, mn, mg, mo, mk, mq);
    AffineExpr row = groups == 1 ? mo : mg * og + mo;
    auto accType = RankedTensorType::get({n, groups, og, q}, elt);
    // The product's initial value: the bias broadcast, or zeros.
    auto initialAcc = [&](OpBuilder &b, RankedTensorType type) {
      Value acc = emptyTensor(b, loc, type, op.getInput(), {0, -1, -1, -1});
      Value bias = op.getBias();
      if (!bias)
        return zeroFilled(b, loc, acc);
      AffineExpr bn, bg, bo, bq;
      bindDims(ctx, bn, bg, bo, bq);
      return copyGeneric(
          b, loc, bias, acc,
          AffineMap::get(4, 0, {groups == 1 ? bo : bg * og + bo}, ctx));
    };
    auto multiply = [&](OpBuilder &b, Value matrix, Value init) {
      return linalg::GenericOp::create(
                 b, loc, TypeRange{init.getType()}, ValueRange{matrix, weight},
                 ValueRange{init},
                 ArrayRef<AffineMap>{
                     AffineMap::get(5, 0, {mn, mg, mk, mq}, ctx),
                     AffineMap::get(5, 0, {row, mk}, ctx),
                     AffineMap::get(5, 0, {mn, mg, mo, mq}, ctx)},
                 ArrayRef<IteratorType>{
                     IteratorType::parallel, IteratorType::parallel,
                     IteratorType::parallel, IteratorType::reduction,
                     IteratorType::parallel},
                 multiplyAccumulate)
          .getResult(0);
    };

    Value product;
    // An activation applied in the image loop, replaced with the result.
    Operation *activation = nullptr;
    if (pointwise) {
      Value flatInput = tensor::CollapseShapeOp::create(
          rewriter, loc, op.getInput(),
          ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
      SmallVector<OpFoldResult> shape = {
          batchDim, rewriter.getIndexAttr(groups), rewriter.getIndexAttr(k),
          rewriter.getIndexAttr(q)};
      Value matrix = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({n, groups, k, q}, elt),
          flatInput, ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}}, shape);
      if (kPadded != k)
        matrix = padDimHigh(rewriter, loc, matrix, 2,
                            rewriter.getIndexAttr(kPadded - k), kPadded);
      product = multiply(rewriter, matrix, initialAcc(rewriter, accType));
    } else {
      Value x = padSpatial(rewriter, loc, op.getInput(), p[0], p[1], p[2], p[3],
                           0.0f);
      int64_t images = ShapedType::isDynamic(n) ? dynamicBatch : n;
      int64_t matrixBytes =
          images * kPadded * q * int64_t(elt.getIntOrFloatBitWidth() / 8);
      bool imageLoop =
          imageLoopMinBytes >= 0 && n != 1 && matrixBytes >= imageLoopMinBytes;
      if (!imageLoop) {
        Value matrix = im2col(rewriter, x);
        product = multiply(rewriter, matrix, initialAcc(rewriter, accType));
      } else {
        // One image at a time: its im2col matrix, then its product, so the
        // batch's matrix (KH*KW times the input) is never written whole.
        // 3x3, 128 channels, 28x28, batch 8: 29 MB, most of the layer's
        // time at high sparsity (docs/CpuKernels.md).
        // Each image's product starts from a tensor of its own (a slice of
        // the loop's output would reach the sparsifier's vectorized loops as
        // a buffer of unknown strides, which vector.load rejects).
        auto xType = cast<RankedTensorType>(x.getType());
        Value out =
            emptyTensor(rewriter, loc, accType, op.getInput(), {0, -1, -1, -1});
        auto forall = scf::ForallOp::create(rewriter, loc,
                                            ArrayRef<OpFoldResult>{batchDim},
                                            ValueRange{out}, std::nullopt);
        OpBuilder::InsertionGuard guard(rewriter);
        rewriter.setInsertionPointToStart(forall.getBody());
        Value i = forall.getInductionVar(0);
        OpFoldResult zero = rewriter.getIndexAttr(0),
                     one = rewriter.getIndexAttr(1);
        SmallVector<OpFoldResult> imageOffsets = {i, zero, zero, zero};
        SmallVector<OpFoldResult> imageSizes = {
            one, rewriter.getIndexAttr(c),
            rewriter.getIndexAttr(xType.getDimSize(2)),
            rewriter.getIndexAttr(xType.getDimSize(3))};
        SmallVector<OpFoldResult> ones(4, one);
        Value image = tensor::ExtractSliceOp::create(
            rewriter, loc,
            RankedTensorType::get(
                {1, c, xType.getDimSize(2), xType.getDimSize(3)}, elt),
            x, imageOffsets, imageSizes, ones);
        SmallVector<OpFoldResult> accSizes = {
            one, rewriter.getIndexAttr(groups), rewriter.getIndexAttr(og),
            rewriter.getIndexAttr(q)};
        auto imageAccType = RankedTensorType::get({1, groups, og, q}, elt);
        Value matrix = im2col(rewriter, image);
        Value imageProduct =
            multiply(rewriter, matrix, initialAcc(rewriter, imageAccType));
        // An activation that is the convolution's only user runs on each
        // image's product inside the loop, where snn-sparse-kernels fuses it
        // into the kernel's stores (after the loop it would be a pass of its
        // own over the output).
        Value convResult = op.getResult();
        if (convResult.hasOneUse() &&
            convResult.getUsers().begin()->getNumResults() == 1 &&
            convResult.getUsers().begin()->getResult(0).getType() ==
                convResult.getType()) {
          Operation *user = *convResult.getUsers().begin();
          if (Value activated = lowerActivation(rewriter, loc, user,
                                                imageProduct, imageAccType)) {
            imageProduct = activated;
            activation = user;
          }
        }
        Value forallOut = forall.getRegionIterArgs()[0];
        rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
        tensor::ParallelInsertSliceOp::create(rewriter, loc, imageProduct,
                                              forallOut, imageOffsets, accSizes,
                                              ones);
        product = forall.getResult(0);
      }
    }

    // [N, G, Og, OH*OW] is NCHW already: [N, O, OH*OW] -> [N, O, OH, OW].
    Value flat = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get({n, o, q}, elt), product,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}});
    SmallVector<OpFoldResult> nchwShape = {batchDim, rewriter.getIndexAttr(o),
                                           rewriter.getIndexAttr(oh),
                                           rewriter.getIndexAttr(ow)};
    Value result = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({n, o, oh, ow}, elt), flat,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}}, nchwShape);
    Value converted = toResultType(rewriter, loc, result, resultType);
    rewriter.replaceOp(op, converted);
    if (activation)
      rewriter.replaceOp(activation, converted);
    return success();
  }
};

/// Max and average pooling: a reduction over (kh, kw) windows of the padded
/// input, padded further at the bottom/right when ceil mode needs it.
template <typename PoolOp> struct Pool2DOpLowering : OpRewritePattern<PoolOp> {
  using OpRewritePattern<PoolOp>::OpRewritePattern;
  static constexpr bool isMax = std::is_same_v<PoolOp, MaxPool2DOp>;

  LogicalResult matchAndRewrite(PoolOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto inputType = op.getInput().getType();
    auto resultType = op.getType();
    ArrayRef<int64_t> k = op.getKernel(), p = op.getPadding();
    SmallVector<int64_t> s = op.getEffectiveStrides();
    int64_t h = inputType.getDimSize(2), w = inputType.getDimSize(3);
    int64_t oh = resultType.getDimSize(2), ow = resultType.getDimSize(3);
    // Extra bottom/right padding so that every (ceil-mode) window fits.
    int64_t extraH =
        std::max<int64_t>(0, (oh - 1) * s[0] + k[0] - (h + p[0] + p[2]));
    int64_t extraW =
        std::max<int64_t>(0, (ow - 1) * s[1] + k[1] - (w + p[1] + p[3]));
    float padValue = isMax ? -std::numeric_limits<float>::infinity() : 0.0f;
    Value x = padSpatial(rewriter, loc, op.getInput(), p[0], p[1],
                         p[2] + extraH, p[3] + extraW, padValue);

    auto denseResult = RankedTensorType::get(resultType.getShape(),
                                             resultType.getElementType());
    Value init =
        emptyTensor(rewriter, loc, denseResult, op.getInput(), identityDims(4));
    Type elt = op.getInput().getType().getElementType();
    Value initValue = floatConstant(rewriter, loc, elt, padValue);
    init = linalg::FillOp::create(rewriter, loc, initValue, init).getResult(0);
    SmallVector<AffineExpr> e(6);
    bindDimsList(ctx, MutableArrayRef<AffineExpr>(e));
    // A shape-only [KH, KW] operand gives the window loops their bounds.
    Value window = tensor::EmptyOp::create(rewriter, loc,
                                           ArrayRef<int64_t>{k[0], k[1]}, elt);
    Value pooled =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{denseResult}, ValueRange{x, window},
            ValueRange{init},
            ArrayRef<AffineMap>{
                AffineMap::get(
                    6, 0, {e[0], e[1], e[2] * s[0] + e[4], e[3] * s[1] + e[5]},
                    ctx),
                AffineMap::get(6, 0, {e[4], e[5]}, ctx),
                AffineMap::get(6, 0, {e[0], e[1], e[2], e[3]}, ctx)},
            ArrayRef<IteratorType>{
                IteratorType::parallel, IteratorType::parallel,
                IteratorType::parallel, IteratorType::parallel,
                IteratorType::reduction, IteratorType::reduction},
            [](OpBuilder &b, Location l, ValueRange args) {
              Value r = isMax
                            ? arith::MaximumFOp::create(b, l, args[0], args[2])
                                  .getResult()
                            : arith::AddFOp::create(b, l, args[0], args[2])
                                  .getResult();
              linalg::YieldOp::create(b, l, r);
            })
            .getResult(0);
    if constexpr (!isMax)
      pooled = divideByWindowSizes(rewriter, loc, op, pooled, h, w, oh, ow);
    rewriter.replaceOp(op, toResultType(rewriter, loc, pooled, resultType));
    return success();
  }

  /// Divides the window sums by PyTorch's divisors, a constant [OH, OW] map.
  static Value divideByWindowSizes(PatternRewriter &rewriter, Location loc,
                                   AvgPool2DOp op, Value sums, int64_t h,
                                   int64_t w, int64_t oh, int64_t ow) {
    ArrayRef<int64_t> k = op.getKernel(), p = op.getPadding();
    SmallVector<int64_t> s = op.getEffectiveStrides();
    bool includePad = op.getCountIncludePad();
    auto span = [&](int64_t o, int64_t dim) {
      int64_t in = dim == 0 ? h : w;
      int64_t start = o * s[dim] - p[dim];
      int64_t end = std::min(start + k[dim], in + p[dim + 2]);
      int64_t padded = end - start;
      int64_t inside = std::min(end, in) - std::max<int64_t>(start, 0);
      return includePad ? padded : inside;
    };
    auto elt = cast<FloatType>(op.getInput().getType().getElementType());
    SmallVector<APFloat> divisors;
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        APFloat d(static_cast<double>(span(i, 0) * span(j, 1)));
        bool lossy;
        d.convert(elt.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &lossy);
        divisors.push_back(d);
      }
    auto divType = RankedTensorType::get({oh, ow}, elt);
    Value div = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(divType, divisors));
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr dn, dc, dh, dw;
    bindDims(ctx, dn, dc, dh, dw);
    auto type = cast<RankedTensorType>(sums.getType());
    return linalg::GenericOp::create(
               rewriter, loc, TypeRange{type}, ValueRange{sums, div},
               ValueRange{
                   emptyTensor(rewriter, loc, type, sums, identityDims(4))},
               ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(4),
                                   AffineMap::get(4, 0, {dh, dw}, ctx),
                                   rewriter.getMultiDimIdentityMap(4)},
               SmallVector<IteratorType>(4, IteratorType::parallel),
               [](OpBuilder &b, Location l, ValueRange args) {
                 linalg::YieldOp::create(
                     b, l,
                     arith::DivFOp::create(b, l, args[0], args[1]).getResult());
               })
        .getResult(0);
  }
  static Value divideByWindowSizes(PatternRewriter &, Location, MaxPool2DOp,
                                   Value sums, int64_t, int64_t, int64_t,
                                   int64_t) {
    return sums;
  }
};

} // namespace

void mlir::snn::detail::populateConvPoolLoweringPatterns(
    RewritePatternSet &patterns, const ConvertSNNToLinalgPassOptions &options) {
  patterns.add<Conv2DOpLowering>(patterns.getContext(), options);
  patterns.add<Pool2DOpLowering<MaxPool2DOp>, Pool2DOpLowering<AvgPool2DOp>>(
      patterns.getContext());
}
