//===- FreeTemporaries.cpp - Free a function's local buffers at return ----===//
//
// Part of SparseNN. Upstream's ownership-based buffer deallocation rejects
// the GPU pipeline's cuSPARSE code (libgen's gpu.wait has unknown memory
// effects), which left every host temporary of a call allocated for good.
// This frees, before the return, each buffer the function's entry block
// allocates that does not escape: not returned, not passed to a call, not
// yielded or branched elsewhere, directly or through views.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::snn {
#define GEN_PASS_DEF_SNNFREETEMPORARIESPASS
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"
} // namespace mlir::snn

using namespace mlir;

namespace {

/// Whether `v` (a buffer, or a view of one) is used only by ops that
/// neither keep it beyond the call nor free it: loads, stores, copies,
/// kernels and device transfers, and views whose own uses qualify.
bool staysLocal(Value v) {
  for (OpOperand &use : v.getUses()) {
    Operation *user = use.getOwner();
    if (isa<memref::DeallocOp, memref::ExtractAlignedPointerAsIndexOp,
            CallOpInterface>(user) ||
        user->hasTrait<OpTrait::IsTerminator>())
      return false;
    if (isa<ViewLikeOpInterface, memref::CastOp>(user)) {
      for (Value result : user->getResults())
        if (!staysLocal(result))
          return false;
      continue;
    }
    // Any other op that returns a memref might alias the buffer.
    if (llvm::any_of(user->getResultTypes(), llvm::IsaPred<BaseMemRefType>))
      return false;
  }
  return true;
}

struct SNNFreeTemporariesPass
    : snn::impl::SNNFreeTemporariesPassBase<SNNFreeTemporariesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || !func.getBody().hasOneBlock())
      return;
    Block &entry = func.getBody().front();
    auto ret = dyn_cast<func::ReturnOp>(entry.getTerminator());
    if (!ret)
      return;
    SmallVector<Value> temporaries;
    for (auto alloc : entry.getOps<memref::AllocOp>())
      if (staysLocal(alloc.getResult()))
        temporaries.push_back(alloc.getResult());
    OpBuilder b(ret);
    for (Value buffer : temporaries)
      memref::DeallocOp::create(b, ret.getLoc(), buffer);
  }
};

} // namespace
