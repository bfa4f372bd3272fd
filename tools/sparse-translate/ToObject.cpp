//===- ToObject.cpp - An LLVM-dialect module to a host object file --------===//
//
// Part of SparseNN. sparse-translate --snn-to-object: the AOT flow's last
// compiler step (sparsenn::emitObject, lib/Target/Object) as a translation,
// with --object-cpu.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/InitAll.h"
#include "sparsenn/Target/Object.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"

#include "llvm/Support/CommandLine.h"

using namespace mlir;

static llvm::cl::opt<std::string> objectCpu(
    "object-cpu",
    llvm::cl::desc("With --snn-to-object: the CPU the object is compiled for "
                   "(default host: this machine's CPU and features; e.g. "
                   "x86-64-v3 for an object that runs on any AVX2 machine)"),
    llvm::cl::init("host"));

static LogicalResult toObject(Operation *op, llvm::raw_ostream &output) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    return op->emitError("--snn-to-object: expected a builtin.module");
  return sparsenn::emitObject(module, objectCpu, output);
}

namespace sparsenn {
void registerToObjectTranslation() {
  TranslateFromMLIRRegistration registration(
      "snn-to-object",
      "Compile a module lowered by a sparsenn-*-pipeline into a host object "
      "file (AOT) with the entry-point ABI of docs/ABI.md: "
      "_mlir_ciface_NAME, sparsenn_NAME and sparsenn_signature_NAME",
      toObject, [](DialectRegistry &registry) {
        sparsenn::registerAllForTools(registry);
      });
}
} // namespace sparsenn
