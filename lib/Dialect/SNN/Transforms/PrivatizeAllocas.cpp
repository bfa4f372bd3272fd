//===- PrivatizeAllocas.cpp - Scratch allocas private to each iteration ---===//
//
// Part of SparseNN. See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Transforms/Passes.h"

namespace mlir::snn {
#define GEN_PASS_DEF_SNNPRIVATIZEALLOCASPASS
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"
} // namespace mlir::snn

using namespace mlir;

namespace {
struct SNNPrivatizeAllocasPass
    : snn::impl::SNNPrivatizeAllocasPassBase<SNNPrivatizeAllocasPass> {
  /// The scf.parallel whose body holds every use of `alloca` (the outermost
  /// one that does not hold the alloca itself), or null.
  static scf::ParallelOp soleParallelUser(memref::AllocaOp alloca) {
    scf::ParallelOp loop;
    for (Operation *user : alloca->getUsers()) {
      // The outermost parallel loop around the use that is not around the
      // alloca.
      scf::ParallelOp outer;
      for (auto p = user->getParentOfType<scf::ParallelOp>(); p;
           p = p->getParentOfType<scf::ParallelOp>())
        if (!p->isAncestor(alloca))
          outer = p;
      if (!outer || (loop && loop != outer))
        return nullptr;
      loop = outer;
    }
    return loop;
  }

  void runOnOperation() override {
    SmallVector<std::pair<memref::AllocaOp, scf::ParallelOp>> moves;
    getOperation().walk([&](memref::AllocaOp alloca) {
      if (scf::ParallelOp loop = soleParallelUser(alloca))
        moves.emplace_back(alloca, loop);
    });
    for (auto [alloca, loop] : moves)
      alloca->moveBefore(&loop.getBody()->front());
  }
};
} // namespace
