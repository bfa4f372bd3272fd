// RUN: sparse-opt %s --sparsenn-cpu-pipeline="select-formats=true report=text" 2>&1 -o /dev/null | FileCheck %s

// select-formats=true runs snn-select-formats first; report=text prints its
// table: an identity 8x8 weight (87.5% sparse, and 1:4 along IN) is stored
// sparse.

// CHECK: layer{{ +}}op{{ +}}weight
// CHECK-NEXT: {{.*}}snn.linear{{ +}}8x8{{ +}}0.875{{ +}}unstructured{{ +}}{{dcsr|csr|coo|csc|nm 1:4}}
func.func @main(%x: tensor<32x8xf32>) -> tensor<32x8xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]]> : tensor<8x8xf32>
  %y = snn.linear %x, %w : (tensor<32x8xf32>, tensor<8x8xf32>) -> tensor<32x8xf32>
  return %y : tensor<32x8xf32>
}
