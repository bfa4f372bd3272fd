//===- FoldBatchTransposes.cpp - Layers keep the batch-major layout -------===//
//
// Part of SparseNN. convert-snn-to-linalg lowers each linear layer to the
// batch-major form: x is cut into blocks of batch rows and transposed (xT),
// the kernel computes yT = W . xT, and yT is transposed back to y. Between
// two such layers, with an elementwise activation in between, the data goes
//
//   yT --T--> y3 --collapse--> y [--slice--] --act--> a [--pad--]
//      --expand--> a3 --T--> aT
//
// and the two transposes cancel: aT = act(yT), elementwise on yT's layout.
// The rows the slice drops and the pad adds are padding of the batch: the
// activation runs on them too, and they stay padding (each batch row is
// independent in the layers either side), so nothing observable changes.
// Two passes over every hidden activation (the two transposes) go away.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Transforms/Passes.h"
#include "sparsenn/Dialect/SNN/Utils/Elementwise.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::snn {
#define GEN_PASS_DEF_SNNFOLDBATCHTRANSPOSESPASS
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"
} // namespace mlir::snn

using namespace mlir;

namespace {

/// The input of a rank-3 generic that copies it with its two inner dims
/// swapped (out[a, b, c] = in[a, c, b]), or null.
Value swappedInnerDims(linalg::GenericOp g) {
  std::optional<SmallVector<int64_t>> perm =
      g ? linalg::isaTransposeOpInterface(g) : std::nullopt;
  if (!perm || *perm != SmallVector<int64_t>{0, 2, 1})
    return Value();
  return g.getDpsInputs()[0];
}

/// Batch rows split into [blocks, lanes] (or merged back): the
/// reassociation {{0, 1}, {2}}.
template <typename ReshapeOp> bool splitsRows(ReshapeOp op) {
  SmallVector<ReassociationIndices> r = op.getReassociationIndices();
  return r.size() == 2 && r[0] == ReassociationIndices{0, 1} &&
         r[1] == ReassociationIndices{2};
}

/// A slice that keeps the first rows of a rank-2 tensor, all columns.
bool keepsLeadingRows(tensor::ExtractSliceOp slice) {
  auto srcType = slice.getSourceType();
  return srcType.getRank() == 2 && slice.hasUnitStride() &&
         llvm::all_of(slice.getMixedOffsets(),
                      [](OpFoldResult o) { return isZeroInteger(o); }) &&
         slice.getResultType().getDimSize(1) == srcType.getDimSize(1) &&
         !ShapedType::isDynamic(srcType.getDimSize(1));
}

/// A pad that adds rows at the end of a rank-2 tensor, and nothing else.
bool padsTrailingRows(tensor::PadOp pad) {
  return pad.getSourceType().getRank() == 2 &&
         llvm::all_of(pad.getMixedLowPad(),
                      [](OpFoldResult o) { return isZeroInteger(o); }) &&
         isZeroInteger(pad.getMixedHighPad()[1]);
}

/// Whether the use is an operand of a linalg.generic whose [blocks, ...,
/// lanes] dims (the batch) are parallel loops of their own, so no result
/// mixes two batch rows (the next layer's kernel).
bool keepsBatchRowsApart(OpOperand &use) {
  auto g = dyn_cast<linalg::GenericOp>(use.getOwner());
  if (!g || !g.isDpsInput(&use))
    return false;
  AffineMap map = g.getMatchingIndexingMap(&use);
  if (map.getNumResults() != 3)
    return false;
  SmallVector<utils::IteratorType> iterators = g.getIteratorTypesArray();
  for (unsigned r : {0u, 2u}) {
    auto dim = dyn_cast<AffineDimExpr>(map.getResult(r));
    if (!dim || iterators[dim.getPosition()] != utils::IteratorType::parallel)
      return false;
  }
  return true;
}

struct FoldTransposesAroundElementwise
    : public OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp outer,
                                PatternRewriter &rewriter) const override {
    // Walk back from the second transpose: expand, [pad], act, [slice],
    // collapse, first transpose.
    Value in = swappedInnerDims(outer);
    auto expand = in ? in.getDefiningOp<tensor::ExpandShapeOp>() : nullptr;
    if (!expand || !splitsRows(expand))
      return rewriter.notifyMatchFailure(outer, "not a transposed expand");
    Value actResult = expand.getSrc();
    bool padded = false;
    if (auto pad = actResult.getDefiningOp<tensor::PadOp>()) {
      if (!padsTrailingRows(pad))
        return failure();
      actResult = pad.getSource();
      padded = true;
    }
    auto act = actResult.getDefiningOp<linalg::GenericOp>();
    if (!snn::isUnaryElementwise(act) || !act->hasOneUse())
      return rewriter.notifyMatchFailure(outer, "not an elementwise op");
    Value actIn = act.getDpsInputs()[0];
    if (auto slice = actIn.getDefiningOp<tensor::ExtractSliceOp>()) {
      if (!keepsLeadingRows(slice))
        return failure();
      actIn = slice.getSource();
      padded = true;
    }
    auto collapse = actIn.getDefiningOp<tensor::CollapseShapeOp>();
    if (!collapse || !splitsRows(collapse) ||
        collapse.getSrcType() != expand.getResultType())
      return failure();
    Value yT =
        swappedInnerDims(collapse.getSrc().getDefiningOp<linalg::GenericOp>());
    if (!yT || yT.getType() != outer.getResult(0).getType())
      return rewriter.notifyMatchFailure(outer, "the transposes differ");
    // The padding rows then hold act(yT's padding) instead of the pad value:
    // only consumers that keep batch rows apart may see them.
    if (padded && !llvm::all_of(outer->getUses(), keepsBatchRowsApart))
      return rewriter.notifyMatchFailure(outer, "a consumer mixes batch rows");

    // act on yT's layout, into a fresh tensor of yT's shape.
    Location loc = outer.getLoc();
    auto type = cast<RankedTensorType>(yT.getType());
    SmallVector<Value> dynamic;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        dynamic.push_back(tensor::DimOp::create(rewriter, loc, yT, d));
    Value init = tensor::EmptyOp::create(rewriter, loc, type, dynamic);
    auto identity = rewriter.getMultiDimIdentityMap(type.getRank());
    auto folded = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{yT}, ValueRange{init},
        ArrayRef<AffineMap>{identity, identity},
        SmallVector<utils::IteratorType>(type.getRank(),
                                         utils::IteratorType::parallel));
    rewriter.cloneRegionBefore(act.getRegion(), folded.getRegion(),
                               folded.getRegion().end());
    rewriter.replaceOp(outer, folded.getResults());
    return success();
  }
};

struct SNNFoldBatchTransposesPass
    : snn::impl::SNNFoldBatchTransposesPassBase<SNNFoldBatchTransposesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldTransposesAroundElementwise>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
