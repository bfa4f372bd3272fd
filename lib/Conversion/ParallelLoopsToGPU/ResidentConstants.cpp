//===- ResidentConstants.cpp - Constant weights stay on the device --------===//
//
// Part of SparseNN. The cuSPARSE path's host code (upstream's libgen and
// snn-sparse-to-gpu-library) copies every operand of a product to the device
// around each call, the packed weights included. This pass gives a copy of a
// constant global that only cuSPARSE's sparse descriptors read the runtime's
// resident device copy instead, which crosses the bus on the first call only.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Conversion/ParallelLoopsToGPU/ParallelLoopsToGPU.h"

#include "DeviceBuffers.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"

namespace mlir {
#define GEN_PASS_DEF_SNNGPURESIDENTCONSTANTSPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

using namespace mlir;
using namespace mlir::snn::detail;

namespace {

/// Whether `op` only reads the device buffers it takes: the sparse matrix
/// descriptors (cuSPARSE never writes A).
bool isSparseDescriptor(Operation *op) {
  return isa<gpu::CreateCooOp, gpu::CreateCooAoSOp, gpu::CreateCsrOp,
             gpu::CreateCscOp, gpu::CreateBsrOp, gpu::Create2To4SpMatOp>(op);
}

/// A token standing for `deps` (a fresh one when there are none), created
/// before `before`.
Value joinTokens(OpBuilder &b, Operation *before, ValueRange deps) {
  b.setInsertionPoint(before);
  return gpu::WaitOp::create(b, before->getLoc(),
                             gpu::AsyncTokenType::get(b.getContext()), deps)
      .getAsyncToken();
}

struct SNNGPUResidentConstantsPass
    : impl::SNNGPUResidentConstantsPassBase<SNNGPUResidentConstantsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::MemcpyOp> copies;
    module.walk([&](gpu::MemcpyOp copy) { copies.push_back(copy); });
    DominanceInfo dominance(module);
    for (gpu::MemcpyOp copy : copies)
      makeResident(copy, dominance);
  }

  /// Replaces `gpu.alloc` + `gpu.memcpy` (from a constant global) + its
  /// `gpu.dealloc`s with the resident copy when the device buffer is
  /// otherwise only read by sparse descriptors created after the copy.
  void makeResident(gpu::MemcpyOp copy, DominanceInfo &dominance) {
    auto alloc = copy.getDst().getDefiningOp<gpu::AllocOp>();
    if (!alloc || alloc.getHostShared())
      return;
    auto srcType = cast<MemRefType>(copy.getSrc().getType());
    if (!srcType.getLayout().isIdentity() ||
        !memref::CastOp::areCastCompatible(srcType, alloc.getType()))
      return;
    SmallVector<gpu::DeallocOp> deallocs;
    for (OpOperand &use : alloc.getMemref().getUses()) {
      Operation *user = use.getOwner();
      if (user == copy.getOperation()) // The copy into it.
        continue;
      if (auto dealloc = dyn_cast<gpu::DeallocOp>(user)) {
        deallocs.push_back(dealloc);
        continue;
      }
      if (!isSparseDescriptor(user) || !dominance.properlyDominates(copy, user))
        return;
    }
    SmallVector<Operation *> chain;
    Value root = rootBuffer(copy.getSrc(), &chain);
    OpBuilder b(copy);
    Value device = createResidentCopy(b, copy.getLoc(), getOperation(), root);
    if (!device)
      return;
    // The same views of the device copy as of the host buffer.
    IRMapping map;
    map.map(root, device);
    for (Operation *view : chain)
      b.clone(*view, map);
    Value view = map.lookup(copy.getSrc());
    if (view.getType() != alloc.getType())
      view = memref::CastOp::create(b, copy.getLoc(), alloc.getType(), view);

    // What waited on the allocation or the copy waits on what they waited
    // on; what waited on a free waits on what the free waited on.
    if (Value token = alloc.getAsyncToken(); token && !token.use_empty())
      token.replaceAllUsesWith(
          joinTokens(b, alloc, alloc.getAsyncDependencies()));
    if (Value token = copy.getAsyncToken(); token && !token.use_empty())
      token.replaceAllUsesWith(
          joinTokens(b, copy, copy.getAsyncDependencies()));
    for (gpu::DeallocOp dealloc : deallocs) {
      if (Value token = dealloc.getAsyncToken(); token && !token.use_empty())
        token.replaceAllUsesWith(
            joinTokens(b, dealloc, dealloc.getAsyncDependencies()));
      dealloc.erase();
    }
    copy.erase();
    alloc.getMemref().replaceAllUsesWith(view);
    alloc.erase();
  }
};

} // namespace
