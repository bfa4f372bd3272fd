//===- SparseToGPULibrary.cpp - cuSPARSE calls for BSR and COO ------------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//
//
// Products of a BSR or struct-of-arrays COO weight (on the left) and a dense
// matrix or vector become cuSPARSE calls through the gpu dialect's sparse
// ops, the formats upstream's libgen (MLIR 22) does not take. Runs on
// tensors, before sparsification; see Passes.td.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Conversion/SparseToGPULibrary/SparseToGPULibrary.h"
#include "sparsenn/Dialect/SNN/Utils/Encodings.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensorType.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
#define GEN_PASS_DEF_CONVERTSPARSETOGPULIBRARYPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

using namespace mlir;
using namespace mlir::sparse_tensor;

namespace {

enum class Format { BSR, COO };

/// A product C += A * B (B, C matrices) or y += A * x that cuSPARSE runs.
struct Product {
  Value a, b, c;
  bool matVec = false;
  Format format = Format::COO;
  int64_t block = 0; ///< BSR: rows (= columns) of a block.
};

/// cuSPARSE takes 32- and 64-bit indices (0: `index`, 64-bit on the host).
bool isLibraryIndexWidth(unsigned width) {
  return width == 0 || width == 32 || width == 64;
}

/// The storage of A when cuSPARSE's generic API multiplies it: BSR with
/// square blocks larger than 1 x 1, or sorted struct-of-arrays COO.
std::optional<std::pair<Format, int64_t>> classify(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !getSparseTensorEncoding(tensor) || tensor.getRank() != 2)
    return std::nullopt;
  SparseTensorType stt(tensor);
  Type elt = stt.getElementType();
  if (!elt.isF32() && !elt.isF64())
    return std::nullopt;
  if (!isLibraryIndexWidth(stt.getPosWidth()) ||
      !isLibraryIndexWidth(stt.getCrdWidth()))
    return std::nullopt;
  ArrayRef<LevelType> lts = stt.getLvlTypes();
  if (stt.getLvlRank() == 2 && stt.isIdentity() && isCompressedLT(lts[0]) &&
      isOrderedLT(lts[0]) && !isUniqueLT(lts[0]) && isSingletonLT(lts[1]) &&
      isOrderedLT(lts[1]) && isUniqueLT(lts[1]) &&
      lts[1].isa<LevelPropNonDefault::SoA>())
    return std::make_pair(Format::COO, int64_t(0));
  std::optional<std::pair<int64_t, int64_t>> bsr = snn::getBsrBlock(tensor);
  if (!bsr || bsr->first != bsr->second || bsr->first <= 1 ||
      !isOrderedLT(lts[1]) || !isUniqueLT(lts[1]))
    return std::nullopt;
  int64_t block = bsr->first;
  for (int64_t d : tensor.getShape())
    if (ShapedType::isDynamic(d) || d % block)
      return std::nullopt;
  return std::make_pair(Format::BSR, block);
}

/// Matches C[i, j] += A[i, k] * B[k, j] or y[i] += A[i, k] * x[k] with A as
/// `classify` wants it and dense B and C.
std::optional<Product> match(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() ||
      !linalg::isaContractionOpInterface(cast<linalg::LinalgOp>(*op)))
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx),
             d2 = getAffineDimExpr(2, ctx);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto map = [&](unsigned dims, ArrayRef<AffineExpr> results) {
    return AffineMap::get(dims, 0, results, ctx);
  };
  using utils::IteratorType;
  SmallVector<IteratorType> iters = op.getIteratorTypesArray();
  Product p;
  if (maps == SmallVector<AffineMap>{map(3, {d0, d2}), map(3, {d2, d1}),
                                     map(3, {d0, d1})} &&
      iters == SmallVector<IteratorType>{IteratorType::parallel,
                                         IteratorType::parallel,
                                         IteratorType::reduction}) {
    p.matVec = false;
  } else if (maps == SmallVector<AffineMap>{map(2, {d0, d1}), map(2, {d1}),
                                            map(2, {d0})} &&
             iters == SmallVector<IteratorType>{IteratorType::parallel,
                                                IteratorType::reduction}) {
    p.matVec = true;
  } else {
    return std::nullopt;
  }
  p.a = op.getDpsInputs()[0];
  p.b = op.getDpsInputs()[1];
  p.c = op.getDpsInits()[0];
  if (getSparseTensorEncoding(p.b.getType()) ||
      getSparseTensorEncoding(p.c.getType()))
    return std::nullopt;
  Type elt = getElementTypeOrSelf(p.a.getType());
  if (getElementTypeOrSelf(p.b.getType()) != elt ||
      getElementTypeOrSelf(p.c.getType()) != elt)
    return std::nullopt;
  std::optional<std::pair<Format, int64_t>> format = classify(p.a.getType());
  if (!format)
    return std::nullopt;
  p.format = format->first;
  p.block = format->second;
  return p;
}

/// Emits the library call for `p` in place of `op`: one chain of async
/// tokens (copies in, descriptors, work buffer, product, copy out, frees)
/// ending in a blocking wait.
void emit(RewriterBase &rewriter, linalg::GenericOp op, const Product &p) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Type index = rewriter.getIndexType();
  Type tokenType = rewriter.getType<gpu::AsyncTokenType>();
  Type elt = getElementTypeOrSelf(p.a.getType());
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  auto dim = [&](Value v, int64_t d) {
    return linalg::createOrFoldDimOp(rewriter, loc, v, d);
  };
  // Host buffers: A's storage, B and C (C is written).
  auto hostBuffer = [&](Value tensor, bool readOnly) -> Value {
    auto type = cast<RankedTensorType>(tensor.getType());
    return bufferization::ToBufferOp::create(
        rewriter, loc, MemRefType::get(type.getShape(), elt), tensor, readOnly);
  };
  SmallVector<Value> hostA;
  if (p.format == Format::BSR) {
    hostA.push_back(ToPositionsOp::create(rewriter, loc, p.a, 1));
    hostA.push_back(ToCoordinatesOp::create(rewriter, loc, p.a, 1));
  } else {
    hostA.push_back(ToCoordinatesOp::create(rewriter, loc, p.a, 0));
    hostA.push_back(ToCoordinatesOp::create(rewriter, loc, p.a, 1));
  }
  hostA.push_back(ToValuesOp::create(rewriter, loc, p.a));
  Value hostB = hostBuffer(p.b, /*readOnly=*/true);
  Value hostC = hostBuffer(p.c, /*readOnly=*/false);
  Value entries = NumberOfEntriesOp::create(rewriter, loc, p.a);
  Value rows = dim(p.a, 0), cols = dim(p.a, 1);
  Value n = p.matVec ? Value() : dim(p.b, 1);

  Value token = gpu::WaitOp::create(rewriter, loc, tokenType, ValueRange())
                    .getAsyncToken();
  auto alloc = [&](Type type, ValueRange dynamicSizes) {
    auto op =
        gpu::AllocOp::create(rewriter, loc, TypeRange{type, tokenType},
                             ValueRange{token}, dynamicSizes, ValueRange());
    token = op.getAsyncToken();
    return op.getMemref();
  };
  auto copy = [&](Value dst, Value src) {
    token = gpu::MemcpyOp::create(rewriter, loc, tokenType, ValueRange{token},
                                  dst, src)
                .getAsyncToken();
  };
  auto toDevice = [&](Value host) {
    auto type = cast<MemRefType>(host.getType());
    SmallVector<Value> dynamicSizes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        dynamicSizes.push_back(memref::DimOp::create(rewriter, loc, host, d));
    Value device = alloc(
        MemRefType::get(type.getShape(), type.getElementType()), dynamicSizes);
    copy(device, host);
    return device;
  };
  SmallVector<Value> deviceA;
  for (Value host : hostA)
    deviceA.push_back(toDevice(host));
  Value deviceB = toDevice(hostB);
  Value deviceC = toDevice(hostC);

  // Descriptors: A, then B and C as dense tensors.
  Type spMatType = rewriter.getType<gpu::SparseSpMatHandleType>();
  Type dnType = rewriter.getType<gpu::SparseDnTensorHandleType>();
  Value spMat;
  if (p.format == Format::BSR) {
    Value block = constant(p.block);
    Value blockRows = rewriter.createOrFold<arith::DivUIOp>(loc, rows, block);
    Value blockCols = rewriter.createOrFold<arith::DivUIOp>(loc, cols, block);
    Value blocks = rewriter.createOrFold<arith::DivUIOp>(
        loc, entries, constant(p.block * p.block));
    auto create = gpu::CreateBsrOp::create(
        rewriter, loc, spMatType, tokenType, ValueRange{token}, blockRows,
        blockCols, blocks, block, block, deviceA[0], deviceA[1], deviceA[2]);
    spMat = create.getSpmat();
    token = create.getAsyncToken();
  } else {
    auto create = gpu::CreateCooOp::create(
        rewriter, loc, spMatType, tokenType, ValueRange{token}, rows, cols,
        entries, deviceA[0], deviceA[1], deviceA[2]);
    spMat = create.getSpmat();
    token = create.getAsyncToken();
  }
  auto dense = [&](Value device, ValueRange sizes) {
    auto create = gpu::CreateDnTensorOp::create(
        rewriter, loc, dnType, tokenType, ValueRange{token}, device, sizes);
    token = create.getAsyncToken();
    return create.getDnTensor();
  };
  Value dnB, dnC;
  if (p.matVec) {
    dnB = dense(deviceB, {cols});
    dnC = dense(deviceC, {rows});
  } else {
    dnB = dense(deviceB, {cols, n});
    dnC = dense(deviceC, {rows, n});
  }

  // The work buffer, then C += A * B.
  Value bytes;
  if (p.matVec) {
    auto size =
        gpu::SpMVBufferSizeOp::create(rewriter, loc, index, tokenType,
                                      ValueRange{token}, spMat, dnB, dnC, elt);
    bytes = size.getBufferSz();
    token = size.getAsyncToken();
  } else {
    auto size =
        gpu::SpMMBufferSizeOp::create(rewriter, loc, index, tokenType,
                                      ValueRange{token}, spMat, dnB, dnC, elt);
    bytes = size.getBufferSzs()[0];
    token = size.getAsyncToken();
  }
  Value work =
      alloc(MemRefType::get({ShapedType::kDynamic}, rewriter.getI8Type()),
            ValueRange{bytes});
  if (p.matVec)
    token = gpu::SpMVOp::create(rewriter, loc, tokenType, ValueRange{token},
                                spMat, dnB, dnC, elt, work)
                .getAsyncToken();
  else
    token = gpu::SpMMOp::create(rewriter, loc, tokenType, ValueRange{token},
                                spMat, dnB, dnC, elt, ValueRange{work})
                .getAsyncToken();

  // C back to the host; everything on the device freed.
  token = gpu::DestroySpMatOp::create(rewriter, loc, tokenType,
                                      ValueRange{token}, spMat)
              .getAsyncToken();
  for (Value dn : {dnB, dnC})
    token = gpu::DestroyDnTensorOp::create(rewriter, loc, tokenType,
                                           ValueRange{token}, dn)
                .getAsyncToken();
  copy(hostC, deviceC);
  SmallVector<Value> deviceBuffers(deviceA);
  deviceBuffers.append({deviceB, deviceC, work});
  for (Value device : deviceBuffers)
    token = gpu::DeallocOp::create(rewriter, loc, tokenType, ValueRange{token},
                                   device)
                .getAsyncToken();
  gpu::WaitOp::create(rewriter, loc, Type(), ValueRange{token});

  rewriter.replaceOpWithNewOp<bufferization::ToTensorOp>(
      op, op.getResult(0).getType(), hostC, /*restrict=*/true,
      /*writable=*/true);
}

struct ConvertSparseToGPULibraryPass
    : impl::ConvertSparseToGPULibraryPassBase<ConvertSparseToGPULibraryPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<std::pair<linalg::GenericOp, Product>> products;
    getOperation().walk([&](linalg::GenericOp op) {
      if (std::optional<Product> p = match(op))
        products.push_back({op, *p});
    });
    IRRewriter rewriter(&getContext());
    for (auto &[op, p] : products)
      emit(rewriter, op, p);
  }
};

} // namespace
