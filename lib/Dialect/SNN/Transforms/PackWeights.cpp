//===- PackWeights.cpp - Pack constant sparse weights at compile time -----===//
//
// Part of SparseNN. A constant weight with a sparse encoding becomes its
// format's buffers (dense_resource blobs) joined by sparse_tensor.assemble, so
// nothing is converted per call.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Transforms/Passes.h"
#include "sparsenn/Dialect/SNN/Utils/SparsePacking.h"
#include "sparsenn/Dialect/SNN/Utils/Weights.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensorType.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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
/// `entries`, reading the attribute in place (no dense copy: compile memory
/// stays near the weights' own size).
static LogicalResult readNonzeros(Attribute attr, ArrayRef<int64_t> shape,
                                  std::vector<CooEntry> &entries,
                                  std::string &error) {
  int64_t rank = shape.size();
  int64_t n = ShapedType::getNumElements(shape);
  return visitConstantValues(
      attr, n,
      [&](int64_t i, double value) {
        if (value == 0.0)
          return;
        CooEntry &e = entries.emplace_back();
        e.coords.resize(rank);
        uint64_t linear = i;
        for (int64_t d = rank - 1; d >= 0; --d) {
          e.coords[d] = linear % shape[d];
          linear /= shape[d];
        }
        e.value = value;
      },
      error);
}

/// A constant 1-D tensor holding `data` as `eltType`, in a resource blob.
template <typename T, typename Src>
static Value blobConstant(OpBuilder &b, Location loc, Type eltType,
                          const std::vector<Src> &data, StringRef name) {
  // An empty buffer (an all-zero weight has no coordinates or values) gets
  // one unused element: the positions say how many are used, and
  // zero-length buffers make the sparsifier emit subviews that fail to
  // verify ("offset 0 is out-of-bounds").
  std::vector<T> converted(data.begin(), data.end());
  if (converted.empty())
    converted.push_back(T(0));
  auto type =
      RankedTensorType::get({static_cast<int64_t>(converted.size())}, eltType);
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
  Value values;
  if (valType.isF16()) {
    std::vector<uint16_t> halves;
    halves.reserve(packed.values.size());
    for (double v : packed.values)
      halves.push_back(doubleToHalf(v));
    values = blobConstant<uint16_t>(b, loc, valType, halves, valName);
  } else {
    values = valType.isF64()
                 ? blobConstant<double>(b, loc, valType, packed.values, valName)
                 : blobConstant<float>(b, loc, valType, packed.values, valName);
  }
  return AssembleOp::create(b, loc, stt.getRankedTensorType(), levels, values);
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
        // A conversion that hands its dense source to cuSPARSELt
        // (snn-sparse-to-cusparselt) stays.
        if (convert->hasAttr(kDenseSourceAttrName))
          return;
        // Reshapes keep a row-major constant's data as it is.
        Value source = convert.getSource();
        while (Operation *def = source.getDefiningOp()) {
          if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def))
            break;
          source = def->getOperand(0);
        }
        auto src = source.getDefiningOp<arith::ConstantOp>();
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
          materialize(b, op->getLoc(), stt, packed, getWeightName(attr));
      Operation *src =
          isa<ConvertOp>(op) ? op->getOperand(0).getDefiningOp() : nullptr;
      op->getResult(0).replaceAllUsesWith(assembled);
      op->erase();
      // Erase the now unused reshapes and constant behind a conversion.
      while (src && src->use_empty()) {
        Operation *next = src->getNumOperands()
                              ? src->getOperand(0).getDefiningOp()
                              : nullptr;
        src->erase();
        src = next;
      }
    }
    if (failed)
      signalPassFailure();
  }
};
} // namespace
