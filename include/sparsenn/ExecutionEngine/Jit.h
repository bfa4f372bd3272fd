//===- Jit.h - JIT-compile and call a lowered SparseNN module ---*- C++ -*-===//
//
// Part of SparseNN. What sparse-runner and the Python package share: a JIT
// of a module lowered to the LLVM dialect (with the host CPU's features, the
// runtime libraries and the accelerator simulator's symbols), and calls of
// its C-interface entry points on dense arrays, with results copied into
// owned C-order arrays.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_EXECUTIONENGINE_JIT_H
#define SPARSENN_EXECUTIONENGINE_JIT_H

#include "sparsenn-runtime/IO.h"
#include "sparsenn/Dialect/SNN/Utils/SparsePacking.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <vector>

namespace sparsenn {

/// The element type of a tensor type sparse-runner and Python can feed.
std::optional<snn_dtype> dtypeOf(mlir::Type type);

/// A dense C-order array (owned, or borrowed when `owned` is false) and the
/// C-ABI memref descriptor {allocated, aligned, offset, sizes, strides}
/// pointing at it.
struct Buffer {
  snn_array array{};
  bool owned = true;
  std::vector<int64_t> descriptor;

  Buffer() = default;
  Buffer(const Buffer &) = delete;
  Buffer(Buffer &&other) noexcept;
  Buffer &operator=(Buffer &&other) noexcept;
  ~Buffer();

  /// Fills `descriptor` from `array`.
  void makeDescriptor();
  /// A borrowed view of `data` (C order, `rank` dims of `shape`).
  static Buffer borrow(void *data, snn_dtype dtype, int32_t rank,
                       const int64_t *shape);
};

/// The nonzeros of a dense f32/f64 array, as coordinate entries.
std::vector<mlir::snn::CooEntry> nonzerosOf(const snn_array &dense);

/// The buffers a sparse argument of `type` takes (--sparse-assembler: each
/// level's positions and coordinates, then the values), packed from
/// `entries`, appended to `out`. Fails with a message when the entries do
/// not fit the encoding (e.g. an N:M violation) or the encoding's index
/// width is 8 or 16 bits.
llvm::LogicalResult packSparseArgument(mlir::RankedTensorType type,
                                       std::vector<mlir::snn::CooEntry> entries,
                                       std::vector<Buffer> &out,
                                       std::string &error);

/// Options of a JIT.
struct JitOptions {
  /// Shared libraries the generated code calls (MLIR's C runner utils; libomp
  /// when it uses OpenMP).
  std::vector<std::string> sharedLibs;
};

/// A JIT-compiled module and one of its entry points.
class JitFunction {
public:
  /// JIT-compiles `module` (already in the LLVM dialect, entry points with
  /// the C interface) for the host CPU. `resultTypes` are the entry's results
  /// as the caller sees them (dense ranked tensors).
  static llvm::Expected<std::unique_ptr<JitFunction>>
  create(mlir::ModuleOp module, llvm::StringRef entry,
         llvm::ArrayRef<mlir::RankedTensorType> resultTypes,
         const JitOptions &options);

  /// Calls the entry with one descriptor per buffer (sparse arguments take
  /// their format's buffers). Results are copied into owned C-order arrays
  /// and the generated code's buffers freed. Fails if the call fails or the
  /// accelerator reports an error.
  llvm::Error call(llvm::ArrayRef<Buffer *> args, std::vector<Buffer> &results);

  /// Calls without reading the results back (for timing); frees them.
  llvm::Error callAndDiscard(llvm::ArrayRef<Buffer *> args);

private:
  JitFunction() = default;
  llvm::Error invoke(llvm::ArrayRef<Buffer *> args,
                     std::vector<int64_t> &resultWords);
  void freeResults(llvm::ArrayRef<Buffer *> args,
                   const std::vector<int64_t> &resultWords);

  std::unique_ptr<mlir::ExecutionEngine> engine;
  std::string cifaceName;
  std::vector<mlir::RankedTensorType> resultTypes;
  std::vector<size_t> resultOffsets;
  size_t resultWords = 0;
};

} // namespace sparsenn

#endif // SPARSENN_EXECUTIONENGINE_JIT_H
