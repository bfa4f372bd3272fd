//===- PackWeights.cpp - Pack constant sparse weights at compile time -----===//
//
// Part of SparseNN. A constant weight with a sparse encoding becomes its
// format's buffers (dense_resource blobs) joined by sparse_tensor.assemble, so
// nothing is converted per call.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Transforms/Passes.h"
#include "sparsenn/Dialect/SNN/Utils/SparsePacking.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensorType.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlir::snn {
#define GEN_PASS_DEF_SNNPACKWEIGHTSPASS
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"
} // namespace mlir::snn

using namespace mlir;
using namespace mlir::snn;
using namespace mlir::sparse_tensor;

/// Appends the nonzeros of the constant `attr` (of a tensor of `shape`) to
/// `entries`.
static LogicalResult readNonzeros(Attribute attr, ArrayRef<int64_t> shape,
                                  std::vector<CooEntry> &entries,
                                  std::string &error) {
  int64_t rank = shape.size();
  auto addLinear = [&](uint64_t linear, double value) {
    if (value == 0.0)
      return;
    CooEntry e;
    e.coords.resize(rank);
    for (int64_t d = rank - 1; d >= 0; --d) {
      e.coords[d] = linear % shape[d];
      linear /= shape[d];
    }
    e.value = value;
    entries.push_back(std::move(e));
  };
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    Type elt = dense.getElementType();
    uint64_t i = 0;
    if (elt.isF32()) {
      for (float v : dense.getValues<float>())
        addLinear(i++, v);
    } else if (elt.isF64()) {
      for (double v : dense.getValues<double>())
        addLinear(i++, v);
    } else {
      error = "weights must be f32 or f64";
      return failure();
    }
    return success();
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob) {
      error = "the weight's resource blob '" +
              resource.getRawHandle().getKey().str() + "' has no data";
      return failure();
    }
    ArrayRef<char> data = blob->getData();
    Type elt = resource.getElementType();
    int64_t n = resource.getNumElements();
    unsigned bytes = elt.isF32() ? 4 : elt.isF64() ? 8 : 0;
    if (!bytes) {
      error = "weights must be f32 or f64";
      return failure();
    }
    if (data.size() != static_cast<size_t>(n) * bytes) {
      error = "the weight's resource blob '" +
              resource.getRawHandle().getKey().str() + "' holds " +
              std::to_string(data.size()) + " bytes, expected " +
              std::to_string(n * bytes);
      return failure();
    }
    for (int64_t i = 0; i < n; ++i) {
      double v;
      if (bytes == 4) {
        float f;
        std::memcpy(&f, data.data() + i * 4, 4);
        v = f;
      } else {
        std::memcpy(&v, data.data() + i * 8, 8);
      }
      addLinear(i, v);
    }
    return success();
  }
  if (auto sparse = dyn_cast<SparseElementsAttr>(attr)) {
    auto indices = sparse.getIndices().getValues<int64_t>();
    auto values = sparse.getValues().getValues<APFloat>();
    int64_t nnz = sparse.getValues().getNumElements();
    auto idxIt = indices.begin();
    auto valIt = values.begin();
    for (int64_t k = 0; k < nnz; ++k, ++valIt) {
      CooEntry e;
      for (int64_t d = 0; d < rank; ++d, ++idxIt)
        e.coords.push_back(*idxIt);
      e.value = (*valIt).convertToDouble();
      if (e.value != 0.0)
        entries.push_back(std::move(e));
    }
    return success();
  }
  error = "unsupported constant attribute for a weight";
  return failure();
}

/// A constant 1-D tensor holding `data` as `eltType`, in a resource blob.
template <typename T, typename Src>
static Value blobConstant(OpBuilder &b, Location loc, Type eltType,
                          const std::vector<Src> &data, StringRef name) {
  auto type =
      RankedTensorType::get({static_cast<int64_t>(data.size())}, eltType);
  if (data.empty())
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, ArrayRef<Attribute>{}));
  std::vector<T> converted(data.begin(), data.end());
  AsmResourceBlob blob =
      HeapAsmResourceBlob::allocateAndCopyInferAlign<T>(converted);
  auto attr = DenseResourceElementsAttr::get(type, name, std::move(blob));
  return arith::ConstantOp::create(b, loc, attr);
}

/// The buffers of `packed` as constants, and the assembled sparse tensor.
static Value materialize(OpBuilder &b, Location loc, SparseTensorType stt,
                         const PackedSparseTensor &packed, StringRef base) {
  SmallVector<Value> levels;
  for (const auto &buf : packed.levelBuffers) {
    std::string name =
        (base +
         (buf.kind == PackedSparseTensor::LevelBuffer::Kind::Positions
              ? "_pos"
              : "_crd") +
         std::to_string(buf.level))
            .str();
    Type elt = buf.bitWidth ? Type(b.getIntegerType(buf.bitWidth))
                            : Type(b.getIndexType());
    switch (buf.bitWidth) {
    case 8:
      levels.push_back(blobConstant<uint8_t>(b, loc, elt, buf.data, name));
      break;
    case 16:
      levels.push_back(blobConstant<uint16_t>(b, loc, elt, buf.data, name));
      break;
    case 32:
      levels.push_back(blobConstant<uint32_t>(b, loc, elt, buf.data, name));
      break;
    default:
      levels.push_back(blobConstant<uint64_t>(b, loc, elt, buf.data, name));
      break;
    }
  }
  Type valType = stt.getElementType();
  std::string valName = (base + "_values").str();
  Value values =
      valType.isF64()
          ? blobConstant<double>(b, loc, valType, packed.values, valName)
          : blobConstant<float>(b, loc, valType, packed.values, valName);
  return AssembleOp::create(b, loc, stt.getRankedTensorType(), levels, values);
}

/// The name blobs of a weight are derived from.
static std::string baseName(Attribute attr) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    return resource.getRawHandle().getKey().str();
  return "snn_weight";
}

namespace {
struct SNNPackWeightsPass
    : snn::impl::SNNPackWeightsPassBase<SNNPackWeightsPass> {
  void runOnOperation() override {
    // Each sparse weight: the op producing it and its constant value.
    SmallVector<std::pair<Operation *, Attribute>> weights;
    getOperation().walk([&](Operation *op) {
      if (auto cst = dyn_cast<arith::ConstantOp>(op)) {
        if (getSparseTensorEncoding(cst.getType()))
          weights.push_back({op, cst.getValue()});
      } else if (auto convert = dyn_cast<ConvertOp>(op)) {
        auto src = convert.getSource().getDefiningOp<arith::ConstantOp>();
        if (src && !getSparseTensorEncoding(src.getType()) &&
            getSparseTensorEncoding(convert.getType()))
          weights.push_back({op, src.getValue()});
      }
    });
    bool failed = false;
    for (auto [op, attr] : weights) {
      auto stt = getSparseTensorType(op->getResult(0));
      std::vector<CooEntry> entries;
      std::string error;
      PackedSparseTensor packed;
      if (mlir::failed(readNonzeros(attr, stt.getDimShape(), entries, error)) ||
          mlir::failed(
              packSparseTensor(stt, std::move(entries), packed, error))) {
        op->emitError() << "cannot pack this weight into "
                        << stt.getRankedTensorType() << ": " << error;
        failed = true;
        continue;
      }
      OpBuilder b(op);
      Value assembled =
          materialize(b, op->getLoc(), stt, packed, baseName(attr));
      Operation *src =
          isa<ConvertOp>(op) ? op->getOperand(0).getDefiningOp() : nullptr;
      op->getResult(0).replaceAllUsesWith(assembled);
      op->erase();
      if (src && src->use_empty())
        src->erase();
    }
    if (failed)
      signalPassFailure();
  }
};
} // namespace
