//===- ExportEntryPoints.cpp - Give public functions the C interface ------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::snn {
#define GEN_PASS_DEF_SNNEXPORTENTRYPOINTSPASS
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"
} // namespace mlir::snn

using namespace mlir;

/// "f32[?x16]": the element type and shape of a ranked tensor or memref
/// ("index" is the target's pointer-sized integer).
static std::string describe(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return "?";
  os << shaped.getElementType() << "[";
  llvm::interleave(
      shaped.getShape(), os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << "?";
        else
          os << d;
      },
      "x");
  os << "]";
  return text;
}

namespace {
struct SNNExportEntryPointsPass
    : snn::impl::SNNExportEntryPointsPassBase<SNNExportEntryPointsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (!func.isPublic() || func.isExternal())
        continue;
      func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                    UnitAttr::get(&getContext()));
      // The signature AOT drivers read (docs/ABI.md).
      std::string signature;
      llvm::raw_string_ostream os(signature);
      llvm::interleave(
          func.getArgumentTypes(), os, [&](Type t) { os << describe(t); }, ",");
      os << "->";
      llvm::interleave(
          func.getResultTypes(), os, [&](Type t) { os << describe(t); }, ",");
      signature.push_back('\0');
      std::string name = ("sparsenn_signature_" + func.getSymName()).str();
      if (module.lookupSymbol(name))
        continue;
      auto type = LLVM::LLVMArrayType::get(IntegerType::get(&getContext(), 8),
                                           signature.size());
      LLVM::GlobalOp::create(b, func.getLoc(), type, /*isConstant=*/true,
                             LLVM::Linkage::External, name,
                             b.getStringAttr(signature));
    }
  }
};
} // namespace
