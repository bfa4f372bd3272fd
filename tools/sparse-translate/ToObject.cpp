//===- ToObject.cpp - An LLVM-dialect module to a host object file --------===//
//
// Part of SparseNN. The AOT flow's last compiler step: a module a sparsenn-*
// pipeline lowered to the LLVM dialect becomes a relocatable, position-
// independent object for the host, with the entry-point ABI of SNN_OPS.md:
// each public function NAME keeps its C interface `_mlir_ciface_NAME`, its
// plain symbol is renamed `sparsenn_NAME` (a function called `main` never
// clashes with C's), and `sparsenn_signature_NAME` (snn-export-entry-points)
// describes its arguments and results for the driver (docs/ABI.md). GPU
// kernels are embedded in the object already (gpu.binary).
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "sparsenn/InitAll.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <optional>

using namespace mlir;

static llvm::cl::opt<std::string> objectCpu(
    "object-cpu",
    llvm::cl::desc("With --snn-to-object: the CPU the object is compiled for "
                   "(default host: this machine's CPU and features; e.g. "
                   "x86-64-v3 for an object that runs on any AVX2 machine)"),
    llvm::cl::init("host"));

static LogicalResult toObject(Operation *op, llvm::raw_ostream &output) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    return op->emitError("--snn-to-object: expected a builtin.module");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return module.emitError(
        "--snn-to-object: the module does not translate to LLVM IR (lower "
        "it with a sparsenn-*-pipeline first)");

  // The entry-point ABI: NAME -> sparsenn_NAME where _mlir_ciface_NAME
  // exists (the wrapper's call follows the rename).
  for (llvm::Function &f : *llvmModule) {
    llvm::StringRef name = f.getName();
    if (f.isDeclaration() || name.starts_with("_mlir_ciface_"))
      continue;
    if (llvmModule->getFunction(("_mlir_ciface_" + name).str()))
      f.setName("sparsenn_" + name);
  }

  std::string tripleName = llvm::sys::getDefaultTargetTriple();
  llvm::Triple triple(tripleName);
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return module.emitError("--snn-to-object: ") << error;
  std::string cpu = objectCpu;
  std::string features;
  if (cpu == "host") {
    cpu = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures subtarget;
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      subtarget.AddFeature(feature.first(), feature.second);
    features = subtarget.getString();
  }
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, llvm::TargetOptions(), llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return module.emitError("--snn-to-object: no target machine for CPU '")
           << cpu << "'";
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());

  llvm::SmallString<0> object;
  llvm::raw_svector_ostream objectStream(object);
  llvm::legacy::PassManager passes;
  if (machine->addPassesToEmitFile(passes, objectStream, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return module.emitError("--snn-to-object: the target cannot emit objects");
  passes.run(*llvmModule);
  output << object;
  return success();
}

namespace sparsenn {
void registerToObjectTranslation() {
  TranslateFromMLIRRegistration registration(
      "snn-to-object",
      "Compile a module lowered by a sparsenn-*-pipeline into a host object "
      "file (AOT) with the entry-point ABI of docs/ABI.md: "
      "_mlir_ciface_NAME, sparsenn_NAME and sparsenn_signature_NAME",
      toObject, [](DialectRegistry &registry) {
        sparsenn::registerAllForTools(registry);
      });
}
} // namespace sparsenn
