//===- sparse-opt.cpp - mlir-opt with SparseNN's dialects and passes ------===//
//
// Part of SparseNN. Every upstream dialect and pass, plus snn's passes and the
// sparsenn-*-pipeline pipelines.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/InitAllDialects.h"
#include "sparsenn/InitAllPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  sparsenn::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  sparsenn::registerAllDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "SparseNN optimizer driver\n", registry));
}
