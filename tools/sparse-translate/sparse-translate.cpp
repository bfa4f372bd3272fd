//===- sparse-translate.cpp - SparseNN's translations ---------------------===//
//
// Part of SparseNN. mlir-translate with every upstream translation (MLIR to
// LLVM IR, ...) and SparseNN's: --sacc-to-commands writes the accelerator's
// command stream.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Target/SAccCommands.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  mlir::sacc::registerToCommandsTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "SparseNN translation tool"));
}
