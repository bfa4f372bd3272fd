//===- SparseNNModule.cpp - The _sparsenn Python extension ----------------===//
//
// Part of SparseNN. pybind11 bindings over the compiler (parse, run pass
// pipelines, print) and the JIT (compile a function for the CPU or the
// accelerator, call it on NumPy arrays). The Pythonic API is in
// python/sparsenn/; this module stays small. Compiler diagnostics become
// sparsenn.CompileError carrying their text; bad arguments ValueError or
// TypeError.
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/Accel.h"
#include "sparsenn/Dialect/SAcc/IR/SAccAttrs.h"
#include "sparsenn/ExecutionEngine/Jit.h"
#include "sparsenn/InitAll.h"
#include "sparsenn/InitAllPasses.h"
#include "sparsenn/Pipelines/Pipelines.h"
#include "sparsenn/Target/Object.h"
#include "sparsenn/Tools/InputCheck.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>

namespace py = pybind11;
using namespace mlir;

namespace {

/// A compiler error carrying MLIR's diagnostics (sparsenn.CompileError).
struct CompileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The process's MLIR context: every upstream dialect and extension and
/// SparseNN's, with every pass registered for pipeline strings.
MLIRContext &context() {
  static MLIRContext *ctx = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    registerAllPasses();
    sparsenn::registerAllPasses();
    DialectRegistry registry;
    sparsenn::registerAllForTools(registry);
    auto *c = new MLIRContext(registry, MLIRContext::Threading::DISABLED);
    c->loadAllAvailableDialects();
    return c;
  }();
  return *ctx;
}

/// file:line:col for file locations, MLIR's syntax otherwise.
std::string locationStr(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return file.getFilename().str() + ":" + std::to_string(file.getLine()) +
           ":" + std::to_string(file.getColumn());
  std::string s;
  llvm::raw_string_ostream os(s);
  os << loc;
  return s;
}

/// Collects the diagnostics emitted while it lives, one per line.
class DiagnosticCapture {
public:
  DiagnosticCapture()
      : handler(&context(), [this](Diagnostic &d) {
          llvm::raw_string_ostream os(text);
          os << locationStr(d.getLocation()) << ": ";
          switch (d.getSeverity()) {
          case DiagnosticSeverity::Error:
            os << "error: ";
            break;
          case DiagnosticSeverity::Warning:
            os << "warning: ";
            break;
          case DiagnosticSeverity::Note:
            os << "note: ";
            break;
          case DiagnosticSeverity::Remark:
            os << "remark: ";
            break;
          }
          os << d << "\n";
          for (const Diagnostic &note : d.getNotes())
            os << "  " << locationStr(note.getLocation()) << ": note: " << note
               << "\n";
          return success();
        }) {}

  [[noreturn]] void fail(const std::string &what) {
    std::string message = what;
    if (!text.empty())
      message += ":\n" + llvm::StringRef(text).rtrim().str();
    throw CompileError(message);
  }

private:
  std::string text;
  ScopedDiagnosticHandler handler;
};

OwningOpRef<ModuleOp> parse(const std::string &text, DiagnosticCapture &diag) {
  if (std::string bad = sparsenn::checkInput(text); !bad.empty())
    throw CompileError("<input>:" + bad);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, &context(), "<input>");
  if (!module)
    diag.fail("cannot parse the module");
  return module;
}

std::string print(ModuleOp module) {
  std::string s;
  llvm::raw_string_ostream os(s);
  module->print(os);
  return s;
}

/// Runs a textual pass pipeline (as sparse-opt's --pass-pipeline, without
/// the builtin.module() wrapper) on MLIR text and returns the result.
/// Runs `pipeline` on `module`; raises CompileError with the diagnostics.
void runPipeline(ModuleOp module, const std::string &pipeline,
                 DiagnosticCapture &diag) {
  PassManager pm(&context());
  std::string error;
  llvm::raw_string_ostream errors(error);
  if (failed(parsePassPipeline(pipeline, pm, errors)))
    throw CompileError("invalid pass pipeline '" + pipeline + "': " + error);
  if (failed(pm.run(module)))
    diag.fail("'" + pipeline + "' failed");
}

std::string transform(const std::string &text, const std::string &pipeline) {
  DiagnosticCapture diag;
  OwningOpRef<ModuleOp> module = parse(text, diag);
  runPipeline(*module, pipeline, diag);
  return print(*module);
}

/// The AOT object (sparsenn::emitObject, as sparse-translate --snn-to-object)
/// of MLIR text lowered by `pipeline`, compiled for `cpu`.
py::bytes exportObject(const std::string &text, const std::string &pipeline,
                       const std::string &cpu) {
  DiagnosticCapture diag;
  OwningOpRef<ModuleOp> module = parse(text, diag);
  runPipeline(*module, pipeline, diag);
  std::string object;
  llvm::raw_string_ostream os(object);
  if (failed(sparsenn::emitObject(*module, cpu, os)))
    diag.fail("the object could not be emitted");
  os.flush();
  return py::bytes(object);
}

py::dtype numpyDtype(snn_dtype d) {
  switch (d) {
  case SNN_DTYPE_F32:
    return py::dtype::of<float>();
  case SNN_DTYPE_F64:
    return py::dtype::of<double>();
  case SNN_DTYPE_I32:
    return py::dtype::of<int32_t>();
  case SNN_DTYPE_I64:
    return py::dtype::of<int64_t>();
  }
  return py::dtype::of<float>();
}

std::string typeStr(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

/// A function of a module compiled for a target and JIT-compiled.
class Program {
public:
  Program(const std::string &text, const std::string &entry,
          const std::string &target, const std::string &arch, unsigned threads,
          int vl, bool selectFormats, int64_t batchSize, unsigned gpuThreads,
          const std::string &gpuStrategy, int gather)
      : entry(entry), accel(target == "accel") {
    snn::TargetPipelineOptions options;
    options.target = target;
    options.arch = arch;
    options.threads = threads;
    options.gpuThreads = gpuThreads;
    options.gpuStrategy = gpuStrategy;
    options.vectorLength = vl;
    options.gather = gather;
    options.selectFormats = selectFormats;
    options.batchSize = batchSize;
    PassManager pm(&context());
    std::string invalid = snn::buildTargetPipeline(&context(), pm, options);
    if (!invalid.empty())
      throw py::value_error(invalid);
    llvm::raw_string_ostream pipelineText(pipeline);
    pm.printAsTextualPipeline(pipelineText);
    DiagnosticCapture diag;
    OwningOpRef<ModuleOp> module = parse(text, diag);
    auto func = module->lookupSymbol<func::FuncOp>(entry);
    if (!func || func.isExternal() || !func.isPublic())
      throw py::value_error("no public function named '" + entry +
                            "' in the module");
    for (auto [i, t] : llvm::enumerate(func.getArgumentTypes())) {
      auto rt = dyn_cast<RankedTensorType>(t);
      if (!rt || !sparsenn::dtypeOf(rt.getElementType()) ||
          rt.getRank() > SNN_MAX_RANK)
        throw py::value_error("argument #" + std::to_string(i) + " is " +
                              typeStr(t) +
                              "; the Python API feeds ranked tensors of "
                              "f32, f64, i32 or i64");
      if (sparse_tensor::getSparseTensorEncoding(rt) &&
          (!rt.hasStaticShape() ||
           !(rt.getElementType().isF32() || rt.getElementType().isF64())))
        throw py::value_error("argument #" + std::to_string(i) + " is " +
                              typeStr(t) +
                              "; sparse arguments need a static shape and "
                              "f32 or f64 elements");
      argTypes.push_back(rt);
    }
    for (auto [i, t] : llvm::enumerate(func.getResultTypes())) {
      auto rt = dyn_cast<RankedTensorType>(t);
      if (!rt || !sparsenn::dtypeOf(rt.getElementType()) ||
          sparse_tensor::getSparseTensorEncoding(rt) ||
          rt.getRank() > SNN_MAX_RANK)
        throw py::value_error("result #" + std::to_string(i) + " is " +
                              typeStr(t) +
                              "; the Python API returns dense ranked tensors "
                              "of f32, f64, i32 or i64");
      resultTypes.push_back(rt);
    }
    auto start = std::chrono::steady_clock::now();
    if (failed(pm.run(*module)))
      diag.fail("compilation failed");
    sparsenn::JitOptions jit;
    jit.sharedLibs = {SPARSENN_C_RUNNER_UTILS};
    if (threads > 1)
      jit.sharedLibs.push_back(SPARSENN_LIBOMP);
    auto fn = sparsenn::JitFunction::create(*module, entry, resultTypes, jit);
    if (!fn)
      throw CompileError("JIT compilation failed: " +
                         llvm::toString(fn.takeError()));
    function = std::move(*fn);
    compileMs = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  }

  /// Checks and wraps the arguments (zero-copy when C-contiguous).
  std::vector<sparsenn::Buffer> wrap(const py::args &args,
                                     std::vector<py::array> &keep) {
    if (args.size() != argTypes.size())
      throw py::type_error("'" + entry + "' takes " +
                           std::to_string(argTypes.size()) + " argument(s), " +
                           std::to_string(args.size()) + " given");
    std::vector<sparsenn::Buffer> buffers;
    for (auto [i, type] : llvm::enumerate(argTypes)) {
      snn_dtype want = *sparsenn::dtypeOf(type.getElementType());
      py::array a = py::array::ensure(args[i]);
      if (!a)
        throw py::type_error("argument #" + std::to_string(i) +
                             " is not an array");
      if (!a.dtype().is(numpyDtype(want)))
        throw py::type_error("argument #" + std::to_string(i) + " has dtype " +
                             std::string(py::str(a.dtype())) +
                             " but the model takes " + typeStr(type) +
                             " (convert it, e.g. x.astype(np." +
                             std::string(py::str(numpyDtype(want))) + "))");
      bool ok = a.ndim() == type.getRank();
      for (int64_t d = 0; ok && d < type.getRank(); ++d)
        ok = type.isDynamicDim(d) || type.getDimSize(d) == a.shape(d);
      if (!ok) {
        std::string shape = "(";
        for (py::ssize_t d = 0; d < a.ndim(); ++d)
          shape += (d ? ", " : "") + std::to_string(a.shape(d));
        throw py::value_error("argument #" + std::to_string(i) + " has shape " +
                              shape +
                              ") but the model "
                              "takes " +
                              typeStr(type));
      }
      py::array c = py::array::ensure(a, py::array::c_style);
      keep.push_back(c);
      int64_t shape[SNN_MAX_RANK];
      for (py::ssize_t d = 0; d < c.ndim(); ++d)
        shape[d] = c.shape(d);
      sparsenn::Buffer dense = sparsenn::Buffer::borrow(
          const_cast<void *>(c.data()), want, c.ndim(), shape);
      if (!sparse_tensor::getSparseTensorEncoding(type)) {
        buffers.push_back(std::move(dense));
        continue;
      }
      // A sparse argument: the dense array's nonzeros, packed into the
      // encoding's buffers (what --sparse-assembler's entry point takes).
      std::string error;
      if (failed(sparsenn::packSparseArgument(
              type, sparsenn::nonzerosOf(dense.array), buffers, error)))
        throw py::value_error("argument #" + std::to_string(i) +
                              " does not fit " + typeStr(type) + ": " + error);
    }
    return buffers;
  }

  py::object call(const py::args &args) {
    std::vector<py::array> keep;
    std::vector<sparsenn::Buffer> buffers = wrap(args, keep);
    std::vector<sparsenn::Buffer *> pointers;
    for (sparsenn::Buffer &b : buffers)
      pointers.push_back(&b);
    std::vector<sparsenn::Buffer> results;
    llvm::Error err = llvm::Error::success();
    {
      py::gil_scoped_release release;
      err = function->call(pointers, results);
      if (accel && !err)
        lastStats = sacc_stats_json();
    }
    if (err)
      throw std::runtime_error("the call failed: " +
                               llvm::toString(std::move(err)));
    py::list out;
    for (sparsenn::Buffer &r : results) {
      std::vector<py::ssize_t> shape(r.array.shape,
                                     r.array.shape + r.array.rank);
      void *data = r.array.data;
      r.array.data = nullptr; // the array owns it now
      py::capsule owner(data, [](void *p) { free(p); });
      out.append(py::array(numpyDtype(r.array.dtype), shape, data, owner));
    }
    if (out.size() == 1)
      return out[0];
    return py::tuple(out);
  }

  /// Times `reps` calls after one warm-up; returns the milliseconds of each.
  std::vector<double> time(const py::args &args, unsigned reps) {
    std::vector<py::array> keep;
    std::vector<sparsenn::Buffer> buffers = wrap(args, keep);
    std::vector<sparsenn::Buffer *> pointers;
    for (sparsenn::Buffer &b : buffers)
      pointers.push_back(&b);
    std::vector<double> times;
    py::gil_scoped_release release;
    for (unsigned i = 0; i <= reps; ++i) {
      auto start = std::chrono::steady_clock::now();
      if (llvm::Error err = function->callAndDiscard(pointers)) {
        py::gil_scoped_acquire acquire;
        throw std::runtime_error("the call failed: " +
                                 llvm::toString(std::move(err)));
      }
      if (i > 0)
        times.push_back(std::chrono::duration<double, std::milli>(
                            std::chrono::steady_clock::now() - start)
                            .count());
    }
    return times;
  }

  std::string entry;
  bool accel;
  double compileMs = 0;
  /// The pass pipeline the target ran, as text.
  std::string pipeline;
  std::string lastStats;
  std::vector<RankedTensorType> argTypes, resultTypes;
  std::unique_ptr<sparsenn::JitFunction> function;
};

} // namespace

PYBIND11_MODULE(_sparsenn, m) {
  m.doc() = "SparseNN's compiler and JIT (use the sparsenn package)";
  static py::exception<CompileError> compileError(m, "CompileError",
                                                  PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p)
        std::rethrow_exception(p);
    } catch (const CompileError &e) {
      compileError(e.what());
    }
  });
  m.def("transform", &transform, py::arg("mlir"), py::arg("pipeline"),
        "Runs a pass pipeline (e.g. 'snn-prune{recipe=nm n=2 m=4}') on MLIR "
        "text and returns the result; raises CompileError with the "
        "diagnostics.");
  m.def("export_object", &exportObject, py::arg("mlir"), py::arg("pipeline"),
        py::arg("cpu") = "host",
        "Lowers MLIR text with a pass pipeline (a sparsenn-*-pipeline) and "
        "returns the host object file (bytes) with the entry-point ABI of "
        "docs/ABI.md; raises CompileError with the diagnostics.");
  m.def(
      "check",
      [](const std::string &text) {
        DiagnosticCapture diag;
        OwningOpRef<ModuleOp> module = parse(text, diag);
        if (failed(verify(*module)))
          diag.fail("the module does not verify");
      },
      py::arg("mlir"), "Parses and verifies MLIR text.");
  py::class_<Program>(m, "Program")
      .def(py::init<const std::string &, const std::string &,
                    const std::string &, const std::string &, unsigned, int,
                    bool, int64_t, unsigned, const std::string &, int>(),
           py::arg("mlir"), py::arg("entry") = "main",
           py::arg("target") = "cpu", py::arg("arch") = "scnn",
           py::arg("threads") = 1, py::arg("vl") = -1,
           py::arg("select_formats") = false, py::arg("batch_size") = 16,
           py::arg("gpu_threads") = 256, py::arg("gpu_strategy") = "codegen",
           py::arg("gather") = -1)
      .def("__call__", &Program::call)
      .def("time", &Program::time, py::arg("reps"))
      .def_readonly("entry", &Program::entry)
      .def_readonly("compile_ms", &Program::compileMs)
      .def_readonly("pipeline", &Program::pipeline)
      .def_readonly("accel_stats_json", &Program::lastStats)
      .def_property_readonly("argument_types",
                             [](const Program &p) {
                               std::vector<std::string> v;
                               for (auto t : p.argTypes)
                                 v.push_back(typeStr(t));
                               return v;
                             })
      .def_property_readonly("result_types", [](const Program &p) {
        std::vector<std::string> v;
        for (auto t : p.resultTypes)
          v.push_back(typeStr(t));
        return v;
      });
}
