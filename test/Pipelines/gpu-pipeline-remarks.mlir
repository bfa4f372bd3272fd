// RUN: sparse-opt %s --sparsenn-gpu-pipeline="strategy=codegen remarks=true" -o /dev/null 2>&1 | FileCheck %s
// RUN: sparse-opt %s --sparsenn-gpu-pipeline="strategy=codegen" -o /dev/null 2>&1 | FileCheck %s --check-prefix=QUIET --allow-empty

// The GPU pipeline's `remarks` option reaches snn-parallel-loops-to-gpu: a
// parallel loop that carries a reduction stays on the host, and says so
// with its location; without the option nothing is printed.
// CHECK: gpu-pipeline-remarks.mlir:[[@LINE+8]]:{{[0-9]+}}: remark: this loop stays on the host: it carries a reduction
// CHECK-NOT: remark:
// QUIET-NOT: remark:
func.func @main(%m: memref<64xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.parallel (%i) = (%c0) to (%c64) step (%c1) init (%zero) -> f32 {
    %v = memref.load %m[%i] : memref<64xf32>
    scf.reduce(%v : f32) {
    ^bb0(%a: f32, %b: f32):
      %s = arith.addf %a, %b : f32
      scf.reduce.return %s : f32
    }
  }
  return %sum : f32
}
