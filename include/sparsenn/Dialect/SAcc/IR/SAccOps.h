//===- SAccOps.h - Operations of the sacc dialect ---------------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SACC_IR_SACCOPS_H
#define SPARSENN_DIALECT_SACC_IR_SACCOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "sparsenn/Dialect/SAcc/IR/SAccAttrs.h"
#include "sparsenn/Dialect/SAcc/IR/SAccDialect.h"

#define GET_OP_CLASSES
#include "sparsenn/Dialect/SAcc/IR/SAccOps.h.inc"

namespace mlir::sacc {
/// The command a sacc command op encodes (docs/AccelCommands.md), or
/// std::nullopt for other ops.
std::optional<sparsenn::accel::Command> toCommand(Operation *op);
/// Creates the sacc command op of `c` (the inverse of toCommand).
Operation *createCommandOp(OpBuilder &b, Location loc,
                           const sparsenn::accel::Command &c);
/// The bytes of a launch's weight image (dense or dense_resource i8
/// elements), or std::nullopt when they are not available (a splat, or a
/// resource whose blob is missing).
std::optional<ArrayRef<char>> getWeightImage(LaunchOp launch);
/// The launch record of `launch`: its arch, region sizes and commands.
sparsenn::accel::Launch toLaunch(LaunchOp launch);
} // namespace mlir::sacc

#endif // SPARSENN_DIALECT_SACC_IR_SACCOPS_H
