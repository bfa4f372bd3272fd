//===- FuzzPipeline.cpp - libFuzzer target: parser, verifier, snn passes --===//
//
// Part of SparseNN. Parses the input as an MLIR module (every upstream dialect
// plus snn), verifies it, and runs SparseNN's front half on it: format
// selection, the lowering to linalg, weight packing, the legality check and
// snn-sparse-kernels (up to where upstream's sparsifier takes over). Any
// outcome but a diagnostic or success (a crash, an assertion, a sanitizer
// report, a hang) is a bug. Built by scripts/fuzz.sh in the sanitizer build.
//
// Built with SPARSENN_FUZZ_BACKEND (target sparsenn-fuzz-backend), it runs
// whole pipelines instead, through upstream's sparsifier down to the LLVM
// dialect: sparsenn-cpu-pipeline, then sparsenn-gpu-pipeline{strategy=codegen
// emulate=true} on a fresh parse (the legality check must stop whatever the
// sparsifier cannot take). About 20x slower per input than the front half.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/InitAll.h"
#include "sparsenn/InitAllPasses.h"
#include "sparsenn/Tools/InputCheck.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include <cstdint>
#include <string>

using namespace mlir;

namespace {

MLIRContext &context() {
  static MLIRContext *ctx = [] {
    registerAllPasses();
    sparsenn::registerAllPasses();
    DialectRegistry registry;
    sparsenn::registerAllForTools(registry);
    auto *c = new MLIRContext(registry, MLIRContext::Threading::DISABLED);
    c->loadAllAvailableDialects();
    // Diagnostics are the expected answer to bad input: swallow them.
    c->getDiagEngine().registerHandler([](Diagnostic &) {});
    return c;
  }();
  return *ctx;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &ctx = context();
  std::string text(reinterpret_cast<const char *>(data), size);
  // What sparse-opt and sparse-runner reject before parsing (inputs that
  // crash MLIR 22's own parser; tools/InputCheck.h).
  if (!sparsenn::checkInput(text).empty())
    return 0;
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &ctx);
  if (!module)
    return 0;
#ifdef SPARSENN_FUZZ_BACKEND
  const char *pipelines[] = {
      "builtin.module(sparsenn-cpu-pipeline{select-formats=true})",
      "builtin.module(sparsenn-gpu-pipeline{strategy=codegen emulate=true})"};
#else
  const char *pipelines[] = {
      "builtin.module(snn-select-formats,convert-snn-to-linalg,"
      "snn-pack-weights,canonicalize,snn-check-legality,"
      "func.func(snn-sparse-kernels))"};
#endif
  for (const char *pipeline : pipelines) {
    if (!module)
      module = parseSourceString<ModuleOp>(text, &ctx);
    PassManager pm(&ctx);
    if (failed(parsePassPipeline(pipeline, pm)))
      __builtin_trap();
    (void)pm.run(*module);
    module = nullptr;
  }
  return 0;
}
