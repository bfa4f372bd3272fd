//===- AccelPipeline.cpp - The accelerator pipeline -----------------------===//
//
// Part of SparseNN. Layers the accelerator takes become sacc launches and
// then calls into runtime/accel; the CPU pipeline compiles the rest (the
// ops the arch lacks, and the host code around the launches).
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Conversion/Passes.h"
#include "sparsenn/Pipelines/Pipelines.h"

using namespace mlir;

void snn::buildAccelPipeline(OpPassManager &pm,
                             const AccelPipelineOptions &options) {
  ConvertSNNToSAccPassOptions toSAcc;
  toSAcc.arch = options.arch;
  toSAcc.actDensity = options.actDensity;
  toSAcc.report = options.report;
  pm.addPass(createConvertSNNToSAccPass(toSAcc));
  pm.addPass(createConvertSAccToRuntimePass());
  CpuPipelineOptions cpu;
  cpu.vectorLength = options.vectorLength;
  cpu.threads = options.threads;
  buildCpuPipeline(pm, cpu);
}
