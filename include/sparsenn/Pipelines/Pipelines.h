//===- Pipelines.h - SparseNN's compilation pipelines -----------*- C++ -*-===//
//
// Part of SparseNN. Each target is one pipeline: a C++ function taking a plain
// options struct, registered with PassPipelineRegistration.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_PIPELINES_PIPELINES_H
#define SPARSENN_PIPELINES_PIPELINES_H

#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "sparsenn/Dialect/SNN/Transforms/Passes.h" // kMaxVectorLength

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::snn {

/// Options of `sparsenn-cpu-pipeline`.
struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  PassOptions::Option<int> vectorLength{
      *this, "vl",
      llvm::cl::desc(
          "Vector length (f32 lanes) of the sparse loops. -1 (the default) "
          "picks it from the host CPU's features: 16 with AVX-512F, 8 with "
          "AVX2, 4 otherwise; 0 turns vectorization off"),
      llvm::cl::init(-1)};
  PassOptions::Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("OpenMP threads for the outer dense loops (the batch "
                     "loop of a layer). 1 (the default) is sequential; "
                     "running the result then needs libomp"),
      llvm::cl::init(1)};
  PassOptions::Option<bool> enableRuntimeLibrary{
      *this, "enable-runtime-library",
      llvm::cl::desc("Let sparse tensor ops call MLIR's sparse runtime "
                     "library (libmlir_c_runner_utils) instead of generating "
                     "direct code (default false: direct code, no runtime)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> selectFormats{
      *this, "select-formats",
      llvm::cl::desc("Choose each constant weight's format with the CPU cost "
                     "model (snn-select-formats; default false: keep the "
                     "encodings of the input)"),
      llvm::cl::init(false)};
  PassOptions::Option<int64_t> batchSize{
      *this, "batch-size",
      llvm::cl::desc("Batch the format choice assumes for a dynamic batch "
                     "dimension (default 16)"),
      llvm::cl::init(16)};
  PassOptions::Option<std::string> report{
      *this, "report",
      llvm::cl::desc("Per-layer format report on stderr with select-formats: "
                     "none (default), text or json"),
      llvm::cl::init("none")};
  PassOptions::Option<bool> packWeights{
      *this, "pack-weights",
      llvm::cl::desc("Pack constant sparse weights into their format's "
                     "buffers at compile time (snn-pack-weights; default "
                     "true). Off, a sparse_tensor.convert of a dense "
                     "constant runs per call and a constant of sparse type "
                     "is rejected by the legality check"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> sparseKernels{
      *this, "sparse-kernels",
      llvm::cl::desc("Generate register-blocked kernels for the sparse "
                     "contractions they cover (snn-sparse-kernels: CSR, BSR, "
                     "N:M and dense weights; default true). Off, upstream's "
                     "sparsifier generates every kernel"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> convImageLoop{
      *this, "conv-image-loop",
      llvm::cl::desc("Compute a convolution with an im2col copy one image "
                     "at a time when the batch's im2col matrix takes 4 MiB "
                     "or more (convert-snn-to-linalg "
                     "conv-image-loop-min-bytes; default true). Off, the "
                     "whole batch's matrix is always written before the "
                     "product"),
      llvm::cl::init(true)};
  PassOptions::Option<int> gather{
      *this, "gather",
      llvm::cl::desc("How a matrix-vector row loads the activations by "
                     "coordinate (snn-sparse-kernels gather): 1 vector "
                     "gathers, 0 scalar loads put together into a vector; -1 "
                     "(the default) picks from the host CPU: scalar loads on "
                     "AMD Zen (LLVM's znver* CPUs; measured on Zen 5, whose "
                     "gathers deliver fewer elements per second), gathers on "
                     "others"),
      llvm::cl::init(-1)};
};

/// Options of `sparsenn-accel-pipeline`: the accelerator, and the CPU
/// options for the ops that fall back to the CPU.
struct AccelPipelineOptions : public PassPipelineOptions<AccelPipelineOptions> {
  PassOptions::Option<std::string> arch{
      *this, "arch",
      llvm::cl::desc("The accelerator: a preset (eie, scnn, cambricon-x, "
                     "tc-2:4, dense, dense-decompress) or a #sacc.arch<...> "
                     "attribute (default scnn)"),
      llvm::cl::init("scnn")};
  PassOptions::Option<double> actDensity{
      *this, "act-density",
      llvm::cl::desc("Fraction of nonzero activations after a ReLU that the "
                     "analytical model assumes (default 0.5)"),
      llvm::cl::init(0.5)};
  PassOptions::Option<std::string> report{
      *this, "report",
      llvm::cl::desc("Per-layer mapping report on stderr: none (default), "
                     "text or json"),
      llvm::cl::init("none")};
  PassOptions::Option<int> vectorLength{
      *this, "vl",
      llvm::cl::desc("Vector length of the CPU code for ops the accelerator "
                     "does not run (-1, the default: from the host CPU)"),
      llvm::cl::init(-1)};
  PassOptions::Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("OpenMP threads of the CPU code (default 1)"),
      llvm::cl::init(1)};
};

/// Options of `sparsenn-gpu-pipeline`.
struct GpuPipelineOptions : public PassPipelineOptions<GpuPipelineOptions> {
  PassOptions::Option<std::string> strategy{
      *this, "strategy",
      llvm::cl::desc(
          "How sparse layers run on the GPU: codegen (SparseNN's kernels, "
          "snn-parallel-loops-to-gpu), library (cuSPARSE SpMM/SpMV through "
          "upstream's libgen; what it does not match runs on the host) or "
          "auto (the default: cuSPARSE where it matches, kernels for the "
          "rest)"),
      llvm::cl::init("auto")};
  PassOptions::Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("The GPU architecture the kernels are compiled for "
                     "(default sm_90)"),
      llvm::cl::init("sm_90")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features of the kernels (default +ptx80)"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads per block of the generated kernels (1 to "
                     "1024; default 256)"),
      llvm::cl::init(256)};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("How the kernels are embedded: isa (PTX text, the "
                     "default; needs no ptxas, the driver JIT-compiles it), "
                     "bin (a cubin for `chip`, needs ptxas) or fatbin"),
      llvm::cl::init("isa")};
  PassOptions::Option<bool> emulate{
      *this, "emulate",
      llvm::cl::desc("Run the generated kernels and device buffers on the "
                     "host (snn-emulate-gpu-on-host), to test the code "
                     "generation without a GPU; cuSPARSE's products run as "
                     "host loops (default false)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> selectFormats{
      *this, "select-formats",
      llvm::cl::desc("Choose each constant weight's format with the GPU "
                     "cost model (snn-select-formats target=gpu: dense or "
                     "cuSPARSE CSR/CSC; default false)"),
      llvm::cl::init(false)};
  PassOptions::Option<int64_t> batchSize{
      *this, "batch-size",
      llvm::cl::desc("Batch the format choice assumes for a dynamic batch "
                     "(default 16)"),
      llvm::cl::init(16)};
  PassOptions::Option<std::string> report{
      *this, "report",
      llvm::cl::desc("Per-layer format report with select-formats: none "
                     "(default), text or json"),
      llvm::cl::init("none")};
  PassOptions::Option<bool> remarks{
      *this, "remarks",
      llvm::cl::desc("Remark on every parallel loop that stays on the host "
                     "and why (snn-parallel-loops-to-gpu remarks; default "
                     "false)"),
      llvm::cl::init(false)};
};

/// The sparsifier's one-shot bufferization options with buffer copies as
/// linalg.copy (loops, not the runtime's memrefCopy), for every pipeline.
bufferization::OneShotBufferizationOptions getSparseBufferizationOptions();

/// The vector length the host CPU's features support for f32: 16 with
/// AVX-512F, 8 with AVX2, 4 otherwise.
unsigned getHostVectorLength();

/// Whether the host CPU's vector gathers beat scalar loads at fetching the
/// activations of a matrix-vector row: false on AMD Zen (LLVM's znver*
/// CPUs; Zen 5: 3.3 G elements/s by zmm gather, 4.8 by scalar loads from
/// L1, bench/micro/gather.cpp), true on the others.
bool hostPrefersGathers();

/// snn -> linalg -> legality check -> upstream sparsifier -> LLVM dialect.
/// Public functions are exported with the C interface and take sparse
/// arguments as their format's buffers (--sparse-assembler).
void buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options);

/// Why the CPU pipeline's options are invalid, or "" when they are valid.
std::string validateCpuPipelineOptions(const CpuPipelineOptions &options);

/// snn -> sacc (convert-snn-to-sacc) -> calls into runtime/accel
/// (convert-sacc-to-runtime), then the CPU pipeline for everything else.
void buildAccelPipeline(OpPassManager &pm, const AccelPipelineOptions &options);

/// snn -> linalg in the matmul form (W . xT) -> legality check -> upstream's
/// sparsifier (with cuSPARSE libgen for strategy library/auto) ->
/// snn-parallel-loops-to-gpu -> kernels outlined, NVVM, embedded as
/// gpu.binary -> host code calling the mgpu* functions of runtime/cuda.
/// The options must be valid (validateGpuPipelineOptions).
void buildGpuPipeline(OpPassManager &pm, const GpuPipelineOptions &options);

/// Why the options are invalid, or "" when they are valid.
std::string validateGpuPipelineOptions(const GpuPipelineOptions &options);

/// What a JIT front end (sparse-runner, the Python package) asks of a target.
struct TargetPipelineOptions {
  std::string target = "cpu"; ///< cpu, accel or gpu-emulated.
  std::string arch = "scnn";  ///< accel: a preset or a #sacc.arch<...>.
  unsigned threads = 1;       ///< OpenMP threads of the host code.
  unsigned gpuThreads = 256;  ///< gpu-emulated: threads per block.
  std::string gpuStrategy = "codegen"; ///< gpu-emulated: codegen, library
                                       ///< or auto.
  int vectorLength = -1;               ///< -1: from the host CPU; 0: off.
  int gather = -1; ///< cpu: matrix-vector gathers (1) or scalar loads (0);
                   ///< -1: the host CPU's choice.
  bool selectFormats = false; ///< cpu, gpu-emulated: the cost model chooses.
  int64_t batchSize = 16;     ///< The batch the format choice assumes.
  std::string report;         ///< "", text or json (implies selectFormats).
  bool enableRuntimeLibrary = false; ///< cpu: MLIR's sparse runtime library.
  bool packWeights = true;           ///< cpu: pack constant weights.
};

/// Builds `options.target`'s pipeline into `pm` (the GPU's with codegen
/// kernels emulated on the host), or returns why the options are invalid
/// without building anything ("" when it built).
std::string buildTargetPipeline(MLIRContext *ctx, OpPassManager &pm,
                                const TargetPipelineOptions &options);

/// Registers `sparsenn-cpu-pipeline`, `sparsenn-gpu-pipeline` and
/// `sparsenn-accel-pipeline`.
void registerPipelines();

} // namespace mlir::snn

#endif // SPARSENN_PIPELINES_PIPELINES_H
