// RUN: sparse-opt %s --sparsenn-cpu-pipeline="vl=8" | FileCheck %s --check-prefix=VL8
// RUN: sparse-opt %s --sparsenn-cpu-pipeline="vl=0" | FileCheck %s --check-prefix=SCALAR
// RUN: sparse-opt %s --sparsenn-cpu-pipeline="threads=2" | FileCheck %s --check-prefix=OMP
// RUN: sparse-opt %s --sparsenn-cpu-pipeline="enable-runtime-library=true" | FileCheck %s --check-prefix=RT
// RUN: not sparse-opt %s --sparsenn-cpu-pipeline="pack-weights=false" 2>&1 | FileCheck %s --check-prefix=NOPACK
// RUN: sparse-opt %s --sparsenn-cpu-pipeline="vl=16" --mlir-print-ir-after=snn-sparse-kernels 2>&1 | FileCheck %s --check-prefix=KERNELS
// RUN: sparse-opt %s --sparsenn-cpu-pipeline="vl=16 sparse-kernels=false" --mlir-print-ir-after=snn-sparse-kernels 2>&1 | FileCheck %s --check-prefix=NOKERNELS
// RUN: sparse-opt %s --sparsenn-cpu-pipeline="vl=16" | FileCheck %s --check-prefix=FREE
// gather= reaches snn-sparse-kernels (-1, the default, picks by host CPU).
// RUN: sparse-opt %s --sparsenn-cpu-pipeline="gather=0" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=GATHER0
// RUN: sparse-opt %s --sparsenn-cpu-pipeline="gather=1" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=GATHER1
// GATHER0: snn-sparse-kernels{gather=false
// GATHER1: snn-sparse-kernels{gather=true
// Invalid options are errors, not ignored.
// RUN: not sparse-opt %s --sparsenn-cpu-pipeline="vl=2000" 2>&1 | FileCheck %s --check-prefix=BADVL
// RUN: not sparse-opt %s --sparsenn-cpu-pipeline="vl=-2" 2>&1 | FileCheck %s --check-prefix=BADVL
// RUN: not sparse-opt %s --sparsenn-cpu-pipeline="threads=0" 2>&1 | FileCheck %s --check-prefix=BADTHREADS
// RUN: not sparse-opt %s --sparsenn-cpu-pipeline="batch-size=0" 2>&1 | FileCheck %s --check-prefix=BADBATCH
// RUN: not sparse-opt %s --sparsenn-cpu-pipeline="report=xml" 2>&1 | FileCheck %s --check-prefix=BADREPORT
// RUN: not sparse-opt %s --sparsenn-cpu-pipeline="gather=2" 2>&1 | FileCheck %s --check-prefix=BADGATHER
// BADVL: error: sparsenn-cpu-pipeline: vl={{-2|2000}} is out of range: -1 (the host's), 0 (no vectors) or 1 to 1024 lanes
// BADTHREADS: error: sparsenn-cpu-pipeline: threads=0 is out of range: 1 or more
// BADBATCH: error: sparsenn-cpu-pipeline: batch-size=0 is out of range: 1 or more
// BADREPORT: error: sparsenn-cpu-pipeline: report='xml' is not one of none, text, json
// BADGATHER: error: sparsenn-cpu-pipeline: gather=2 is out of range: -1 (the host's choice), 0 (scalar loads) or 1 (vector gathers)

// Both CSR layers get snn-sparse-kernels' register-blocked loops (each a
// chunk of 64 batch lanes: 4 vectors of 16); with sparse-kernels=false the
// pass does not run and the sparsifier takes them.
// KERNELS: IR Dump After SNNSparseKernelsPass
// KERNELS-COUNT-2: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// NOKERNELS-NOT: IR Dump After SNNSparseKernelsPass
// Temporaries are freed before the call returns.
// FREE: llvm.call @free

// The whole pipeline ends in the LLVM dialect. The public function takes its
// sparse argument as buffers (positions, coordinates, values) and is exported
// with the C interface; the packed constant weight is a global, not converted
// per call.

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>

func.func @mlp(%x: tensor<?x16xf32>, %w1: tensor<32x16xf32, #CSR>) -> tensor<?x4xf32> {
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

// VL8-NOT: snn.
// VL8-NOT: linalg.
// VL8-NOT: sparse_tensor.
// VL8-DAG: llvm.mlir.global private constant @{{.*}}(dense_resource<snn_weight_values> : tensor<4xf32>) {{.*}} : !llvm.array<4 x f32>
// VL8-DAG: llvm.func @mlp(
// VL8-DAG: llvm.func @_mlir_ciface_mlp(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) attributes {llvm.emit_c_interface}
// VL8-DAG: vector<8xf32>

// SCALAR-NOT: vector<
// SCALAR: llvm.func @_mlir_ciface_mlp

// OMP: omp.parallel
// OMP: omp.loop

// RT: llvm.call @newSparseTensor
// RT: llvm.func @_mlir_ciface_mlp

// Unpacked, a constant of sparse type is stopped by the legality check.
// NOPACK: error: a constant of sparse type {{.*}} fails in the sparsifier; pack it with snn-pack-weights
