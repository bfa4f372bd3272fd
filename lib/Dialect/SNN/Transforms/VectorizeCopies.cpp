//===- VectorizeCopies.cpp - Row copies with vector loads and stores ------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//
//
// A copy generic on buffers (the im2col of a convolution, a bias broadcast)
// whose innermost loop walks the output's innermost dimension becomes loops
// over the outer dimensions that move one row with vector loads and stores.
// See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineExprVisitor.h"

namespace mlir::snn {
#define GEN_PASS_DEF_SNNVECTORIZECOPIESPASS
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"
} // namespace mlir::snn

using namespace mlir;

namespace {

/// How the input's innermost index moves with the innermost loop: by one
/// (a row), by two (every other element: a stride-2 convolution's im2col
/// row), or not at all (a broadcast).
enum class RowAccess { Contiguous, Strided2, Invariant };

/// Whether the innermost dimension of `type` has unit stride.
static bool hasUnitInnerStride(MemRefType type) {
  if (type.getRank() == 0)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         strides.back() == 1;
}

/// The access pattern of the input for loop `dim`, when it is one the pass
/// can vectorize: `dim` only in the last result, with coefficient 1
/// (Contiguous), or in no result (Invariant).
static std::optional<RowAccess> rowAccess(AffineMap map, unsigned dim) {
  if (map.getNumResults() == 0)
    return std::nullopt;
  for (AffineExpr e : map.getResults().drop_back())
    if (e.isFunctionOfDim(dim))
      return std::nullopt;
  AffineExpr last = map.getResults().back();
  if (!last.isFunctionOfDim(dim))
    return RowAccess::Invariant;
  if (!last.isPureAffine())
    return std::nullopt;
  // Linear in `dim` with step 1: e(dim + 1) - e(dim) simplifies to 1.
  MLIRContext *ctx = map.getContext();
  AffineExpr d = getAffineDimExpr(dim, ctx);
  AffineExpr shifted = last.replace(d, d + 1);
  AffineExpr step = simplifyAffineExpr(shifted - last, map.getNumDims(), 0);
  auto constant = dyn_cast<AffineConstantExpr>(step);
  if (!constant || (constant.getValue() != 1 && constant.getValue() != 2))
    return std::nullopt;
  return constant.getValue() == 1 ? RowAccess::Contiguous : RowAccess::Strided2;
}

/// The lanes of one vector of `type` when 32-bit elements take `lanes32`.
static int64_t lanesFor(Type type, unsigned lanes32) {
  unsigned bits = type.getIntOrFloatBitWidth();
  if (bits == 0 || bits > 64 || (bits & (bits - 1)) != 0)
    return 0;
  return std::max<int64_t>(1, int64_t(lanes32) * 32 / bits);
}

struct SNNVectorizeCopiesPass
    : snn::impl::SNNVectorizeCopiesPassBase<SNNVectorizeCopiesPass> {
  using Base::Base;

  /// Whether `op` is a copy this pass rewrites; sets the access and lanes.
  bool matches(linalg::GenericOp op, RowAccess &access, int64_t &lanes) {
    if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 1 ||
        op.getNumDpsInits() != 1 || op.getNumLoops() == 0 ||
        op.getNumReductionLoops() != 0)
      return false;
    Block &body = op.getRegion().front();
    auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
    if (!yield || &body.front() != yield.getOperation() ||
        yield.getNumOperands() != 1 ||
        yield.getOperand(0) != body.getArgument(0))
      return false;
    auto in = dyn_cast<MemRefType>(op.getDpsInputs()[0].getType());
    auto out = dyn_cast<MemRefType>(op.getDpsInits()[0].getType());
    if (!in || !out || in.getElementType() != out.getElementType() ||
        !out.getElementType().isIntOrFloat() || !hasUnitInnerStride(out))
      return false;
    lanes = lanesFor(out.getElementType(), vectorLength);
    unsigned inner = op.getNumLoops() - 1;
    AffineMap outMap = op.getIndexingMapsArray()[1];
    AffineMap inMap = op.getIndexingMapsArray()[0];
    // Rows of a few elements stay scalar (a masked vector per element).
    int64_t rowSize = op.getStaticLoopRanges()[inner];
    if (lanes == 0 || (!ShapedType::isDynamic(rowSize) && rowSize < 4))
      return false;
    // The output's innermost index is the innermost loop, and no other.
    if (outMap.getNumResults() == 0 ||
        outMap.getResults().back() != getAffineDimExpr(inner, op.getContext()))
      return false;
    for (AffineExpr e : outMap.getResults().drop_back())
      if (e.isFunctionOfDim(inner))
        return false;
    std::optional<RowAccess> a = rowAccess(inMap, inner);
    if (!a || (*a != RowAccess::Invariant && !hasUnitInnerStride(in)))
      return false;
    access = *a;
    return true;
  }

  void rewrite(linalg::GenericOp op, RowAccess access, int64_t lanes) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value in = op.getDpsInputs()[0], out = op.getDpsInits()[0];
    AffineMap inMap = op.getIndexingMapsArray()[0];
    AffineMap outMap = op.getIndexingMapsArray()[1];
    Type elt = cast<MemRefType>(out.getType()).getElementType();
    auto vecType = VectorType::get({lanes}, elt);
    auto maskType = VectorType::get({lanes}, b.getI1Type());
    SmallVector<Range> ranges =
        cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
    unsigned inner = ranges.size() - 1;
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value step = arith::ConstantIndexOp::create(b, loc, lanes);
    // The pass-through value of the masked loads.
    Value zeroVec = arith::ConstantOp::create(
        b, loc, vecType, DenseElementsAttr::get(vecType, b.getZeroAttr(elt)));
    // Inside a parallel loop (a convolution's loop over images) the copy's
    // own loops stay sequential.
    bool insideParallelLoop = op->getParentOfType<scf::ParallelOp>() ||
                              op->getParentOfType<scf::ForallOp>();

    auto indices = [&](OpBuilder &nb, AffineMap map, ArrayRef<Value> ivs) {
      SmallVector<Value> idx;
      SmallVector<OpFoldResult> operands = getAsOpFoldResult(ivs);
      for (AffineExpr e : map.getResults())
        idx.push_back(getValueOrCreateConstantIndexOp(
            nb, loc,
            affine::makeComposedFoldedAffineApply(
                nb, loc, AffineMap::get(map.getNumDims(), 0, e), operands)));
      return idx;
    };

    // The row: ivs[0..inner) fixed, the innermost loop in vectors, the tail
    // masked.
    auto emitRow = [&](OpBuilder &nb, SmallVector<Value> ivs) {
      Value size = getValueOrCreateConstantIndexOp(nb, loc, ranges[inner].size);
      Value full = nb.createOrFold<arith::MulIOp>(
          loc, nb.createOrFold<arith::DivUIOp>(loc, size, step), step);
      Value splat;
      if (access == RowAccess::Invariant) {
        ivs.push_back(zero);
        Value scalar =
            memref::LoadOp::create(nb, loc, in, indices(nb, inMap, ivs));
        splat = vector::BroadcastOp::create(nb, loc, vecType, scalar);
        ivs.pop_back();
      }
      auto maskedLoad = [&](OpBuilder &lb, ArrayRef<Value> src, Value m) {
        return vector::MaskedLoadOp::create(lb, loc, vecType, in, src, m,
                                            zeroVec)
            .getResult();
      };
      // Every other element from `src` on: two vector loads and a shuffle
      // of their even lanes. Only the 2 * count - 1 elements the row needs
      // are read (the last lane of the second load is masked off), so the
      // last row of a buffer is not read past its end.
      auto loadStrided2 = [&](OpBuilder &lb, SmallVector<Value> src,
                              Value count) {
        Value lanesIdx = arith::ConstantIndexOp::create(lb, loc, lanes);
        SmallVector<Value> src1(src);
        src1.back() = arith::AddIOp::create(lb, loc, src.back(), lanesIdx);
        Value v0, v1;
        if (!count) {
          v0 = vector::LoadOp::create(lb, loc, vecType, in, src);
          Value m1 = vector::CreateMaskOp::create(
              lb, loc, maskType,
              ValueRange{arith::ConstantIndexOp::create(lb, loc, lanes - 1)});
          v1 = maskedLoad(lb, src1, m1);
        } else {
          Value two = arith::ConstantIndexOp::create(lb, loc, 2);
          Value need = arith::SubIOp::create(
              lb, loc, arith::MulIOp::create(lb, loc, count, two), one);
          Value m0 =
              vector::CreateMaskOp::create(lb, loc, maskType, ValueRange{need});
          Value m1 = vector::CreateMaskOp::create(
              lb, loc, maskType,
              ValueRange{arith::SubIOp::create(lb, loc, need, lanesIdx)});
          v0 = maskedLoad(lb, src, m0);
          v1 = maskedLoad(lb, src1, m1);
        }
        SmallVector<int64_t> even;
        for (int64_t l = 0; l < lanes; ++l)
          even.push_back(2 * l);
        return vector::ShuffleOp::create(lb, loc, v0, v1, even).getResult();
      };
      // One chunk of the row at `j`: a full vector, or with `mask` the
      // row's last `count` elements.
      auto body = [&](OpBuilder &lb, Value j, Value mask, Value count) {
        SmallVector<Value> all(ivs);
        all.push_back(j);
        Value v = splat;
        if (!v) {
          SmallVector<Value> src = indices(lb, inMap, all);
          if (access == RowAccess::Strided2)
            v = loadStrided2(lb, src, count);
          else
            v = mask ? maskedLoad(lb, src, mask)
                     : vector::LoadOp::create(lb, loc, vecType, in, src)
                           .getResult();
        }
        SmallVector<Value> dst = indices(lb, outMap, all);
        if (mask)
          vector::MaskedStoreOp::create(lb, loc, out, dst, mask, v);
        else
          vector::StoreOp::create(lb, loc, v, out, dst);
      };
      scf::ForOp::create(nb, loc, zero, full, step, ValueRange{},
                         [&](OpBuilder &lb, Location, Value j, ValueRange) {
                           body(lb, j, Value(), Value());
                           scf::YieldOp::create(lb, loc);
                         });
      std::optional<int64_t> staticSize =
          getConstantIntValue(ranges[inner].size);
      if (staticSize && *staticSize % lanes == 0)
        return;
      Value rest = nb.createOrFold<arith::SubIOp>(loc, size, full);
      Value mask = vector::CreateMaskOp::create(nb, loc, maskType, rest);
      if (staticSize) {
        body(nb, full, mask, rest);
        return;
      }
      Value any =
          arith::CmpIOp::create(nb, loc, arith::CmpIPredicate::ugt, rest, zero);
      scf::IfOp::create(nb, loc, any, [&](OpBuilder &tb, Location) {
        body(tb, full, mask, rest);
        scf::YieldOp::create(tb, loc);
      });
    };

    // Loops over the outer dimensions. On demand the outermost ones are
    // one scf.parallel: up to the first whose size is not 1, so a batch of
    // one image still spreads over its channels (3x3, 128 channels, 28x28,
    // one image, 2 threads: 0.24 -> 0.21-0.22 ms).
    unsigned parallelDims = 0;
    if (parallel && !insideParallelLoop)
      while (parallelDims < inner &&
             isConstantIntValue(ranges[parallelDims++].size, 1))
        ;
    std::function<void(OpBuilder &, unsigned, SmallVector<Value>)> nest =
        [&](OpBuilder &nb, unsigned d, SmallVector<Value> ivs) {
          if (d == inner) {
            emitRow(nb, ivs);
            return;
          }
          if (d == 0 && parallelDims > 0) {
            SmallVector<Value> lbs(parallelDims, zero),
                steps(parallelDims, one), ubs;
            for (unsigned k = 0; k < parallelDims; ++k)
              ubs.push_back(
                  getValueOrCreateConstantIndexOp(nb, loc, ranges[k].size));
            scf::ParallelOp::create(
                nb, loc, lbs, ubs, steps,
                [&](OpBuilder &lb, Location, ValueRange pivs) {
                  nest(lb, parallelDims, SmallVector<Value>(pivs));
                });
            return;
          }
          Value ub = getValueOrCreateConstantIndexOp(nb, loc, ranges[d].size);
          auto inside = [&](OpBuilder &lb, Value iv) {
            SmallVector<Value> next(ivs);
            next.push_back(iv);
            nest(lb, d + 1, next);
          };
          scf::ForOp::create(
              nb, loc, zero, ub, one, ValueRange{},
              [&](OpBuilder &lb, Location, Value iv, ValueRange) {
                inside(lb, iv);
                scf::YieldOp::create(lb, loc);
              });
        };
    nest(b, 0, {});
    op.erase();
  }

  void runOnOperation() override {
    if (vectorLength == 0)
      return;
    if (vectorLength > static_cast<unsigned>(snn::kMaxVectorLength)) {
      getOperation().emitError()
          << "snn-vectorize-copies: vector-length="
          << static_cast<unsigned>(vectorLength) << " is out of range (0 to "
          << snn::kMaxVectorLength << ")";
      return signalPassFailure();
    }
    SmallVector<std::tuple<linalg::GenericOp, RowAccess, int64_t>> copies;
    getOperation().walk([&](linalg::GenericOp op) {
      RowAccess access;
      int64_t lanes;
      if (matches(op, access, lanes))
        copies.emplace_back(op, access, lanes);
    });
    for (auto [op, access, lanes] : copies)
      rewrite(op, access, lanes);
  }
};
} // namespace
