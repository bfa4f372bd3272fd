// RUN: sparse-opt %s -split-input-file -snn-prune="recipe=magnitude" -verify-diagnostics
// RUN: not sparse-opt %s -snn-prune="recipe=diagonal" 2>&1 | FileCheck %s --check-prefix=RECIPE
// RUN: not sparse-opt %s -snn-prune="recipe=nm n=4 m=4" 2>&1 | FileCheck %s --check-prefix=NM
// RUN: not sparse-opt %s -snn-prune="recipe=magnitude sparsity=1.5" 2>&1 | FileCheck %s --check-prefix=SPARSITY
// RECIPE: error: snn-prune: unknown recipe 'diagonal' (expected none, magnitude, nm, block or channel)
// NM: error: snn-prune: nm needs 1 <= n < m, got n = 4, m = 4
// SPARSITY: error: snn-prune: sparsity must be in [0, 1], got 1.5

func.func @argument_weight(%x: tensor<1x4xf32>, %w: tensor<2x4xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{cannot prune a weight that is not a constant}}
  %y = snn.linear %x, %w : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

func.func @bad_attribute(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x4xf32>
  // expected-error @+1 {{'snn.prune' must be a #snn.pattern}}
  %y = snn.linear %x, %w {snn.prune = 0.5 : f64} : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
