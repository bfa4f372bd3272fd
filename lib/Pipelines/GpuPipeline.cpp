//===- GpuPipeline.cpp - The GPU pipeline: snn to host code + PTX ---------===//
//
// Part of SparseNN. Follows upstream's buildSparsifier for the GPU, with
// three differences: the snn front half lowers layers to the matmul form
// W . xT that upstream's cuSPARSE matcher takes (it only matches a sparse
// operand on the left); no linalg-fuse-elementwise-ops, which would fold the
// transposes into the matmul and hide it from that matcher; and SparseNN's
// snn-parallel-loops-to-gpu instead of sparse-gpu-codegen, which in MLIR 22
// copies back the wrong buffer and launches a single block.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Conversion/Passes.h"
#include "sparsenn/Dialect/SNN/Transforms/Passes.h"
#include "sparsenn/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/SparseTensor/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

std::string snn::validateGpuPipelineOptions(const GpuPipelineOptions &options) {
  std::string message;
  llvm::raw_string_ostream os(message);
  StringRef strategy = options.strategy, format = options.format;
  if (strategy != "codegen" && strategy != "library" && strategy != "auto")
    os << "strategy='" << strategy << "' is not one of codegen, library, auto";
  else if (options.threads < 1 || options.threads > 1024)
    os << "threads=" << options.threads
       << " is out of range: a block has 1 to 1024 threads";
  else if (format != "isa" && format != "bin" && format != "fatbin")
    os << "format='" << format << "' is not one of isa, bin, fatbin";
  return message;
}

void snn::buildGpuPipeline(OpPassManager &pm,
                           const GpuPipelineOptions &options) {
  StringRef strategy = options.strategy;
  bool libgen = strategy != "codegen";
  bool kernels = strategy != "library";

  // Front half: snn -> linalg + sparse_tensor in the matmul form.
  if (options.selectFormats) {
    SNNSelectFormatsPassOptions select;
    select.target = "gpu";
    select.batchSize = options.batchSize;
    select.report = options.report;
    pm.addPass(createSNNSelectFormatsPass(select));
  }
  ConvertSNNToLinalgPassOptions toLinalg;
  toLinalg.matmulForm = true;
  pm.addPass(createConvertSNNToLinalgPass(toLinalg));
  // Element-wise arith/math ops on tensors around the layers (casts to and
  // from f16, say) as linalg ops, which bufferize.
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  // 2:4 half-precision weights go to cuSPARSELt dense, before packing.
  if (libgen)
    pm.addNestedPass<func::FuncOp>(createConvertSparseToCuSparseLtPass());
  pm.addPass(createSNNPackWeightsPass());
  pm.addPass(createCanonicalizerPass());
  SNNCheckLegalityPassOptions legality;
  legality.runtimeLibrary = false;
  legality.sparseKernels = false;
  legality.denseAnyLoop = kernels;
  pm.addPass(createSNNCheckLegalityPass(legality));
  pm.addPass(createSparseAssembler());
  pm.addPass(createSNNExportEntryPointsPass());

  // Sparsification: cuSPARSE calls where libgen matches; the remaining
  // sparse loops parallel over their outer dense dimension.
  pm.addNestedPass<func::FuncOp>(createLinalgGeneralizeNamedOpsPass());
  // BSR and COO products, which upstream's libgen does not take, call
  // cuSPARSE too.
  if (libgen)
    pm.addNestedPass<func::FuncOp>(createConvertSparseToGPULibraryPass());
  SparseParallelizationStrategy parallelization =
      kernels ? SparseParallelizationStrategy::kDenseAnyLoop
              : SparseParallelizationStrategy::kNone;
  SparsificationOptions sparsification(parallelization,
                                       SparseEmitStrategy::kFunctional,
                                       /*enableRuntimeLibrary=*/false);
  pm.addPass(createSparsificationAndBufferizationPass(
      getSparseBufferizationOptions(), sparsification,
      /*createSparseDeallocs=*/true,
      /*enableRuntimeLibrary=*/false, /*enableBufferInitialization=*/false,
      /*vectorLength=*/0, /*enableVLAVectorization=*/false,
      /*enableSIMDIndex32=*/false, libgen, SparseEmitStrategy::kFunctional,
      parallelization));
  // Free host temporaries. With libgen, ownership-based deallocation
  // rejects its gpu.wait ("unknown memory side effects"; upstream's
  // sparsifier pipeline leaks them per call): snn-free-temporaries frees
  // the buffers that do not escape at the return instead.
  if (!libgen) {
    bufferization::buildBufferDeallocationPipeline(pm);
    pm.addPass(createConvertBufferizationToMemRefPass());
  } else {
    pm.addNestedPass<func::FuncOp>(createSNNFreeTemporariesPass());
  }
  // Zero-initialized outputs are filled, not copied from a constant global.
  pm.addPass(createSNNSplatCopiesToFillsPass());
  // cuSPARSE reads the packed weights from copies made on the first call.
  if (libgen)
    pm.addPass(createSNNGPUResidentConstantsPass());
  pm.addPass(createStorageSpecifierToLLVMPass());
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());

  // Kernels: the dense element-wise ops (transposes, bias, activations) as
  // parallel loops too, then every outer parallel loop a launch.
  if (kernels) {
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
    // Upstream's COO iteration state: per thread, not one device buffer that
    // every thread of the kernel writes.
    pm.addNestedPass<func::FuncOp>(createSNNPrivatizeAllocasPass());
    ConvertParallelLoopsToGPUPassOptions toGpu;
    toGpu.threads = options.threads;
    toGpu.remarks = options.remarks;
    pm.addPass(createConvertParallelLoopsToGPUPass(toGpu));
    if (!options.emulate) {
      pm.addPass(createGpuKernelOutliningPass());
      pm.addNestedPass<gpu::GPUModuleOp>(createStripDebugInfoPass());
      pm.addNestedPass<gpu::GPUModuleOp>(createParallelForToNestedForsPass());
      // Views taken again inside the kernels (snn-parallel-loops-to-gpu).
      pm.addNestedPass<gpu::GPUModuleOp>(
          memref::createExpandStridedMetadataPass());
      pm.addNestedPass<gpu::GPUModuleOp>(createLowerAffinePass());
      pm.addNestedPass<gpu::GPUModuleOp>(createSCFToControlFlowPass());
      pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps());
    }
  }
  // Emulated: launches, device buffers and cuSPARSE's products on the host.
  if (options.emulate)
    pm.addPass(createEmulateGPUOnHostPass());

  // Host code to the LLVM dialect.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass());
  pm.addNestedPass<func::FuncOp>(memref::createExpandReallocPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addNestedPass<func::FuncOp>(createParallelForToNestedForsPass());
  pm.addNestedPass<func::FuncOp>(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addNestedPass<func::FuncOp>(createConvertComplexToStandardPass());
  pm.addNestedPass<func::FuncOp>(arith::createArithExpandOpsPass());
  pm.addNestedPass<func::FuncOp>(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertComplexToLibm());

  // The kernels into a gpu.binary, GPU ops into mgpu* calls.
  if (!options.emulate) {
    GpuNVVMAttachTargetOptions target;
    target.triple = "nvptx64-nvidia-cuda";
    target.chip = options.chip;
    target.features = options.features;
    pm.addPass(createGpuNVVMAttachTarget(target));
    pm.addPass(createGpuToLLVMConversionPass());
    GpuModuleToBinaryPassOptions binary;
    binary.compilationTarget = options.format;
    pm.addPass(createGpuModuleToBinaryPass(binary));
  }
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}
