// RUN: sparse-opt %s --convert-snn-to-linalg --split-input-file | FileCheck %s

// A grouped, strided, asymmetrically padded conv with a CSR weight in the 2-D
// view: pad, im2col per image as the K-major matrix [N, G, K, OH*OW], one
// generic over (n, g, og, k, q) multiplying W[g*Og + og, k] with q innermost,
// whose [N, G, Og, OH*OW] result is NCHW after reshapes.
// CHECK-DAG: #[[IM2COL:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d2, d5 * 2 + d3, d6 * 2 + d4)>
// CHECK-DAG: #[[BIAS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1 * 4 + d2)>
// CHECK-DAG: #[[COLS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1 * 4 + d2, d3)>
// CHECK-DAG: #[[ACC:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-LABEL: func.func @conv_grouped(
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 0, 0]
// CHECK: %[[C:.*]] = linalg.generic {indexing_maps = [#[[IM2COL]], #{{.*}}]{{.*}} ins(%[[P]] : tensor<?x4x9x9xf32>) outs(%{{.*}} : tensor<?x2x2x3x3x4x4xf32>)
// CHECK: %[[M:.*]] = tensor.collapse_shape %[[C]] {{\[\[}}0], [1], [2, 3, 4], [5, 6]] : tensor<?x2x2x3x3x4x4xf32> into tensor<?x2x18x16xf32>
// CHECK: %[[B:.*]] = linalg.generic {indexing_maps = [#[[BIAS]], #{{.*}}]{{.*}} ins(%arg2 : tensor<8xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[COLS]], #[[W]], #[[ACC]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]} ins(%[[M]], %arg1 : tensor<?x2x18x16xf32>, tensor<8x18xf32, #sparse>) outs(%[[B]] : tensor<?x2x4x16xf32>)
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[R]] {{\[\[}}0], [1, 2], [3]] : tensor<?x2x4x16xf32> into tensor<?x8x16xf32>
// CHECK: tensor.expand_shape %[[F]] {{\[\[}}0], [1], [2, 3]] output_shape [%{{.*}}, 8, 4, 4] : tensor<?x8x16xf32> into tensor<?x8x4x4xf32>
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @conv_grouped(%x: tensor<?x4x8x8xf32>, %w: tensor<8x18xf32, #CSR>, %b: tensor<8xf32>) -> tensor<?x8x4x4xf32> {
  %0 = snn.conv2d %x, %w bias %b {groups = 2 : i64, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 0, 0>} : (tensor<?x4x8x8xf32>, tensor<8x18xf32, #CSR>, tensor<8xf32>) -> tensor<?x8x4x4xf32>
  return %0 : tensor<?x8x4x4xf32>
}

// -----

// A dense 4-D weight is collapsed to [O, C*KH*KW]; one group reads W[og, k].
// A 2:4 weight over K = 9 multiplies an im2col matrix padded to 12. A 1x1,
// stride-1, unpadded conv reads the input itself as the matrix (no copy).
// CHECK-DAG: #[[W1:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d3)>
// CHECK-LABEL: func.func @conv_dense_4d(
// CHECK: %[[W2:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1, 2, 3]] : tensor<4x1x3x3xf32> into tensor<4x9xf32>
// CHECK: sparse_tensor.convert %[[W2]] : tensor<4x9xf32> to tensor<4x9xf32, #{{.*}}>
// CHECK-NOT: tensor.pad
// CHECK-LABEL: func.func @conv_nm(
// CHECK: %[[M:.*]] = tensor.collapse_shape %{{.*}} : tensor<1x1x1x3x3x6x6xf32> into tensor<1x1x9x36xf32>
// CHECK: %[[PAD:.*]] = tensor.pad %[[M]] low[0, 0, 0, 0] high[0, 0, 3, 0]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[W1]], #{{.*}}]{{.*}} ins(%[[PAD]], %arg1 : tensor<1x1x12x36xf32>, tensor<4x12xf32, #{{.*}}>)
// CHECK-LABEL: func.func @conv_pointwise(
// CHECK-NOT: linalg.generic {{.*}} ins(%arg0
// CHECK: %[[F:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0], [1], [2, 3]] : tensor<2x8x5x5xf32> into tensor<2x8x25xf32>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[F]] {{\[\[}}0], [1, 2], [3]] output_shape [2, 1, 8, 25] : tensor<2x8x25xf32> into tensor<2x1x8x25xf32>
// CHECK: linalg.generic {{.*}} ins(%[[E]], %arg1 : tensor<2x1x8x25xf32>, tensor<16x8xf32, #{{.*}}>)
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
func.func @conv_dense_4d(%x: tensor<1x1x8x8xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = snn.conv2d %x, %w : (tensor<1x1x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}
func.func @conv_nm(%x: tensor<1x1x8x8xf32>, %w: tensor<4x12xf32, #NV24>) -> tensor<1x4x6x6xf32> {
  %0 = snn.conv2d %x, %w {kernel = array<i64: 3, 3>} : (tensor<1x1x8x8xf32>, tensor<4x12xf32, #NV24>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}
func.func @conv_pointwise(%x: tensor<2x8x5x5xf32>, %w: tensor<16x8xf32, #CSR>) -> tensor<2x16x5x5xf32> {
  %0 = snn.conv2d %x, %w {kernel = array<i64: 1, 1>} : (tensor<2x8x5x5xf32>, tensor<16x8xf32, #CSR>) -> tensor<2x16x5x5xf32>
  return %0 : tensor<2x16x5x5xf32>
}

// -----

// Max pooling pads with -inf (plus ceil mode's extra bottom/right row and
// column) and reduces over a [KH, KW] window operand.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-LABEL: func.func @maxpool_ceil(
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK: tensor.yield %[[NINF]]
// CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[P]], %[[WINDOW]] : tensor<?x2x11x11xf32>, tensor<3x3xf32>)
// CHECK: arith.maximumf
func.func @maxpool_ceil(%x: tensor<?x2x8x8xf32>) -> tensor<?x2x5x5xf32> {
  %0 = snn.maxpool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode = true} : (tensor<?x2x8x8xf32>) -> tensor<?x2x5x5xf32>
  return %0 : tensor<?x2x5x5xf32>
}

// -----

// Average pooling divides the window sums by a constant map of divisors:
// with count_include_pad = false, corner windows of a 3x3 kernel padded by 1
// cover 4 input elements, edges 6, the middle 9.
// CHECK-LABEL: func.func @avgpool_exclude_pad(
// CHECK: arith.addf
// CHECK: %[[DIV:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[DIV]] : tensor<1x2x3x3xf32>, tensor<3x3xf32>)
// CHECK: arith.divf
func.func @avgpool_exclude_pad(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %0 = snn.avgpool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = false} : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}
