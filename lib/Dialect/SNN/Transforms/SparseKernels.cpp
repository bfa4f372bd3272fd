//===- SparseKernels.cpp - Register-blocked sparse contraction kernels ----===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//
//
// Upstream's sparsifier vectorizes only the innermost loop of a sparse
// contraction: for C[o, v] += A[o, k] * B[k, v] with A in CSR it loads the
// row of C, does one FMA and stores it back for every stored weight. This
// pass replaces such a linalg.generic by loops that keep a chunk of C's row
// in vector registers across all of A's stored entries of that row (see the
// pass description in Passes.td). Everything else stays with the sparsifier.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Transforms/Passes.h"
#include "sparsenn/Dialect/SNN/Utils/Elementwise.h"
#include "sparsenn/Dialect/SNN/Utils/Encodings.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensorType.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::snn {
#define GEN_PASS_DEF_SNNSPARSEKERNELSPASS
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"
} // namespace mlir::snn

using namespace mlir;
using namespace mlir::sparse_tensor;

namespace {

/// How A's stored entries of one row (or block row) are enumerated.
enum class WeightFormat {
  Dense,   ///< Every column, from a dense buffer or an all-dense encoding.
  CSR,     ///< (dense, compressed).
  BSR,     ///< (i floordiv R : dense, j floordiv C : compressed, i mod R,
           ///<  j mod C : dense).
  NOutOfM, ///< (i : dense, j floordiv m : dense, j mod m : structured[n, m]).
  TiledCSR ///< (j floordiv T : dense, i : dense, j mod T : compressed): CSR
           ///< of each panel of T columns, panel after panel.
};

/// C[outer..., o, v] += A[o, k] * B[outer..., k, v] (MatMat), or
/// C[outer..., o] += A[o, k] * B[outer..., k] (MatVec), as matched.
struct Contraction {
  enum Kind { MatMat, MatVec } kind = MatMat;
  Value a, b, init;
  AffineMap bMap, cMap;
  unsigned numLoops;
  unsigned dimO, dimK, dimV = 0; ///< dimV: MatMat only.
  SmallVector<unsigned> outerDims;
  WeightFormat format;
  int64_t rows, cols;             ///< A's static shape.
  int64_t blockR = 1, blockC = 1; ///< BSR block.
  int64_t n = 0, m = 0;           ///< N:M.
  int64_t panel = 0;              ///< TiledCSR: columns per panel.
  int64_t vSize;                  ///< Static size of C's innermost dim.
};

/// The body `out + a * b` (either operand order).
bool isMultiplyAccumulate(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getNumArguments() != 3 || body.getOperations().size() != 3)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value acc = body.getArgument(2);
  Value other = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  if (add.getLhs() != acc && add.getRhs() != acc)
    return false;
  auto mul = other.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  Value x = body.getArgument(0), y = body.getArgument(1);
  return (mul.getLhs() == x && mul.getRhs() == y) ||
         (mul.getLhs() == y && mul.getRhs() == x);
}

/// N of `e = d floordiv N`, if e has that form.
std::optional<int64_t> floorDivConstant(AffineExpr e) {
  if (e.getKind() != AffineExprKind::FloorDiv)
    return std::nullopt;
  auto rhs = dyn_cast<AffineConstantExpr>(cast<AffineBinaryOpExpr>(e).getRHS());
  if (!rhs)
    return std::nullopt;
  return rhs.getValue();
}

/// Classifies A's storage, or fails for formats left to the sparsifier.
LogicalResult classifyWeight(Contraction &c) {
  auto type = cast<RankedTensorType>(c.a.getType());
  if (!type.hasStaticShape() || type.getRank() != 2)
    return failure();
  c.rows = type.getDimSize(0);
  c.cols = type.getDimSize(1);
  if (!getSparseTensorEncoding(type)) {
    c.format = WeightFormat::Dense;
    return success();
  }
  SparseTensorType stt(type);
  MLIRContext *ctx = type.getContext();
  ArrayRef<LevelType> lts = stt.getLvlTypes();
  auto all = [&](auto pred) { return llvm::all_of(lts, pred); };
  if (stt.getLvlRank() == 2 && stt.isIdentity()) {
    if (all([](LevelType lt) { return isDenseLT(lt); })) {
      c.format = WeightFormat::Dense;
      return success();
    }
    if (isDenseLT(lts[0]) && isCompressedLT(lts[1])) {
      c.format = WeightFormat::CSR;
      return success();
    }
    return failure();
  }
  AffineExpr i = getAffineDimExpr(0, ctx), j = getAffineDimExpr(1, ctx);
  AffineMap map = stt.getDimToLvl();
  if (std::optional<std::pair<int64_t, int64_t>> block =
          snn::getBsrBlock(type)) {
    auto [br, bc] = *block;
    if (c.rows % br || c.cols % bc)
      return failure();
    c.format = WeightFormat::BSR;
    c.blockR = br;
    c.blockC = bc;
    return success();
  }
  if (std::optional<std::pair<int64_t, int64_t>> nm = snn::getNOutOfM(type)) {
    auto [n, m] = *nm;
    if (c.cols % m)
      return failure();
    c.format = WeightFormat::NOutOfM;
    c.n = n;
    c.m = m;
    return success();
  }
  if (stt.getLvlRank() == 3 && isDenseLT(lts[0]) && isDenseLT(lts[1]) &&
      isCompressedLT(lts[2])) {
    std::optional<int64_t> t = floorDivConstant(map.getResult(0));
    if (!t || *t <= 0 ||
        map != AffineMap::get(2, 0, {j.floorDiv(*t), i, j % *t}, ctx))
      return failure();
    c.format = WeightFormat::TiledCSR;
    c.panel = *t;
    return success();
  }
  return failure();
}

/// Matches C[outer..., o, v] += A[o, k] * B[outer..., k, v].
FailureOr<Contraction> match(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || !isMultiplyAccumulate(op))
    return failure();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!llvm::all_of(maps,
                    [](AffineMap m) { return m.isProjectedPermutation(); }))
    return failure();
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  if (llvm::count(iters, utils::IteratorType::reduction) != 1)
    return failure();
  Contraction c;
  c.dimK = std::distance(iters.begin(),
                         llvm::find(iters, utils::IteratorType::reduction));
  AffineMap cMap = maps[2];
  if (cMap.getNumResults() < 1)
    return failure();
  unsigned cLast = cMap.getDimPosition(cMap.getNumResults() - 1);
  // A is the input indexed exactly (o, k). C's innermost dim is either one
  // A does not index (v: a matrix product) or o (a matrix-vector product,
  // B's innermost dim is then k).
  std::optional<unsigned> aIdx;
  for (unsigned i = 0; i < 2 && !aIdx; ++i) {
    AffineMap aMap = maps[i], bMap = maps[1 - i];
    if (aMap.getNumResults() != 2 || aMap.getDimPosition(1) != c.dimK ||
        bMap.getNumResults() < 1)
      continue;
    unsigned dimO = aMap.getDimPosition(0);
    unsigned bLast = bMap.getDimPosition(bMap.getNumResults() - 1);
    if (cLast == dimO && bLast == c.dimK) {
      c.kind = Contraction::MatVec;
    } else if (cLast != dimO && bLast == cLast &&
               !aMap.isFunctionOfDim(cLast)) {
      c.kind = Contraction::MatMat;
      c.dimV = cLast;
    } else {
      continue;
    }
    c.dimO = dimO;
    aIdx = i;
  }
  if (!aIdx)
    return failure();
  AffineMap bMap = maps[1 - *aIdx];
  if (!bMap.isFunctionOfDim(c.dimK) || bMap.isFunctionOfDim(c.dimO) ||
      !cMap.isFunctionOfDim(c.dimO) || cMap.isFunctionOfDim(c.dimK))
    return failure();
  for (unsigned d = 0; d < op.getNumLoops(); ++d)
    if (d != c.dimO && d != c.dimK &&
        (c.kind == Contraction::MatVec || d != c.dimV)) {
      if (!cMap.isFunctionOfDim(d))
        return failure();
      c.outerDims.push_back(d);
    }
  c.bMap = bMap;
  c.cMap = cMap;
  c.numLoops = op.getNumLoops();
  c.a = op.getDpsInputs()[*aIdx];
  c.b = op.getDpsInputs()[1 - *aIdx];
  c.init = op.getDpsInits()[0];
  if (getSparseTensorEncoding(c.b.getType()) ||
      getSparseTensorEncoding(c.init.getType()))
    return failure();
  Type elt = getElementTypeOrSelf(c.a.getType());
  if (!isa<FloatType>(elt) || getElementTypeOrSelf(c.b.getType()) != elt ||
      getElementTypeOrSelf(c.init.getType()) != elt)
    return failure();
  auto cType = cast<RankedTensorType>(c.init.getType());
  c.vSize = cType.getDimSize(cType.getRank() - 1);
  // Empty tensors (a batch of 0) are left to the sparsifier.
  if (ShapedType::isDynamic(c.vSize) || c.vSize == 0 ||
      failed(classifyWeight(c)) || c.rows == 0 || c.cols == 0)
    return failure();
  // Matrix-vector products: CSR (gathers from B), BSR (blocks of one
  // vector, checked by the pass) and dense weights.
  if (c.kind == Contraction::MatVec && c.format == WeightFormat::NOutOfM)
    return failure();
  return c;
}

/// The scalar `v` is filled with, when it is a linalg.fill or a generic
/// that fills (as after linalg-generalize-named-ops), else null.
Value fillValue(Value v) {
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    return fill.getInputs()[0];
  if (auto gen = v.getDefiningOp<linalg::GenericOp>())
    if (std::optional<Value> scalar = linalg::isaFillOpInterface(gen))
      return *scalar;
  return Value();
}

/// The 1-D tensor C's init broadcasts along every dim but A's rows (the
/// linear's bias: init[..., o, ...] = bias[o]), or null.
Value rowBroadcastSource(const Contraction &c) {
  auto gen = c.init.getDefiningOp<linalg::GenericOp>();
  if (!gen || gen.getNumDpsInputs() != 1 || gen.getNumDpsInits() != 1)
    return Value();
  Block &body = gen.getRegion().front();
  if (body.getOperations().size() != 1 ||
      cast<linalg::YieldOp>(body.getTerminator()).getOperand(0) !=
          body.getArgument(0))
    return Value();
  SmallVector<AffineMap> maps = gen.getIndexingMapsArray();
  std::optional<unsigned> rowPos =
      c.cMap.getResultPosition(getAffineDimExpr(c.dimO, gen.getContext()));
  Value src = gen.getDpsInputs()[0];
  auto srcType = dyn_cast<RankedTensorType>(src.getType());
  if (!rowPos || !maps[1].isIdentity() || maps[0].getNumResults() != 1 ||
      maps[0].getDimPosition(0) != *rowPos || !srcType ||
      srcType.getRank() != 1 || getSparseTensorEncoding(srcType) ||
      srcType.getElementType() != getElementTypeOrSelf(c.init.getType()))
    return Value();
  return src;
}

/// A memref type that any buffer of `type` with a unit innermost stride casts
/// to, so to_buffer never forces a copy.
MemRefType unitInnerStrideType(RankedTensorType type) {
  SmallVector<int64_t> strides(type.getRank(), ShapedType::kDynamic);
  strides.back() = 1;
  return MemRefType::get(
      type.getShape(), type.getElementType(),
      StridedLayoutAttr::get(type.getContext(), ShapedType::kDynamic, strides));
}

/// Alignment of the buffers the kernels allocate: whole cache lines, so a
/// vector row of B or C never straddles two (malloc's 16 bytes made a
/// 4096x4096 90% layer at batch 64 about 20% slower).
constexpr int64_t kBufferAlignment = 64;

/// Independent FMA chains a row's loop keeps in flight, and the most copies
/// of the accumulators it spreads them over (see emitChunk).
constexpr int64_t kMinChains = 8;
constexpr int64_t kMaxSets = 4;
/// Accumulator registers a block of rows may use (of 32 with AVX-512).
constexpr int64_t kMaxAccumulators = 16;
/// Rows of a dense weight that share each loaded row of B.
constexpr int64_t kDenseRows = 4;
/// Bytes of B one reduction tile reads (L1 is 32-48 KiB on current x86
/// cores; C's row tile shares it) and rows of C per tile.
constexpr int64_t kL1TileBytes = 16 * 1024;
constexpr int64_t kRowTile = 64;
/// Bytes of C a row tile of a csr-tiled weight keeps while it runs over the
/// panels (half of a 1 MiB L2). The panels' rows of B are reread once per
/// row tile: hand loop on a 4096x4096 90% weight in panels of 256 columns,
/// batch 64 (a C row is 256 bytes), ms by rows per tile: 64 2.19-2.32, 256
/// 2.07, 512 2.02-2.04, 1024 1.97-2.01, 2048 1.97.
constexpr int64_t kTiledRowTileBytes = 256 * 1024;
/// With threads, a csr-tiled weight keeps at least this many row tiles
/// (the parallel loop's iterations).
constexpr int64_t kMinParallelRowTiles = 8;
constexpr int64_t kCacheLine = 64;
/// Vector accumulators of a matrix-vector row (independent chains).
constexpr int64_t kMatVecSets = 4;
/// Stored rows of a matrix-vector product shorter than kMatVecMinSegment
/// run as a scalar loop (see emitMatVecRow). Measured at batch 1, us,
/// vector -> scalar: 1024x1024 99% (10 entries a row) 6.4 -> 3.9, 4096x4096
/// 99% (41) 72 -> 53, 1024x1024 95% (51) 21 -> 15; at 102 entries
/// (2048x2048 95%) the scalar loop lost, 62 -> 70.
/// Entries ahead of the current one whose weight data a matrix-vector row
/// prefetches.
constexpr int64_t kPrefetchAhead = 1024;
/// Entries ahead of the current one whose row of B a CSR matrix product
/// prefetches, once B is larger than kBPrefetchAboveBytes: the rows come
/// from L2 or beyond in an order the hardware prefetchers cannot guess.
/// Measured on the 4096x4096 90% layer at batch 64 (a hand loop, then the
/// generated kernel): 8 entries ahead gained 4%, 16 gained 9%, 32 gained 6%.
constexpr int64_t kBRowAhead = 16;
/// A B of 256 KiB (1024 x 64 floats) lost 2-4% with the prefetch (0.165-0.167
/// ms without, 0.171-0.174 with, 1024x1024 at 90%); 512 KiB (2048 rows)
/// gained 3% (0.610-0.639 -> 0.602-0.617 ms).
constexpr int64_t kBPrefetchAboveBytes = 256 * 1024;
/// Rows with at least one stored entry per kBRowPrefetchGap columns do not
/// prefetch B (see emitChunk). With a gap of 2, rows of a 50% weight fell on
/// both sides and the prefetching half cost: 4096x4096 at batch 64, 19.4-23.9
/// ms against a hand loop's 17.0 without prefetch and 20.6 with; with 3,
/// 19.2-22.5 (upstream's sparsifier 17.6-19.4 in the same runs).
constexpr int64_t kBRowPrefetchGap = 3;
/// Nor do chunks whose row of B is narrower than this: with one or two cache
/// lines per entry the extra coordinate load and prefetches cost more than
/// they hide (4096x4096 at 90%, ms with -> without: batch 16 0.87-1.04 ->
/// 0.70-0.73, batch 32 1.41-1.50 -> 1.32-1.42; batch 64 gains, above).
constexpr int64_t kBRowPrefetchMinBytes = 256;

class KernelEmitter {
public:
  KernelEmitter(RewriterBase &rewriter, const Contraction &c, Location loc,
                unsigned vl, unsigned maxVectors, bool parallel, bool gather)
      : b(rewriter), c(c), loc(loc), vl(vl), parallel(parallel),
        gather(gather) {
    elt = getElementTypeOrSelf(c.a.getType());
    vecType = VectorType::get({static_cast<int64_t>(vl)}, elt);
    // A block of rows shares every loaded row of B: BSR's R rows, and 4
    // rows of a dense weight (its microkernel: 4 rows x 4 vectors of FMAs
    // per 4 loads of B).
    if (c.format == WeightFormat::BSR)
      rowsPerBlock = c.blockR;
    else if (c.format == WeightFormat::Dense && c.kind == Contraction::MatMat &&
             c.rows % kDenseRows == 0)
      rowsPerBlock = kDenseRows;
    int64_t perRow =
        rowsPerBlock > 1
            ? std::max<int64_t>(1, kMaxAccumulators / rowsPerBlock)
            : static_cast<int64_t>(std::max<unsigned>(1, maxVectors));
    chunk = std::min<int64_t>(perRow * vl, c.vSize);

    // Formats whose entries sit at fixed positions (dense, N:M) tile the
    // reduction so the rows of B a tile reads stay in L1 while a tile of
    // kRowTile rows of C runs over them; otherwise every row of A streams
    // all of B from L2 (a dense row reads every row of B).
    if (c.kind == Contraction::MatMat && (c.format == WeightFormat::Dense ||
                                          c.format == WeightFormat::NOutOfM)) {
      int64_t unit = c.format == WeightFormat::NOutOfM ? c.m : 1;
      int64_t eltBytes = elt.getIntOrFloatBitWidth() / 8;
      int64_t fit = kL1TileBytes / (chunk * eltBytes);
      kTile = std::max<int64_t>(unit, fit / unit * unit);
      if (kTile < c.cols) {
        numKTiles = llvm::divideCeil(c.cols, kTile);
        rowTile = std::max<int64_t>(rowsPerBlock,
                                    kRowTile / rowsPerBlock * rowsPerBlock);
      }
    }
    // Column-tiled CSR brings its own tiles: its panels.
    if (c.format == WeightFormat::TiledCSR) {
      kTile = c.panel;
      numKTiles = llvm::divideCeil(c.cols, c.panel);
      // Matrix-vector products run in row tiles even with one panel
      // (emitMatVecPanels).
      if (numKTiles > 1 || c.kind == Contraction::MatVec) {
        int64_t eltBytes = elt.getIntOrFloatBitWidth() / 8;
        // A matrix-vector row tile keeps one sum per row.
        rowTile = c.kind == Contraction::MatVec
                      ? kTiledRowTileBytes / eltBytes
                      : std::max<int64_t>(kRowTile, kTiledRowTileBytes /
                                                        (chunk * eltBytes));
        if (parallel)
          rowTile = std::min(
              rowTile,
              std::max<int64_t>(
                  kRowTile, llvm::divideCeil(c.rows, kMinParallelRowTiles)));
        rowTile = std::min(rowTile, c.rows);
      }
    }
    if (numKTiles == 1)
      kTile = c.cols;
  }

  Value emit();

  /// Whether every output element is stored once, final (no reduction
  /// tiles that store partial sums), so an epilogue can run at the store.
  bool storesOnce() const { return numKTiles == 1; }
  /// Applies the elementwise body `block` (of a unary linalg.generic: its
  /// argument 0 the contraction's result) to every value before it is
  /// stored: the activation after a layer, fused into the kernel.
  void setEpilogue(Block *block) { epilogue = block; }

private:
  /// The epilogue on a value about to be stored (a vector of vl lanes or a
  /// scalar), or the value itself without one.
  Value applyEpilogue(Value v);

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

  /// Loads element `i` of a rank-1 integer buffer as an index.
  Value loadIndex(Value mem, Value i) {
    Value v = memref::LoadOp::create(b, loc, mem, i);
    if (v.getType().isIndex())
      return v;
    return arith::IndexCastUIOp::create(b, loc, b.getIndexType(), v);
  }

  /// Indices into B or C (by their map) for the given dim values.
  SmallVector<Value> indices(AffineMap map, ArrayRef<Value> dimValues) {
    SmallVector<Value> idx;
    for (unsigned r = 0; r < map.getNumResults(); ++r)
      idx.push_back(dimValues[map.getDimPosition(r)]);
    return idx;
  }

  /// A vector of zeros of `type` (vecType when null).
  Value zeros(VectorType type = {}) {
    type = type ? type : vecType;
    return arith::ConstantOp::create(
        b, loc, type,
        DenseElementsAttr::get(type, b.getZeroAttr(type.getElementType())));
  }

  /// A vector load, masked (zeros in the masked-off lanes) when `mask` is set.
  Value load(VectorType type, Value mem, ValueRange idx, Value mask) {
    if (!mask)
      return vector::LoadOp::create(b, loc, type, mem, idx);
    return vector::MaskedLoadOp::create(b, loc, type, mem, idx, mask,
                                        zeros(type));
  }

  /// The first `lanes` lanes of a vector at idx.
  Value loadVector(Value mem, ValueRange idx, int64_t lanes) {
    return load(vecType, mem, idx,
                lanes == static_cast<int64_t>(vl) ? Value() : mask(lanes));
  }

  void storeVector(Value value, Value mem, ValueRange idx, int64_t lanes) {
    if (lanes == static_cast<int64_t>(vl))
      vector::StoreOp::create(b, loc, value, mem, idx);
    else
      vector::MaskedStoreOp::create(b, loc, mem, idx, mask(lanes), value);
  }

  VectorType maskType() {
    return VectorType::get({static_cast<int64_t>(vl)}, b.getI1Type());
  }

  Value mask(int64_t lanes) {
    return vector::CreateMaskOp::create(b, loc, maskType(),
                                        ValueRange{index(lanes)});
  }

  /// Lanes of vector `j` of a chunk `width` wide.
  int64_t lanesOf(int64_t width, int64_t j) {
    return std::min<int64_t>(vl, width - j * static_cast<int64_t>(vl));
  }

  /// The body for one chunk of `width` elements of v starting at `v0`, for
  /// the row block starting at row `row0`, with the outer dims at `outer`,
  /// over the reduction tile `kt` (null: all of the reduction).
  void emitChunk(ValueRange outer, Value v0, Value row0, int64_t width,
                 Value kt, bool initOnly = false);
  /// Prefetches the weight entries of rows [row0, row0 + rowsPerBlock) in
  /// the reduction tile that starts at column `next`.
  void prefetchNextTile(Value row0, Value next);
  /// One row of a matrix-vector product: C[outer, row] = init +
  /// sum over the row's entries of A * B[outer, column] (a gather for CSR).
  /// With `panel` (csr-tiled), only that panel's entries, added to what the
  /// panels before it stored (init for panel 0).
  void emitMatVecRow(ValueRange outer, Value row, Value panel = Value());
  /// The tile `rowTileIv` of rows of a csr-tiled matrix-vector product,
  /// panel after panel.
  void emitMatVecPanels(ValueRange outer, Value rowTileIv);
  /// One block row of a BSR matrix-vector product whose R x C blocks fill
  /// one vector: each block times C values of B repeated R times, summed
  /// per row at the end.
  void emitMatVecBlockRow(ValueRange outer, Value rowBlock);
  /// The reduction tiles and row blocks of one row tile, for a chunk
  /// `width` wide.
  void emitTiles(ValueRange outer, Value v0, Value rowTileIv, int64_t width);

  /// accs[j] += w * B[outer, k, v0 + j * vl] for every vector j.
  void accumulate(SmallVectorImpl<Value> &accs, ArrayRef<Value> bRow, Value w,
                  unsigned first);
  SmallVector<Value> loadBRow(ValueRange outer, Value k, Value v0,
                              int64_t width);
  /// Prefetches the cache lines of B[outer, k, v0 .. v0 + width).
  void prefetchBRow(ValueRange outer, Value k, Value v0, int64_t width);

  RewriterBase &b;
  const Contraction &c;
  Location loc;
  unsigned vl;
  bool parallel;
  bool gather; ///< Matrix-vector rows load B by vector gathers.
  Type elt;
  VectorType vecType;
  int64_t chunk;
  int64_t rowsPerBlock = 1;
  int64_t kTile = 0, numKTiles = 1;
  int64_t rowTile = 0; ///< Rows per parallel iteration (0: rowsPerBlock).
  Block *epilogue = nullptr;
  Value bMem, cInitMem, cInitScalar, cInitRowMem, outMem, positions,
      coordinates, values;

  /// C's initial value for every element of row `row` when it is one (a
  /// fill, or a bias broadcast along the row), else null.
  Value rowInit(Value row) {
    if (cInitScalar)
      return cInitScalar;
    if (cInitRowMem)
      return memref::LoadOp::create(b, loc, cInitRowMem, ValueRange{row});
    return Value();
  }
};

SmallVector<Value> KernelEmitter::loadBRow(ValueRange outer, Value k, Value v0,
                                           int64_t width) {
  SmallVector<Value> row;
  int64_t nvec = llvm::divideCeil(width, vl);
  for (int64_t j = 0; j < nvec; ++j) {
    SmallVector<Value> dims(c.numLoops);
    for (auto [d, v] : llvm::zip(c.outerDims, outer))
      dims[d] = v;
    dims[c.dimK] = k;
    dims[c.dimV] =
        j ? arith::AddIOp::create(b, loc, v0, index(j * vl)).getResult() : v0;
    row.push_back(loadVector(bMem, indices(c.bMap, dims), lanesOf(width, j)));
  }
  return row;
}

Value KernelEmitter::applyEpilogue(Value v) {
  if (!epilogue)
    return v;
  auto vt = dyn_cast<VectorType>(v.getType());
  auto lift = [&](Type t) -> Type {
    return vt ? VectorType::get(vt.getShape(), t) : t;
  };
  IRMapping map;
  map.map(epilogue->getArgument(0), v);
  for (Operation &op : epilogue->without_terminator()) {
    // A constant in the body: a copy, splat for vectors.
    if (matchPattern(&op, m_Constant())) {
      Value c = b.clone(op)->getResult(0);
      map.map(op.getResult(0),
              vt ? vector::BroadcastOp::create(b, loc, lift(c.getType()), c)
                       .getResult()
                 : c);
      continue;
    }
    SmallVector<Value> operands;
    for (Value o : op.getOperands()) {
      Value m = map.lookupOrNull(o);
      // A constant from outside the body (fusableEpilogue checks): a copy
      // here, splat for vectors.
      if (!m) {
        m = b.clone(*o.getDefiningOp())->getResult(0);
        if (vt)
          m = vector::BroadcastOp::create(b, loc, lift(o.getType()), m);
      }
      operands.push_back(m);
    }
    SmallVector<Type> types;
    for (Type t : op.getResultTypes())
      types.push_back(lift(t));
    OperationState state(loc, op.getName(), operands, types, op.getAttrs());
    map.map(op.getResults(), b.create(state)->getResults());
  }
  return map.lookup(epilogue->getTerminator()->getOperand(0));
}

void KernelEmitter::prefetchBRow(ValueRange outer, Value k, Value v0,
                                 int64_t width) {
  int64_t perLine = kCacheLine / (elt.getIntOrFloatBitWidth() / 8);
  for (int64_t j = 0; j < width; j += perLine) {
    SmallVector<Value> dims(c.numLoops);
    for (auto [d, v] : llvm::zip(c.outerDims, outer))
      dims[d] = v;
    dims[c.dimK] = k;
    dims[c.dimV] =
        j ? arith::AddIOp::create(b, loc, v0, index(j)).getResult() : v0;
    memref::PrefetchOp::create(b, loc, bMem, indices(c.bMap, dims),
                               /*isWrite=*/false, /*locality=*/3,
                               /*isDataCache=*/true);
  }
}

void KernelEmitter::accumulate(SmallVectorImpl<Value> &accs,
                               ArrayRef<Value> bRow, Value w, unsigned first) {
  Value wv = vector::BroadcastOp::create(b, loc, vecType, w);
  for (auto [j, bv] : llvm::enumerate(bRow))
    accs[first + j] =
        vector::FMAOp::create(b, loc, wv, bv, accs[first + j]).getResult();
}

void KernelEmitter::prefetchNextTile(Value row0, Value next) {
  // A row tile walks kRowTile rows of the weight a tile's worth at a time:
  // too many streams for the hardware prefetchers, so each row prefetches
  // its part of the next tile (2:4 at 4096x4096, batch 64: 13.8 ms without).
  auto prefetch = [&](Value mem, Value start, int64_t entries) {
    Type eltType = cast<MemRefType>(mem.getType()).getElementType();
    // Index buffers (width 0) hold 64-bit entries.
    int64_t bytes = eltType.isIndex() ? 8 : eltType.getIntOrFloatBitWidth() / 8;
    int64_t perLine = std::max<int64_t>(1, kCacheLine / bytes);
    for (int64_t e = 0; e < entries; e += perLine)
      memref::PrefetchOp::create(
          b, loc, mem,
          ValueRange{
              e ? arith::AddIOp::create(b, loc, start, index(e)).getResult()
                : start},
          /*isWrite=*/false, /*locality=*/3, /*isDataCache=*/true);
  };
  for (int64_t r = 0; r < rowsPerBlock; ++r) {
    Value row =
        r ? arith::AddIOp::create(b, loc, row0, index(r)).getResult() : row0;
    if (c.format == WeightFormat::Dense) {
      Value start = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, row, index(c.cols)), next);
      prefetch(values, start, kTile);
    } else {
      // Entry of column `next`: (row * groups + next / m) * n.
      Value start = arith::MulIOp::create(
          b, loc,
          arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, row, index(c.cols / c.m)),
              arith::DivUIOp::create(b, loc, next, index(c.m))),
          index(c.n));
      int64_t entries = kTile / c.m * c.n;
      prefetch(values, start, entries);
      prefetch(coordinates, start, entries);
    }
  }
}

void KernelEmitter::emitChunk(ValueRange outer, Value v0, Value row0,
                              int64_t width, Value kt, bool initOnly) {
  int64_t nvec = llvm::divideCeil(width, vl);

  // C's indices of vector j of row r of the block.
  auto cIndices = [&](int64_t r, int64_t j) {
    SmallVector<Value> dims(c.numLoops);
    for (auto [d, v] : llvm::zip(c.outerDims, outer))
      dims[d] = v;
    dims[c.dimO] =
        r ? arith::AddIOp::create(b, loc, row0, index(r)).getResult() : row0;
    dims[c.dimV] =
        j ? arith::AddIOp::create(b, loc, v0, index(j * vl)).getResult() : v0;
    return indices(c.cMap, dims);
  };

  // Accumulators start from C's initial values (a splat when C is filled),
  // or, after the first reduction tile, from the partial sums in the output.
  auto initial = [&](bool partial) {
    SmallVector<Value> init;
    for (int64_t r = 0; r < rowsPerBlock; ++r) {
      Value start =
          partial ? Value()
                  : rowInit(r ? arith::AddIOp::create(b, loc, row0, index(r))
                                    .getResult()
                              : row0);
      Value splat =
          start
              ? vector::BroadcastOp::create(b, loc, vecType, start).getResult()
              : Value();
      for (int64_t j = 0; j < nvec; ++j)
        init.push_back(
            partial ? loadVector(outMem, cIndices(r, j), lanesOf(width, j))
            : splat ? splat
                    : loadVector(cInitMem, cIndices(r, j), lanesOf(width, j)));
    }
    return init;
  };
  // Without reduction tiles the accumulators start from C's initial values;
  // with them from the partial sums in the output, which emitTiles fills
  // with the initial values first (a branch on the first tile instead made
  // LLVM select between the output and a zero-filled constant the size of C).
  if (initOnly) {
    SmallVector<Value> init = initial(false);
    for (int64_t r = 0; r < rowsPerBlock; ++r)
      for (int64_t j = 0; j < nvec; ++j)
        storeVector(init[r * nvec + j], outMem, cIndices(r, j),
                    lanesOf(width, j));
    return;
  }
  SmallVector<Value> accs = initial(static_cast<bool>(kt));
  // The reduction range [kLo, kHi) of this tile.
  Value kLo = index(0), kHi = index(c.cols);
  if (kt) {
    kLo = arith::MulIOp::create(b, loc, kt, index(kTile));
    kHi = arith::MinUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, kLo, index(kTile)),
        index(c.cols));
    if (c.format != WeightFormat::TiledCSR)
      prefetchNextTile(row0, kHi);
  }

  Value one = index(1);
  auto loadValue = [&](Value p) {
    return memref::LoadOp::create(b, loc, values, p).getResult();
  };
  // Every accumulator is a chain of dependent FMAs: with fewer than
  // kMinChains of them the loop waits on FMA latency. So the entries of a row
  // are spread over `sets` copies of the accumulators (unrolling the entry
  // loop), added up at the end. Measured on the 4096x4096 90% CSR layer at
  // batch 64 in blocks of 16 lanes: one chain 6.9 ms, eight 5.1 ms.
  int64_t perSet = static_cast<int64_t>(accs.size());
  int64_t sets = std::min<int64_t>(
      kMaxSets, std::max<int64_t>(1, llvm::divideCeil(kMinChains, perSet)));
  // An N:M group's n entries go to n sets; groups are unrolled for more.
  int64_t groupUnroll = 1;
  if (c.format == WeightFormat::NOutOfM) {
    groupUnroll = std::max<int64_t>(1, sets / c.n);
    sets = std::min(sets, c.n * groupUnroll);
  }
  Value zeroVec = zeros();
  // Runs body(p, accs, firstAccumulatorOfTheSet) for p in [lo, hi), unrolled
  // `unroll` times (one set per unrolled entry) when unroll > 1.
  using Body = function_ref<void(Value, SmallVectorImpl<Value> &, int64_t)>;
  auto loop = [&](Value lo, Value hi, int64_t step, ValueRange init,
                  int64_t unroll, Body body) {
    auto forOp = scf::ForOp::create(
        b, loc, lo, hi, index(step), init,
        [&](OpBuilder &, Location, Value p, ValueRange iterArgs) {
          SmallVector<Value> a(iterArgs);
          for (int64_t u = 0; u < unroll; ++u)
            body(u ? arith::AddIOp::create(b, loc, p, index(u)).getResult() : p,
                 a, u * perSet);
          scf::YieldOp::create(b, loc, a);
        });
    return SmallVector<Value>(forOp.getResults());
  };
  auto reduce = [&](Value lo, Value hi, int64_t unroll, Body body) {
    SmallVector<Value> init(accs);
    for (int64_t i = perSet; i < sets * perSet; ++i)
      init.push_back(zeroVec);
    SmallVector<Value> result;
    if (unroll == 1) {
      result = loop(lo, hi, 1, init, 1, body);
    } else {
      Value count = arith::SubIOp::create(b, loc, hi, lo);
      Value whole = arith::MulIOp::create(
          b, loc, arith::DivUIOp::create(b, loc, count, index(unroll)),
          index(unroll));
      Value mid = arith::AddIOp::create(b, loc, lo, whole);
      result = loop(lo, mid, unroll, init, unroll, body);
      result = loop(mid, hi, 1, result, 1, body);
    }
    for (int64_t i = 0; i < perSet; ++i) {
      accs[i] = result[i];
      for (int64_t set = 1; set < sets; ++set)
        accs[i] =
            arith::AddFOp::create(b, loc, accs[i], result[set * perSet + i]);
    }
  };

  switch (c.format) {
  case WeightFormat::Dense: {
    // Row r's weight at column k is at (row0 + r) * cols + k; every loaded
    // row of B feeds the block's rows.
    SmallVector<Value> bases;
    for (int64_t r = 0; r < rowsPerBlock; ++r)
      bases.push_back(arith::MulIOp::create(
          b, loc,
          r ? arith::AddIOp::create(b, loc, row0, index(r)).getResult() : row0,
          index(c.cols)));
    reduce(kLo, kHi, sets,
           [&](Value k, SmallVectorImpl<Value> &a, int64_t first) {
             SmallVector<Value> bRow = loadBRow(outer, k, v0, width);
             for (int64_t r = 0; r < rowsPerBlock; ++r)
               accumulate(a, bRow,
                          loadValue(arith::AddIOp::create(b, loc, bases[r], k)),
                          first + r * nvec);
           });
    break;
  }
  case WeightFormat::CSR: {
    Value lo = loadIndex(positions, row0);
    Value hi = loadIndex(positions,
                         arith::AddIOp::create(b, loc, row0, one).getResult());
    // The row of B of the entry kBRowAhead on (in this row or the next
    // ones; the last entry at the end) is prefetched when B is larger than
    // kBPrefetchAboveBytes, the
    // chunk's row of B spans kBRowPrefetchMinBytes or more, and the row
    // stores fewer than one column in kBRowPrefetchGap (3). At 50% the
    // hardware prefetchers follow the nearly sequential rows of B and the
    // extra loads only cost. 4096x4096 at batch 64, ms without -> with the
    // prefetch: 50% 19.4-23.9 -> 23.6-24.9, 60% 14.2-14.8 -> 14.4-14.9,
    // 70% 10.3-10.8 -> 9.6-10.1, 80% 6.9-7.2 -> 5.8-6.4.
    int64_t eltBytes = elt.getIntOrFloatBitWidth() / 8;
    auto body = [&](Value last) {
      return [&, last](Value p, SmallVectorImpl<Value> &a, int64_t first) {
        if (last) {
          Value ahead = arith::MinUIOp::create(
              b, loc, arith::AddIOp::create(b, loc, p, index(kBRowAhead)),
              last);
          prefetchBRow(outer, loadIndex(coordinates, ahead), v0, width);
        }
        Value k = loadIndex(coordinates, p);
        accumulate(a, loadBRow(outer, k, v0, width), loadValue(p), first);
      };
    };
    if (c.cols * width * eltBytes <= kBPrefetchAboveBytes ||
        width * eltBytes < kBRowPrefetchMinBytes) {
      reduce(lo, hi, sets, body(Value()));
      break;
    }
    Value last = arith::SubIOp::create(
        b, loc, memref::DimOp::create(b, loc, coordinates, 0), one);
    Value sparseRow = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ult,
        arith::MulIOp::create(b, loc, arith::SubIOp::create(b, loc, hi, lo),
                              index(kBRowPrefetchGap)),
        index(c.cols));
    SmallVector<Value> before(accs);
    SmallVector<Type> types(ValueRange(accs).getTypes());
    auto branch = scf::IfOp::create(b, loc, types, sparseRow,
                                    /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&branch.getThenRegion().front());
      reduce(lo, hi, sets, body(last));
      scf::YieldOp::create(b, loc, accs);
      accs = before;
      b.setInsertionPointToStart(&branch.getElseRegion().front());
      reduce(lo, hi, sets, body(Value()));
      scf::YieldOp::create(b, loc, accs);
    }
    accs.assign(branch.getResults().begin(), branch.getResults().end());
    break;
  }
  case WeightFormat::TiledCSR: {
    // Row `row0` of panel kt: entries pos[kt * rows + row0] to the next,
    // columns kt * T + crd[p].
    Value segment =
        kt ? arith::AddIOp::create(
                 b, loc, arith::MulIOp::create(b, loc, kt, index(c.rows)), row0)
                 .getResult()
           : row0;
    Value lo = loadIndex(positions, segment);
    Value hi = loadIndex(
        positions, arith::AddIOp::create(b, loc, segment, one).getResult());
    reduce(lo, hi, sets,
           [&](Value p, SmallVectorImpl<Value> &a, int64_t first) {
             Value k =
                 arith::AddIOp::create(b, loc, kLo, loadIndex(coordinates, p));
             accumulate(a, loadBRow(outer, k, v0, width), loadValue(p), first);
           });
    break;
  }
  case WeightFormat::NOutOfM: {
    // Group g of the row holds n entries at p = (row * groups + g) * n + t,
    // column g * m + crd[p]; the n entries of a group (and of unrolled
    // groups) go to consecutive sets.
    int64_t groups = c.cols / c.m;
    Value base = arith::MulIOp::create(b, loc, row0, index(groups));
    reduce(arith::DivUIOp::create(b, loc, kLo, index(c.m)),
           arith::DivUIOp::create(b, loc, kHi, index(c.m)), groupUnroll,
           [&](Value g, SmallVectorImpl<Value> &a, int64_t first) {
             Value gp = arith::MulIOp::create(
                 b, loc, arith::AddIOp::create(b, loc, base, g), index(c.n));
             Value gk = arith::MulIOp::create(b, loc, g, index(c.m));
             for (int64_t t = 0; t < c.n; ++t) {
               Value p =
                   t ? arith::AddIOp::create(b, loc, gp, index(t)).getResult()
                     : gp;
               Value k =
                   arith::AddIOp::create(b, loc, gk, loadIndex(coordinates, p));
               accumulate(a, loadBRow(outer, k, v0, width), loadValue(p),
                          (first + t * perSet) % (sets * perSet));
             }
           });
    break;
  }
  case WeightFormat::BSR: {
    // Block p holds R x C values at (p * R + r) * C + cc, columns
    // crd[p] * C + cc; every loaded row of B feeds R rows of C.
    Value rowBlock = arith::DivUIOp::create(b, loc, row0, index(c.blockR));
    Value lo = loadIndex(positions, rowBlock);
    Value hi = loadIndex(
        positions, arith::AddIOp::create(b, loc, rowBlock, one).getResult());
    int64_t br = c.blockR, bc = c.blockC;
    reduce(
        lo, hi, sets, [&](Value p, SmallVectorImpl<Value> &a, int64_t first) {
          Value k0 = arith::MulIOp::create(b, loc, loadIndex(coordinates, p),
                                           index(bc));
          Value v0p = arith::MulIOp::create(b, loc, p, index(br * bc));
          for (int64_t cc = 0; cc < bc; ++cc) {
            Value k =
                cc ? arith::AddIOp::create(b, loc, k0, index(cc)).getResult()
                   : k0;
            SmallVector<Value> bRow = loadBRow(outer, k, v0, width);
            for (int64_t r = 0; r < br; ++r) {
              Value q = arith::AddIOp::create(b, loc, v0p, index(r * bc + cc));
              accumulate(a, bRow, loadValue(q), first + r * nvec);
            }
          }
        });
    break;
  }
  }

  for (int64_t r = 0; r < rowsPerBlock; ++r)
    for (int64_t j = 0; j < nvec; ++j)
      storeVector(applyEpilogue(accs[r * nvec + j]), outMem, cIndices(r, j),
                  lanesOf(width, j));
}

void KernelEmitter::emitTiles(ValueRange outer, Value v0, Value rowTileIv,
                              int64_t width) {
  auto rowBlocks = [&](Value kt, bool initOnly) {
    if (!rowTile) {
      Value row0 =
          rowsPerBlock == 1
              ? rowTileIv
              : arith::MulIOp::create(b, loc, rowTileIv, index(rowsPerBlock))
                    .getResult();
      emitChunk(outer, v0, row0, width, kt, initOnly);
      return;
    }
    Value lo = arith::MulIOp::create(b, loc, rowTileIv, index(rowTile));
    Value hi = arith::MinUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, lo, index(rowTile)),
        index(c.rows));
    scf::ForOp::create(b, loc, lo, hi, index(rowsPerBlock), ValueRange{},
                       [&](OpBuilder &, Location, Value row0, ValueRange) {
                         emitChunk(outer, v0, row0, width, kt, initOnly);
                         scf::YieldOp::create(b, loc);
                       });
  };
  if (numKTiles == 1) {
    rowBlocks(Value(), false);
    return;
  }
  rowBlocks(Value(), /*initOnly=*/true);
  scf::ForOp::create(b, loc, index(0), index(numKTiles), index(1), ValueRange{},
                     [&](OpBuilder &, Location, Value kt, ValueRange) {
                       rowBlocks(kt, false);
                       scf::YieldOp::create(b, loc);
                     });
}

Value KernelEmitter::emit() {
  auto bType = cast<RankedTensorType>(c.b.getType());
  auto cType = cast<RankedTensorType>(c.init.getType());

  bMem = bufferization::ToBufferOp::create(b, loc, unitInnerStrideType(bType),
                                           c.b, /*read_only=*/true);
  if (Value scalar = fillValue(c.init)) {
    cInitScalar = scalar;
  } else if (Value bias = rowBroadcastSource(c)) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    cInitRowMem = bufferization::ToBufferOp::create(
        b, loc, unitInnerStrideType(biasType), bias, /*read_only=*/true);
  } else {
    cInitMem = bufferization::ToBufferOp::create(
        b, loc, unitInnerStrideType(cType), c.init, /*read_only=*/true);
  }

  // A's buffers: a dense tensor's buffer seen as rank 1, or the storage of
  // the encoding's levels.
  if (!getSparseTensorEncoding(c.a.getType())) {
    auto aType = cast<RankedTensorType>(c.a.getType());
    Value mem = bufferization::ToBufferOp::create(
        b, loc, MemRefType::get(aType.getShape(), elt), c.a,
        /*read_only=*/true);
    values = memref::CollapseShapeOp::create(
        b, loc, mem, ArrayRef<ReassociationIndices>{{0, 1}});
  } else {
    values = ToValuesOp::create(b, loc, c.a);
    if (c.format == WeightFormat::CSR || c.format == WeightFormat::BSR) {
      positions = ToPositionsOp::create(b, loc, c.a, 1);
      coordinates = ToCoordinatesOp::create(b, loc, c.a, 1);
    } else if (c.format == WeightFormat::NOutOfM) {
      coordinates = ToCoordinatesOp::create(b, loc, c.a, 2);
    } else if (c.format == WeightFormat::TiledCSR) {
      positions = ToPositionsOp::create(b, loc, c.a, 2);
      coordinates = ToCoordinatesOp::create(b, loc, c.a, 2);
    }
  }

  SmallVector<Value> dynSizes;
  for (int64_t d = 0; d < cType.getRank(); ++d)
    if (cType.isDynamicDim(d))
      dynSizes.push_back(tensor::DimOp::create(b, loc, c.init, d));
  outMem =
      memref::AllocOp::create(b, loc, MemRefType::get(cType.getShape(), elt),
                              dynSizes, b.getI64IntegerAttr(kBufferAlignment));

  // Loops: outer dims, chunks of v, row blocks.
  SmallVector<Value> lbs, ubs, steps;
  for (unsigned d : c.outerDims) {
    unsigned pos =
        *c.cMap.getResultPosition(getAffineDimExpr(d, b.getContext()));
    lbs.push_back(index(0));
    ubs.push_back(tensor::DimOp::create(b, loc, c.init, pos));
    steps.push_back(index(1));
  }
  auto buildLoops = [&](function_ref<void(ValueRange)> body) {
    if (parallel) {
      scf::ParallelOp::create(
          b, loc, lbs, ubs, steps,
          [&](OpBuilder &, Location, ValueRange ivs) { body(ivs); });
    } else {
      scf::buildLoopNest(
          b, loc, lbs, ubs, steps,
          [&](OpBuilder &, Location, ValueRange ivs) { body(ivs); });
    }
  };
  auto result = [&]() -> Value {
    return bufferization::ToTensorOp::create(b, loc, cType, outMem,
                                             /*restrict=*/b.getUnitAttr(),
                                             /*writable=*/b.getUnitAttr());
  };
  if (c.kind == Contraction::MatVec) {
    // Loops: outer dims, rows.
    lbs.push_back(index(0));
    ubs.push_back(index(c.rows / rowsPerBlock));
    steps.push_back(index(1));
    if (c.format == WeightFormat::TiledCSR) {
      // Loops: outer dims, row tiles; panels and rows within (below).
      ubs.back() = index(llvm::divideCeil(c.rows, rowTile));
      buildLoops([&](ValueRange ivs) {
        emitMatVecPanels(ivs.drop_back(), ivs.back());
      });
      return result();
    }
    buildLoops([&](ValueRange ivs) {
      if (c.format == WeightFormat::BSR)
        emitMatVecBlockRow(ivs.drop_back(), ivs.back());
      else
        emitMatVecRow(ivs.drop_back(), ivs.back());
    });
    return result();
  }

  // Loops: outer dims, chunks of v, row tiles.
  int64_t numChunks = llvm::divideCeil(c.vSize, chunk);
  int64_t tail = c.vSize - (numChunks - 1) * chunk;
  int64_t rowsPerTile = rowTile ? rowTile : rowsPerBlock;
  lbs.append({index(0), index(0)});
  ubs.append({index(numChunks), index(llvm::divideCeil(c.rows, rowsPerTile))});
  steps.append({index(1), index(1)});

  auto body = [&](ValueRange ivs) {
    ValueRange outer = ivs.drop_back(2);
    Value chunkIv = ivs[ivs.size() - 2], rowTileIv = ivs.back();
    Value v0 = arith::MulIOp::create(b, loc, chunkIv, index(chunk));
    if (tail == chunk) {
      emitTiles(outer, v0, rowTileIv, chunk);
      return;
    }
    Value isTail = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                         chunkIv, index(numChunks - 1));
    scf::IfOp::create(
        b, loc, isTail,
        [&](OpBuilder &, Location) {
          emitTiles(outer, v0, rowTileIv, tail);
          scf::YieldOp::create(b, loc);
        },
        [&](OpBuilder &, Location) {
          emitTiles(outer, v0, rowTileIv, chunk);
          scf::YieldOp::create(b, loc);
        });
  };
  buildLoops(body);
  return result();
}

void KernelEmitter::emitMatVecPanels(ValueRange outer, Value rowTileIv) {
  // Panel-major, as the format stores its entries: the panel's slice of B
  // stays in L1 while the tile's rows run over it, where a row running over
  // all panels walks all of B every row (16384x16384 at 90% in panels of
  // 8192, with gathers: 7.9 ms row by row, 6.9 panel by panel).
  Value lo = arith::MulIOp::create(b, loc, rowTileIv, index(rowTile));
  Value hi = arith::MinUIOp::create(
      b, loc, arith::AddIOp::create(b, loc, lo, index(rowTile)), index(c.rows));
  scf::ForOp::create(b, loc, index(0), index(numKTiles), index(1), ValueRange{},
                     [&](OpBuilder &, Location, Value kt, ValueRange) {
                       scf::ForOp::create(
                           b, loc, lo, hi, index(1), ValueRange{},
                           [&](OpBuilder &, Location, Value row, ValueRange) {
                             emitMatVecRow(outer, row, kt);
                             scf::YieldOp::create(b, loc);
                           });
                       scf::YieldOp::create(b, loc);
                     });
}

void KernelEmitter::emitMatVecRow(ValueRange outer, Value row, Value panel) {
  SmallVector<Value> bDims(c.numLoops), cDims(c.numLoops);
  for (auto [d, v] : llvm::zip(c.outerDims, outer))
    bDims[d] = cDims[d] = v;
  cDims[c.dimO] = row;

  // With gather=false, rows whose slice of B (the weight's columns, or a
  // csr-tiled panel's) fits kMatVecSliceBytes load it by scalar loads;
  // wider ones still gather. Zen 5, 90% sparse, one thread, ms gather ->
  // scalar loads: 4096 columns 0.40 -> 0.36, 8192 1.75 -> 1.62; 16384 8.41
  // -> 8.68 (B from L2), in panels of 8192 6.89 -> 5.93.
  int64_t slice = c.format == WeightFormat::TiledCSR ? c.panel : c.cols;
  bool scalarLoads = !gather && slice * (elt.getIntOrFloatBitWidth() / 8) <=
                                    snn::kMatVecSliceBytes;
  // vl entries of the row at p (the first `left` of them when masked):
  // acc + values[p..] * B[outer, column(p..)], where a stored column is
  // colBase + crd[p] (CSR: colBase = 0; csr-tiled: the panel's first
  // column) or, dense, p - lo.
  Value zero = zeros();
  auto step = [&](Value p, Value lo, Value colBase, Value acc, Value mask) {
    Value w = load(vecType, values, p, mask);
    Value x;
    if (coordinates && scalarLoads && !mask) {
      // One scalar load of B per lane (LLVM: loads and inserts). Narrow
      // coordinates come 64 bits at a time, split by shifts (little-endian
      // lane order): one load for 4 16-bit ones, where a load each would
      // take a third of the loads (16384x16384 at 90% in panels of 8192:
      // bench/micro/spmv_panels.cpp 7.1 -> 6.2-6.35 ms, the generated
      // kernel 5.9 -> 5.6).
      Type crdElt = cast<MemRefType>(coordinates.getType()).getElementType();
      int64_t crdBits =
          crdElt.isInteger() ? crdElt.getIntOrFloatBitWidth() : 64;
      int64_t perWord =
          crdBits < 64 && vl % (64 / crdBits) == 0 ? 64 / crdBits : 1;
      SmallVector<Value> lanes;
      Value word;
      for (int64_t l = 0; l < static_cast<int64_t>(vl); ++l) {
        Value at =
            l ? arith::AddIOp::create(b, loc, p, index(l)).getResult() : p;
        Value crd;
        if (perWord == 1) {
          crd = loadIndex(coordinates, at);
        } else {
          if (l % perWord == 0) {
            Value group = vector::LoadOp::create(
                b, loc, VectorType::get({perWord}, crdElt), coordinates,
                ValueRange{at});
            Value asWord = vector::BitCastOp::create(
                b, loc, VectorType::get({1}, b.getI64Type()), group);
            word =
                vector::ExtractOp::create(b, loc, asWord, ArrayRef<int64_t>{0});
          }
          Value shifted = word;
          if (int64_t bits = (l % perWord) * crdBits)
            shifted = arith::ShRUIOp::create(
                b, loc, word,
                arith::ConstantIntOp::create(b, loc, b.getI64Type(), bits));
          crd = arith::IndexCastUIOp::create(
              b, loc, b.getIndexType(),
              arith::TruncIOp::create(b, loc, crdElt, shifted));
        }
        bDims[c.dimK] = arith::AddIOp::create(b, loc, colBase, crd);
        lanes.push_back(
            memref::LoadOp::create(b, loc, bMem, indices(c.bMap, bDims)));
      }
      x = vector::FromElementsOp::create(b, loc, vecType, lanes);
    } else if (coordinates) {
      Type crdElt = cast<MemRefType>(coordinates.getType()).getElementType();
      Value crd = load(VectorType::get({static_cast<int64_t>(vl)}, crdElt),
                       coordinates, p, mask);
      // The gather's offsets are signed: coordinates narrower than 32 bits
      // are unsigned, so widen them first (an 8-bit 200 would read x[-56]).
      if (crdElt.isInteger() && crdElt.getIntOrFloatBitWidth() < 32)
        crd = arith::ExtUIOp::create(
            b, loc, VectorType::get({static_cast<int64_t>(vl)}, b.getI32Type()),
            crd);
      bDims[c.dimK] = colBase;
      Value all = mask ? mask
                       : vector::ConstantMaskOp::create(
                             b, loc, maskType(),
                             ArrayRef<int64_t>{static_cast<int64_t>(vl)})
                             .getResult();
      x = vector::GatherOp::create(b, loc, vecType, bMem,
                                   indices(c.bMap, bDims), crd, all, zero);
    } else {
      bDims[c.dimK] = arith::SubIOp::create(b, loc, p, lo);
      x = load(vecType, bMem, indices(c.bMap, bDims), mask);
    }
    return vector::FMAOp::create(b, loc, w, x, acc).getResult();
  };

  // The entries [lo, hi) onto kMatVecSets accumulators over consecutive
  // vectors of entries, then the rest one masked vector at a time.
  auto vectorSegment = [&](Value lo, Value hi, Value colBase,
                           ValueRange accsIn) {
    int64_t span = kMatVecSets * vl;
    Value count = arith::SubIOp::create(b, loc, hi, lo);
    Value mid = arith::AddIOp::create(
        b, loc, lo,
        arith::MulIOp::create(
            b, loc, arith::DivUIOp::create(b, loc, count, index(span)),
            index(span)));
    auto main = scf::ForOp::create(
        b, loc, lo, mid, index(span), accsIn,
        [&](OpBuilder &, Location, Value p, ValueRange accs) {
          SmallVector<Value> next;
          // The weight streams come from DRAM once the weight outgrows the
          // caches, and gathers leave the hardware prefetchers behind.
          for (int64_t u = 0; u < kMatVecSets; ++u) {
            Value ahead = arith::AddIOp::create(b, loc, p,
                                                index(u * vl + kPrefetchAhead));
            for (Value mem : {values, coordinates})
              if (mem)
                memref::PrefetchOp::create(b, loc, mem, ValueRange{ahead},
                                           /*isWrite=*/false, /*locality=*/3,
                                           /*isDataCache=*/true);
          }
          for (int64_t u = 0; u < kMatVecSets; ++u)
            next.push_back(step(
                u ? arith::AddIOp::create(b, loc, p, index(u * vl)).getResult()
                  : p,
                lo, colBase, accs[u], Value()));
          scf::YieldOp::create(b, loc, next);
        });
    auto rest = scf::ForOp::create(
        b, loc, mid, hi, index(vl), ValueRange{main.getResult(0)},
        [&](OpBuilder &, Location, Value p, ValueRange accs) {
          Value left = arith::SubIOp::create(b, loc, hi, p);
          Value mask = vector::CreateMaskOp::create(b, loc, maskType(),
                                                    ValueRange{left});
          scf::YieldOp::create(b, loc, step(p, lo, colBase, accs[0], mask));
        });
    SmallVector<Value> out(main.getResults());
    out[0] = rest.getResult(0);
    return out;
  };
  // A stored row (or panel segment) shorter than kMatVecMinSegment entries
  // runs as a scalar loop into accsIn's last element, a scalar: a gather
  // costs about as much for 3 lanes as for 16, and scalar rows overlap each
  // other out of order. Longer ones take the vector loop.
  auto segment = [&](Value lo, Value hi, Value colBase, ValueRange accsIn) {
    if (!coordinates)
      return vectorSegment(lo, hi, colBase, accsIn);
    Value count = arith::SubIOp::create(b, loc, hi, lo);
    Value isShort = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          count, index(snn::kMatVecMinSegment));
    SmallVector<Type> types(accsIn.getTypes());
    auto branch = scf::IfOp::create(b, loc, types, isShort,
                                    /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&branch.getThenRegion().front());
    auto scalar = scf::ForOp::create(
        b, loc, lo, hi, index(1), ValueRange{accsIn.back()},
        [&](OpBuilder &, Location, Value p, ValueRange acc) {
          bDims[c.dimK] =
              arith::AddIOp::create(b, loc, colBase, loadIndex(coordinates, p));
          Value x =
              memref::LoadOp::create(b, loc, bMem, indices(c.bMap, bDims));
          Value w = memref::LoadOp::create(b, loc, values, p);
          Value prod = arith::MulFOp::create(b, loc, w, x);
          scf::YieldOp::create(
              b, loc, arith::AddFOp::create(b, loc, acc[0], prod).getResult());
        });
    SmallVector<Value> thenOut(accsIn);
    thenOut.back() = scalar.getResult(0);
    scf::YieldOp::create(b, loc, thenOut);
    b.setInsertionPointToStart(&branch.getElseRegion().front());
    SmallVector<Value> elseOut =
        vectorSegment(lo, hi, colBase, accsIn.drop_back());
    elseOut.push_back(accsIn.back());
    scf::YieldOp::create(b, loc, elseOut);
    return SmallVector<Value>(branch.getResults());
  };

  // kMatVecSets vector accumulators, and with coordinates the scalar one of
  // short rows.
  SmallVector<Value> init(kMatVecSets, zero), accs;
  if (coordinates)
    init.push_back(arith::ConstantOp::create(b, loc, b.getZeroAttr(elt)));
  if (panel) {
    // Panel `panel` only: entries pos[panel * rows + row] to the next,
    // columns panel * T + crd[p].
    Value seg = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, panel, index(c.rows)), row);
    Value lo = loadIndex(positions, seg);
    Value hi = loadIndex(
        positions, arith::AddIOp::create(b, loc, seg, index(1)).getResult());
    accs = segment(lo, hi, arith::MulIOp::create(b, loc, panel, index(c.panel)),
                   init);
  } else if (c.format == WeightFormat::CSR) {
    Value lo = loadIndex(positions, row);
    Value hi = loadIndex(
        positions, arith::AddIOp::create(b, loc, row, index(1)).getResult());
    accs = segment(lo, hi, index(0), init);
  } else {
    Value lo = arith::MulIOp::create(b, loc, row, index(c.cols));
    accs = segment(lo, arith::AddIOp::create(b, loc, lo, index(c.cols)),
                   Value(), init);
  }
  Value sum = accs[0];
  for (int64_t u = 1; u < kMatVecSets; ++u)
    sum = arith::AddFOp::create(b, loc, sum, accs[u]);
  auto initial = [&]() -> Value {
    if (Value v = rowInit(row))
      return v;
    return memref::LoadOp::create(b, loc, cInitMem, indices(c.cMap, cDims));
  };
  Value start;
  if (panel) {
    // Panel 0 starts from C's initial value, the others from the sum the
    // panels before them stored.
    Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, panel,
                                        index(0));
    auto branch = scf::IfOp::create(b, loc, TypeRange{elt}, first,
                                    /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&branch.getThenRegion().front());
    scf::YieldOp::create(b, loc, initial());
    b.setInsertionPointToStart(&branch.getElseRegion().front());
    scf::YieldOp::create(
        b, loc,
        memref::LoadOp::create(b, loc, outMem, indices(c.cMap, cDims))
            .getResult());
    start = branch.getResult(0);
  } else {
    start = initial();
  }
  if (coordinates)
    start = arith::AddFOp::create(b, loc, start, accs.back());
  // Reassociable: a tree of shuffles and adds instead of 16 dependent scalar
  // adds (the row's entries are already summed out of order, lane by lane).
  // On rows of about 10 entries (1024x1024 at 99%) the ordered sum took a
  // third of the time (9.4 -> 6.4 us).
  Value total =
      vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD, sum,
                                  start, arith::FastMathFlags::reassoc);
  memref::StoreOp::create(b, loc, applyEpilogue(total), outMem,
                          indices(c.cMap, cDims));
}

void KernelEmitter::emitMatVecBlockRow(ValueRange outer, Value rowBlock) {
  int64_t br = c.blockR, bc = c.blockC;
  Value lo = loadIndex(positions, rowBlock);
  Value hi = loadIndex(
      positions, arith::AddIOp::create(b, loc, rowBlock, index(1)).getResult());
  SmallVector<Value> bDims(c.numLoops), cDims(c.numLoops);
  for (auto [d, v] : llvm::zip(c.outerDims, outer))
    bDims[d] = cDims[d] = v;
  Value row0 = arith::MulIOp::create(b, loc, rowBlock, index(br));
  auto segType = VectorType::get({bc}, elt);
  SmallVector<int64_t> repeat;
  for (int64_t r = 0; r < br; ++r)
    for (int64_t cc = 0; cc < bc; ++cc)
      repeat.push_back(cc);
  auto step = [&](Value p, Value acc) {
    bDims[c.dimK] =
        arith::MulIOp::create(b, loc, loadIndex(coordinates, p), index(bc));
    Value seg =
        vector::LoadOp::create(b, loc, segType, bMem, indices(c.bMap, bDims));
    Value x = vector::ShuffleOp::create(b, loc, seg, seg, repeat);
    Value w = vector::LoadOp::create(
        b, loc, vecType, values,
        ValueRange{arith::MulIOp::create(b, loc, p, index(br * bc))});
    return vector::FMAOp::create(b, loc, w, x, acc).getResult();
  };
  Value zero = zeros();
  // Two accumulators (two blocks per iteration), then the odd block.
  Value count = arith::SubIOp::create(b, loc, hi, lo);
  Value mid = arith::AddIOp::create(
      b, loc, lo,
      arith::MulIOp::create(
          b, loc, arith::DivUIOp::create(b, loc, count, index(2)), index(2)));
  auto main = scf::ForOp::create(
      b, loc, lo, mid, index(2), ValueRange{zero, zero},
      [&](OpBuilder &, Location, Value p, ValueRange accs) {
        Value p1 = arith::AddIOp::create(b, loc, p, index(1));
        scf::YieldOp::create(b, loc,
                             ValueRange{step(p, accs[0]), step(p1, accs[1])});
      });
  auto rest = scf::ForOp::create(
      b, loc, mid, hi, index(1), ValueRange{main.getResult(0)},
      [&](OpBuilder &, Location, Value p, ValueRange accs) {
        scf::YieldOp::create(b, loc, step(p, accs[0]));
      });
  Value sum =
      arith::AddFOp::create(b, loc, rest.getResult(0), main.getResult(1));
  // Row r of the block row is the sum of lanes [r * C, (r + 1) * C).
  for (int64_t r = 0; r < br; ++r) {
    Value lanes = vector::ExtractStridedSliceOp::create(
        b, loc, sum, ArrayRef<int64_t>{r * bc}, ArrayRef<int64_t>{bc},
        ArrayRef<int64_t>{1});
    cDims[c.dimO] =
        r ? arith::AddIOp::create(b, loc, row0, index(r)).getResult() : row0;
    SmallVector<Value> idx = indices(c.cMap, cDims);
    Value start = rowInit(cDims[c.dimO]);
    if (!start)
      start = memref::LoadOp::create(b, loc, cInitMem, idx);
    Value total =
        vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD, lanes,
                                    start, arith::FastMathFlags::reassoc);
    memref::StoreOp::create(b, loc, applyEpilogue(total), outMem, idx);
  }
}

/// out[outer..., a, b] = in[outer..., b, a]: a copy whose input map swaps
/// the two innermost dims, both static multiples of the vector length (the
/// batch-major linear's transposes around its kernel).
struct Transpose {
  Value in, init;
  int64_t sizeA, sizeB;
};

FailureOr<Transpose> matchTranspose(linalg::GenericOp op, unsigned vl) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || !llvm::isPowerOf2_32(vl))
    return failure();
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 1 ||
      yield.getOperand(0) != body.getArgument(0))
    return failure();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  unsigned rank = op.getNumLoops();
  auto isParallel = [](utils::IteratorType t) {
    return t == utils::IteratorType::parallel;
  };
  if (rank < 2 || !maps[1].isIdentity() ||
      !llvm::all_of(op.getIteratorTypesArray(), isParallel))
    return failure();
  SmallVector<unsigned> perm = llvm::to_vector(llvm::seq<unsigned>(0, rank));
  std::swap(perm[rank - 1], perm[rank - 2]);
  if (maps[0] != AffineMap::getPermutationMap(perm, op.getContext()))
    return failure();
  Transpose t;
  t.in = op.getDpsInputs()[0];
  t.init = op.getDpsInits()[0];
  auto type = cast<RankedTensorType>(t.init.getType());
  if (getSparseTensorEncoding(type) ||
      getSparseTensorEncoding(t.in.getType()) ||
      !isa<FloatType>(type.getElementType()))
    return failure();
  t.sizeA = type.getDimSize(rank - 2);
  t.sizeB = type.getDimSize(rank - 1);
  if (ShapedType::isDynamic(t.sizeA) || ShapedType::isDynamic(t.sizeB) ||
      t.sizeA % vl || t.sizeB % vl || !t.sizeA || !t.sizeB)
    return failure();
  return t;
}

/// Transposes vl x vl tiles in registers: vl row loads, log2(vl) stages of
/// vl two-source shuffles (one vpermt2ps each on AVX-512; stage h swaps the
/// off-diagonal h x h blocks of every 2h x 2h block), vl row stores. The
/// copy it replaces ran element by element.
Value emitTranspose(RewriterBase &b, Location loc, const Transpose &t,
                    unsigned vl, bool parallel) {
  auto type = cast<RankedTensorType>(t.init.getType());
  int64_t rank = type.getRank();
  Type elt = type.getElementType();
  auto vecType = VectorType::get({static_cast<int64_t>(vl)}, elt);
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  Value inMem = bufferization::ToBufferOp::create(
      b, loc, unitInnerStrideType(cast<RankedTensorType>(t.in.getType())), t.in,
      /*read_only=*/true);
  SmallVector<Value> dynSizes;
  for (int64_t d = 0; d < rank; ++d)
    if (type.isDynamicDim(d))
      dynSizes.push_back(tensor::DimOp::create(b, loc, t.init, d));
  Value outMem =
      memref::AllocOp::create(b, loc, MemRefType::get(type.getShape(), elt),
                              dynSizes, b.getI64IntegerAttr(kBufferAlignment));

  SmallVector<Value> lbs, ubs, steps;
  for (int64_t d = 0; d < rank; ++d) {
    lbs.push_back(index(0));
    ubs.push_back(d < rank - 2
                      ? tensor::DimOp::create(b, loc, t.init, d).getResult()
                      : index(d == rank - 2 ? t.sizeA : t.sizeB));
    steps.push_back(index(d < rank - 2 ? 1 : vl));
  }
  auto body = [&](ValueRange ivs) {
    ValueRange outer = ivs.drop_back(2);
    Value a0 = ivs[rank - 2], b0 = ivs[rank - 1];
    SmallVector<Value> rows;
    for (unsigned r = 0; r < vl; ++r) {
      SmallVector<Value> idx(outer);
      idx.push_back(r ? arith::AddIOp::create(b, loc, b0, index(r)).getResult()
                      : b0);
      idx.push_back(a0);
      rows.push_back(vector::LoadOp::create(b, loc, vecType, inMem, idx));
    }
    for (unsigned h = vl / 2; h >= 1; h /= 2) {
      SmallVector<int64_t> lowMask, highMask;
      for (unsigned l = 0; l < vl; ++l) {
        bool upper = l & h;
        lowMask.push_back(upper ? vl + l - h : l);
        highMask.push_back(upper ? vl + l : l + h);
      }
      for (unsigned r = 0; r < vl; ++r) {
        if (r & h)
          continue;
        Value lo = rows[r], hi = rows[r + h];
        rows[r] = vector::ShuffleOp::create(b, loc, lo, hi, lowMask);
        rows[r + h] = vector::ShuffleOp::create(b, loc, lo, hi, highMask);
      }
    }
    for (unsigned r = 0; r < vl; ++r) {
      SmallVector<Value> idx(outer);
      idx.push_back(r ? arith::AddIOp::create(b, loc, a0, index(r)).getResult()
                      : a0);
      idx.push_back(b0);
      vector::StoreOp::create(b, loc, rows[r], outMem, idx);
    }
  };
  if (parallel)
    scf::ParallelOp::create(
        b, loc, lbs, ubs, steps,
        [&](OpBuilder &, Location, ValueRange ivs) { body(ivs); });
  else
    scf::buildLoopNest(
        b, loc, lbs, ubs, steps,
        [&](OpBuilder &, Location, ValueRange ivs) { body(ivs); });
  return bufferization::ToTensorOp::create(b, loc, type, outMem,
                                           /*restrict=*/b.getUnitAttr(),
                                           /*writable=*/b.getUnitAttr());
}

/// The replaced op's init when nothing uses it any more (a tensor.empty, or
/// a linalg.fill whose value the kernel splats instead): bufferization would
/// still allocate and fill it.
void eraseIfDead(RewriterBase &rewriter, Value init) {
  Operation *def = init.getDefiningOp();
  if (!def || !def->use_empty())
    return;
  if (isa<linalg::FillOp, linalg::GenericOp>(def)) {
    Value dest = cast<DestinationStyleOpInterface>(def).getDpsInits()[0];
    rewriter.eraseOp(def);
    eraseIfDead(rewriter, dest);
  } else if (isa<tensor::EmptyOp>(def)) {
    rewriter.eraseOp(def);
  }
}

struct SNNSparseKernelsPass
    : snn::impl::SNNSparseKernelsPassBase<SNNSparseKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (vectorLength == 0 ||
        vectorLength > static_cast<unsigned>(snn::kMaxVectorLength)) {
      getOperation().emitError()
          << "snn-sparse-kernels: vector-length="
          << static_cast<unsigned>(vectorLength) << " is out of range (1 to "
          << snn::kMaxVectorLength << ")";
      return signalPassFailure();
    }
    SmallVector<linalg::GenericOp> ops;
    getOperation().walk([&](linalg::GenericOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : ops) {
      if (erased.contains(op))
        continue;
      if (FailureOr<Transpose> t = matchTranspose(op, vectorLength);
          succeeded(t)) {
        rewriter.setInsertionPoint(op);
        rewriter.replaceOp(op, emitTranspose(rewriter, op.getLoc(), *t,
                                             vectorLength, parallel));
        continue;
      }
      FailureOr<Contraction> c = match(op);
      // A matrix product with one column (W times a [K, 1] B, as snn.matmul
      // gives for a single vector) is a matrix-vector product: drop the
      // unit dim (upstream's dropUnitDims, reshapes around the op) and take
      // the matrix-vector kernels, instead of the matrix kernel one lane
      // wide (16384x16384 at 90%: 17.8 ms against 8.3).
      if (succeeded(c) && c->kind == Contraction::MatMat && c->vSize == 1) {
        linalg::ControlDropUnitDims control;
        unsigned dimV = c->dimV;
        control.controlFn = [dimV](Operation *) {
          return SmallVector<unsigned>{dimV};
        };
        rewriter.setInsertionPoint(op);
        FailureOr<linalg::DropUnitDimsResult> dropped =
            linalg::dropUnitDims(rewriter, op, control);
        if (succeeded(dropped)) {
          rewriter.replaceOp(op, dropped->replacements);
          op = cast<linalg::GenericOp>(dropped->resultOp.getOperation());
          foldFillThroughCollapse(rewriter, op);
          c = match(op);
        }
      }
      if (failed(c) ||
          (c->kind == Contraction::MatVec && c->format == WeightFormat::BSR &&
           c->blockR * c->blockC != static_cast<int64_t>(vectorLength)))
        continue;
      rewriter.setInsertionPoint(op);
      KernelEmitter emitter(rewriter, *c, op.getLoc(), vectorLength, maxVectors,
                            parallel, gather);
      SmallVector<Operation *> reshapes;
      linalg::GenericOp epilogue = emitter.storesOnce()
                                       ? fusableEpilogue(op, reshapes)
                                       : linalg::GenericOp();
      if (epilogue)
        emitter.setEpilogue(&epilogue.getRegion().front());
      Value result = emitter.emit();
      Value init = op.getDpsInits()[0];
      if (epilogue) {
        // The reshapes between the product and the activation now reshape
        // the kernel's (activated) result.
        for (Operation *reshape : reshapes) {
          IRMapping map;
          map.map(reshape->getOperand(0), result);
          result = rewriter.clone(*reshape, map)->getResult(0);
        }
        Value epilogueInit = epilogue.getDpsInits()[0];
        rewriter.replaceOp(epilogue, result);
        erased.insert(epilogue);
        for (Operation *reshape : llvm::reverse(reshapes))
          rewriter.eraseOp(reshape);
        rewriter.eraseOp(op);
        eraseIfDead(rewriter, epilogueInit);
      } else {
        rewriter.replaceOp(op, result);
      }
      eraseIfDead(rewriter, init);
    }
  }

  /// After dropUnitDims the product's init is collapse_shape(fill(x)):
  /// make it fill(collapse_shape(x)), so the kernel still sees the fill (its
  /// accumulators start from a splat instead of loads of C).
  void foldFillThroughCollapse(RewriterBase &rewriter, linalg::GenericOp op) {
    OpOperand &init = op.getDpsInitsMutable()[0];
    auto collapse = init.get().getDefiningOp<tensor::CollapseShapeOp>();
    Value scalar = collapse ? fillValue(collapse.getSrc()) : Value();
    if (!scalar)
      return;
    auto fill =
        cast<DestinationStyleOpInterface>(collapse.getSrc().getDefiningOp());
    rewriter.setInsertionPoint(op);
    Value dest = tensor::CollapseShapeOp::create(
        rewriter, collapse.getLoc(), fill.getDpsInits()[0],
        collapse.getReassociationIndices());
    Value filled = linalg::FillOp::create(rewriter, fill.getLoc(), scalar, dest)
                       .getResult(0);
    rewriter.modifyOpInPlace(op, [&] { init.set(filled); });
    if (collapse->use_empty())
      rewriter.eraseOp(collapse);
    if (fill->use_empty()) {
      erased.insert(fill.getOperation());
      rewriter.eraseOp(fill);
    }
  }

  /// The contraction's user, through a chain of single-use reshapes
  /// (`reshapes`, the convolution's [N, O, OH * OW] to [N, O, OH, OW]), when
  /// it is an elementwise op on that value alone (snn::isUnaryElementwise,
  /// the same type, only constants from outside its body): the activation
  /// after a layer.
  static linalg::GenericOp
  fusableEpilogue(linalg::GenericOp op,
                  SmallVectorImpl<Operation *> &reshapes) {
    Value result = op.getResult(0);
    while (result.hasOneUse() &&
           isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
               *result.getUsers().begin())) {
      reshapes.push_back(*result.getUsers().begin());
      result = reshapes.back()->getResult(0);
    }
    if (!result.hasOneUse())
      return {};
    auto user = dyn_cast<linalg::GenericOp>(*result.getUsers().begin());
    if (!snn::isUnaryElementwise(user) || user.getDpsInputs()[0] != result ||
        user.getResult(0).getType() != result.getType())
      return {};
    // Values from outside the body must be constants: the kernel runs
    // before the op, where other values may not exist yet.
    Block &body = user.getRegion().front();
    for (Operation &inner : body.without_terminator())
      for (Value o : inner.getOperands())
        if (o.getParentBlock() != &body && !matchPattern(o, m_Constant()))
          return {};
    return user;
  }

  llvm::SmallPtrSet<Operation *, 8> erased;
};

} // namespace
