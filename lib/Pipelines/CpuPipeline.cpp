//===- CpuPipeline.cpp - The CPU pipeline: snn to LLVM --------------------===//
//
// Part of SparseNN. Follows upstream's buildSparsifier, adding what it lacks:
// the snn front half, a legality check before the sparsifier, OpenMP threads
// (buildSparsifier has no hook for convert-scf-to-openmp) and a vector length
// taken from the host CPU.
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
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/SparseTensor/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

unsigned snn::getHostVectorLength() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f"))
    return 16;
  if (features.lookup("avx2"))
    return 8;
  return 4;
}

bool snn::hostPrefersGathers() {
  return !llvm::sys::getHostCPUName().starts_with("znver");
}

bufferization::OneShotBufferizationOptions
snn::getSparseBufferizationOptions() {
  // Buffer copies (padding, slices) as linalg.copy: lowered to loops that
  // LLVM vectorizes, where memref.copy of a strided view calls the runtime's
  // element-by-element memrefCopy (measured: a 1024x1024 90% CSR layer with
  // a dynamic batch of 352 went from 3.56 to 2.77 ms, the demo from 8.6 to
  // 7.1 ms); GPU objects also stay free of that runtime.
  bufferization::OneShotBufferizationOptions bufferization =
      getBufferizationOptionsForSparsification(/*analysisOnly=*/false);
  bufferization.memCpyFn = [](OpBuilder &b, Location loc, Value from,
                              Value to) {
    linalg::CopyOp::create(b, loc, from, to);
    return success();
  };
  return bufferization;
}

void snn::buildCpuPipeline(OpPassManager &pm,
                           const CpuPipelineOptions &options) {
  // Front half: snn -> linalg + sparse_tensor on tensors.
  if (options.selectFormats) {
    SNNSelectFormatsPassOptions select;
    select.batchSize = options.batchSize;
    select.report = options.report;
    pm.addPass(createSNNSelectFormatsPass(select));
  }
  // Lowering first: it re-types dense weights for the sparsifier with
  // sparse_tensor.convert, which packing then folds into constants.
  ConvertSNNToLinalgPassOptions toLinalg;
  // Below 4 MiB the batch's im2col matrix stays in cache and the loop gains
  // nothing (a pruned CNN with 0.9-2.4 MB matrices: 0.445 ms either way); it
  // copies each image's product, and a dynamic batch of one image runs on
  // one thread. 3x3, 64 channels, 16x16, batch 8 (4.7 MB): 0.21 against 0.23
  // ms; 128 channels, 28x28 (29 MB): 2.54 against 4.39 ms.
  toLinalg.convImageLoopMinBytes =
      options.convImageLoop ? int64_t(4) << 20 : int64_t(-1);
  toLinalg.batchSize = options.batchSize;
  pm.addPass(createConvertSNNToLinalgPass(toLinalg));
  // Element-wise arith/math ops on tensors around the layers (casts to and
  // from f16, say) as linalg ops, which bufferize.
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  if (options.packWeights)
    pm.addPass(createSNNPackWeightsPass());
  pm.addPass(createCanonicalizerPass());
  // Consecutive layers stay batch-major (their transposes cancel).
  pm.addNestedPass<func::FuncOp>(createSNNFoldBatchTransposesPass());
  pm.addPass(createCanonicalizerPass());
  SNNCheckLegalityPassOptions legality;
  legality.runtimeLibrary = options.enableRuntimeLibrary;
  legality.sparseKernels = options.sparseKernels && options.vectorLength != 0;
  pm.addPass(createSNNCheckLegalityPass(legality));

  // Public functions take sparse arguments as their format's buffers and get
  // the C interface.
  pm.addPass(createSparseAssembler());
  pm.addPass(createSNNExportEntryPointsPass());

  // Upstream's sparsifier.
  // Unlike buildSparsifier, no linalg-fuse-elementwise-ops: it fuses the
  // im2col generic into the convolution's sparse matmul and folds the reshapes
  // into the sparse weight (a sparse expand_shape), which turns a 95%-sparse
  // 1x1 conv from 5.2 ms into the dense 45 ms (bench/conv_bench.py). The MLP
  // demo's time does not change without it.
  unsigned vl =
      options.vectorLength < 0 ? getHostVectorLength() : options.vectorLength;
  bool parallel = options.threads > 1;
  pm.addNestedPass<func::FuncOp>(createLinalgGeneralizeNamedOpsPass());
  // Our kernels where upstream's vectorization falls short; the sparsifier
  // takes the rest. vl=0 (no vectors) leaves everything to the sparsifier.
  if (options.sparseKernels && vl > 0) {
    SNNSparseKernelsPassOptions kernels;
    kernels.vectorLength = vl;
    kernels.parallel = parallel;
    kernels.gather =
        options.gather < 0 ? hostPrefersGathers() : options.gather == 1;
    pm.addNestedPass<func::FuncOp>(createSNNSparseKernelsPass(kernels));
  }
  SparseParallelizationStrategy parallelization =
      parallel ? SparseParallelizationStrategy::kDenseOuterLoop
               : SparseParallelizationStrategy::kNone;
  SparsificationOptions sparsificationOptions(parallelization,
                                              SparseEmitStrategy::kFunctional,
                                              options.enableRuntimeLibrary);
  pm.addPass(createSparsificationAndBufferizationPass(
      snn::getSparseBufferizationOptions(), sparsificationOptions,
      /*createSparseDeallocs=*/true, options.enableRuntimeLibrary,
      /*enableBufferInitialization=*/false, vl,
      /*enableVLAVectorization=*/false, /*enableSIMDIndex32=*/false,
      /*enableGPULibgen=*/false, SparseEmitStrategy::kFunctional,
      parallelization));
  // Free temporaries (the sparsifier's pipeline leaks every buffer it
  // allocates; freed buffers are also reused by malloc instead of being
  // page-faulted in again on every call).
  // Returned buffers the function does not own (a view of an argument, a
  // global) are cloned, so the caller can always free a result.
  // Not with the runtime library: its calls (sparseValuesF32, ...) return
  // views of its own storage, which ownership-based deallocation takes as
  // owned by the caller and frees (AddressSanitizer: alloc-dealloc mismatch,
  // then a double free when the runtime destroys the tensor). That path still
  // leaks its temporaries, as upstream's sparsifier pipeline does.
  if (!options.enableRuntimeLibrary) {
    bufferization::buildBufferDeallocationPipeline(pm);
    pm.addPass(createConvertBufferizationToMemRefPass());
  }
  // With threads: upstream's COO iteration state, shared by every thread of
  // a parallel loop, becomes private to each iteration.
  if (parallel)
    pm.addNestedPass<func::FuncOp>(createSNNPrivatizeAllocasPass());
  // Zero-initialized outputs are filled, not copied from a constant global.
  pm.addPass(createSNNSplatCopiesToFillsPass());
  pm.addPass(createStorageSpecifierToLLVMPass());
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());

  // A convolution's loop over images (conv-image-loop): OpenMP threads with
  // threads > 1.
  if (parallel)
    pm.addPass(createForallToParallelLoopPass());
  else
    pm.addPass(createForallToForLoopPass());
  // Row copies (im2col, bias broadcasts) as vector loads and stores; LLVM
  // vectorizes the im2col's loops with gathers and scatters otherwise.
  SNNVectorizeCopiesPassOptions copies;
  copies.vectorLength = vl;
  copies.parallel = parallel;
  pm.addNestedPass<func::FuncOp>(createSNNVectorizeCopiesPass(copies));
  // To the LLVM dialect. With threads, scf.parallel becomes OpenMP before the
  // memref lowering; convert-scf-to-cf must come after finalize-memref-to-llvm
  // then, or OpenMP's alloca_scope ends up with several blocks.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass());
  pm.addNestedPass<func::FuncOp>(memref::createExpandReallocPass());
  if (parallel) {
    ConvertSCFToOpenMPPassOptions ompOptions;
    ompOptions.numThreads = options.threads;
    pm.addPass(createConvertSCFToOpenMPPass(ompOptions));
  }
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addNestedPass<func::FuncOp>(createSCFToControlFlowPass());
  pm.addNestedPass<func::FuncOp>(createConvertComplexToStandardPass());
  pm.addNestedPass<func::FuncOp>(arith::createArithExpandOpsPass());
  pm.addNestedPass<func::FuncOp>(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertComplexToLibm());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertComplexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  if (parallel)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

std::string snn::validateCpuPipelineOptions(const CpuPipelineOptions &options) {
  std::string message;
  llvm::raw_string_ostream os(message);
  StringRef report = options.report;
  if (options.vectorLength < -1 || options.vectorLength > kMaxVectorLength)
    os << "vl=" << options.vectorLength
       << " is out of range: -1 (the host's), 0 (no vectors) or 1 to "
       << kMaxVectorLength << " lanes";
  else if (options.threads < 1)
    os << "threads=" << options.threads << " is out of range: 1 or more";
  else if (options.gather < -1 || options.gather > 1)
    os << "gather=" << options.gather
       << " is out of range: -1 (the host's choice), 0 (scalar loads) or 1 "
          "(vector gathers)";
  else if (options.batchSize < 1)
    os << "batch-size=" << options.batchSize << " is out of range: 1 or more";
  else if (report != "none" && report != "text" && report != "json")
    os << "report='" << report << "' is not one of none, text, json";
  return message;
}

/// Registers pipeline `name` so that invalid options are errors ("name:
/// why", from `validate`) instead of being ignored.
template <typename Options>
static void registerValidatedPipeline(StringRef name, StringRef description,
                                      std::string (*validate)(const Options &),
                                      void (*build)(OpPassManager &,
                                                    const Options &)) {
  std::string prefix = name.str() + ": ";
  registerPassPipeline(
      name, description,
      [=](OpPassManager &pm, StringRef text,
          function_ref<LogicalResult(const Twine &)> errorHandler) {
        Options options;
        if (failed(options.parseFromString(text)))
          return failure();
        std::string invalid = validate(options);
        if (!invalid.empty())
          return errorHandler(prefix + invalid);
        build(pm, options);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(Options());
      });
}

void snn::registerPipelines() {
  registerValidatedPipeline<CpuPipelineOptions>(
      "sparsenn-cpu-pipeline",
      "Compile snn (or linalg + sparse_tensor) IR for the host CPU down to "
      "the LLVM dialect: pack weights, lower snn to linalg, check legality, "
      "sparsify with vectors and OpenMP threads, lower to LLVM",
      validateCpuPipelineOptions, buildCpuPipeline);
  registerValidatedPipeline<GpuPipelineOptions>(
      "sparsenn-gpu-pipeline",
      "Compile snn IR for an NVIDIA GPU down to the LLVM dialect: layers in "
      "the matmul form, cuSPARSE calls and/or SparseNN's kernels (PTX "
      "embedded in a gpu.binary), host code calling runtime/cuda's mgpu* "
      "functions",
      validateGpuPipelineOptions, buildGpuPipeline);
  PassPipelineRegistration<AccelPipelineOptions>(
      "sparsenn-accel-pipeline",
      "Compile snn IR for a sparse accelerator (#sacc.arch) down to the LLVM "
      "dialect: linear layers become sacc launches run by runtime/accel's "
      "simulator, every other op runs on the CPU",
      buildAccelPipeline);
}
