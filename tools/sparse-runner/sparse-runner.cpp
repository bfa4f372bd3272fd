//===- sparse-runner.cpp - JIT-compile and run a SparseNN function --------===//
//
// Part of SparseNN. Compiles snn (or linalg + sparse_tensor) IR with the CPU
// pipeline, JIT-runs one function on inputs from .npy / .mtx files or inline
// literals, and prints or saves its results. Every user error is a one-line
// message and exit code 1.
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/Accel.h"
#include "sparsenn-runtime/IO.h"
#include "sparsenn/Dialect/SAcc/IR/SAccAttrs.h"
#include "sparsenn/Dialect/SNN/Utils/SparsePacking.h"
#include "sparsenn/ExecutionEngine/Jit.h"
#include "sparsenn/InitAll.h"
#include "sparsenn/InitAllPasses.h"
#include "sparsenn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensorType.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include "sparsenn/Tools/InputCheck.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <malloc.h>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory runnerCat("sparse-runner options");

static cl::opt<std::string> inputFile(cl::Positional,
                                      cl::desc("<input .mlir or .mlirbc file>"),
                                      cl::init("-"), cl::cat(runnerCat));
static cl::opt<std::string>
    entryName("entry",
              cl::desc("Public function to run (any name, main included; "
                       "default: main)"),
              cl::init("main"), cl::cat(runnerCat));
static cl::list<std::string> inputs(
    "input",
    cl::desc("One per argument, in order: @file.npy (NumPy .npy v1/v2, "
             "little-endian, C order, f32/f64/i32/i64), @file.mtx (Matrix "
             "Market coordinate real/integer/pattern, general/symmetric; into "
             "a sparse-encoded or dense 2-D argument), or an inline literal "
             "such as 2x3xf32=1,2,3,4,5,6 (nan, inf, -inf allowed; f32=1.5 for "
             "a 0-D tensor)"),
    cl::cat(runnerCat));
static cl::list<std::string>
    outputs("output",
            cl::desc("Write the results to .npy files, one @file.npy per "
                     "result in order, instead of printing them"),
            cl::cat(runnerCat));
static cl::opt<unsigned> benchmark(
    "benchmark",
    cl::desc("After one warm-up call, time N calls and print the JIT time "
             "and the min/median call time (default 0: run once)"),
    cl::init(0), cl::cat(runnerCat));
static cl::opt<int> vectorLength(
    "vl",
    cl::desc("Vector length of sparse loops: -1 (default) from the host CPU, "
             "0 off"),
    cl::init(-1), cl::cat(runnerCat));
static cl::opt<int> gather(
    "gather",
    cl::desc("How matrix-vector rows load the activations by coordinate: 1 "
             "vector gathers, 0 scalar loads put together into a vector; -1 "
             "(default) the host CPU's choice (scalar loads on AMD Zen)"),
    cl::init(-1), cl::cat(runnerCat));
static cl::opt<unsigned>
    threads("num-threads",
            cl::desc("OpenMP threads for the outer dense loops (default 1)"),
            cl::init(1), cl::cat(runnerCat));
static cl::opt<bool> enableRuntimeLibrary(
    "enable-runtime-library",
    cl::desc("Use MLIR's sparse runtime library instead of direct code "
             "(default false)"),
    cl::init(false), cl::cat(runnerCat));
static cl::opt<bool> packWeights(
    "pack-weights",
    cl::desc("Pack constant sparse weights at compile time (default true); "
             "off, a sparse_tensor.convert of a dense constant runs per call"),
    cl::init(true), cl::cat(runnerCat));
static cl::opt<bool> selectFormats(
    "select-formats",
    cl::desc("Choose every constant weight's storage format with the CPU "
             "cost model (snn-select-formats)"),
    cl::init(false), cl::cat(runnerCat));
static cl::opt<std::string>
    report("report",
           cl::desc("Print the per-layer format report on stderr: text or json "
                    "(implies --select-formats; with --target=accel, the "
                    "accelerator mapping report)"),
           cl::init(""), cl::cat(runnerCat));
static cl::opt<std::string>
    target("target",
           cl::desc("Where the model runs: cpu (default), accel (linear "
                    "layers on runtime/accel's sparse-accelerator simulator, "
                    "the other ops on the CPU) or gpu-emulated (the GPU "
                    "pipeline's code, kernels and device copies included, "
                    "run on the host: sparsenn-gpu-pipeline{emulate=true} with "
                    "--gpu-strategy; a test of the GPU code generation, not a "
                    "performance mode. Real GPU runs go through the AOT flow, "
                    "docs/GPU.md)"),
           cl::init("cpu"), cl::cat(runnerCat));
static cl::opt<unsigned>
    gpuThreads("gpu-threads",
               cl::desc("With --target=gpu-emulated: threads per block of the "
                        "generated kernels (1 to 1024, default 256)"),
               cl::init(256), cl::cat(runnerCat));
static cl::opt<std::string> gpuStrategy(
    "gpu-strategy",
    cl::desc("With --target=gpu-emulated: the GPU pipeline's strategy, "
             "codegen (SparseNN's kernels, the default), library (cuSPARSE "
             "calls, their products emulated by host loops) or auto"),
    cl::init("codegen"), cl::cat(runnerCat));
static cl::opt<std::string>
    archOption("arch",
               cl::desc("With --target=accel: the accelerator, a preset (eie, "
                        "scnn, cambricon-x, tc-2:4, dense, dense-decompress) "
                        "or a #sacc.arch<...> attribute (default scnn)"),
               cl::init("scnn"), cl::cat(runnerCat));
// LLVM owns the name -stats (its pass statistics); main() reads --stats and
// --stats=FORMAT as this option.
static cl::opt<std::string> stats(
    "accel-stats",
    cl::desc("With --target=accel: print the simulator's statistics of the "
             "first call on stderr (cycles per op, bytes moved per level, PE "
             "utilisation, energy, area). Spelled --stats or --stats=text, "
             "--stats=json"),
    cl::init(""), cl::ValueOptional, cl::cat(runnerCat));
static cl::opt<bool> quiet("quiet",
                           cl::desc("Do not print results (with --benchmark)"),
                           cl::init(false), cl::cat(runnerCat));

namespace {

using sparsenn::Buffer;
using sparsenn::dtypeOf;

/// A failure whose message has been printed.
struct UserError {};

[[noreturn]] void fatal(const llvm::Twine &message) {
  llvm::errs() << "sparse-runner: error: " << message << "\n";
  llvm::errs().flush();
  std::exit(1);
}

std::string typeStr(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

/// Parses `2x3xf32=1,2,...` (or `f32=1` for a 0-D tensor).
Buffer parseLiteral(const std::string &spec, unsigned index) {
  auto bad = [&](const llvm::Twine &why) -> Buffer {
    fatal("input #" + llvm::Twine(index) + " '" + spec + "': " + why);
  };
  size_t eq = spec.find('=');
  if (eq == std::string::npos)
    return bad("expected @file.npy, @file.mtx or a literal like "
               "2x3xf32=1,2,3,4,5,6");
  llvm::SmallVector<llvm::StringRef> parts;
  llvm::StringRef(spec).take_front(eq).split(parts, 'x');
  llvm::StringRef dtypeName = parts.pop_back_val();
  snn_dtype dtype;
  if (dtypeName == "f32")
    dtype = SNN_DTYPE_F32;
  else if (dtypeName == "f64")
    dtype = SNN_DTYPE_F64;
  else if (dtypeName == "i32")
    dtype = SNN_DTYPE_I32;
  else if (dtypeName == "i64")
    dtype = SNN_DTYPE_I64;
  else
    return bad("unknown element type '" + dtypeName +
               "' (expected f32, f64, i32 or i64)");
  if (parts.size() > SNN_MAX_RANK)
    return bad("rank above " + llvm::Twine(SNN_MAX_RANK));
  int64_t shape[SNN_MAX_RANK];
  for (auto [d, p] : llvm::enumerate(parts))
    if (p.getAsInteger(10, shape[d]) || shape[d] < 0)
      return bad("bad dimension '" + p + "'");
  Buffer buf;
  char err[512];
  if (snn_array_alloc(&buf.array, dtype, parts.size(), shape, err, sizeof(err)))
    return bad(err);
  llvm::SmallVector<llvm::StringRef> values;
  llvm::StringRef body = llvm::StringRef(spec).drop_front(eq + 1);
  if (!body.trim().empty())
    body.split(values, ',');
  if (static_cast<int64_t>(values.size()) != buf.array.num_elements)
    return bad("the shape holds " + llvm::Twine(buf.array.num_elements) +
               " values but " + llvm::Twine(values.size()) + " are given");
  for (auto [i, text] : llvm::enumerate(values)) {
    std::string t = text.trim().str();
    char *end = nullptr;
    errno = 0;
    if (dtype == SNN_DTYPE_F32 || dtype == SNN_DTYPE_F64) {
      double v = std::strtod(t.c_str(), &end);
      if (t.empty() || *end)
        return bad("'" + t + "' is not a number");
      if (dtype == SNN_DTYPE_F32)
        static_cast<float *>(buf.array.data)[i] = static_cast<float>(v);
      else
        static_cast<double *>(buf.array.data)[i] = v;
    } else {
      long long v = std::strtoll(t.c_str(), &end, 10);
      if (t.empty() || *end || errno == ERANGE)
        return bad("'" + t + "' is not an integer");
      if (dtype == SNN_DTYPE_I32) {
        if (v < INT32_MIN || v > INT32_MAX)
          return bad("'" + t + "' does not fit in i32");
        static_cast<int32_t *>(buf.array.data)[i] = static_cast<int32_t>(v);
      } else {
        static_cast<int64_t *>(buf.array.data)[i] = v;
      }
    }
  }
  return buf;
}

/// Reads one input spec as a dense array (.npy or literal).
Buffer readDense(const std::string &spec, unsigned index) {
  if (spec.empty() || spec[0] != '@')
    return parseLiteral(spec, index);
  Buffer buf;
  char err[512];
  if (snn_npy_read(spec.c_str() + 1, &buf.array, err, sizeof(err)))
    fatal("input #" + llvm::Twine(index) + ": " + err);
  return buf;
}

bool isMtx(const std::string &spec) {
  return spec.size() > 4 && spec[0] == '@' &&
         llvm::StringRef(spec).ends_with_insensitive(".mtx");
}

std::string shapeStr(const snn_array &a) {
  std::string s;
  for (int d = 0; d < a.rank; ++d)
    s += std::to_string(a.shape[d]) + "x";
  return s + snn_dtype_name(a.dtype);
}

/// Checks a dense array against the argument type.
void checkAgainst(const snn_array &a, RankedTensorType type, unsigned index,
                  const std::string &spec) {
  std::optional<snn_dtype> want = dtypeOf(type.getElementType());
  if (!want)
    fatal("argument #" + llvm::Twine(index) + " has element type " +
          typeStr(type.getElementType()) +
          ", which sparse-runner cannot feed (f32, f64, i32, i64 only)");
  bool ok = *want == a.dtype && a.rank == type.getRank();
  for (int d = 0; ok && d < a.rank; ++d)
    ok = type.isDynamicDim(d) || type.getDimSize(d) == a.shape[d];
  if (!ok)
    fatal("input #" + llvm::Twine(index) + " (" + spec + ") is " + shapeStr(a) +
          " but argument #" + llvm::Twine(index) + " is " + typeStr(type));
}

/// Reads a Matrix Market file into a dense 2-D array of `type`.
Buffer mtxToDense(const snn_coo &coo, RankedTensorType type) {
  Buffer buf;
  char err[512];
  int64_t shape[2] = {coo.rows, coo.cols};
  snn_dtype dtype = *dtypeOf(type.getElementType());
  if (snn_array_alloc(&buf.array, dtype, 2, shape, err, sizeof(err)))
    fatal(err);
  for (int64_t k = 0; k < coo.nnz; ++k) {
    int64_t at = coo.row_indices[k] * coo.cols + coo.col_indices[k];
    switch (dtype) {
    case SNN_DTYPE_F32:
      static_cast<float *>(buf.array.data)[at] += coo.values[k];
      break;
    case SNN_DTYPE_F64:
      static_cast<double *>(buf.array.data)[at] += coo.values[k];
      break;
    case SNN_DTYPE_I32:
      static_cast<int32_t *>(buf.array.data)[at] += coo.values[k];
      break;
    case SNN_DTYPE_I64:
      static_cast<int64_t *>(buf.array.data)[at] += coo.values[k];
      break;
    }
  }
  return buf;
}

/// Loads input `index` for an argument of `type`: dense arguments take one
/// buffer; sparse ones take their format's buffers (--sparse-assembler).
void loadInput(const std::string &spec, unsigned index, RankedTensorType type,
               std::vector<Buffer> &buffers) {
  auto enc = sparse_tensor::getSparseTensorEncoding(type);
  std::optional<snn_coo> coo;
  if (isMtx(spec)) {
    if (type.getRank() != 2)
      fatal("input #" + llvm::Twine(index) + " (" + spec +
            ") is a matrix but argument #" + llvm::Twine(index) + " is " +
            typeStr(type));
    coo.emplace();
    char err[512];
    if (snn_mtx_read(spec.c_str() + 1, &*coo, err, sizeof(err)))
      fatal("input #" + llvm::Twine(index) + ": " + err);
    if ((!type.isDynamicDim(0) && type.getDimSize(0) != coo->rows) ||
        (!type.isDynamicDim(1) && type.getDimSize(1) != coo->cols) ||
        !dtypeOf(type.getElementType())) {
      std::string got =
          std::to_string(coo->rows) + "x" + std::to_string(coo->cols);
      snn_coo_free(&*coo);
      fatal("input #" + llvm::Twine(index) + " (" + spec + ") is a " + got +
            " matrix but argument #" + llvm::Twine(index) + " is " +
            typeStr(type));
    }
  }
  if (!enc) {
    if (coo) {
      buffers.push_back(mtxToDense(*coo, type));
      snn_coo_free(&*coo);
    } else {
      buffers.push_back(readDense(spec, index));
      checkAgainst(buffers.back().array, type, index, spec);
    }
    buffers.back().makeDescriptor();
    return;
  }

  // Sparse argument: collect nonzeros, pack into the encoding's buffers.
  if (!type.hasStaticShape())
    fatal("argument #" + llvm::Twine(index) + " (" + typeStr(type) +
          ") is sparse with a dynamic shape; sparse arguments need a static "
          "shape");
  if (!type.getElementType().isF32() && !type.getElementType().isF64())
    fatal("argument #" + llvm::Twine(index) +
          ": sparse arguments must hold f32 or f64");
  std::vector<snn::CooEntry> entries;
  if (coo) {
    for (int64_t k = 0; k < coo->nnz; ++k)
      entries.push_back({{static_cast<uint64_t>(coo->row_indices[k]),
                          static_cast<uint64_t>(coo->col_indices[k])},
                         coo->values[k]});
    snn_coo_free(&*coo);
  } else {
    Buffer dense = readDense(spec, index);
    checkAgainst(dense.array, type, index, spec);
    entries = sparsenn::nonzerosOf(dense.array);
  }
  std::string error;
  if (failed(sparsenn::packSparseArgument(type, std::move(entries), buffers,
                                          error)))
    fatal("input #" + llvm::Twine(index) + " (" + spec + ") does not fit " +
          typeStr(type) + ": " + error);
}

//===----------------------------------------------------------------------===//
// Results
//===----------------------------------------------------------------------===//

void printArray(const snn_array &a, llvm::raw_ostream &os) {
  for (int d = 0; d < a.rank; ++d)
    os << a.shape[d] << "x";
  os << snn_dtype_name(a.dtype) << "=";
  char text[64];
  for (int64_t i = 0; i < a.num_elements; ++i) {
    if (i)
      os << ",";
    double v;
    switch (a.dtype) {
    case SNN_DTYPE_F32:
    case SNN_DTYPE_F64:
      v = a.dtype == SNN_DTYPE_F32 ? static_cast<const float *>(a.data)[i]
                                   : static_cast<const double *>(a.data)[i];
      if (std::isnan(v))
        os << "nan";
      else if (std::isinf(v))
        os << (v < 0 ? "-inf" : "inf");
      else {
        snprintf(text, sizeof(text),
                 a.dtype == SNN_DTYPE_F32 ? "%.9g" : "%.17g", v);
        os << text;
      }
      break;
    case SNN_DTYPE_I32:
      os << static_cast<const int32_t *>(a.data)[i];
      break;
    case SNN_DTYPE_I64:
      os << static_cast<const int64_t *>(a.data)[i];
      break;
    }
  }
  os << "\n";
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// Gives the dense arguments of `func` with dynamic dimensions the static
/// types of the arrays passed for them.
void specializeArguments(func::FuncOp func, ArrayRef<RankedTensorType> argTypes,
                         const std::vector<Buffer> &buffers,
                         const std::vector<size_t> &firstBuffer) {
  Block &entry = func.getBody().front();
  OpBuilder b = OpBuilder::atBlockBegin(&entry);
  SmallVector<Type> inputs(func.getArgumentTypes());
  for (auto [i, type] : llvm::enumerate(argTypes)) {
    if (type.hasStaticShape() || sparse_tensor::getSparseTensorEncoding(type))
      continue;
    const snn_array &a = buffers[firstBuffer[i]].array;
    auto specialized = RankedTensorType::get(ArrayRef<int64_t>(a.shape, a.rank),
                                             type.getElementType());
    BlockArgument arg = entry.getArgument(i);
    arg.setType(specialized);
    auto cast = tensor::CastOp::create(b, func.getLoc(), type, arg);
    arg.replaceAllUsesExcept(cast, cast);
    inputs[i] = specialized;
  }
  func.setFunctionType(
      FunctionType::get(func.getContext(), inputs, func.getResultTypes()));
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  // Compiled code allocates its temporaries with malloc and frees them before
  // it returns. By default glibc gives large freed blocks back to the kernel
  // (munmap, heap trimming), so every call page-faults them in again: the
  // demo MLP spent 7 of its 8.5 ms per call in page faults. Keep them.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerAsmPrinterCLOptions();
  // --stats[=FORMAT] is our --accel-stats (LLVM's -stats is not used here).
  std::vector<std::string> renamed;
  renamed.reserve(argc); // no reallocation: args point into it
  std::vector<char *> args(argv, argv + argc);
  for (char *&arg : args) {
    llvm::StringRef a(arg);
    if (a == "--stats" || a == "-stats" || a.starts_with("--stats=") ||
        a.starts_with("-stats="))
      arg = renamed
                .emplace_back("--accel-stats" +
                              a.drop_front(a.find("stats") + 5).str())
                .data();
  }
  argc = static_cast<int>(args.size());
  argv = args.data();
  cl::HideUnrelatedOptions(runnerCat);
  cl::ParseCommandLineOptions(
      argc, argv,
      "sparse-runner: JIT-compile a SparseNN module for the CPU and run one "
      "function\n\n"
      "  sparse-runner FILE.mlir --entry=NAME [--input=SPEC]... "
      "[--output=@out.npy]... [--benchmark=N]\n\n"
      "Results print to stdout as inline literals (2x3xf32=...), full "
      "precision, one line per result.\n");

  if (threads == 0)
    fatal("--num-threads must be at least 1");
  if (target != "cpu" && target != "accel" && target != "gpu-emulated")
    fatal("--target must be cpu, accel or gpu-emulated, got '" + target + "'");
  bool accel = target == "accel";
  bool gpu = target == "gpu-emulated";
  if (!gpu && gpuThreads.getNumOccurrences())
    fatal("--gpu-threads needs --target=gpu-emulated");
  if (!gpu && gpuStrategy.getNumOccurrences())
    fatal("--gpu-strategy needs --target=gpu-emulated");
  if (stats.getNumOccurrences() && stats.empty())
    stats = "text";
  if (!stats.empty() && stats != "text" && stats != "json")
    fatal("--stats must be text or json, got '" + stats + "'");
  if (!accel && (stats.getNumOccurrences() || archOption.getNumOccurrences()))
    fatal("--arch and --stats need --target=accel");
  if (vectorLength < -1 || vectorLength > snn::kMaxVectorLength)
    fatal("--vl must be -1 (host CPU), 0 (off) or a vector length of 1 to " +
          std::to_string(snn::kMaxVectorLength));

  DialectRegistry registry;
  sparsenn::registerAllForTools(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  // Parse.
  std::string errorMessage;
  auto file = openInputFile(inputFile, &errorMessage);
  if (!file)
    fatal("cannot read '" + inputFile + "': " + errorMessage);
  if (std::string bad = sparsenn::checkInput(file->getBuffer()); !bad.empty())
    fatal(inputFile + ":" + bad);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    fatal("cannot parse '" + inputFile + "' (see the diagnostics above)");

  // The entry point, before the pipeline rewrites its signature.
  auto func = module->lookupSymbol<func::FuncOp>(entryName);
  if (!func || func.isExternal() || !func.isPublic()) {
    std::string names;
    for (auto f : module->getOps<func::FuncOp>())
      if (f.isPublic() && !f.isExternal())
        names += (names.empty() ? "" : ", ") + f.getSymName().str();
    fatal("no public function named '" + entryName + "' in '" + inputFile +
          "' (it has: " + (names.empty() ? "none" : names) + ")");
  }
  FunctionType ft = func.getFunctionType();
  SmallVector<RankedTensorType> argTypes, resultTypes;
  for (auto [i, t] : llvm::enumerate(ft.getInputs())) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || rt.getRank() > SNN_MAX_RANK)
      fatal("argument #" + llvm::Twine(i) + " of '" + entryName + "' is " +
            typeStr(t) + "; sparse-runner feeds ranked tensors only");
    argTypes.push_back(rt);
  }
  for (auto [i, t] : llvm::enumerate(ft.getResults())) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || rt.getRank() > SNN_MAX_RANK || !dtypeOf(rt.getElementType()))
      fatal("result #" + llvm::Twine(i) + " of '" + entryName + "' is " +
            typeStr(t) +
            "; sparse-runner reads back ranked tensors of f32/f64/i32/i64");
    if (sparse_tensor::getSparseTensorEncoding(rt))
      fatal("result #" + llvm::Twine(i) + " of '" + entryName +
            "' is sparse (" + typeStr(t) +
            "); return a dense tensor (sparse_tensor.convert) to run it");
    resultTypes.push_back(rt);
  }
  if (inputs.size() != argTypes.size()) {
    std::string sig;
    for (auto t : argTypes)
      sig += (sig.empty() ? "" : ", ") + typeStr(t);
    fatal("'" + entryName + "' takes " + llvm::Twine(argTypes.size()) +
          " argument(s) (" + sig + ") but " + llvm::Twine(inputs.size()) +
          " --input given");
  }
  if (!outputs.empty() && outputs.size() != resultTypes.size())
    fatal("'" + entryName + "' returns " + llvm::Twine(resultTypes.size()) +
          " result(s) but " + llvm::Twine(outputs.size()) + " --output given");
  for (const std::string &o : outputs)
    if (o.size() < 2 || o[0] != '@')
      fatal("--output '" + o + "' must be @file.npy");

  // Inputs, before compiling, so bad files fail fast.
  std::vector<Buffer> buffers;
  std::vector<size_t> firstBuffer; // of each argument
  for (auto [i, t] : llvm::enumerate(argTypes)) {
    firstBuffer.push_back(buffers.size());
    loadInput(inputs[i], i, t, buffers);
  }
  // The accelerator's command streams are fixed at compile time: a dense
  // argument's dynamic dimensions take the input's sizes (a tensor.cast back
  // to the declared type keeps the body as it is; convert-snn-to-sacc looks
  // through it).
  if (accel)
    specializeArguments(func, argTypes, buffers, firstBuffer);

  // Compile.
  auto jitStart = std::chrono::steady_clock::now();
  PassManager pm(&context);
  if (failed(applyPassManagerCLOptions(pm)))
    fatal("invalid pass manager options");
  snn::TargetPipelineOptions options;
  options.target = target;
  options.arch = archOption;
  options.threads = threads;
  options.gpuThreads = gpuThreads;
  options.gpuStrategy = gpuStrategy;
  options.vectorLength = vectorLength;
  options.gather = gather;
  options.selectFormats = selectFormats;
  options.report = report;
  options.enableRuntimeLibrary = enableRuntimeLibrary;
  options.packWeights = packWeights;
  // The format choice assumes the batch the inputs actually have.
  if (!accel && !buffers.empty() && !argTypes.empty() &&
      argTypes[0].getRank() >= 1 && argTypes[0].isDynamicDim(0) &&
      !sparse_tensor::getSparseTensorEncoding(argTypes[0]) &&
      buffers[0].array.shape[0] > 0)
    options.batchSize = buffers[0].array.shape[0];
  std::string invalid = snn::buildTargetPipeline(&context, pm, options);
  if (!invalid.empty())
    fatal(invalid);
  if (failed(pm.run(*module)))
    fatal("compilation failed (see the diagnostics above)");

  sparsenn::JitOptions jitOptions;
  jitOptions.sharedLibs = {SPARSENN_C_RUNNER_UTILS};
  if (threads > 1)
    jitOptions.sharedLibs.push_back(SPARSENN_LIBOMP);
  auto fn = sparsenn::JitFunction::create(*module, entryName, resultTypes,
                                          jitOptions);
  if (!fn)
    fatal("JIT compilation failed: " + llvm::toString(fn.takeError()));
  double jitMs = std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - jitStart)
                     .count();

  std::vector<sparsenn::Buffer *> callArgs;
  for (sparsenn::Buffer &b : buffers)
    callArgs.push_back(&b);
  std::vector<sparsenn::Buffer> results;
  auto check = [&](llvm::Error err) {
    if (err)
      fatal("call failed: " + llvm::toString(std::move(err)));
  };
  check((*fn)->call(callArgs, results));
  if (accel && stats == "json")
    llvm::errs() << sacc_stats_json() << "\n";
  else if (accel && stats == "text")
    llvm::errs() << sacc_stats_text();
  if (benchmark > 0) {
    std::vector<double> times;
    for (unsigned i = 0; i < benchmark; ++i) {
      auto start = std::chrono::steady_clock::now();
      check((*fn)->callAndDiscard(callArgs));
      times.push_back(std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count());
    }
    llvm::outs() << llvm::format("jit time: %.3f ms\n", jitMs);
    llvm::outs() << llvm::format(
        "call time: min %.6f ms, median %.6f ms over %u runs\n",
        *std::min_element(times.begin(), times.end()), median(times),
        static_cast<unsigned>(benchmark));
  }

  for (auto [k, out] : llvm::enumerate(results)) {
    if (!outputs.empty()) {
      char err[512];
      if (snn_npy_write(outputs[k].c_str() + 1, &out.array, err, sizeof(err)))
        fatal(err);
    } else if (!quiet) {
      printArray(out.array, llvm::outs());
    }
  }
  return 0;
}
