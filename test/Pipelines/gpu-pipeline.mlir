// RUN: sparse-opt %s --sparsenn-gpu-pipeline="strategy=codegen threads=128" | FileCheck %s --check-prefix=CODEGEN
// RUN: sparse-opt %s --sparsenn-gpu-pipeline="strategy=codegen" -o %t.codegen.mlir
// RUN: FileCheck %s --check-prefix=RESIDENT < %t.codegen.mlir
// RUN: FileCheck %s --check-prefix=RESCALLS < %t.codegen.mlir
// RUN: sparse-opt %s --sparsenn-gpu-pipeline="strategy=library" -o %t.library.mlir
// RUN: FileCheck %s --check-prefix=LIBRARY < %t.library.mlir
// RUN: FileCheck %s --check-prefix=LIBRESIDENT < %t.library.mlir
// RUN: FileCheck %s --check-prefix=LIBCALLS < %t.library.mlir
// RUN: sparse-opt %s --sparsenn-gpu-pipeline | FileCheck %s --check-prefix=AUTO
// RUN: sparse-opt %s --sparsenn-gpu-pipeline="strategy=codegen chip=sm_80" | FileCheck %s --check-prefix=SM80
// RUN: sparse-opt %s --sparsenn-gpu-pipeline="strategy=codegen emulate=true" | FileCheck %s --check-prefix=EMULATE
// RUN: sparse-opt %s --sparsenn-gpu-pipeline="strategy=codegen" --mlir-print-ir-after=convert-snn-to-linalg 2>&1 | FileCheck %s --check-prefix=FORM
// RUN: sparse-opt %s --sparsenn-gpu-pipeline | sparse-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR
// RUN: not sparse-opt %s --sparsenn-gpu-pipeline="strategy=fast" 2>&1 | FileCheck %s --check-prefix=BADSTRATEGY
// RUN: not sparse-opt %s --sparsenn-gpu-pipeline="threads=0" 2>&1 | FileCheck %s --check-prefix=BADTHREADS
// RUN: not sparse-opt %s --sparsenn-gpu-pipeline="format=ptx" 2>&1 | FileCheck %s --check-prefix=BADFORMAT
// RUN: sparse-opt %s --sparsenn-gpu-pipeline="strategy=library emulate=true" | FileCheck %s --check-prefix=EMULATE

// Both layers are one 2-D matmul each with the sparse weight on the left
// (yT = W . xT), the form upstream's cuSPARSE matcher takes.
// FORM-LABEL: IR Dump After ConvertSNNToLinalgPass
// FORM-COUNT-2: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<{{[0-9]+}}x{{[0-9]+}}xf32, #sparse>, tensor<{{[0-9]+}}x?xf32>)

// codegen: SparseNN's kernels (transposes, the two sparse products, the
// ReLU), PTX for sm_90 with the requested block size, launched from the host
// code; no cuSPARSE call.
// The packed weights are read from the runtime's resident device copies
// (made on the first call), not copied per call: only the input and the
// result cross the bus (2 mgpuMemcpy call sites).
// RESIDENT-COUNT-2: llvm.call @mgpuMemcpy(
// RESIDENT-NOT: llvm.call @mgpuMemcpy(
// RESCALLS-DAG: llvm.call @sparsenn_gpu_resident_f32(
// RESCALLS-DAG: llvm.call @sparsenn_gpu_resident_index(
// RESCALLS-DAG: llvm.func @_mlir_ciface_sparsenn_gpu_resident_f32(!llvm.ptr, !llvm.ptr)
// CODEGEN-NOT: mgpuSpMM
// CODEGEN-COUNT-3: gpu.launch_func
// CODEGEN: llvm.func @_mlir_ciface_mlp
// CODEGEN: gpu.binary @{{.*}} [#gpu.object<#nvvm.target<chip = "sm_90", features = "+ptx80">, {{.*}}assembly = "{{.*}}.target sm_90{{.*}}.maxntid 128, 1, 1
// CODEGEN-NOT: mgpuSpMM

// library: cuSPARSE SpMM for both layers, everything else on the host: no
// kernel at all.
// LIBRARY-NOT: gpu.binary
// LIBRARY: llvm.call @mgpuCreateCsr
// LIBRARY: llvm.call @mgpuSpMM(
// LIBRARY: llvm.call @mgpuCreateCsr
// LIBRARY: llvm.call @mgpuSpMM(
// The host temporaries (x^T, y^T and the layers' outputs) are freed at the
// return (snn-free-temporaries); the result is not.
// LIBRARY-COUNT-6: llvm.call @free(
// LIBRARY-NOT: llvm.call @free(
// LIBRARY: llvm.return
// LIBRARY-NOT: gpu.binary

// cuSPARSE reads the packed weights (positions, coordinates, values) from the
// runtime's resident device copies (snn-gpu-resident-constants): per call,
// only each layer's input, and its output both ways, cross the bus (6
// mgpuMemcpy call sites, 12 without the pass).
// LIBRESIDENT-COUNT-6: llvm.call @mgpuMemcpy(
// LIBRESIDENT-NOT: llvm.call @mgpuMemcpy(
// LIBCALLS-DAG: llvm.call @sparsenn_gpu_resident_f32(
// LIBCALLS-DAG: llvm.call @sparsenn_gpu_resident_index(

// auto: cuSPARSE for the products, kernels for the rest.
// AUTO-DAG: llvm.call @mgpuSpMM(
// AUTO-DAG: gpu.launch_func
// AUTO-DAG: gpu.binary

// SM80: .target sm_80

// emulate: the same kernels as host loops; no GPU op or call is left.
// EMULATE-NOT: gpu.
// EMULATE-NOT: mgpu
// EMULATE: llvm.func @_mlir_ciface_mlp
// EMULATE-NOT: gpu.
// EMULATE-NOT: mgpu

// The host code's LLVM IR calls runtime/cuda's mgpu* functions: module load
// (the PTX is JIT-compiled by the driver), launch, memory, cuSPARSE.
// LLVMIR-DAG: declare ptr @mgpuModuleLoadJIT(ptr, i32)
// LLVMIR-DAG: declare void @mgpuLaunchKernel(ptr, i64, i64, i64, i64, i64, i64, i32, ptr, ptr, ptr, i64)
// LLVMIR-DAG: declare ptr @mgpuMemAlloc(i64, ptr, i8)
// LLVMIR-DAG: declare ptr @mgpuCreateCsr(
// LLVMIR-DAG: declare void @mgpuSpMM(
// LLVMIR-DAG: define void @_mlir_ciface_mlp(

// BADSTRATEGY: sparsenn-gpu-pipeline: strategy='fast' is not one of codegen, library, auto
// BADTHREADS: sparsenn-gpu-pipeline: threads=0 is out of range: a block has 1 to 1024 threads
// BADFORMAT: sparsenn-gpu-pipeline: format='ptx' is not one of isa, bin, fatbin

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>

func.func @mlp(%x: tensor<?x16xf32>) -> tensor<?x4xf32> {
  %w1 = arith.constant dense<[
    [2.04, 0.00, 0.00, 0.00, 0.00, 0.00, -2.02, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, -1.06, 0.00],
    [0.48, -0.24, 0.00, 0.00, 0.00, 0.00, 0.00, -0.51, 0.00, 0.00, 0.00, 0.00, 0.00, 1.00, 0.00, -0.29],
    [0.88, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, -1.08, 0.03, -0.05, 0.00, 0.00],
    [0.00, 1.11, 0.00, 0.00, 0.00, 0.00, 0.00, -0.78, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.00, 0.00, 0.00, 0.00, -0.50, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 1.41, 0.00, -0.37, -1.72],
    [1.68, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.00, 0.00, 0.53, 0.00, 0.00, 0.00, 0.00, -0.98, 0.00, 0.00, 0.00, 0.00, -0.20, 0.00, 0.00],
    [0.00, 0.74, 1.37, 0.00, -0.19, -0.81, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.48, 0.00, -0.25],
    [0.00, 0.00, 0.00, 0.52, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, -0.78, -0.48, 0.00, -0.33],
    [0.85, 0.00, 0.00, 0.81, 0.64, 0.00, -2.09, 0.00, 0.00, 0.00, 0.00, 1.08, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.00, -0.55, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 1.63, 0.00, 0.00, 0.00, -1.61, 0.00, -1.76, 0.00],
    [0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, -0.13, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.00, -1.95, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, -0.15, 0.00, 0.00, 0.00, 0.74, 0.00, -0.66],
    [-0.08, 0.00, 0.00, 0.00, -1.01, 0.00, 0.00, 0.00, 0.00, 0.13, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.00, 1.77, 0.00, 0.00, 0.00, 0.00, 0.56, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.00, 0.00, 0.00, 0.00, 0.00, -0.21, 0.00, 0.00, 0.00, 0.00, 0.00, 1.19, 0.00, 1.49, 0.00],
    [0.00, 0.00, -1.53, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.00, 0.00, 0.86, 0.00, 0.00, 0.00, 0.03, 0.00, 0.00, 0.00, 0.00, 0.00, 0.55, 0.00, 0.00],
    [-0.47, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 2.91, 0.93, 0.00, 0.00, 0.36, 0.00, 0.00],
    [0.00, -3.06, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, -1.08, 0.00, 1.45, 0.11, 0.00, 0.10, 0.84, 0.00],
    [0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, -2.55, 0.00, 0.00, 0.00],
    [0.00, 0.00, 0.58, 0.00, -1.19, 0.00, 0.26, 0.00, 0.00, 1.74, 0.00, 0.00, -0.52, 0.00, 0.00, 0.00],
    [1.08, 0.58, 0.00, 0.00, -0.06, 0.00, 0.30, 0.79, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.00, 0.00, 0.46, 0.00, 0.00, 0.00, 0.98, 0.00, 1.16, 0.54, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.00, -1.11, 0.00, 0.09, 0.00, 0.00, 0.00, 0.00, 0.00, -1.58, 0.00, 0.00, -0.41, -0.80, 0.00],
    [0.00, 0.00, 0.00, 0.00, -0.72, 0.00, 0.00, 0.00, 0.00, 1.29, 0.00, -0.16, 0.00, 0.00, 0.83, 0.72],
    [0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.79, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.00, -1.39, 0.00, 0.00, 0.00, 0.00, -0.30, 0.00, -0.14, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.00, 0.71, 0.00, 0.00, 0.00, 0.00, 0.09, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, -0.01]
  ]> : tensor<32x16xf32, #CSR>
  %w2 = arith.constant dense<[
    [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
  ]> : tensor<4x32xf32, #CSR>
  %h = snn.linear %x, %w1 : (tensor<?x16xf32>, tensor<32x16xf32, #CSR>) -> tensor<?x32xf32>
  %a = snn.relu %h : (tensor<?x32xf32>) -> tensor<?x32xf32>
  %y = snn.linear %a, %w2 : (tensor<?x32xf32>, tensor<4x32xf32, #CSR>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

