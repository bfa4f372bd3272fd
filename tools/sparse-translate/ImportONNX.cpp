//===- ImportONNX.cpp - sparse-translate --import-onnx --------------------===//
//
// Part of SparseNN. ONNX import is the Python package's importer
// (python/sparsenn/onnx_import.py, over Debian's python3-onnx); this
// translation runs it on the input file and parses the snn module it prints,
// so the command line and Python import exactly the same way.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"

#include "mlir/InitAllDialects.h"
#include "sparsenn/InitAllDialects.h"

#include <cstdlib>

using namespace mlir;

namespace {

/// Removes its file when it goes out of scope.
struct TempFile {
  llvm::SmallString<128> path;
  ~TempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};

OwningOpRef<Operation *> importONNX(llvm::SourceMgr &sourceMgr,
                                    MLIRContext *ctx) {
  Location loc = FileLineColLoc::get(ctx, "<onnx>", 0, 0);
  const llvm::MemoryBuffer *input =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  TempFile model, out, err;
  int fd;
  if (llvm::sys::fs::createTemporaryFile("sparsenn-onnx", "onnx", fd,
                                         model.path) ||
      llvm::sys::fs::createTemporaryFile("sparsenn-onnx", "mlir", out.path) ||
      llvm::sys::fs::createTemporaryFile("sparsenn-onnx", "err", err.path)) {
    emitError(loc) << "cannot create temporary files";
    return {};
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << input->getBuffer();
  }
  // The package next to this build, unless SPARSENN_PYTHONPATH says
  // otherwise.
  const char *env = std::getenv("SPARSENN_PYTHONPATH");
  std::string pythonPath =
      "PYTHONPATH=" + std::string(env ? env : SPARSENN_PYTHON_PACKAGE_DIR);
  llvm::SmallVector<llvm::StringRef> args = {
      SPARSENN_PYTHON, "-m", "sparsenn.onnx_import", model.path};
  llvm::SmallVector<llvm::StringRef> envp = {pythonPath};
  std::string errorMessage;
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, out.path.str(),
                                                err.path.str()};
  int rc = llvm::sys::ExecuteAndWait(SPARSENN_PYTHON, args, envp, redirects,
                                     /*SecondsToWait=*/0, /*MemoryLimit=*/0,
                                     &errorMessage);
  if (rc != 0) {
    auto errText = llvm::MemoryBuffer::getFile(err.path);
    std::string why = errText ? (*errText)->getBuffer().trim().str() : "";
    // Name the user's file, not the temporary copy.
    for (size_t at; (at = why.find(model.path.str())) != std::string::npos;)
      why.replace(at, model.path.size(), input->getBufferIdentifier().str());
    emitError(loc) << "ONNX import failed"
                   << (why.empty()
                           ? (errorMessage.empty() ? "" : ": " + errorMessage)
                           : ": " + why);
    return {};
  }
  auto text = llvm::MemoryBuffer::getFile(out.path);
  if (!text) {
    emitError(loc) << "ONNX import produced no output";
    return {};
  }
  return parseSourceString<ModuleOp>((*text)->getBuffer(), ctx, "<onnx>");
}

} // namespace

namespace sparsenn {
void registerImportONNXTranslation() {
  TranslateToMLIRRegistration reg(
      "import-onnx",
      "Import an ONNX model (opsets 11-17) as an snn module whose @main "
      "takes the graph's inputs (runs python/sparsenn/onnx_import.py with "
      "python3-onnx)",
      importONNX, [](DialectRegistry &registry) {
        mlir::registerAllDialects(registry);
        sparsenn::registerAllDialects(registry);
      });
}
} // namespace sparsenn
