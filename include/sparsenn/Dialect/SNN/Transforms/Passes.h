//===- Passes.h - Transformations of the snn dialect ------------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SNN_TRANSFORMS_PASSES_H
#define SPARSENN_DIALECT_SNN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::snn {

/// The widest vector length (lanes of 32 bits) the vectorizing passes, the
/// pipelines and the JIT front ends accept: a 32 Kib register, far beyond
/// any CPU's; larger values are a mistake that would build enormous vector
/// types.
constexpr int kMaxVectorLength = 1024;

#define GEN_PASS_DECL
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"

} // namespace mlir::snn

#endif // SPARSENN_DIALECT_SNN_TRANSFORMS_PASSES_H
