// RUN: sparse-opt %s | FileCheck %s
// RUN: sparse-opt %s | sparse-opt | FileCheck %s
// RUN: sparse-opt -mlir-print-op-generic %s | sparse-opt | FileCheck %s

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : compressed, i mod 4 : dense, j mod 4 : dense) }>

// CHECK-LABEL: func @linear
// CHECK: snn.linear %{{.*}}, %{{.*}} bias %{{.*}} {weight_pattern = #snn.pattern<unstructured, sparsity = 0.9>} : (tensor<?x16xf32>, tensor<8x16xf32, #{{.*}}>, tensor<8xf32>) -> tensor<?x8xf32>
// CHECK: snn.linear %{{.*}}, %{{.*}} : (tensor<2x3x16xf32>, tensor<8x16xf32>) -> tensor<2x3x8xf32>
// CHECK: snn.linear %{{.*}}, %{{.*}} : (tensor<2x3x16xf32>, tensor<8x16xf32>) -> tensor<6x8xf32>
func.func @linear(%x: tensor<?x16xf32>, %w: tensor<8x16xf32, #CSR>, %b: tensor<8xf32>,
                  %x3: tensor<2x3x16xf32>, %wd: tensor<8x16xf32>) -> (tensor<?x8xf32>, tensor<2x3x8xf32>, tensor<6x8xf32>) {
  %0 = snn.linear %x, %w bias %b {weight_pattern = #snn.pattern<unstructured, sparsity = 0.9>}
      : (tensor<?x16xf32>, tensor<8x16xf32, #CSR>, tensor<8xf32>) -> tensor<?x8xf32>
  %1 = snn.linear %x3, %wd : (tensor<2x3x16xf32>, tensor<8x16xf32>) -> tensor<2x3x8xf32>
  %2 = snn.linear %x3, %wd : (tensor<2x3x16xf32>, tensor<8x16xf32>) -> tensor<6x8xf32>
  return %0, %1, %2 : tensor<?x8xf32>, tensor<2x3x8xf32>, tensor<6x8xf32>
}

// CHECK-LABEL: func @patterns
// CHECK: weight_pattern = #snn.pattern<nm = [2, 4]>
// CHECK: weight_pattern = #snn.pattern<block = [4, 4], sparsity = 0.75>
// CHECK: weight_pattern = #snn.pattern<channel, sparsity = 0.5>
// CHECK: weight_pattern = #snn.pattern<unstructured>
func.func @patterns(%x: tensor<4x16xf32>, %w24: tensor<8x16xf32, #NV24>, %wb: tensor<8x16xf32, #BSR>,
                    %wd: tensor<8x16xf32>) {
  %0 = snn.linear %x, %w24 {weight_pattern = #snn.pattern<nm = [2, 4]>} : (tensor<4x16xf32>, tensor<8x16xf32, #NV24>) -> tensor<4x8xf32>
  %1 = snn.linear %x, %wb {weight_pattern = #snn.pattern<block = [4, 4], sparsity = 0.75>} : (tensor<4x16xf32>, tensor<8x16xf32, #BSR>) -> tensor<4x8xf32>
  %2 = snn.linear %x, %wd {weight_pattern = #snn.pattern<channel, sparsity = 0.5>} : (tensor<4x16xf32>, tensor<8x16xf32>) -> tensor<4x8xf32>
  %3 = snn.linear %x, %wd {weight_pattern = #snn.pattern<unstructured>} : (tensor<4x16xf32>, tensor<8x16xf32>) -> tensor<4x8xf32>
  return
}

// CHECK-LABEL: func @matmul
// CHECK: snn.matmul %{{.*}}, %{{.*}} : (tensor<8x16xf32, #{{.*}}>, tensor<16x4xf32>) -> tensor<8x4xf32>
// CHECK: snn.matmul %{{.*}}, %{{.*}} : (tensor<4x8xf32>, tensor<8x16xf32, #{{.*}}>) -> tensor<4x16xf32>
func.func @matmul(%a: tensor<8x16xf32, #CSR>, %b: tensor<16x4xf32>, %c: tensor<4x8xf32>) -> (tensor<8x4xf32>, tensor<4x16xf32>) {
  %0 = snn.matmul %a, %b : (tensor<8x16xf32, #CSR>, tensor<16x4xf32>) -> tensor<8x4xf32>
  %1 = snn.matmul %c, %a : (tensor<4x8xf32>, tensor<8x16xf32, #CSR>) -> tensor<4x16xf32>
  return %0, %1 : tensor<8x4xf32>, tensor<4x16xf32>
}

// CHECK-LABEL: func @eltwise
// CHECK: snn.relu %{{.*}} : (tensor<?x8xf32>) -> tensor<?x8xf32>
// CHECK: snn.sigmoid %{{.*}} : (tensor<?x8xf32>) -> tensor<?x8xf32>
// CHECK: snn.tanh %{{.*}} : (tensor<?x8xf32>) -> tensor<?x8xf32>
// CHECK: snn.add %{{.*}}, %{{.*}} : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
// CHECK: snn.add %{{.*}}, %{{.*}} : (tensor<?x8xf32>, tensor<1x8xf32>) -> tensor<?x8xf32>
// CHECK: snn.softmax %{{.*}} : (tensor<?x8xf32>) -> tensor<?x8xf32>
// CHECK: snn.softmax %{{.*}} {axis = 0 : i64} : (tensor<?x8xf32>) -> tensor<?x8xf32>
// CHECK: snn.relu %{{.*}} : (tensor<8x16xf32, #{{.*}}>) -> tensor<8x16xf32, #{{.*}}>
func.func @eltwise(%x: tensor<?x8xf32>, %b: tensor<8xf32>, %b2: tensor<1x8xf32>, %s: tensor<8x16xf32, #CSR>) {
  %0 = snn.relu %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %1 = snn.sigmoid %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %2 = snn.tanh %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %3 = snn.add %x, %b : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %4 = snn.add %x, %b2 : (tensor<?x8xf32>, tensor<1x8xf32>) -> tensor<?x8xf32>
  %5 = snn.softmax %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %6 = snn.softmax %x {axis = 0 : i64} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %7 = snn.relu %s : (tensor<8x16xf32, #CSR>) -> tensor<8x16xf32, #CSR>
  return
}

// CHECK-LABEL: func @flatten
// CHECK: snn.flatten %{{.*}} : (tensor<?x4x4xf32>) -> tensor<?x16xf32>
// CHECK: snn.flatten %{{.*}} {end_dim = 1 : i64, start_dim = 0 : i64} : (tensor<2x4x4xf32>) -> tensor<8x4xf32>
func.func @flatten(%x: tensor<?x4x4xf32>, %y: tensor<2x4x4xf32>) {
  %0 = snn.flatten %x : (tensor<?x4x4xf32>) -> tensor<?x16xf32>
  %1 = snn.flatten %y {start_dim = 0 : i64, end_dim = 1 : i64} : (tensor<2x4x4xf32>) -> tensor<8x4xf32>
  return
}

// CHECK-LABEL: func @conv_pool
// CHECK: snn.conv2d %{{.*}}, %{{.*}} bias %{{.*}} {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<?x16x8x8xf32>
// CHECK: snn.conv2d %{{.*}}, %{{.*}} {groups = 2 : i64, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, weight_pattern = #snn.pattern<unstructured, sparsity = 0.8>} : (tensor<?x4x8x8xf32>, tensor<8x18xf32, #{{.*}}>) -> tensor<?x8x3x3xf32>
// CHECK: snn.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>, kernel = array<i64: 3, 3>, weight_pattern = #snn.pattern<nm = [2, 4]>} : (tensor<1x1x8x8xf32>, tensor<4x12xf32, #{{.*}}>) -> tensor<1x4x4x4xf32>
// CHECK: snn.maxpool2d %{{.*}} {kernel = array<i64: 2, 2>} : (tensor<?x16x8x8xf32>) -> tensor<?x16x4x4xf32>
// CHECK: snn.maxpool2d %{{.*}} {ceil_mode = true, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<?x16x8x8xf32>) -> tensor<?x16x5x5xf32>
// CHECK: snn.avgpool2d %{{.*}} {count_include_pad = false, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32>
func.func @conv_pool(%x: tensor<?x3x8x8xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>,
                     %x2: tensor<?x4x8x8xf32>, %w2: tensor<8x18xf32, #CSR>,
                     %x3: tensor<1x1x8x8xf32>, %w3: tensor<4x12xf32, #NV24>) {
  %0 = snn.conv2d %x, %w bias %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<?x16x8x8xf32>
  %1 = snn.conv2d %x2, %w2 {groups = 2 : i64, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, weight_pattern = #snn.pattern<unstructured, sparsity = 0.8>} : (tensor<?x4x8x8xf32>, tensor<8x18xf32, #CSR>) -> tensor<?x8x3x3xf32>
  %2 = snn.conv2d %x3, %w3 {kernel = array<i64: 3, 3>, dilations = array<i64: 2, 2>, weight_pattern = #snn.pattern<nm = [2, 4]>} : (tensor<1x1x8x8xf32>, tensor<4x12xf32, #NV24>) -> tensor<1x4x4x4xf32>
  %3 = snn.maxpool2d %0 {kernel = array<i64: 2, 2>} : (tensor<?x16x8x8xf32>) -> tensor<?x16x4x4xf32>
  %4 = snn.maxpool2d %0 {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode = true} : (tensor<?x16x8x8xf32>) -> tensor<?x16x5x5xf32>
  %5 = snn.avgpool2d %0 {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = false} : (tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32>
  return
}
