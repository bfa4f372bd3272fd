// RUN: sparse-opt %s -split-input-file -snn-prune="recipe=magnitude sparsity=0.5" | FileCheck %s --check-prefix=MAG
// RUN: sparse-opt %s -split-input-file -snn-prune="recipe=nm n=1 m=4" | FileCheck %s --check-prefix=NM
// RUN: sparse-opt %s -split-input-file -snn-prune="recipe=block block=2,2 sparsity=0.5" | FileCheck %s --check-prefix=BLOCK
// RUN: sparse-opt %s -split-input-file -snn-prune="recipe=channel sparsity=0.25" | FileCheck %s --check-prefix=CHAN
// RUN: sparse-opt %s -split-input-file -snn-prune | FileCheck %s --check-prefix=NONE

// Rows: [1 -2 3 -4 5 -6 7 -8], [8 7 6 5 4 3 2 1], [.1 .2 ... .8], [-1 1 -1 1 ...].
//
// Magnitude 50%: the 8 smallest (row 2) and then eight of the ten |w| = 1 in
// position order (row 0's 1, row 1's 1, the first six of row 3): 16 zeros.
// MAG-LABEL: func.func @linear
// MAG: snn.linear {{.*}} {weight_pattern = #snn.pattern<unstructured, sparsity = 0.5>}
// MAG: w_pruned: "0x0400000000000000000000C000004040000080C00000A0400000C0C00000E040000000C1000000410000E0400000C0400000A040000080400000404000000040000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000080BF0000803F"
//
// 1:4: the largest |w| of every group of four along IN.
// NM: snn.linear {{.*}} {weight_pattern = #snn.pattern<nm = [1, 4]>}
// NM: w_pruned: "0x04000000000000000000000000000000000080C0000000000000000000000000000000C10000004100000000000000000000000000008040000000000000000000000000000000000000000000000000CDCCCC3E000000000000000000000000CDCC4C3F0000000000000000000000000000803F0000000000000000000000000000803F"
//
// 2x2 blocks by L2 norm: the 4 weakest of 8 blocks go (row 2/3's blocks
// [.1 .2; -1 1] ... have norms below rows 0/1's): rows 2-3 are all zero.
// BLOCK: snn.linear {{.*}} {weight_pattern = #snn.pattern<block = [2, 2], sparsity = 0.5>}
// BLOCK: w_pruned: "0x040000000000803F000000C000004040000080C00000A0400000C0C00000E040000000C1000000410000E0400000C0400000A0400000804000004040000000400000803F00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
//
// Channels: the output row with the smallest norm (row 2) goes.
// CHAN: snn.linear {{.*}} {weight_pattern = #snn.pattern<channel, sparsity = 0.25>}
// CHAN: w_pruned: "0x040000000000803F000000C000004040000080C00000A0400000C0C00000E040000000C1000000410000E0400000C0400000A0400000804000004040000000400000803F0000000000000000000000000000000000000000000000000000000000000000000080BF0000803F000080BF0000803F000080BF0000803F000080BF0000803F"
//
// recipe=none prunes nothing (no snn.prune attribute here).
// NONE-NOT: weight_pattern
func.func @linear(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense_resource<w> : tensor<4x8xf32>
  %y = snn.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F000000C000004040000080C00000A0400000C0C00000E040000000C1000000410000E0400000C0400000A0400000804000004040000000400000803FCDCCCC3DCDCC4C3E9A99993ECDCCCC3E0000003F9A99193F3333333FCDCC4C3F000080BF0000803F000080BF0000803F000080BF0000803F000080BF0000803F"
    }
  }
#-}

// -----

// A layer's own snn.prune attribute wins over the options; conv weights are
// pruned in their 2-D view (2:4 along C*KH*KW), and an encoding is kept.
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
// NONE-LABEL: func.func @override
// NONE: snn.conv2d {{.*}} {weight_pattern = #snn.pattern<nm = [2, 4]>}
// NONE: snn.linear %{{.*}}, %[[W:.*]] {weight_pattern = #snn.pattern<unstructured, sparsity = 0.75>} : (tensor<1x4xf32>, tensor<2x4xf32, #sparse>)
// MAG-LABEL: func.func @override
// MAG: snn.conv2d {{.*}} {weight_pattern = #snn.pattern<nm = [2, 4]>}
// MAG: snn.linear {{.*}} {weight_pattern = #snn.pattern<unstructured, sparsity = 0.75>}
func.func @override(%x: tensor<1x1x4x4xf32>, %v: tensor<1x4xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2xf32>) {
  %w = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]], [[[4.0, 3.0], [2.0, 1.0]]]]> : tensor<2x1x2x2xf32>
  %y = snn.conv2d %x, %w {snn.prune = #snn.pattern<nm = [2, 4]>} : (tensor<1x1x4x4xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x3x3xf32>
  %l = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32, #CSR>
  %z = snn.linear %v, %l {snn.prune = #snn.pattern<unstructured, sparsity = 0.75>} : (tensor<1x4xf32>, tensor<2x4xf32, #CSR>) -> tensor<1x2xf32>
  return %y, %z : tensor<1x2x3x3xf32>, tensor<1x2xf32>
}

// -----

// Global magnitude pruning ranks both layers together: the small layer
// loses everything, the large one nothing (50% overall).
// RUN: sparse-opt %s -split-input-file -snn-prune="recipe=magnitude sparsity=0.5 global=true" | FileCheck %s --check-prefix=GLOBAL
// GLOBAL-LABEL: func.func @global
// GLOBAL: snn.linear {{.*}} {weight_pattern = #snn.pattern<unstructured, sparsity = 1>}
// GLOBAL: snn.linear {{.*}} {weight_pattern = #snn.pattern<unstructured, sparsity = 0>}
func.func @global(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %a = arith.constant dense<[[0.1, 0.2], [0.3, 0.4]]> : tensor<2x2xf32>
  %b = arith.constant dense<[[5.0, 6.0], [7.0, 8.0]]> : tensor<2x2xf32>
  %y = snn.linear %x, %a : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %z = snn.linear %x, %b : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y, %z : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// Channel pruning shrinks a linear -> relu -> linear chain: rows 1 and 3 of
// the first weight (the weakest) go, with the second layer's columns 1 and 3;
// relu(bias1[1]) = 1.5 and relu(bias1[3]) = 2.0 fold into a new bias of the
// second layer (whose own channel pruning zeroed its first row):
// [0, -2*1.5 - 4*2.0] = [0, -11].
// RUN: sparse-opt %s -split-input-file -snn-prune="recipe=channel sparsity=0.5" | FileCheck %s --check-prefix=SHRINK
// SHRINK-LABEL: func.func @shrink
// SHRINK: %[[H:.*]] = snn.linear %arg0, %{{.*}} bias %{{.*}} {snn.pruned_channels = 2 : i64, weight_pattern = #snn.pattern<channel, sparsity = 0.5>} : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<?x2xf32>
// SHRINK: %[[A:.*]] = snn.relu %[[H]] : (tensor<?x2xf32>) -> tensor<?x2xf32>
// SHRINK: snn.linear %[[A]], %{{.*}} bias %{{.*}} {{.*}} : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
// SHRINK: snn_weight_shrunk: "0x040000000000003F000000BF"
// SHRINK: snn_bias_folded: "0x0400000000000000000030C1"
// RUN: sparse-opt %s -split-input-file -snn-prune="recipe=channel sparsity=0.5 shrink-channels=false" | FileCheck %s --check-prefix=NOSHRINK
// NOSHRINK-LABEL: func.func @shrink
// NOSHRINK: snn.linear {{.*}} : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
func.func @shrink(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w1 = arith.constant dense<[[1.0, 1.0, 1.0, 1.0], [0.1, 0.1, 0.1, 0.1], [2.0, -2.0, 2.0, -2.0], [0.01, 0.0, 0.0, 0.0]]> : tensor<4x4xf32>
  %b1 = arith.constant dense<[0.5, 1.5, -0.5, 2.0]> : tensor<4xf32>
  %w2 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [-1.0, -2.0, -3.0, -4.0]]> : tensor<2x4xf32>
  %h = snn.linear %x, %w1 bias %b1 : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %a = snn.relu %h : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %y = snn.linear %a, %w2 : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
