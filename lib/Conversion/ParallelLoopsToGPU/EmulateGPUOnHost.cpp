//===- EmulateGPUOnHost.cpp - Run gpu.launch kernels on the host ----------===//
//
// Part of SparseNN. Lets the tests here, on a machine without a GPU, run the
// code snn-parallel-loops-to-gpu generates (the kernels' indexing, grid-
// stride loops and the copies around them) and compare it with a reference.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Conversion/ParallelLoopsToGPU/ParallelLoopsToGPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir {
#define GEN_PASS_DEF_EMULATEGPUONHOSTPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

using namespace mlir;

namespace {

struct EmulateGPUOnHostPass
    : impl::EmulateGPUOnHostPassBase<EmulateGPUOnHostPass> {
  using Base::Base;

  /// Loops over the launch's blocks and threads (x, y and z, blocks
  /// outermost) around a copy of its body.
  static LogicalResult emulateLaunch(gpu::LaunchOp launch) {
    Region &body = launch.getBody();
    if (!body.hasOneBlock())
      return launch.emitError("snn-emulate-gpu-on-host: a launch body of "
                              "several blocks is not supported");
    OpBuilder b(launch);
    Location loc = launch.getLoc();
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
    gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
    SmallVector<Value> bounds = {grid.x,  grid.y,  grid.z,
                                 block.x, block.y, block.z};
    SmallVector<Value> ivs;
    for (Value bound : bounds) {
      auto loop = scf::ForOp::create(b, loc, zero, bound, one);
      ivs.push_back(loop.getInductionVar());
      b.setInsertionPointToStart(loop.getBody());
    }
    IRMapping mapping;
    gpu::KernelDim3 blockIds = launch.getBlockIds();
    gpu::KernelDim3 threadIds = launch.getThreadIds();
    gpu::KernelDim3 gridSizes = launch.getGridSize();
    gpu::KernelDim3 blockSizes = launch.getBlockSize();
    mapping.map(ValueRange{blockIds.x, blockIds.y, blockIds.z, threadIds.x,
                           threadIds.y, threadIds.z},
                ivs);
    mapping.map(ValueRange{gridSizes.x, gridSizes.y, gridSizes.z, blockSizes.x,
                           blockSizes.y, blockSizes.z},
                bounds);
    for (Operation &op : body.front().without_terminator())
      b.clone(op, mapping);
    return success();
  }

  void runOnOperation() override {
    SmallVector<Operation *> gpuOps;
    getOperation().walk([&](Operation *op) {
      if (isa<gpu::LaunchOp, gpu::AllocOp, gpu::MemcpyOp, gpu::DeallocOp,
              gpu::WaitOp>(op))
        gpuOps.push_back(op);
      return isa<gpu::LaunchOp>(op) ? WalkResult::skip()
                                    : WalkResult::advance();
    });
    for (Operation *op : gpuOps) {
      OpBuilder b(op);
      Location loc = op->getLoc();
      if (auto alloc = dyn_cast<gpu::AllocOp>(op)) {
        Value host = memref::AllocOp::create(b, loc, alloc.getType(),
                                             alloc.getDynamicSizes(),
                                             alloc.getSymbolOperands());
        alloc.getMemref().replaceAllUsesWith(host);
      } else if (auto copy = dyn_cast<gpu::MemcpyOp>(op)) {
        memref::CopyOp::create(b, loc, copy.getSrc(), copy.getDst());
      } else if (auto dealloc = dyn_cast<gpu::DeallocOp>(op)) {
        memref::DeallocOp::create(b, loc, dealloc.getMemref());
      } else if (auto launch = dyn_cast<gpu::LaunchOp>(op)) {
        if (failed(emulateLaunch(launch)))
          return signalPassFailure();
      }
    }
    // Tokens only flow between these ops: erase users first.
    for (Operation *op : llvm::reverse(gpuOps)) {
      op->dropAllUses();
      op->erase();
    }
    // The device copy a constant keeps is the host buffer itself here (the
    // kernels only read it).
    ModuleOp module = getOperation();
    module.walk([](func::CallOp call) {
      if (call.getCallee().starts_with("sparsenn_gpu_resident_")) {
        call.getResult(0).replaceAllUsesWith(call.getOperand(0));
        call.erase();
      }
    });
    for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
      if (func.isExternal() &&
          func.getSymName().starts_with("sparsenn_gpu_resident_") &&
          SymbolTable::symbolKnownUseEmpty(func, module))
        func.erase();
  }
};

} // namespace
