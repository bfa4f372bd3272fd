//===- sparse-opt.cpp - mlir-opt with SparseNN's dialects and passes ------===//
//
// Part of SparseNN. Every upstream dialect and pass, plus snn's passes and the
// sparsenn-*-pipeline pipelines.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/InitAll.h"
#include "sparsenn/InitAllPasses.h"
#include "sparsenn/Tools/InputCheck.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/MemoryBuffer.h"

/// The input file MlirOptMain will read: the first positional argument
/// ("-" or none: stdin, which is not checked).
static std::string inputPath(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (arg == "--")
      return i + 1 < argc ? argv[i + 1] : "";
    if (!arg.starts_with("-"))
      return arg.str();
    // Options that take their value as the next argument.
    if (arg == "-o" || arg == "--o")
      ++i;
  }
  return "";
}

int main(int argc, char **argv) {
  // Inputs that would crash MLIR's parser get a diagnostic instead.
  std::string path = inputPath(argc, argv);
  if (!path.empty() && path != "-")
    if (auto buffer = llvm::MemoryBuffer::getFile(path))
      if (std::string bad = sparsenn::checkInput((*buffer)->getBuffer());
          !bad.empty()) {
        auto [line, message] = llvm::StringRef(bad).split(": ");
        llvm::errs() << path << ":" << line << ": error: " << message << "\n";
        return 1;
      }
  mlir::registerAllPasses();
  sparsenn::registerAllPasses();
  mlir::DialectRegistry registry;
  sparsenn::registerAllForTools(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "SparseNN optimizer driver\n", registry));
}
