//===- SplatCopiesToFills.cpp - Copies from splat globals become fills ----===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::snn {
#define GEN_PASS_DEF_SNNSPLATCOPIESTOFILLSPASS
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"
} // namespace mlir::snn

using namespace mlir;

namespace {
struct SNNSplatCopiesToFillsPass
    : snn::impl::SNNSplatCopiesToFillsPassBase<SNNSplatCopiesToFillsPass> {
  /// The splat value of the constant global `source` reads, or null.
  static TypedAttr splatOf(Value source, SymbolTableCollection &symbols) {
    auto get = source.getDefiningOp<memref::GetGlobalOp>();
    if (!get)
      return nullptr;
    auto global = symbols.lookupNearestSymbolFrom<memref::GlobalOp>(
        get, get.getNameAttr());
    if (!global || !global.getConstant())
      return nullptr;
    auto init =
        dyn_cast_or_null<DenseElementsAttr>(global.getConstantInitValue());
    if (!init || !init.isSplat())
      return nullptr;
    return init.getSplatValue<TypedAttr>();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTableCollection symbols;
    SmallVector<Operation *> copies;
    module.walk([&](Operation *op) {
      if (isa<memref::CopyOp>(op) ||
          (isa<linalg::CopyOp>(op) && op->getNumResults() == 0))
        copies.push_back(op);
    });
    for (Operation *op : copies) {
      Value source = op->getOperand(0), target = op->getOperand(1);
      TypedAttr splat = splatOf(source, symbols);
      if (!splat)
        continue;
      OpBuilder b(op);
      Value value = arith::ConstantOp::create(b, op->getLoc(), splat);
      linalg::FillOp::create(b, op->getLoc(), ValueRange{value},
                             ValueRange{target});
      Operation *get = source.getDefiningOp();
      op->erase();
      if (get->use_empty())
        get->erase();
    }
    // Globals nothing reads any more.
    for (auto global :
         llvm::make_early_inc_range(module.getOps<memref::GlobalOp>()))
      if (global.isPrivate() &&
          SymbolTable::symbolKnownUseEmpty(global, module))
        global.erase();
  }
};
} // namespace
