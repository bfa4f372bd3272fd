//===- CheckLegality.cpp - Reject IR the sparsifier cannot take -----------===//
//
// Part of SparseNN. Upstream's sparsifier in Debian's MLIR 22 (built without
// assertions) crashes or miscompiles on some valid IR; this pass turns the
// known cases into diagnostics at the offending op. See docs/Legality.md.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/IR/SNNDialect.h"
#include "sparsenn/Dialect/SNN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensorType.h"

namespace mlir::snn {
#define GEN_PASS_DEF_SNNCHECKLEGALITYPASS
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"
} // namespace mlir::snn

using namespace mlir;
using namespace mlir::sparse_tensor;

static bool hasBatchLevel(SparseTensorEncodingAttr enc) {
  return llvm::any_of(enc.getLvlTypes(),
                      [](LevelType lt) { return isBatchLT(lt); });
}

/// Whether a level of a plain dimension sits between another dimension's
/// `floordiv` and `mod` levels, as in the R x 1 block map (i floordiv R, j,
/// i mod R): MLIR 22's sparsifier crashes composing such maps (only
/// csr-tiled, which snn-sparse-kernels lowers, has that shape and works).
static bool hasInterleavedBlockLevels(SparseTensorEncodingAttr enc) {
  if (!enc.getDimToLvl())
    return false;
  ArrayRef<AffineExpr> results = enc.getDimToLvl().getResults();
  for (auto [p, e] : llvm::enumerate(results)) {
    auto fd = dyn_cast<AffineBinaryOpExpr>(e);
    if (!fd || fd.getKind() != AffineExprKind::FloorDiv)
      continue;
    for (size_t q = p + 1; q < results.size(); ++q) {
      auto mod = dyn_cast<AffineBinaryOpExpr>(results[q]);
      if (mod && mod.getKind() == AffineExprKind::Mod &&
          mod.getLHS() == fd.getLHS()) {
        for (size_t k = p + 1; k < q; ++k)
          if (isa<AffineDimExpr>(results[k]))
            return true;
        break;
      }
    }
  }
  return false;
}

/// Whether an N:M level's dimension holds a single group (size <= m), as in
/// a 4x4 weight with 2:4 rows: the `d floordiv m` level folds to 0 and MLIR
/// 22's sparsifier builds a non-invertible map from it.
static bool hasSingleNMGroup(RankedTensorType type) {
  auto enc = getSparseTensorEncoding(type);
  if (!enc || !enc.getDimToLvl())
    return false;
  ArrayRef<AffineExpr> results = enc.getDimToLvl().getResults();
  for (auto [l, lt] : llvm::enumerate(enc.getLvlTypes())) {
    if (!isNOutOfMLT(lt) || l >= results.size())
      continue;
    auto mod = dyn_cast<AffineBinaryOpExpr>(results[l]);
    if (!mod || mod.getKind() != AffineExprKind::Mod)
      continue;
    if (auto d = dyn_cast<AffineDimExpr>(mod.getLHS());
        d && !type.isDynamicDim(d.getPosition()) &&
        type.getDimSize(d.getPosition()) <= static_cast<int64_t>(lt.getM()))
      return true;
  }
  return false;
}

/// The dimensions of a partially blocked tensor: those its encoding divides
/// (`d floordiv m` / `d mod m` levels) when it does not divide all (N:M,
/// column-tiled CSR; not BSR, which divides both). Empty otherwise.
static SmallVector<unsigned> partiallyBlockedDims(Type type) {
  auto enc = getSparseTensorEncoding(type);
  if (!enc || !enc.getDimToLvl() || enc.isPermutation())
    return {};
  llvm::SmallDenseSet<unsigned> blocked;
  for (AffineExpr e : enc.getDimToLvl().getResults())
    if (auto bin = dyn_cast<AffineBinaryOpExpr>(e);
        bin && (bin.getKind() == AffineExprKind::FloorDiv ||
                bin.getKind() == AffineExprKind::Mod))
      if (auto d = dyn_cast<AffineDimExpr>(bin.getLHS()))
        blocked.insert(d.getPosition());
  if (blocked.empty() || blocked.size() == enc.getDimRank())
    return {};
  SmallVector<unsigned> dims(blocked.begin(), blocked.end());
  llvm::sort(dims);
  return dims;
}

static bool isAoSCOO(Type type) {
  auto enc = getSparseTensorEncoding(type);
  if (!enc)
    return false;
  return SparseTensorType(cast<RankedTensorType>(type)).getAoSCOOStart() <
         enc.getLvlRank();
}

/// Encodings whose assembly MLIR 22's sparse runtime library mishandles.
static bool assembleBreaksRuntime(Type type) {
  auto enc = getSparseTensorEncoding(type);
  return enc && llvm::any_of(enc.getLvlTypes(), [](LevelType lt) {
           return isSingletonLT(lt) || isNOutOfMLT(lt);
         });
}

static constexpr const char *kRuntimeAssembleMessage =
    " has a singleton or structured[n, m] level: assembling it from buffers "
    "corrupts memory with the sparse runtime library of MLIR 22; compile with "
    "direct code (enable-runtime-library=false, the default)";

namespace {
/// (j floordiv T : dense, i : dense, j mod T : compressed): csr-tiled.
bool isColumnTiledCSR(Type t) {
  auto enc = getSparseTensorEncoding(t);
  if (!enc || enc.getLvlRank() != 3 || enc.getDimRank() != 2)
    return false;
  AffineMap map = enc.getDimToLvl();
  ArrayRef<LevelType> lts = enc.getLvlTypes();
  return isDenseLT(lts[0]) && isDenseLT(lts[1]) && isCompressedLT(lts[2]) &&
         map.getResult(0).getKind() == AffineExprKind::FloorDiv &&
         map.getResult(1) == getAffineDimExpr(0, t.getContext());
}

struct SNNCheckLegalityPass
    : snn::impl::SNNCheckLegalityPassBase<SNNCheckLegalityPass> {
  using Base::Base;

  void runOnOperation() override {
    bool failed = false;
    auto fail = [&](Operation *op) {
      failed = true;
      return op->emitError();
    };
    getOperation().walk([&](Operation *op) {
      if (isa<snn::SNNDialect>(op->getDialect())) {
        fail(op) << "'" << op->getName()
                 << "' was not lowered; run convert-snn-to-linalg first";
        return;
      }
      for (Type t : llvm::concat<Type>(llvm::to_vector(op->getOperandTypes()),
                                       llvm::to_vector(op->getResultTypes())))
        if (auto enc = getSparseTensorEncoding(t); enc && hasBatchLevel(enc)) {
          fail(op) << "sparse encodings with a 'batch' level are not "
                      "supported by this MLIR's sparsifier: "
                   << t;
          return;
        } else if (enc && enc.getDimRank() == 2 &&
                   hasInterleavedBlockLevels(enc) && !isColumnTiledCSR(t)) {
          fail(op) << "the encoding of " << t
                   << " puts a dimension's level between another's floordiv "
                      "and mod levels (an R x 1 block), which crashes this "
                      "MLIR's sparsifier; use CSR, or blocks at least 2 "
                      "columns wide";
          return;
        }
      if (auto func = dyn_cast<func::FuncOp>(op)) {
        if (!func.isPublic() || func.isExternal())
          return;
        FunctionType ft = func.getFunctionType();
        for (Type t : llvm::concat<const Type>(ft.getInputs(), ft.getResults()))
          if (isAoSCOO(t))
            fail(op) << "public function '" << func.getSymName()
                     << "' takes or returns an array-of-structs COO tensor ("
                     << t
                     << "), which --sparse-assembler rejects; use "
                        "singleton(soa) levels";
        if (runtimeLibrary)
          for (Type t : ft.getInputs())
            if (assembleBreaksRuntime(t))
              fail(op) << "public function '" << func.getSymName()
                       << "' takes a sparse argument " << t
                       << kRuntimeAssembleMessage;
        if (!allowSparseResults)
          for (Type t : ft.getResults())
            if (getSparseTensorEncoding(t))
              fail(op) << "public function '" << func.getSymName()
                       << "' returns a sparse tensor (" << t
                       << "); return a dense one (sparse_tensor.convert)";
        return;
      }
      if (auto cst = dyn_cast<arith::ConstantOp>(op)) {
        if (getSparseTensorEncoding(cst.getType()))
          fail(op) << "a constant of sparse type " << cst.getType()
                   << " fails in the sparsifier; pack it with "
                      "snn-pack-weights (the pipeline's pack-weights=true) "
                      "or write a sparse_tensor.convert of a dense constant";
        return;
      }
      if (auto assemble = dyn_cast<AssembleOp>(op)) {
        if (runtimeLibrary && assembleBreaksRuntime(assemble.getType()))
          fail(op) << "the assembled tensor " << assemble.getType()
                   << kRuntimeAssembleMessage;
        return;
      }
      auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
      if (!linalgOp)
        return;
      // A weight of one N:M group per row: snn-sparse-kernels takes it in
      // matrix products; upstream's sparsifier (no kernels, or a batch of
      // one) builds a non-invertible indexing map from it.
      for (OpOperand *operand : linalgOp.getDpsInputOperands()) {
        auto rt = dyn_cast<RankedTensorType>(operand->get().getType());
        if (!rt || !hasSingleNMGroup(rt))
          continue;
        bool vector =
            llvm::any_of(linalgOp.getDpsInputOperands(), [&](OpOperand *other) {
              auto t = dyn_cast<RankedTensorType>(other->get().getType());
              // The matrix-vector form: a [B <= 1, K] input (batches above
              // one arrive blocked, rank 3).
              return other != operand && t && !getSparseTensorEncoding(t) &&
                     t.getRank() == 2 && !t.isDynamicDim(0) &&
                     t.getDimSize(0) <= 1;
            });
        if (!sparseKernels || vector) {
          fail(op) << rt
                   << " has a single structured[n, m] group along its "
                      "dimension, which this MLIR's sparsifier turns into a "
                      "non-invertible indexing map"
                   << (sparseKernels ? " at a batch of one" : "")
                   << "; use dense or CSR for a reduction of at most m "
                      "elements";
          return;
        }
      }
      // In a product, a partially blocked operand (N:M, column-tiled CSR)
      // must be divided along dimensions the product reduces (W in W x,
      // snn.linear's weight): divided along a parallel one (2:4 on the
      // right of a matmul) the sparsifier crashes in
      // AffineMap::replaceDimsAndSymbols (found by tools/fuzz). With every
      // dense loop parallel (the GPU pipeline) its other dimension must
      // also be the outermost loop: read transposed, the sparsifier crashes
      // building the parallel loop's reduction.
      SmallVector<utils::IteratorType> iterators =
          linalgOp.getIteratorTypesArray();
      if (!linalg::isaConvolutionOpInterface(linalgOp) &&
          llvm::any_of(iterators, linalg::isReductionIterator)) {
        for (OpOperand &operand : op->getOpOperands()) {
          SmallVector<unsigned> blocked =
              partiallyBlockedDims(operand.get().getType());
          AffineMap map = linalgOp.getMatchingIndexingMap(&operand);
          if (blocked.empty() || !map.isProjectedPermutation())
            continue;
          bool reduced = llvm::all_of(blocked, [&](unsigned d) {
            return linalg::isReductionIterator(
                iterators[map.getDimPosition(d)]);
          });
          bool outer = true;
          for (unsigned d = 0; d < map.getNumResults(); ++d)
            if (!llvm::is_contained(blocked, d) && map.getDimPosition(d) != 0)
              outer = false;
          if (!reduced || (denseAnyLoop && !outer)) {
            fail(op) << "the block or structured[n, m] operand "
                     << operand.get().getType()
                     << (reduced ? " is read transposed with every dense "
                                   "loop parallel"
                                 : " is divided along a dimension the "
                                   "product does not reduce (N:M on the "
                                   "right of a matmul)")
                     << ", which crashes this MLIR's sparsifier; put the "
                        "weight on the left in row order (W x, snn.linear's "
                        "weight) or use CSR or BSR";
            return;
          }
        }
      }
      if (!sparseKernels)
        for (Type t : op->getOperandTypes())
          if (isColumnTiledCSR(t)) {
            fail(op) << "the column-tiled CSR weight " << t
                     << " needs snn-sparse-kernels (the pipeline's "
                        "sparse-kernels=true and vl > 0); upstream's "
                        "sparsifier cannot lower it";
            return;
          }
      if (linalg::isaConvolutionOpInterface(linalgOp)) {
        for (OpOperand *operand : linalgOp.getDpsInputOperands()) {
          auto enc = getSparseTensorEncoding(operand->get().getType());
          if (!enc)
            continue;
          bool structured = llvm::any_of(
              enc.getLvlTypes(), [](LevelType lt) { return isNOutOfMLT(lt); });
          if (structured || !enc.isPermutation())
            fail(op) << "a convolution with a block or structured[n, m] "
                        "sparse filter crashes the sparsifier; lower the "
                        "convolution through im2col with a 2-D weight";
        }
      }
      // Block or structured levels indexed by a compound affine expression
      // (a grouped conv's g*Og + og row) crash the sparsifier.
      for (OpOperand &operand : op->getOpOperands()) {
        auto enc = getSparseTensorEncoding(operand.get().getType());
        if (!enc ||
            linalgOp.getMatchingIndexingMap(&operand).isProjectedPermutation())
          continue;
        bool blockOrNM = !enc.isPermutation() ||
                         llvm::any_of(enc.getLvlTypes(), [](LevelType lt) {
                           return isNOutOfMLT(lt);
                         });
        if (blockOrNM)
          fail(op) << "a sparse operand with block or structured[n, m] "
                      "levels indexed by a compound affine expression (such "
                      "as the weight of a grouped convolution) crashes the "
                      "sparsifier; use CSR, CSC, COO or DCSR there ("
                   << operand.get().getType() << ")";
      }
      // max/min directly on a sparse operand's element fails to legalize.
      if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
        Block &body = generic.getRegion().front();
        for (OpOperand &operand : generic->getOpOperands()) {
          if (!getSparseTensorEncoding(operand.get().getType()))
            continue;
          BlockArgument arg = body.getArgument(operand.getOperandNumber());
          for (Operation *user : arg.getUsers())
            if (isa<arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp,
                    arith::MinNumFOp>(user))
              fail(user) << "'" << user->getName()
                         << "' on an element of a sparse tensor cannot be "
                            "sparsified; wrap it in sparse_tensor.unary (as "
                            "snn.relu does)";
        }
      }
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace
