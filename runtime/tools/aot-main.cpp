//===- aot-main.cpp - The AOT driver: run an entry point of an object -----===//
//
// Part of SparseNN. Linked with an object from `sparse-translate
// --snn-to-object` (and runtime/cuda for a GPU object) into an executable:
//
//   c++ model.o -Lbuild/lib -lsparsenn_aot_main -lsparsenn_io
//       [-lsparsenn_cuda] -rdynamic -o model   (one line)
//   ./model --entry=main --input=x.npy ... [--output=y.npy ...]
//       [--repeat=N]
//
// It finds `_mlir_ciface_NAME` and `sparsenn_signature_NAME` in the
// executable (hence -rdynamic), checks each .npy input against the signature
// (element type, rank, static sizes), builds the memref descriptors, calls
// the entry, writes or prints the results, and frees them (results are the
// caller's, docs/ABI.md). With --repeat=N it times N more calls and prints
// the median. Every error is one line on stderr and exit code 1.
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/IO.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace {

[[noreturn]] void fatal(const std::string &message) {
  std::fprintf(stderr, "sparsenn-aot: error: %s\n", message.c_str());
  std::exit(1);
}

/// One argument or result of the signature: "f32[?x16]".
struct TensorSpec {
  std::string element;        // f32, f64, i32, i64, index
  std::vector<int64_t> shape; // -1: dynamic
};

std::vector<TensorSpec> parseList(const std::string &text) {
  std::vector<TensorSpec> specs;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find('[', pos), close = text.find(']', pos);
    if (open == std::string::npos || close == std::string::npos)
      fatal("malformed signature '" + text + "'");
    TensorSpec spec;
    spec.element = text.substr(pos, open - pos);
    std::string dims = text.substr(open + 1, close - open - 1);
    size_t d = 0;
    while (d < dims.size()) {
      size_t x = dims.find('x', d);
      std::string dim = dims.substr(d, x == std::string::npos ? x : x - d);
      spec.shape.push_back(dim == "?" ? -1 : std::atoll(dim.c_str()));
      d = x == std::string::npos ? dims.size() : x + 1;
    }
    specs.push_back(spec);
    pos = close + 2; // "],"
  }
  return specs;
}

bool matches(const TensorSpec &spec, snn_dtype dtype) {
  const std::string &e = spec.element;
  return (e == "f32" && dtype == SNN_DTYPE_F32) ||
         (e == "f64" && dtype == SNN_DTYPE_F64) ||
         (e == "i32" && dtype == SNN_DTYPE_I32) ||
         ((e == "i64" || e == "index") && dtype == SNN_DTYPE_I64);
}

snn_dtype dtypeOf(const TensorSpec &spec) {
  if (spec.element == "f32")
    return SNN_DTYPE_F32;
  if (spec.element == "f64")
    return SNN_DTYPE_F64;
  if (spec.element == "i32")
    return SNN_DTYPE_I32;
  if (spec.element == "i64" || spec.element == "index")
    return SNN_DTYPE_I64;
  fatal("unsupported result element type '" + spec.element + "'");
}

/// A memref descriptor: allocated, aligned, offset, sizes[r], strides[r].
std::vector<int64_t> descriptor(void *data, const int64_t *shape, int rank) {
  std::vector<int64_t> d(3 + 2 * rank);
  d[0] = d[1] = reinterpret_cast<int64_t>(data);
  d[2] = 0;
  int64_t stride = 1;
  for (int i = rank - 1; i >= 0; --i) {
    d[3 + i] = shape[i];
    d[3 + rank + i] = stride;
    stride *= shape[i];
  }
  return d;
}

using Ptr = void *;
template <size_t... I>
void callWith(void *fn, Ptr *args, std::index_sequence<I...>) {
  using Fn = void (*)(decltype((void)I, Ptr())...);
  reinterpret_cast<Fn>(fn)(args[I]...);
}
constexpr size_t kMaxArgs = 32;
template <size_t N = 0> void call(void *fn, std::vector<Ptr> &args) {
  if constexpr (N <= kMaxArgs) {
    if (args.size() == N)
      return callWith(fn, args.data(), std::make_index_sequence<N>());
    return call<N + 1>(fn, args);
  } else {
    fatal("more than 32 arguments are not supported");
  }
}

std::string value(const char *arg, const char *flag) {
  size_t n = std::strlen(flag);
  return std::strncmp(arg, flag, n) == 0 ? std::string(arg + n) : "";
}

} // namespace

int main(int argc, char **argv) {
  std::string entry = "main";
  std::vector<std::string> inputs, outputs;
  int repeat = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::printf("usage: %s [--entry=NAME] --input=FILE.npy... "
                  "[--output=FILE.npy...] [--repeat=N]\n"
                  "Runs entry point NAME (default main) of the linked "
                  "SparseNN object on .npy inputs.\n",
                  argv[0]);
      return 0;
    }
    if (!value(argv[i], "--entry=").empty())
      entry = value(argv[i], "--entry=");
    else if (!value(argv[i], "--input=").empty())
      inputs.push_back(value(argv[i], "--input="));
    else if (!value(argv[i], "--output=").empty())
      outputs.push_back(value(argv[i], "--output="));
    else if (!value(argv[i], "--repeat=").empty())
      repeat = std::atoi(value(argv[i], "--repeat=").c_str());
    else
      fatal("unknown argument '" + arg + "' (see --help)");
  }
  for (std::string &path : inputs)
    if (path[0] == '@')
      path.erase(0, 1);
  for (std::string &path : outputs)
    if (path[0] == '@')
      path.erase(0, 1);

  void *self = dlopen(nullptr, RTLD_NOW);
  void *fn = dlsym(self, ("_mlir_ciface_" + entry).c_str());
  auto *signature = static_cast<const char *>(
      dlsym(self, ("sparsenn_signature_" + entry).c_str()));
  if (!fn || !signature)
    fatal("no entry point '" + entry +
          "' in this executable (link the object with -rdynamic)");
  std::string sig = signature;
  size_t arrow = sig.find("->");
  std::vector<TensorSpec> argSpecs = parseList(sig.substr(0, arrow));
  std::vector<TensorSpec> resultSpecs = parseList(sig.substr(arrow + 2));
  if (inputs.size() != argSpecs.size())
    fatal("'" + entry + "' takes " + std::to_string(argSpecs.size()) +
          " inputs (" + sig.substr(0, arrow) + "), got " +
          std::to_string(inputs.size()));
  if (!outputs.empty() && outputs.size() != resultSpecs.size())
    fatal("'" + entry + "' has " + std::to_string(resultSpecs.size()) +
          " results, got " + std::to_string(outputs.size()) + " --output");

  char err[512];
  std::vector<snn_array> arrays(inputs.size());
  std::vector<std::vector<int64_t>> argDescriptors;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (snn_npy_read(inputs[i].c_str(), &arrays[i], err, sizeof(err)))
      fatal(inputs[i] + ": " + err);
    const TensorSpec &spec = argSpecs[i];
    if (!matches(spec, arrays[i].dtype))
      fatal(inputs[i] + ": input " + std::to_string(i) + " must be " +
            spec.element + ", got " + snn_dtype_name(arrays[i].dtype));
    if (arrays[i].rank != static_cast<int>(spec.shape.size()))
      fatal(inputs[i] + ": input " + std::to_string(i) + " must have rank " +
            std::to_string(spec.shape.size()) + ", got " +
            std::to_string(arrays[i].rank));
    for (int d = 0; d < arrays[i].rank; ++d)
      if (spec.shape[d] >= 0 && spec.shape[d] != arrays[i].shape[d])
        fatal(inputs[i] + ": dimension " + std::to_string(d) + " of input " +
              std::to_string(i) + " must be " + std::to_string(spec.shape[d]) +
              ", got " + std::to_string(arrays[i].shape[d]));
    argDescriptors.push_back(
        descriptor(arrays[i].data, arrays[i].shape, arrays[i].rank));
  }

  // Results: one descriptor each, packed in one struct (all fields are 8
  // bytes); a single result's descriptor is the struct itself.
  size_t resultWords = 0;
  std::vector<size_t> resultOffset;
  for (const TensorSpec &spec : resultSpecs) {
    resultOffset.push_back(resultWords);
    resultWords += 3 + 2 * spec.shape.size();
  }
  std::vector<int64_t> resultStruct(std::max<size_t>(resultWords, 1));
  auto invoke = [&] {
    std::vector<Ptr> args;
    if (!resultSpecs.empty())
      args.push_back(resultStruct.data());
    for (auto &d : argDescriptors)
      args.push_back(d.data());
    call(fn, args);
    using ErrorFn = const char *(*)();
    if (auto lastError =
            reinterpret_cast<ErrorFn>(dlsym(self, "sparsenn_cuda_last_error")))
      if (*lastError())
        fatal(std::string("CUDA: ") + lastError());
  };
  // Results are the caller's (docs/ABI.md); a result that is a view of a
  // global carries the sentinel 0xdeadbeef as its allocated pointer.
  auto freeResults = [&] {
    for (size_t r = 0; r < resultSpecs.size(); ++r)
      if (resultStruct[resultOffset[r]] != 0xdeadbeef)
        std::free(reinterpret_cast<void *>(resultStruct[resultOffset[r]]));
  };

  invoke();
  for (size_t r = 0; r < resultSpecs.size(); ++r) {
    int64_t *d = resultStruct.data() + resultOffset[r];
    int rank = resultSpecs[r].shape.size();
    snn_array out{};
    out.dtype = dtypeOf(resultSpecs[r]);
    out.rank = rank;
    out.num_elements = 1;
    for (int i = 0; i < rank; ++i) {
      out.shape[i] = d[3 + i];
      out.num_elements *= out.shape[i];
    }
    // Copy out of the (possibly strided) result into C order.
    std::vector<char> bytes(out.num_elements * snn_dtype_size(out.dtype));
    size_t size = snn_dtype_size(out.dtype);
    auto *base = reinterpret_cast<char *>(d[1]) + d[2] * size;
    for (int64_t e = 0; e < out.num_elements; ++e) {
      int64_t rest = e, offset = 0;
      for (int i = rank - 1; i >= 0; --i) {
        offset += (rest % out.shape[i]) * d[3 + rank + i];
        rest /= out.shape[i];
      }
      std::memcpy(bytes.data() + e * size, base + offset * size, size);
    }
    out.data = bytes.data();
    if (!outputs.empty()) {
      if (snn_npy_write(outputs[r].c_str(), &out, err, sizeof(err)))
        fatal(outputs[r] + ": " + err);
    } else {
      std::printf("result %zu: %s[", r, snn_dtype_name(out.dtype));
      for (int i = 0; i < rank; ++i)
        std::printf(i ? "x%lld" : "%lld", static_cast<long long>(out.shape[i]));
      std::printf("]");
      for (int64_t e = 0; e < std::min<int64_t>(out.num_elements, 8); ++e)
        if (out.dtype == SNN_DTYPE_F32)
          std::printf(" %g", reinterpret_cast<float *>(bytes.data())[e]);
      std::printf("%s\n", out.num_elements > 8 ? " ..." : "");
    }
  }
  freeResults();

  if (repeat > 0) {
    std::vector<double> times;
    for (int i = 0; i < repeat; ++i) {
      auto start = std::chrono::steady_clock::now();
      invoke();
      times.push_back(std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count());
      freeResults();
    }
    std::sort(times.begin(), times.end());
    std::printf("median: %.4f ms over %d calls (min %.4f ms)\n",
                times[times.size() / 2], repeat, times.front());
  }
  for (snn_array &a : arrays)
    snn_array_free(&a);
  return 0;
}
