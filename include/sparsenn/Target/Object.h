//===- Object.h - A lowered module to a host object file --------*- C++ -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_TARGET_OBJECT_H
#define SPARSENN_TARGET_OBJECT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"

namespace sparsenn {

/// The AOT flow's last compiler step: `module`, lowered to the LLVM dialect
/// by a sparsenn-*-pipeline, becomes a relocatable, position-independent
/// object for this machine's target triple, compiled for `cpu` ("host": this
/// machine's CPU and features; or an LLVM CPU name such as x86-64-v3), with
/// the entry-point ABI of docs/ABI.md: each public function NAME keeps its C
/// interface `_mlir_ciface_NAME` and its plain symbol becomes
/// `sparsenn_NAME`. Writes the object to `os`; emits an error on the module
/// and fails otherwise. The module's context must have the LLVM IR
/// translations of its dialects registered.
mlir::LogicalResult emitObject(mlir::ModuleOp module, llvm::StringRef cpu,
                               llvm::raw_ostream &os);

} // namespace sparsenn

#endif // SPARSENN_TARGET_OBJECT_H
