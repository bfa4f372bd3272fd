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

/// Loads element `i` of an index buffer (any integer type) as an index.
Value loadIndex(OpBuilder &b, Location loc, Value mem, ValueRange i) {
  Value v = memref::LoadOp::create(b, loc, mem, i);
  if (v.getType().isIndex())
    return v;
  return arith::IndexCastUIOp::create(b, loc, b.getIndexType(), v);
}

/// for iv in [lo, hi): body(iv).
void loop(OpBuilder &b, Location loc, Value lo, Value hi,
          function_ref<void(Value)> body) {
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto forOp = scf::ForOp::create(b, loc, lo, hi, one);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forOp.getBody());
  body(forOp.getInductionVar());
}

/// The dense operand a create_dn_tensor describes: its buffer.
FailureOr<Value> denseBuffer(Value handle) {
  auto create = handle.getDefiningOp<gpu::CreateDnTensorOp>();
  if (!create)
    return failure();
  return create.getMemref();
}

/// Emits, before `op` (a gpu.spmm or gpu.spmv with A and B not transposed),
/// host loops computing C += A * B from the buffers the descriptors were
/// created with: cuSPARSE's result with alpha = beta = 1, as runtime/cuda
/// calls it. A is CSR, CSC, COO (struct of arrays), BSR or cuSPARSELt's
/// 2:4 matrix (given dense).
LogicalResult emulateProduct(Operation *op, Value spMat, Value dnB, Value dnC,
                             bool transposed) {
  if (transposed)
    return op->emitError("snn-emulate-gpu-on-host: a transposed sparse "
                         "product is not emulated");
  FailureOr<Value> bMem = denseBuffer(dnB), cMem = denseBuffer(dnC);
  if (failed(bMem) || failed(cMem))
    return op->emitError("snn-emulate-gpu-on-host: the dense operands do not "
                         "come from gpu.create_dn_tensor");
  OpBuilder b(op);
  Location loc = op->getLoc();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto bType = cast<MemRefType>(bMem->getType());
  bool matrix = bType.getRank() == 2;
  Value n = matrix ? memref::DimOp::create(b, loc, *bMem, 1).getResult() : one;
  // C[row, :] += w * B[col, :].
  auto accumulate = [&](Value row, Value col, Value w) {
    loop(b, loc, zero, n, [&](Value j) {
      SmallVector<Value> bIdx{col}, cIdx{row};
      if (matrix) {
        bIdx.push_back(j);
        cIdx.push_back(j);
      }
      Value x = memref::LoadOp::create(b, loc, *bMem, bIdx);
      Value c = memref::LoadOp::create(b, loc, *cMem, cIdx);
      Value sum = arith::AddFOp::create(
          b, loc, c, arith::MulFOp::create(b, loc, w, x).getResult());
      memref::StoreOp::create(b, loc, sum, *cMem, cIdx);
    });
  };
  Operation *create = spMat.getDefiningOp();
  // CSR and CSC: a compressed outer dimension.
  auto compressed = [&](Value outer, Value pos, Value crd, Value val,
                        bool byRow) {
    loop(b, loc, zero, outer, [&](Value o) {
      Value lo = loadIndex(b, loc, pos, o);
      Value hi = loadIndex(b, loc, pos,
                           arith::AddIOp::create(b, loc, o, one).getResult());
      loop(b, loc, lo, hi, [&](Value p) {
        Value inner = loadIndex(b, loc, crd, p);
        Value w = memref::LoadOp::create(b, loc, val, p);
        if (byRow)
          accumulate(o, inner, w);
        else
          accumulate(inner, o, w);
      });
    });
  };
  if (auto csr = dyn_cast_or_null<gpu::CreateCsrOp>(create)) {
    compressed(csr.getRows(), csr.getRowPos(), csr.getColIdxs(),
               csr.getValues(), /*byRow=*/true);
  } else if (auto csc = dyn_cast_or_null<gpu::CreateCscOp>(create)) {
    compressed(csc.getCols(), csc.getColPos(), csc.getRowIdxs(),
               csc.getValues(), /*byRow=*/false);
  } else if (auto coo = dyn_cast_or_null<gpu::CreateCooOp>(create)) {
    loop(b, loc, zero, coo.getNnz(), [&](Value p) {
      accumulate(loadIndex(b, loc, coo.getRowIdxs(), p),
                 loadIndex(b, loc, coo.getColIdxs(), p),
                 memref::LoadOp::create(b, loc, coo.getValues(), p));
    });
  } else if (auto bsr = dyn_cast_or_null<gpu::CreateBsrOp>(create)) {
    // Block p's R x C values row-major at (p * R + r) * C + c.
    Value r = bsr.getRBlockSize(), cb = bsr.getCBlockSize();
    loop(b, loc, zero, bsr.getBrows(), [&](Value bi) {
      Value lo = loadIndex(b, loc, bsr.getBRowPos(), bi);
      Value hi = loadIndex(b, loc, bsr.getBRowPos(),
                           arith::AddIOp::create(b, loc, bi, one).getResult());
      loop(b, loc, lo, hi, [&](Value p) {
        Value bj = loadIndex(b, loc, bsr.getBColIdxs(), p);
        loop(b, loc, zero, r, [&](Value i) {
          loop(b, loc, zero, cb, [&](Value k) {
            Value at = arith::AddIOp::create(
                b, loc,
                arith::MulIOp::create(
                    b, loc,
                    arith::AddIOp::create(
                        b, loc, arith::MulIOp::create(b, loc, p, r), i),
                    cb),
                k);
            accumulate(arith::AddIOp::create(
                           b, loc, arith::MulIOp::create(b, loc, bi, r), i),
                       arith::AddIOp::create(
                           b, loc, arith::MulIOp::create(b, loc, bj, cb), k),
                       memref::LoadOp::create(b, loc, bsr.getValues(), at));
          });
        });
      });
    });
  } else if (auto lt = dyn_cast_or_null<gpu::Create2To4SpMatOp>(create)) {
    // cuSPARSELt's A: the dense rows x cols matrix, row-major (2:4 already:
    // pruning it changes nothing).
    Value dense = lt.getMemref();
    auto denseType = cast<MemRefType>(dense.getType());
    loop(b, loc, zero, lt.getRows(), [&](Value i) {
      loop(b, loc, zero, lt.getCols(), [&](Value k) {
        SmallVector<Value> at{i, k};
        if (denseType.getRank() == 1)
          at = {arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, i, lt.getCols()), k)};
        accumulate(i, k, memref::LoadOp::create(b, loc, dense, at));
      });
    });
  } else {
    return op->emitError("snn-emulate-gpu-on-host: the sparse matrix does "
                         "not come from gpu.create_csr, create_csc, "
                         "create_coo, create_bsr or create_2to4_spmat");
  }
  return success();
}

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
              gpu::WaitOp, gpu::CreateCsrOp, gpu::CreateCscOp, gpu::CreateCooOp,
              gpu::CreateBsrOp, gpu::Create2To4SpMatOp, gpu::CreateDnTensorOp,
              gpu::DestroySpMatOp, gpu::DestroyDnTensorOp,
              gpu::SpMMBufferSizeOp, gpu::SpMVBufferSizeOp, gpu::SpMMOp,
              gpu::SpMVOp>(op))
        gpuOps.push_back(op);
      return isa<gpu::LaunchOp>(op) ? WalkResult::skip()
                                    : WalkResult::advance();
    });
    for (Operation *op : gpuOps) {
      OpBuilder b(op);
      Location loc = op->getLoc();
      // cuSPARSE's products as host loops; the work buffer is one byte.
      if (auto spmm = dyn_cast<gpu::SpMMOp>(op)) {
        if (failed(emulateProduct(
                op, spmm.getSpmatA(), spmm.getDnmatB(), spmm.getDnmatC(),
                spmm.getModeA() != gpu::TransposeMode::NON_TRANSPOSE ||
                    spmm.getModeB() != gpu::TransposeMode::NON_TRANSPOSE)))
          return signalPassFailure();
        continue;
      }
      if (auto spmv = dyn_cast<gpu::SpMVOp>(op)) {
        if (failed(emulateProduct(
                op, spmv.getSpmatA(), spmv.getDnX(), spmv.getDnY(),
                spmv.getModeA() != gpu::TransposeMode::NON_TRANSPOSE)))
          return signalPassFailure();
        continue;
      }
      if (isa<gpu::SpMMBufferSizeOp, gpu::SpMVBufferSizeOp>(op)) {
        Value bytes = arith::ConstantIndexOp::create(b, loc, 1);
        for (Value size : op->getResults())
          if (size.getType().isIndex())
            size.replaceAllUsesWith(bytes);
        continue;
      }
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
