//===- SparseToCuSparseLt.cpp - 2:4 half-precision products on cuSPARSELt -===//
//
// Part of SparseNN. A linalg.matmul whose left operand is a 2:4 weight in
// half precision takes that operand as a conversion from the dense matrix,
// the form upstream's libgen hands to cuSPARSELt (which takes the dense
// matrix and compresses it itself). See Passes.td.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Conversion/SparseToGPULibrary/SparseToGPULibrary.h"
#include "sparsenn/Dialect/SNN/Utils/Encodings.h"
#include "sparsenn/Dialect/SNN/Utils/Weights.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensorType.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SetVector.h"

namespace mlir {
#define GEN_PASS_DEF_CONVERTSPARSETOCUSPARSELTPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

using namespace mlir;
using namespace mlir::sparse_tensor;

namespace {

/// Whether `type` is a static 2-D f16 tensor stored 2:4 along its rows: the
/// structured sparsity cuSPARSELt multiplies.
bool isHalf2To4(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getElementType().isF16() &&
         tensor.getRank() == 2 && tensor.getDimSize(1) % 4 == 0 &&
         snn::getNOutOfM(tensor) == std::make_pair<int64_t, int64_t>(2, 4);
}

/// `a` as a dense tensor: a constant is retyped at compile time (the same
/// values, or the same resource blob), anything else converted when the
/// program runs.
Value densify(RewriterBase &rewriter, Location loc, Value a) {
  auto type = cast<RankedTensorType>(a.getType());
  auto denseType =
      RankedTensorType::get(type.getShape(), type.getElementType());
  if (auto cst = a.getDefiningOp<arith::ConstantOp>()) {
    Attribute value = cst.getValue();
    TypedAttr dense;
    if (auto d = dyn_cast<DenseElementsAttr>(value))
      dense =
          d.isSplat()
              ? DenseElementsAttr::get(denseType, d.getSplatValue<Attribute>())
              : DenseElementsAttr::getFromRawBuffer(denseType, d.getRawData());
    else if (auto r = dyn_cast<DenseResourceElementsAttr>(value))
      dense = DenseResourceElementsAttr::get(denseType, r.getRawHandle());
    else if (isa<SparseElementsAttr>(value)) {
      std::vector<double> values;
      std::string error;
      if (succeeded(snn::readConstantValues(value, denseType.getNumElements(),
                                            values, error)))
        dense = DenseElementsAttr::get(
            denseType, llvm::map_to_vector(values, [](double v) {
              return APFloat(APFloat::IEEEhalf(),
                             APInt(16, snn::doubleToHalf(v)));
            }));
    }
    if (dense)
      return arith::ConstantOp::create(rewriter, loc, dense);
  }
  return ConvertOp::create(rewriter, loc, denseType, a);
}

struct ConvertSparseToCuSparseLtPass
    : impl::ConvertSparseToCuSparseLtPassBase<ConvertSparseToCuSparseLtPass> {
  void runOnOperation() override {
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) {
      if (!op.hasUserDefinedMaps() && op.hasPureTensorSemantics() &&
          isHalf2To4(op.getInputs()[0].getType()) &&
          !getSparseTensorEncoding(op.getInputs()[1].getType()) &&
          !getSparseTensorEncoding(op.getOutputs()[0].getType()) &&
          getElementTypeOrSelf(op.getInputs()[1].getType()).isF16() &&
          getElementTypeOrSelf(op.getOutputs()[0].getType()).isF16())
        matmuls.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    llvm::SetVector<Operation *> replaced;
    for (linalg::MatmulOp op : matmuls) {
      rewriter.setInsertionPoint(op);
      Value a = op.getInputs()[0];
      if (Operation *def = a.getDefiningOp<arith::ConstantOp>())
        replaced.insert(def);
      Value dense = densify(rewriter, op.getLoc(), a);
      // Upstream's libgen sends a product whose 2:4 operand is converted
      // from a dense tensor to cuSPARSELt, with that dense tensor.
      auto converted =
          ConvertOp::create(rewriter, op.getLoc(), a.getType(), dense);
      converted->setAttr(snn::kDenseSourceAttrName, rewriter.getUnitAttr());
      rewriter.modifyOpInPlace(
          op, [&] { op->setOperand(0, converted.getResult()); });
    }
    // The sparse constants now unused (snn-pack-weights would pack them).
    for (Operation *def : replaced)
      if (def->use_empty())
        rewriter.eraseOp(def);
  }
};

} // namespace
