// RUN: sparse-opt %s --split-input-file --snn-prune | FileCheck %s

// Channel pruning of a conv feeding an unpadded conv: the weaker filter of
// the first (norm 0.1) is removed, the second conv loses that input channel,
// and what the constant map relu(2.0) fed it, 2.0 * (4 x 0.5), folds into
// its bias: 0.25 + 4.0 = 4.25 (f32 0x40880000). 4-D filters keep their rank.
// CHECK-LABEL: func.func @conv_conv
// CHECK: %[[W1:.*]] = arith.constant dense_resource<{{.*}}> : tensor<1x1x1x1xf32>
// CHECK: %[[B1:.*]] = arith.constant dense_resource<{{.*}}> : tensor<1xf32>
// CHECK: %[[C1:.*]] = snn.conv2d %{{.*}}, %[[W1]] bias %[[B1]] {snn.pruned_channels = 1 : i64, {{.*}}} : (tensor<1x1x3x3xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>) -> tensor<1x1x3x3xf32>
// CHECK: %[[R:.*]] = snn.relu %[[C1]] : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
// CHECK: %[[W2:.*]] = arith.constant dense_resource<{{.*}}> : tensor<1x1x2x2xf32>
// CHECK: %[[B2:.*]] = arith.constant dense_resource<[[B2NAME:.*]]> : tensor<1xf32>
// CHECK: snn.conv2d %[[R]], %[[W2]] bias %[[B2]] : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
// CHECK: [[B2NAME]]: "0x0400000000008840"
func.func @conv_conv(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32> {
  %w1 = arith.constant dense<[[[[1.0]]], [[[0.1]]]]> : tensor<2x1x1x1xf32>
  %b1 = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %w2 = arith.constant dense<[[[[1.0, 1.0], [1.0, 1.0]], [[0.5, 0.5], [0.5, 0.5]]]]> : tensor<1x2x2x2xf32>
  %b2 = arith.constant dense<[0.25]> : tensor<1xf32>
  %c1 = snn.conv2d %x, %w1 bias %b1 {snn.prune = #snn.pattern<channel, sparsity = 0.5>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %r = snn.relu %c1 : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c2 = snn.conv2d %r, %w2 bias %b2 : (tensor<1x2x3x3xf32>, tensor<1x2x2x2xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %c2 : tensor<1x1x2x2xf32>
}

// -----

// A padded next conv sees the removed channel's constant map only inside the
// input, so a nonzero relu(bias) cannot fold into its bias: the filter is
// zeroed, not removed.
// CHECK-LABEL: func.func @padded
// CHECK-NOT: snn.pruned_channels
// CHECK: snn.conv2d {{.*}} -> tensor<1x2x3x3xf32>
// CHECK: snn.conv2d {{.*}} : (tensor<1x2x3x3xf32>, tensor<1x2x2x2xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
func.func @padded(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32> {
  %w1 = arith.constant dense<[[[[1.0]]], [[[0.1]]]]> : tensor<2x1x1x1xf32>
  %b1 = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %w2 = arith.constant dense<[[[[1.0, 1.0], [1.0, 1.0]], [[0.5, 0.5], [0.5, 0.5]]]]> : tensor<1x2x2x2xf32>
  %b2 = arith.constant dense<[0.25]> : tensor<1xf32>
  %c1 = snn.conv2d %x, %w1 bias %b1 {snn.prune = #snn.pattern<channel, sparsity = 0.5>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %r = snn.relu %c1 : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c2 = snn.conv2d %r, %w2 bias %b2 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>, tensor<1x2x2x2xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  return %c2 : tensor<1x1x4x4xf32>
}

// -----

// conv -> relu -> maxpool -> flatten -> linear: the linear layer loses the
// removed channel's H*W = 4 columns; relu(-1.0) = 0 folds nothing.
// CHECK-LABEL: func.func @conv_flatten_linear
// CHECK: snn.conv2d {{.*}}snn.pruned_channels = 1 : i64{{.*}} -> tensor<1x1x4x4xf32>
// CHECK: snn.maxpool2d {{.*}} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
// CHECK: snn.flatten {{.*}} : (tensor<1x1x2x2xf32>) -> tensor<1x4xf32>
// CHECK: snn.linear {{.*}} : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32>
func.func @conv_flatten_linear(%x: tensor<1x1x4x4xf32>, %wl: tensor<3x8xf32>) -> tensor<1x3xf32> {
  %w1 = arith.constant dense<[[0.05], [1.0]]> : tensor<2x1xf32>
  %b1 = arith.constant dense<[-1.0, 0.5]> : tensor<2xf32>
  %w2 = arith.constant dense<1.0> : tensor<3x8xf32>
  %b2 = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %c1 = snn.conv2d %x, %w1 bias %b1 {kernel = array<i64: 1, 1>, snn.prune = #snn.pattern<channel, sparsity = 0.5>} : (tensor<1x1x4x4xf32>, tensor<2x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %r = snn.relu %c1 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = snn.maxpool2d %r {kernel = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %f = snn.flatten %p : (tensor<1x2x2x2xf32>) -> tensor<1x8xf32>
  %y = snn.linear %f, %w2 bias %b2 : (tensor<1x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
