//===- ParallelLoopsToGPU.cpp - scf.parallel loops as GPU kernels ---------===//
//
// Part of SparseNN. Replaces upstream's sparse-gpu-codegen, whose MLIR 22
// version copies the positions buffer back instead of the kernel's output and
// launches a single block (../shared/TOOLCHAIN.md). It works on any bufferized
// scf.parallel, so the sparsifier's parallel loops and the dense element-wise
// loops of convert-linalg-to-parallel-loops become kernels alike.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Conversion/ParallelLoopsToGPU/ParallelLoopsToGPU.h"

#include "DeviceBuffers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir {
#define GEN_PASS_DEF_CONVERTPARALLELLOOPSTOGPUPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

using namespace mlir;
using namespace mlir::snn::detail;

/// The most blocks a launch uses; threads stride over the rest.
static constexpr int64_t kMaxBlocks = 65535;

/// Whether an op inside `region` writes `v` or a view of it taken there.
static bool isWrittenIn(Value v, Region &region) {
  for (OpOperand &use : v.getUses()) {
    Operation *user = use.getOwner();
    if (!region.isAncestor(user->getParentRegion()))
      continue;
    if (isa<ViewLikeOpInterface, memref::CastOp>(user)) {
      if (llvm::any_of(user->getResults(),
                       [&](Value r) { return isWrittenIn(r, region); }))
        return true;
      continue;
    }
    auto effects = dyn_cast<MemoryEffectOpInterface>(user);
    if (!effects)
      return true; // Unknown: assume written.
    if (effects.getEffectOnValue<MemoryEffects::Write>(v))
      return true;
  }
  return false;
}

/// Why a loop cannot run on the device, or "" when it can.
static StringRef unsupportedReason(scf::ParallelOp loop,
                                   ArrayRef<Value> memrefs) {
  if (!loop.getInitVals().empty())
    return "it carries a reduction";
  WalkResult walk = loop.getBody()->walk([](Operation *op) {
    if (isa<CallOpInterface>(op) || isa<gpu::GPUDialect>(op->getDialect()))
      return WalkResult::interrupt();
    // A stack buffer is private to the thread (local memory on the device).
    if (isa<memref::AllocaOp>(op))
      return WalkResult::advance();
    if (auto effects = dyn_cast<MemoryEffectOpInterface>(op))
      if (effects.hasEffect<MemoryEffects::Allocate>() ||
          effects.hasEffect<MemoryEffects::Free>())
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return "its body allocates, frees or calls";
  for (Value m : memrefs) {
    auto type = dyn_cast<MemRefType>(rootBuffer(m, nullptr).getType());
    if (!type || !type.getLayout().isIdentity())
      return "it uses a view of a buffer that is not contiguous";
  }
  return "";
}

/// Whether `op` (and what it holds) stores to memory.
static bool writesMemory(Operation *op) {
  bool writes = false;
  op->walk([&](Operation *inner) {
    if (isPure(inner) || isa<memref::LoadOp>(inner) ||
        inner->hasTrait<OpTrait::IsTerminator>())
      return;
    auto effects = dyn_cast<MemoryEffectOpInterface>(inner);
    writes |= !effects || effects.hasEffect<MemoryEffects::Write>();
  });
  return writes;
}

/// Each iteration of the inner loop `q` touches its own elements of every
/// buffer it writes: each store indexes with all of q's induction variables
/// and the loads from a written buffer use the indices of a store to it.
static bool writesDisjointPerIteration(scf::ParallelOp q) {
  llvm::DenseMap<Value, SmallVector<ValueRange>> stored;
  bool ok = true;
  q.getBody()->walk([&](Operation *op) {
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      for (Value iv : q.getInductionVars())
        ok &= llvm::is_contained(store.getIndices(), iv);
      stored[store.getMemRef()].push_back(store.getIndices());
    } else if (!isa<memref::LoadOp>(op) && !isPure(op) &&
               !op->hasTrait<OpTrait::IsTerminator>() &&
               op->getNumRegions() == 0) {
      ok = false; // Another kind of write.
    }
  });
  if (!ok)
    return false;
  q.getBody()->walk([&](memref::LoadOp load) {
    auto it = stored.find(load.getMemRef());
    if (it != stored.end())
      ok &= llvm::any_of(it->second, [&](ValueRange indices) {
        return llvm::equal(indices, load.getIndices());
      });
  });
  return ok;
}

/// Moves the dimensions of a parallel loop nested in a sequential loop into
/// the outer parallel loop, so that they become threads too:
///
///   parallel (o) { A; for k { B; parallel (b) { C } } }
///   -> parallel (o, b) { A; for k { B; C } }
///
/// (the sparsifier's row loop over a sparse reduction over the batch: a
/// thread per output element instead of per row). Legal when A and B only
/// read, b's bounds do not depend on o or k, and each b touches its own
/// elements of what C writes, so the k loops of different b are
/// independent. Returns the new loop, or the old one unchanged.
static scf::ParallelOp sinkInnerParallelDims(scf::ParallelOp p) {
  if (!p.getInitVals().empty())
    return p;
  Block *body = p.getBody();
  auto f = dyn_cast<scf::ForOp>(body->getTerminator()->getPrevNode());
  if (!f || !f.getInitArgs().empty())
    return p;
  auto q = dyn_cast_or_null<scf::ParallelOp>(
      f.getBody()->getTerminator()->getPrevNode());
  if (!q || !q.getInitVals().empty())
    return p;
  for (Operation &op : body->without_terminator())
    if (&op != f && writesMemory(&op))
      return p;
  for (Operation &op : f.getBody()->without_terminator())
    if (&op != q && writesMemory(&op))
      return p;
  auto definedAbove = [&](Value v) {
    return !p->isAncestor(v.getParentRegion()->getParentOp());
  };
  for (ValueRange range :
       {ValueRange(q.getLowerBound()), ValueRange(q.getUpperBound()),
        ValueRange(q.getStep())})
    if (!llvm::all_of(range, definedAbove))
      return p;
  if (!writesDisjointPerIteration(q))
    return p;
  // A and B must not read what C writes: once merged, a thread's A and B
  // would no longer see the other iterations' writes in order.
  llvm::DenseSet<Value> written;
  q.getBody()->walk([&](memref::StoreOp store) {
    written.insert(rootBuffer(store.getMemRef(), nullptr));
  });
  bool readsWritten = false;
  auto checkReads = [&](Operation &op) {
    op.walk([&](memref::LoadOp load) {
      readsWritten |= written.contains(rootBuffer(load.getMemRef(), nullptr));
    });
  };
  for (Operation &op : body->without_terminator())
    if (&op != f)
      checkReads(op);
  for (Operation &op : f.getBody()->without_terminator())
    if (&op != q)
      checkReads(op);
  if (readsWritten)
    return p;

  OpBuilder b(p);
  auto concat = [](ValueRange x, ValueRange y) {
    SmallVector<Value> all(x);
    all.append(y.begin(), y.end());
    return all;
  };
  auto merged = scf::ParallelOp::create(
      b, p.getLoc(), concat(p.getLowerBound(), q.getLowerBound()),
      concat(p.getUpperBound(), q.getUpperBound()),
      concat(p.getStep(), q.getStep()));
  IRMapping mapping;
  SmallVector<Value> ivs(merged.getInductionVars());
  unsigned outer = p.getNumLoops();
  for (unsigned d = 0; d < outer; ++d)
    mapping.map(Value(p.getInductionVars()[d]), ivs[d]);
  for (unsigned d = 0; d < q.getNumLoops(); ++d)
    mapping.map(Value(q.getInductionVars()[d]), ivs[outer + d]);
  OpBuilder ib = OpBuilder::atBlockBegin(merged.getBody());
  for (Operation &op : body->without_terminator())
    if (&op != f)
      ib.clone(op, mapping);
  auto loop = scf::ForOp::create(ib, f.getLoc(),
                                 mapping.lookupOrDefault(f.getLowerBound()),
                                 mapping.lookupOrDefault(f.getUpperBound()),
                                 mapping.lookupOrDefault(f.getStep()));
  mapping.map(f.getInductionVar(), loop.getInductionVar());
  OpBuilder fb = OpBuilder::atBlockBegin(loop.getBody());
  for (Operation &op : f.getBody()->without_terminator())
    if (&op != q)
      fb.clone(op, mapping);
  for (Operation &op : q.getBody()->without_terminator())
    fb.clone(op, mapping);
  p.erase();
  return merged;
}

namespace {

/// The buffers a loop body uses: each root buffer once, whether the body
/// writes it (through any view), and the views it uses with their chains.
struct LoopBuffers {
  SmallVector<Value> roots;
  SmallVector<bool> written;
  SmallVector<std::pair<Value, SmallVector<Operation *>>> views;
};

LoopBuffers analyzeBuffers(scf::ParallelOp loop, ArrayRef<Value> memrefs) {
  LoopBuffers buffers;
  llvm::DenseMap<Value, size_t> index;
  for (Value m : memrefs) {
    SmallVector<Operation *> chain;
    Value root = rootBuffer(m, &chain);
    auto [it, inserted] = index.try_emplace(root, buffers.roots.size());
    if (inserted) {
      buffers.roots.push_back(root);
      buffers.written.push_back(false);
    }
    buffers.written[it->second] =
        buffers.written[it->second] || isWrittenIn(m, loop.getRegion());
    buffers.views.push_back({m, std::move(chain)});
  }
  return buffers;
}

/// The memrefs a loop body uses from above, or none when it cannot run on
/// the device (with a remark saying why when `remarks`).
std::optional<SmallVector<Value>> deviceMemrefs(scf::ParallelOp loop,
                                                bool remarks) {
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(loop.getRegion(), captured);
  SmallVector<Value> memrefs;
  for (Value v : captured)
    if (isa<BaseMemRefType>(v.getType()))
      memrefs.push_back(v);
  StringRef reason = unsupportedReason(loop, memrefs);
  if (!reason.empty()) {
    if (remarks)
      loop.emitRemark() << "this loop stays on the host: " << reason;
    return std::nullopt;
  }
  return memrefs;
}

/// Emits GPU ops as a synchronous step: a stream, the ops on it, a wait.
struct GpuBuilder {
  OpBuilder &b;
  Location loc;
  Type token;

  GpuBuilder(OpBuilder &b, Location loc)
      : b(b), loc(loc), token(gpu::AsyncTokenType::get(b.getContext())) {}

  Value stream() {
    return gpu::WaitOp::create(b, loc, token, ValueRange{}).getAsyncToken();
  }
  void wait(Value t) { gpu::WaitOp::create(b, loc, Type(), ValueRange{t}); }

  /// A device buffer shaped like the host buffer `host`, allocated on `t`.
  Value alloc(Value host, Value &t) {
    auto type = cast<MemRefType>(host.getType());
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        sizes.push_back(memref::DimOp::create(b, loc, host, d));
    auto alloc = gpu::AllocOp::create(b, loc, type, token, ValueRange{t}, sizes,
                                      ValueRange{}, /*hostShared=*/false);
    t = alloc.getAsyncToken();
    return alloc.getMemref();
  }
  void copy(Value dst, Value src, Value &t) {
    t = gpu::MemcpyOp::create(b, loc, token, ValueRange{t}, dst, src)
            .getAsyncToken();
  }
  void dealloc(Value device, Value &t) {
    t = gpu::DeallocOp::create(b, loc, token, ValueRange{t}, device)
            .getAsyncToken();
  }
};

struct ConvertParallelLoopsToGPUPass
    : impl::ConvertParallelLoopsToGPUPassBase<ConvertParallelLoopsToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (threads < 1 || threads > 1024) {
      getOperation().emitError()
          << "snn-parallel-loops-to-gpu: threads=" << threads.getValue()
          << " is out of range: a block has 1 to 1024 threads";
      return signalPassFailure();
    }
    for (func::FuncOp func :
         llvm::make_early_inc_range(getOperation().getOps<func::FuncOp>()))
      if (!func.isExternal())
        runOnFunction(func);
  }

  void runOnFunction(func::FuncOp func) {
    SmallVector<scf::ParallelOp> outerLoops;
    func.walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>())
        outerLoops.push_back(loop);
    });
    for (scf::ParallelOp loop : outerLoops)
      sinkInnerParallelDims(loop);
    // Loops in the function's own block share device buffers across
    // launches (keepResident); loops inside host control flow copy their
    // buffers in and out around each launch.
    Block *entry = nullptr;
    if (func.getBody().hasOneBlock()) {
      entry = &func.getBody().front();
      keepResident(*entry);
    }
    SmallVector<scf::ParallelOp> nested;
    func.walk([&](scf::ParallelOp loop) {
      if (loop->getBlock() != entry &&
          !loop->getParentOfType<scf::ParallelOp>() &&
          !loop->getParentOfType<gpu::LaunchOp>())
        nested.push_back(loop);
    });
    for (scf::ParallelOp loop : nested)
      if (std::optional<SmallVector<Value>> memrefs =
              deviceMemrefs(loop, remarks))
        convertWithCopies(loop, *memrefs);
  }

  /// Copies in every buffer, launches, copies back the written ones and
  /// frees the device buffers, all around the one launch.
  void convertWithCopies(scf::ParallelOp loop, ArrayRef<Value> memrefs) {
    LoopBuffers buffers = analyzeBuffers(loop, memrefs);
    OpBuilder b(loop);
    GpuBuilder g(b, loop.getLoc());
    Value t = g.stream();
    llvm::DenseMap<Value, Value> deviceOf;
    for (Value root : buffers.roots) {
      Value device = g.alloc(root, t);
      g.copy(device, root, t);
      deviceOf[root] = device;
    }
    t = buildLaunch(b, loop, buffers, deviceOf, t);
    for (auto [root, written] : llvm::zip(buffers.roots, buffers.written))
      if (written)
        g.copy(root, deviceOf[root], t);
    for (Value root : buffers.roots)
      g.dealloc(deviceOf[root], t);
    g.wait(t);
    loop.erase();
  }

  /// Where a host buffer's data is valid while the function runs.
  struct Residency {
    Value device;          ///< The device copy (null: none yet).
    bool hostValid = true; ///< The host copy holds the latest data.
    bool deviceValid = false;
    bool resident = false; ///< A constant's copy the runtime keeps.
  };

  /// Runs the block's outer parallel loops as kernels on device buffers
  /// that stay allocated across launches: a buffer is copied to the device
  /// only when the host has data the device lacks, and back only before a
  /// host op touches it, or at the return; device buffers are freed with
  /// their host buffer or before the return.
  void keepResident(Block &block) {
    llvm::MapVector<Value, Residency> state;
    // Host buffers freshly allocated here hold no data yet: no copy-in.
    llvm::DenseSet<Value> fresh;
    auto touchedRoots = [&](Operation *op) {
      llvm::SetVector<Value> roots;
      op->walk([&](Operation *inner) {
        for (Value operand : inner->getOperands())
          if (isa<BaseMemRefType>(operand.getType()))
            roots.insert(rootBuffer(operand, nullptr));
      });
      return roots;
    };
    auto mayWrite = [](Operation *op, Value root) {
      bool writes = false;
      op->walk([&](Operation *inner) {
        if (isa<ViewLikeOpInterface, memref::CastOp>(inner))
          return;
        auto effects = dyn_cast<MemoryEffectOpInterface>(inner);
        if (!effects) {
          writes |= !isPure(inner) && inner->getNumRegions() == 0;
          return;
        }
        for (Value operand : inner->getOperands())
          if (isa<BaseMemRefType>(operand.getType()) &&
              rootBuffer(operand, nullptr) == root &&
              effects.getEffectOnValue<MemoryEffects::Write>(operand))
            writes = true;
      });
      return writes;
    };

    for (Operation &op : llvm::make_early_inc_range(block)) {
      OpBuilder b(&op);
      GpuBuilder g(b, op.getLoc());
      if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
        if (std::optional<SmallVector<Value>> memrefs =
                deviceMemrefs(loop, remarks)) {
          LoopBuffers buffers = analyzeBuffers(loop, *memrefs);
          Value t = g.stream();
          llvm::DenseMap<Value, Value> deviceOf;
          for (Value root : buffers.roots) {
            Residency &r = state[root];
            if (!r.device) {
              r.device =
                  createResidentCopy(b, op.getLoc(), getOperation(), root);
              r.resident = r.deviceValid = static_cast<bool>(r.device);
            }
            if (!r.device)
              r.device = g.alloc(root, t);
            if (!r.deviceValid && !fresh.contains(root))
              g.copy(r.device, root, t);
            r.deviceValid = true;
            deviceOf[root] = r.device;
          }
          t = buildLaunch(b, loop, buffers, deviceOf, t);
          g.wait(t);
          for (auto [root, written] : llvm::zip(buffers.roots, buffers.written))
            if (written) {
              state[root].hostValid = false;
              fresh.erase(root);
            }
          loop.erase();
          continue;
        }
      }
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        fresh.insert(alloc.getResult());
        continue;
      }
      if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        // The host buffer dies: its device copy too, without a copy back.
        Value root = rootBuffer(dealloc.getMemref(), nullptr);
        auto it = state.find(root);
        if (it != state.end() && it->second.device && !it->second.resident) {
          Value t = g.stream();
          g.dealloc(it->second.device, t);
          g.wait(t);
          state.erase(it);
        }
        continue;
      }
      bool isReturn = op.hasTrait<OpTrait::IsTerminator>();
      if (isPure(&op) && op.getNumRegions() == 0 && !isReturn)
        continue;
      // A host op (or the return): the buffers it touches must be valid on
      // the host; those it may write are stale on the device after it.
      llvm::SetVector<Value> roots = touchedRoots(&op);
      for (auto &[root, r] : state) {
        if (!r.device || (!isReturn && !roots.contains(root)))
          continue;
        if (!r.hostValid) {
          Value t = g.stream();
          g.copy(root, r.device, t);
          g.wait(t);
          r.hostValid = true;
        }
        fresh.erase(root);
        if (!isReturn && mayWrite(&op, root))
          r.deviceValid = false;
      }
      for (Value root : roots)
        if (!state.count(root) && mayWrite(&op, root))
          fresh.erase(root);
      if (isReturn) {
        Value t = g.stream();
        for (auto &[root, r] : state)
          if (r.device && !r.resident)
            g.dealloc(r.device, t);
        g.wait(t);
        state.clear();
      }
    }
  }

  /// The gpu.launch of `loop` over the device copies `deviceOf` (root ->
  /// device buffer), after the async token `t`; returns the launch's token.
  Value buildLaunch(OpBuilder &b, scf::ParallelOp loop,
                    const LoopBuffers &buffers,
                    llvm::DenseMap<Value, Value> &deviceOf, Value t) {
    Location loc = loop.getLoc();
    auto tokenType = gpu::AsyncTokenType::get(b.getContext());
    // The iteration space, linearized: count[d] iterations per dimension.
    SmallVector<Value> counts;
    Value total = arith::ConstantIndexOp::create(b, loc, 1);
    for (auto [lb, ub, step] : llvm::zip(
             loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
      Value span = arith::SubIOp::create(b, loc, ub, lb);
      Value count = arith::CeilDivSIOp::create(b, loc, span, step);
      Value zero = arith::ConstantIndexOp::create(b, loc, 0);
      count = arith::MaxSIOp::create(b, loc, count, zero);
      counts.push_back(count);
      total = arith::MulIOp::create(b, loc, total, count);
    }
    Value blockSize = arith::ConstantIndexOp::create(b, loc, threads);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value blocks = arith::CeilDivUIOp::create(b, loc, total, blockSize);
    blocks = arith::MinUIOp::create(
        b, loc, blocks, arith::ConstantIndexOp::create(b, loc, kMaxBlocks));
    blocks = arith::MaxUIOp::create(b, loc, blocks, one);

    auto launch = gpu::LaunchOp::create(b, loc, blocks, one, one, blockSize,
                                        one, one, /*dynamicSharedMemorySize=*/
                                        nullptr, tokenType, ValueRange{t});
    {
      OpBuilder kb = OpBuilder::atBlockBegin(&launch.getBody().front());
      Value blockId = launch.getBlockIds().x;
      Value threadId = launch.getThreadIds().x;
      Value blockDim = launch.getBlockSize().x;
      Value gridDim = launch.getGridSize().x;
      Value first = arith::AddIOp::create(
          kb, loc, arith::MulIOp::create(kb, loc, blockId, blockDim), threadId);
      Value stride = arith::MulIOp::create(kb, loc, blockDim, gridDim);
      auto strided = scf::ForOp::create(kb, loc, first, total, stride);
      gpu::TerminatorOp::create(kb, loc);

      OpBuilder ib = OpBuilder::atBlockBegin(strided.getBody());
      IRMapping mapping;
      Value rest = strided.getInductionVar();
      SmallVector<Value> ivs(counts.size());
      for (int64_t d = counts.size() - 1; d >= 0; --d) {
        Value index =
            d == 0
                ? rest
                : arith::RemUIOp::create(ib, loc, rest, counts[d]).getResult();
        if (d != 0)
          rest = arith::DivUIOp::create(ib, loc, rest, counts[d]);
        ivs[d] = arith::AddIOp::create(
            ib, loc, loop.getLowerBound()[d],
            arith::MulIOp::create(ib, loc, index, loop.getStep()[d]));
      }
      mapping.map(loop.getInductionVars(), ivs);
      for (Value root : buffers.roots)
        mapping.map(root, deviceOf[root]);
      for (auto &[view, chain] : buffers.views)
        for (Operation *op : chain)
          if (!mapping.contains(op->getResult(0)))
            ib.clone(*op, mapping);
      for (Operation &op : loop.getBody()->without_terminator())
        ib.clone(op, mapping);
    }

    return launch.getAsyncToken();
  }
};

} // namespace
