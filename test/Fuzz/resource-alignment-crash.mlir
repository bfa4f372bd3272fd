// RUN: not sparse-opt %s 2>&1 | FileCheck %s
// RUN: not sparse-runner %s --entry=f 2>&1 | FileCheck %s --check-prefix=RUNNER

// Found by tools/fuzz (sparsenn-fuzz-pipeline under ASan, seed 15): a weight
// blob whose first 4 bytes, the alignment of its data, are 0. MLIR 22's
// parser rejects an alignment of 3 with a diagnostic but hands 0 to the
// allocator, which aborts (mlir-opt crashes the same). The tools reject it
// before parsing.
// CHECK: resource-alignment-crash.mlir:[[@LINE+14]]: error: a resource blob whose alignment (its first 4 bytes) is 0; it must be a power of two
// RUNNER: sparse-runner: error: {{.*}}resource-alignment-crash.mlir:[[@LINE+13]]: a resource blob whose alignment

func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w = arith.constant dense_resource<w> : tensor<2xf32>
  %v = arith.constant dense_resource<v> : tensor<2xf32>
  %y = arith.addf %x, %w : tensor<2xf32>
  %z = arith.addf %y, %v : tensor<2xf32>
  return %z : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      v: "0x040000000000803F00000040",
      w: "0x000000000000803F00000040"
    }
  }
#-}
