//===- Object.cpp - A lowered module to a host object file ----------------===//
//
// Part of SparseNN. The AOT flow's last compiler step (sparse-translate
// --snn-to-object, the Python package's export): a module a sparsenn-*
// pipeline lowered to the LLVM dialect becomes a relocatable, position-
// independent object for the host, with the entry-point ABI of SNN_OPS.md:
// each public function NAME keeps its C interface `_mlir_ciface_NAME`, its
// plain symbol is renamed `sparsenn_NAME` (a function called `main` never
// clashes with C's), and `sparsenn_signature_NAME` (snn-export-entry-points)
// describes its arguments and results for the driver (docs/ABI.md). GPU
// kernels are embedded in the object already (gpu.binary).
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Target/Object.h"

#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <optional>

using namespace mlir;

LogicalResult sparsenn::emitObject(ModuleOp module, llvm::StringRef cpuName,
                                   llvm::raw_ostream &output) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return module.emitError("the module does not translate to LLVM IR (lower "
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
    return module.emitError("no LLVM target for this machine: ") << error;
  std::string cpu = cpuName.str();
  std::string features;
  if (cpu == "host") {
    cpu = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures subtarget;
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      subtarget.AddFeature(feature.first(), feature.second);
    features = subtarget.getString();
  } else {
    // LLVM only warns about an unknown CPU, then fails fatally later (a
    // 64-bit triple on a subtarget without 64-bit code): refuse it here.
    std::unique_ptr<llvm::MCSubtargetInfo> generic(
        target->createMCSubtargetInfo(triple, "generic", ""));
    if (!generic || !generic->isCPUStringValid(cpu))
      return module.emitError("unknown CPU '")
             << cpu << "' for " << triple.str()
             << " (e.g. host, x86-64-v3, znver4; `llc -mcpu=help` lists them)";
  }
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, llvm::TargetOptions(), llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return module.emitError("no target machine for CPU '") << cpu << "'";
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());

  llvm::SmallString<0> object;
  llvm::raw_svector_ostream objectStream(object);
  llvm::legacy::PassManager passes;
  if (machine->addPassesToEmitFile(passes, objectStream, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return module.emitError("the target cannot emit objects");
  passes.run(*llvmModule);
  output << object;
  return success();
}
