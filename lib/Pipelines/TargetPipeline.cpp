//===- TargetPipeline.cpp - One pipeline per JIT target -------------------===//
//
// Part of SparseNN. sparse-runner and the Python package compile for a target
// by name (cpu, accel, gpu-emulated) with the same few options; this builds
// the target's pipeline from them and says why a combination is invalid, so
// both front ends accept and reject the same things with the same words.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SAcc/IR/SAccAttrs.h"
#include "sparsenn/Pipelines/Pipelines.h"

using namespace mlir;

std::string snn::buildTargetPipeline(MLIRContext *ctx, OpPassManager &pm,
                                     const TargetPipelineOptions &options) {
  StringRef target = options.target, report = options.report;
  if (target != "cpu" && target != "accel" && target != "gpu-emulated")
    return "target must be cpu, accel or gpu-emulated, got '" + options.target +
           "'";
  if (options.threads == 0)
    return "threads must be at least 1";
  if (options.vectorLength < -1 || options.vectorLength > kMaxVectorLength)
    return "vl must be -1 (host CPU), 0 (off) or a vector length of 1 to " +
           std::to_string(kMaxVectorLength);
  if (!report.empty() && report != "text" && report != "json")
    return "report must be text or json, got '" + options.report + "'";
  if (options.batchSize < 1)
    return "batch size must be at least 1, got " +
           std::to_string(options.batchSize);
  // A report is the format choice's: it implies select-formats.
  bool select = options.selectFormats || !report.empty();

  if (target == "accel") {
    if (options.selectFormats)
      return "select-formats chooses CPU or GPU formats; on the accelerator "
             "its own model chooses them";
    std::string error;
    if (failed(sacc::parseArchOption(ctx, options.arch, error)))
      return error;
    AccelPipelineOptions accel;
    accel.arch = options.arch;
    if (!report.empty())
      accel.report = options.report;
    accel.vectorLength = options.vectorLength;
    accel.threads = options.threads;
    buildAccelPipeline(pm, accel);
    return "";
  }

  if (target == "gpu-emulated") {
    GpuPipelineOptions gpu;
    gpu.strategy = options.gpuStrategy;
    gpu.emulate = true;
    gpu.threads = options.gpuThreads;
    gpu.selectFormats = select;
    gpu.batchSize = options.batchSize;
    if (!report.empty())
      gpu.report = options.report;
    std::string invalid = validateGpuPipelineOptions(gpu);
    if (!invalid.empty())
      return invalid;
    buildGpuPipeline(pm, gpu);
    return "";
  }

  CpuPipelineOptions cpu;
  cpu.vectorLength = options.vectorLength;
  cpu.gather = options.gather;
  cpu.threads = options.threads;
  cpu.enableRuntimeLibrary = options.enableRuntimeLibrary;
  cpu.packWeights = options.packWeights;
  cpu.selectFormats = select;
  cpu.batchSize = options.batchSize;
  if (!report.empty())
    cpu.report = options.report;
  std::string invalid = validateCpuPipelineOptions(cpu);
  if (!invalid.empty())
    return invalid;
  buildCpuPipeline(pm, cpu);
  return "";
}
