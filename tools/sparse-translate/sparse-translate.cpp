//===- sparse-translate.cpp - SparseNN's translations ---------------------===//
//
// Part of SparseNN. mlir-translate with every upstream translation (MLIR to
// LLVM IR, ...) and SparseNN's: --sacc-to-commands writes the accelerator's
// command stream, --import-onnx reads an ONNX model, --snn-to-object writes
// an AOT object.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Target/SAccCommands.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

namespace sparsenn {
void registerImportONNXTranslation();
void registerToObjectTranslation();
} // namespace sparsenn

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  mlir::sacc::registerToCommandsTranslation();
  sparsenn::registerImportONNXTranslation();
  sparsenn::registerToObjectTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "SparseNN translation tool"));
}
