//===- SAccCommands.h - sacc -> the accelerator's command stream -*- C++
//-*-===//
//
// Part of SparseNN. Serializes a function whose layers all run on the
// accelerator (after convert-snn-to-sacc) into a program for a hardware back
// end: DRAM buffers, the packed weight images and the launch records
// (docs/AccelCommands.md). runtime/accel's sacc-run executes it.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_TARGET_SACCCOMMANDS_H
#define SPARSENN_TARGET_SACCCOMMANDS_H

#include "mlir/IR/BuiltinOps.h"
#include "sparsenn-runtime/Accel.h"

namespace mlir::sacc {

/// Builds the program of function `entry`: its arguments are the input
/// buffers, the results it returns the output buffers (in order), every
/// other launch result a temporary, every launch image a weight buffer. Ops
/// other than sacc.launch (and dead constants) are errors at their location.
LogicalResult buildProgram(ModuleOp module, StringRef entry,
                           sparsenn::accel::Program &program);

/// Registers `--sacc-to-commands` (with `--sacc-entry=NAME`) for
/// sparse-translate.
void registerToCommandsTranslation();

} // namespace mlir::sacc

#endif // SPARSENN_TARGET_SACCCOMMANDS_H
