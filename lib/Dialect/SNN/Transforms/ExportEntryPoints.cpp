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

namespace {
struct SNNExportEntryPointsPass
    : snn::impl::SNNExportEntryPointsPassBase<SNNExportEntryPointsPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                      UnitAttr::get(&getContext()));
  }
};
} // namespace
