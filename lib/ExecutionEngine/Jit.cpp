//===- Jit.cpp - JIT-compile and call a lowered SparseNN module -----------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/ExecutionEngine/Jit.h"
#include "sparsenn-runtime/Accel.h"

#include "mlir/Dialect/SparseTensor/IR/SparseTensorType.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

#include <cstring>

using namespace mlir;

namespace sparsenn {

std::optional<snn_dtype> dtypeOf(Type t) {
  if (t.isF32())
    return SNN_DTYPE_F32;
  if (t.isF64())
    return SNN_DTYPE_F64;
  if (t.isInteger(32))
    return SNN_DTYPE_I32;
  if (t.isInteger(64))
    return SNN_DTYPE_I64;
  return std::nullopt;
}

Buffer::Buffer(Buffer &&other) noexcept
    : array(other.array), owned(other.owned),
      descriptor(std::move(other.descriptor)) {
  other.array.data = nullptr;
}

Buffer &Buffer::operator=(Buffer &&other) noexcept {
  if (this != &other) {
    if (owned)
      snn_array_free(&array);
    array = other.array;
    owned = other.owned;
    descriptor = std::move(other.descriptor);
    other.array.data = nullptr;
  }
  return *this;
}

Buffer::~Buffer() {
  if (owned)
    snn_array_free(&array);
}

void Buffer::makeDescriptor() {
  int r = array.rank;
  descriptor.assign(3 + 2 * r, 0);
  std::memcpy(&descriptor[0], &array.data, sizeof(void *));
  std::memcpy(&descriptor[1], &array.data, sizeof(void *));
  int64_t stride = 1;
  for (int d = r - 1; d >= 0; --d) {
    descriptor[3 + d] = array.shape[d];
    descriptor[3 + r + d] = stride;
    stride *= array.shape[d];
  }
}

Buffer Buffer::borrow(void *data, snn_dtype dtype, int32_t rank,
                      const int64_t *shape) {
  Buffer b;
  b.owned = false;
  b.array.dtype = dtype;
  b.array.rank = rank;
  b.array.num_elements = 1;
  for (int32_t d = 0; d < rank; ++d) {
    b.array.shape[d] = shape[d];
    b.array.num_elements *= shape[d];
  }
  b.array.data = data;
  b.makeDescriptor();
  return b;
}

std::vector<snn::CooEntry> nonzerosOf(const snn_array &a) {
  std::vector<snn::CooEntry> entries;
  for (int64_t i = 0; i < a.num_elements; ++i) {
    double v = a.dtype == SNN_DTYPE_F32
                   ? static_cast<const float *>(a.data)[i]
                   : static_cast<const double *>(a.data)[i];
    if (v == 0.0)
      continue;
    snn::CooEntry e;
    e.coords.resize(a.rank);
    int64_t rest = i;
    for (int d = a.rank - 1; d >= 0; --d) {
      e.coords[d] = rest % a.shape[d];
      rest /= a.shape[d];
    }
    e.value = v;
    entries.push_back(std::move(e));
  }
  return entries;
}

/// A 1-D owned buffer of `data` converted to `dtype`.
template <typename T>
static LogicalResult vectorBuffer(const std::vector<T> &data, snn_dtype dtype,
                                  std::vector<Buffer> &out,
                                  std::string &error) {
  Buffer buf;
  char err[512];
  int64_t n = data.size();
  if (snn_array_alloc(&buf.array, dtype, 1, &n, err, sizeof(err))) {
    error = err;
    return failure();
  }
  for (int64_t i = 0; i < n; ++i) {
    switch (dtype) {
    case SNN_DTYPE_F32:
      static_cast<float *>(buf.array.data)[i] = data[i];
      break;
    case SNN_DTYPE_F64:
      static_cast<double *>(buf.array.data)[i] = data[i];
      break;
    case SNN_DTYPE_I32:
      static_cast<int32_t *>(buf.array.data)[i] = data[i];
      break;
    case SNN_DTYPE_I64:
      static_cast<int64_t *>(buf.array.data)[i] = data[i];
      break;
    }
  }
  buf.makeDescriptor();
  out.push_back(std::move(buf));
  return success();
}

LogicalResult packSparseArgument(RankedTensorType type,
                                 std::vector<snn::CooEntry> entries,
                                 std::vector<Buffer> &out, std::string &error) {
  sparse_tensor::SparseTensorType stt(type);
  snn::PackedSparseTensor packed;
  if (failed(snn::packSparseTensor(stt, std::move(entries), packed, error)))
    return failure();
  if (llvm::any_of(packed.levelBuffers, [](auto &l) {
        return l.bitWidth == 8 || l.bitWidth == 16;
      })) {
    error = "8- and 16-bit sparse index widths are not supported as "
            "arguments yet; use 32 or 64";
    return failure();
  }
  for (auto &level : packed.levelBuffers)
    if (failed(vectorBuffer(
            level.data, level.bitWidth == 32 ? SNN_DTYPE_I32 : SNN_DTYPE_I64,
            out, error)))
      return failure();
  return vectorBuffer(packed.values, *dtypeOf(type.getElementType()), out,
                      error);
}

llvm::Expected<std::unique_ptr<JitFunction>>
JitFunction::create(ModuleOp module, llvm::StringRef entry,
                    llvm::ArrayRef<RankedTensorType> resultTypes,
                    const JitOptions &options) {
  auto tmBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!tmBuilder)
    return tmBuilder.takeError();
  tmBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto tm = tmBuilder->createTargetMachine();
  if (!tm)
    return tm.takeError();
  // Every function gets the host CPU and its features as attributes, so the
  // LLVM optimizer and code generator use them (AVX-512 masked loads, FMA)
  // whatever target machine the JIT builds internally.
  std::string hostCPU = (*tm)->getTargetCPU().str();
  std::string hostFeatures = (*tm)->getTargetFeatureString().str();
  auto optimize = makeOptimizingTransformer(3, 0, tm->get());
  auto transformer = [=](llvm::Module *m) -> llvm::Error {
    for (llvm::Function &f : *m) {
      if (f.isDeclaration())
        continue;
      f.addFnAttr("target-cpu", hostCPU);
      if (!hostFeatures.empty())
        f.addFnAttr("target-features", hostFeatures);
    }
    return optimize(m);
  };
  std::vector<llvm::StringRef> libs(options.sharedLibs.begin(),
                                    options.sharedLibs.end());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  engineOptions.sharedLibPaths = libs;
  auto engine = ExecutionEngine::create(module, engineOptions, std::move(*tm));
  if (!engine)
    return engine.takeError();
  // The accelerator runtime is linked into this library.
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("sacc_launch")] = {
        llvm::orc::ExecutorAddr::fromPtr(&sacc_launch),
        llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  (*engine)->initialize();
  std::unique_ptr<JitFunction> fn(new JitFunction());
  fn->cifaceName = "_mlir_ciface_" + entry.str();
  if (auto sym = (*engine)->lookupPacked(fn->cifaceName); !sym)
    return llvm::make_error<llvm::StringError>(
        "the compiled module has no C entry point for '" + entry + "' (" +
            llvm::toString(sym.takeError()) + ")",
        llvm::inconvertibleErrorCode());
  fn->engine = std::move(*engine);
  fn->resultTypes.assign(resultTypes.begin(), resultTypes.end());
  for (RankedTensorType t : resultTypes) {
    fn->resultOffsets.push_back(fn->resultWords);
    fn->resultWords += 3 + 2 * t.getRank();
  }
  return fn;
}

llvm::Error JitFunction::invoke(llvm::ArrayRef<Buffer *> args,
                                std::vector<int64_t> &words) {
  // Arguments: a pointer to the results (when any), then one descriptor
  // pointer per buffer.
  words.assign(std::max<size_t>(resultWords, 1), 0);
  std::vector<void *> pointers;
  if (!resultTypes.empty())
    pointers.push_back(words.data());
  for (Buffer *b : args)
    pointers.push_back(b->descriptor.data());
  std::vector<void *> packed;
  for (void *&p : pointers)
    packed.push_back(&p);
  sacc_reset();
  if (llvm::Error err = engine->invokePacked(cifaceName, packed))
    return err;
  if (*sacc_last_error()) {
    freeResults(args, words);
    return llvm::make_error<llvm::StringError>(
        llvm::Twine("the accelerator failed: ") + sacc_last_error(),
        llvm::inconvertibleErrorCode());
  }
  return llvm::Error::success();
}

void JitFunction::freeResults(llvm::ArrayRef<Buffer *> args,
                              const std::vector<int64_t> &words) {
  // Result buffers the generated code allocated; not constants (a dead
  // sentinel) nor inputs passed through.
  for (size_t k = 0; k < resultTypes.size(); ++k) {
    void *p = reinterpret_cast<void *>(words[resultOffsets[k]]);
    bool isInput =
        llvm::any_of(args, [&](const Buffer *b) { return b->array.data == p; });
    if (p && p != reinterpret_cast<void *>(0xdeadbeef) && !isInput)
      free(p);
  }
}

llvm::Error JitFunction::callAndDiscard(llvm::ArrayRef<Buffer *> args) {
  std::vector<int64_t> words;
  if (llvm::Error err = invoke(args, words))
    return err;
  freeResults(args, words);
  return llvm::Error::success();
}

llvm::Error JitFunction::call(llvm::ArrayRef<Buffer *> args,
                              std::vector<Buffer> &results) {
  std::vector<int64_t> words;
  if (llvm::Error err = invoke(args, words))
    return err;
  results.clear();
  for (auto [k, type] : llvm::enumerate(resultTypes)) {
    const int64_t *desc = words.data() + resultOffsets[k];
    int r = type.getRank();
    int64_t shape[SNN_MAX_RANK];
    for (int d = 0; d < r; ++d)
      shape[d] = desc[3 + d];
    Buffer out;
    char err[512];
    snn_dtype dtype = *dtypeOf(type.getElementType());
    if (snn_array_alloc(&out.array, dtype, r, shape, err, sizeof(err))) {
      freeResults(args, words);
      return llvm::make_error<llvm::StringError>(
          llvm::Twine("result #") + llvm::Twine(k) + ": " + err,
          llvm::inconvertibleErrorCode());
    }
    // Copy the (possibly strided) result into C order.
    size_t elt = snn_dtype_size(dtype);
    const char *aligned = reinterpret_cast<const char *>(desc[1]);
    std::vector<int64_t> idx(r, 0);
    for (int64_t i = 0; i < out.array.num_elements; ++i) {
      int64_t at = desc[2];
      for (int d = 0; d < r; ++d)
        at += idx[d] * desc[3 + r + d];
      std::memcpy(static_cast<char *>(out.array.data) + i * elt,
                  aligned + at * elt, elt);
      for (int d = r - 1; d >= 0; --d) {
        if (++idx[d] < shape[d])
          break;
        idx[d] = 0;
      }
    }
    out.makeDescriptor();
    results.push_back(std::move(out));
  }
  freeResults(args, words);
  return llvm::Error::success();
}

} // namespace sparsenn
