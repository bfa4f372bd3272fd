//===- DeviceBuffers.h - Host buffers and their device copies ---*- C++ -*-===//
//
// Part of SparseNN. Private to lib/Conversion/ParallelLoopsToGPU: what
// snn-parallel-loops-to-gpu and snn-gpu-resident-constants share.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_LIB_CONVERSION_PARALLELLOOPSTOGPU_DEVICEBUFFERS_H
#define SPARSENN_LIB_CONVERSION_PARALLELLOOPSTOGPU_DEVICEBUFFERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::snn::detail {

/// The buffer a memref is a view of (through views and casts); `chain`
/// gets the view ops from the buffer to `v`, outermost first.
Value rootBuffer(Value v, SmallVectorImpl<Operation *> *chain);

/// The device copy of a constant global's buffer `root` (a
/// memref.get_global of a constant memref.global with a static shape and
/// an element type the runtime has a function for), in `root`'s type, or
/// null when `root` is not such a buffer. The copy is a call to
/// runtime/cuda's `sparsenn_gpu_resident_<elt>` (MLIR's C interface, rank
/// 1, declared in `module` on first use), which copies the buffer to the
/// device on the first call and keeps it for the process, so a weight
/// crosses the bus once, not per call. snn-emulate-gpu-on-host makes the
/// call the host buffer itself.
Value createResidentCopy(OpBuilder &b, Location loc, ModuleOp module,
                         Value root);

} // namespace mlir::snn::detail

#endif // SPARSENN_LIB_CONVERSION_PARALLELLOOPSTOGPU_DEVICEBUFFERS_H
