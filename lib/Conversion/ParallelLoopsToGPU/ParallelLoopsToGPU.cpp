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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir {
#define GEN_PASS_DEF_CONVERTPARALLELLOOPSTOGPUPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

using namespace mlir;

/// The most blocks a launch uses; threads stride over the rest.
static constexpr int64_t kMaxBlocks = 65535;

/// The buffer a memref is a view of (through views and casts); `chain`
/// gets the view ops from the buffer to `v`, outermost first.
static Value rootBuffer(Value v, SmallVectorImpl<Operation *> *chain) {
  while (Operation *def = v.getDefiningOp()) {
    Value source;
    if (auto view = dyn_cast<ViewLikeOpInterface>(def))
      source = view.getViewSource();
    else if (auto cast = dyn_cast<memref::CastOp>(def))
      source = cast.getSource();
    else
      break;
    if (chain)
      chain->insert(chain->begin(), def);
    v = source;
  }
  return v;
}

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

namespace {

/// One buffer the loop body uses (directly or through views), on the host
/// and on the device.
struct DeviceBuffer {
  Value host;   ///< The host buffer.
  Value device; ///< Its device copy.
  bool written; ///< Whether the body writes it (through any view).
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
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>() &&
          !loop->getParentOfType<gpu::LaunchOp>())
        loops.push_back(loop);
    });
    for (scf::ParallelOp loop : loops)
      convert(loop);
  }

  void convert(scf::ParallelOp loop) {
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(loop.getRegion(), captured);
    SmallVector<Value> memrefs;
    for (Value v : captured)
      if (isa<BaseMemRefType>(v.getType()))
        memrefs.push_back(v);
    if (!unsupportedReason(loop, memrefs).empty())
      return;

    OpBuilder b(loop);
    Location loc = loop.getLoc();
    auto tokenType = gpu::AsyncTokenType::get(b.getContext());
    Value token =
        gpu::WaitOp::create(b, loc, tokenType, ValueRange{}).getAsyncToken();

    // One device buffer per host buffer, copied in: views of one buffer
    // share it, and are taken again on the device.
    SmallVector<DeviceBuffer> buffers;
    llvm::DenseMap<Value, size_t> bufferOf;
    SmallVector<std::pair<Value, SmallVector<Operation *>>> views;
    for (Value m : memrefs) {
      SmallVector<Operation *> chain;
      Value root = rootBuffer(m, &chain);
      auto [it, inserted] = bufferOf.try_emplace(root, buffers.size());
      if (inserted)
        buffers.push_back({root, nullptr, false});
      buffers[it->second].written |= isWrittenIn(m, loop.getRegion());
      views.push_back({m, std::move(chain)});
    }
    for (DeviceBuffer &buffer : buffers) {
      auto type = cast<MemRefType>(buffer.host.getType());
      SmallVector<Value> sizes;
      for (int64_t d = 0; d < type.getRank(); ++d)
        if (type.isDynamicDim(d))
          sizes.push_back(memref::DimOp::create(b, loc, buffer.host, d));
      auto alloc = gpu::AllocOp::create(b, loc, type, tokenType,
                                        ValueRange{token}, sizes, ValueRange{},
                                        /*hostShared=*/false);
      buffer.device = alloc.getMemref();
      token = gpu::MemcpyOp::create(b, loc, tokenType,
                                    ValueRange{alloc.getAsyncToken()},
                                    buffer.device, buffer.host)
                  .getAsyncToken();
    }

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
                                        nullptr, tokenType, ValueRange{token});
    token = launch.getAsyncToken();
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
      for (DeviceBuffer &buffer : buffers)
        mapping.map(buffer.host, buffer.device);
      for (auto &[view, chain] : views)
        for (Operation *op : chain)
          if (!mapping.contains(op->getResult(0)))
            ib.clone(*op, mapping);
      for (Operation &op : loop.getBody()->without_terminator())
        ib.clone(op, mapping);
    }

    // Copy back what the body wrote, then free the device buffers.
    for (DeviceBuffer &buffer : buffers)
      if (buffer.written)
        token = gpu::MemcpyOp::create(b, loc, tokenType, ValueRange{token},
                                      buffer.host, buffer.device)
                    .getAsyncToken();
    for (DeviceBuffer &buffer : buffers)
      token = gpu::DeallocOp::create(b, loc, tokenType, ValueRange{token},
                                     buffer.device)
                  .getAsyncToken();
    gpu::WaitOp::create(b, loc, Type(), ValueRange{token});
    loop.erase();
  }
};

} // namespace
