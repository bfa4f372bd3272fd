//===- Weights.cpp - Find, read and rewrite layer weights -----------------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Utils/Weights.h"

#include "sparsenn/Dialect/SNN/IR/SNNOps.h"
#include "llvm/Support/Path.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include <cstring>

using namespace mlir;
using namespace mlir::snn;

arith::ConstantOp LayerWeight::getConstant() const {
  return operand->get().getDefiningOp<arith::ConstantOp>();
}

std::optional<LayerWeight> mlir::snn::getLayerWeight(Operation *op) {
  LayerWeight w;
  w.layer = op;
  if (auto linear = dyn_cast<LinearOp>(op)) {
    w.operand = &linear->getOpOperand(1);
    auto type = linear.getWeight().getType();
    w.rows = type.getDimSize(0);
    w.cols = type.getDimSize(1);
    return w;
  }
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    w.operand = &conv->getOpOperand(1);
    auto type = conv.getWeight().getType();
    w.rows = type.getDimSize(0);
    w.cols = type.getNumElements() / w.rows;
    return w;
  }
  if (auto matmul = dyn_cast<MatmulOp>(op)) {
    bool rhsConst = matmul.getRhs().getDefiningOp<arith::ConstantOp>() ||
                    !matmul.getLhs().getDefiningOp<arith::ConstantOp>();
    w.operand = &matmul->getOpOperand(rhsConst ? 1 : 0);
    auto type = cast<RankedTensorType>(w.operand->get().getType());
    w.transposed = rhsConst;
    w.rows = type.getDimSize(rhsConst ? 1 : 0);
    w.cols = type.getDimSize(rhsConst ? 0 : 1);
    return w;
  }
  return std::nullopt;
}

double mlir::snn::halfToDouble(uint16_t bits) {
  return APFloat(APFloat::IEEEhalf(), APInt(16, bits)).convertToDouble();
}

uint16_t mlir::snn::doubleToHalf(double value) {
  APFloat f(value);
  bool lossy;
  f.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &lossy);
  return static_cast<uint16_t>(f.bitcastToAPInt().getZExtValue());
}

unsigned mlir::snn::weightElementBytes(Type elt) {
  return elt.isF16() ? 2 : elt.isF32() ? 4 : elt.isF64() ? 8 : 0;
}

static constexpr const char *kWeightTypes = "weights must be f16, f32 or f64";

LogicalResult
mlir::snn::visitConstantValues(Attribute attr, int64_t numElements,
                               llvm::function_ref<void(int64_t, double)> fn,
                               std::string &error) {
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    Type elt = dense.getElementType();
    int64_t i = 0;
    if (elt.isF32())
      for (float v : dense.getValues<float>())
        fn(i++, v);
    else if (elt.isF64())
      for (double v : dense.getValues<double>())
        fn(i++, v);
    else if (elt.isF16())
      for (APFloat v : dense.getValues<APFloat>())
        fn(i++, v.convertToDouble());
    else {
      error = kWeightTypes;
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
    unsigned bytes = weightElementBytes(elt);
    if (!bytes) {
      error = kWeightTypes;
      return failure();
    }
    if (data.size() != static_cast<size_t>(numElements) * bytes) {
      error = "the weight's resource blob '" +
              resource.getRawHandle().getKey().str() + "' holds " +
              std::to_string(data.size()) + " bytes, expected " +
              std::to_string(numElements * bytes);
      return failure();
    }
    for (int64_t i = 0; i < numElements; ++i) {
      if (bytes == 2) {
        uint16_t h;
        std::memcpy(&h, data.data() + i * 2, 2);
        fn(i, halfToDouble(h));
      } else if (bytes == 4) {
        float f;
        std::memcpy(&f, data.data() + i * 4, 4);
        fn(i, f);
      } else {
        double d;
        std::memcpy(&d, data.data() + i * 8, 8);
        fn(i, d);
      }
    }
    return success();
  }
  if (auto sparse = dyn_cast<SparseElementsAttr>(attr)) {
    auto type = cast<ShapedType>(sparse.getType());
    ArrayRef<int64_t> shape = type.getShape();
    auto indices = sparse.getIndices().getValues<int64_t>();
    auto vals = sparse.getValues().getValues<APFloat>();
    int64_t rank = shape.size();
    auto idxIt = indices.begin();
    for (APFloat v : vals) {
      int64_t linear = 0;
      for (int64_t d = 0; d < rank; ++d, ++idxIt)
        linear = linear * shape[d] + *idxIt;
      fn(linear, v.convertToDouble());
    }
    return success();
  }
  error = "unsupported constant attribute for a weight";
  return failure();
}

FailureOr<ConstantValues>
ConstantValues::get(Attribute attr, int64_t numElements, std::string &error) {
  ConstantValues v;
  v.numElements = numElements;
  auto elementType = [](Attribute a) {
    return cast<ShapedType>(cast<TypedAttr>(a).getType()).getElementType();
  };
  Type elt = elementType(attr);
  unsigned bytes = weightElementBytes(elt);
  if (!bytes) {
    error = kWeightTypes;
    return failure();
  }
  v.bytes = bytes;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (blob &&
        blob->getData().size() == static_cast<size_t>(numElements) * bytes) {
      v.data = blob->getData().data();
      return v;
    }
  } else if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (!dense.isSplat()) {
      v.data = dense.getRawData().data();
      return v;
    }
  }
  // Splats, sparse attributes and errors (readConstantValues says which).
  if (failed(readConstantValues(attr, numElements, v.owned, error)))
    return failure();
  return v;
}

int64_t ConstantValues::countZeros() const {
  int64_t zeros = 0;
  for (int64_t i = 0; i < numElements; ++i)
    zeros += (*this)[i] == 0.0;
  return zeros;
}

LogicalResult mlir::snn::readConstantValues(Attribute attr, int64_t numElements,
                                            std::vector<double> &values,
                                            std::string &error) {
  values.assign(numElements, 0.0);
  return visitConstantValues(
      attr, numElements, [&](int64_t i, double v) { values[i] = v; }, error);
}

arith::ConstantOp mlir::snn::createWeightConstant(OpBuilder &b, Location loc,
                                                  RankedTensorType type,
                                                  ArrayRef<float> values,
                                                  StringRef name) {
  AsmResourceBlob blob;
  if (type.getElementType().isF16()) {
    std::vector<uint16_t> halves;
    halves.reserve(values.size());
    for (float v : values)
      halves.push_back(doubleToHalf(v));
    blob = HeapAsmResourceBlob::allocateAndCopyInferAlign<uint16_t>(halves);
  } else {
    blob = HeapAsmResourceBlob::allocateAndCopyInferAlign<float>(values);
  }
  auto attr = DenseResourceElementsAttr::get(type, name, std::move(blob));
  return arith::ConstantOp::create(b, loc, attr);
}

std::string mlir::snn::getWeightName(Attribute attr) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    return resource.getRawHandle().getKey().str();
  return "snn_weight";
}

std::string mlir::snn::getLocationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return llvm::sys::path::filename(file.getFilename().getValue()).str() +
           ":" + std::to_string(file.getLine()) + ":" +
           std::to_string(file.getColumn());
  std::string s;
  llvm::raw_string_ostream os(s);
  loc.print(os);
  return s;
}
