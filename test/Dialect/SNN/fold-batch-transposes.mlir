// RUN: sparse-opt %s --split-input-file --convert-snn-to-linalg --canonicalize --snn-fold-batch-transposes --canonicalize --mlir-print-local-scope | FileCheck %s
// RUN: sparse-opt %s --split-input-file --convert-snn-to-linalg --canonicalize --mlir-print-local-scope | FileCheck %s --check-prefix=BEFORE

#CSR = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j : compressed) }>

// Two linear layers with a ReLU between them: the first layer's transpose
// out and the second's transpose in cancel, and the ReLU runs on yT's
// [blocks, out, lanes] layout. Of the four transposes, the model's input and
// output ones stay.
// BEFORE-LABEL: func.func @mlp(
// BEFORE-COUNT-4: affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// BEFORE-NOT: affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-LABEL: func.func @mlp(
// CHECK: %[[XT:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
// CHECK: %[[Y1T:.*]] = linalg.generic {{.*}} ins(%[[XT]], %{{.*}} : tensor<1x32x16xf32>, tensor<24x32xf32, #{{.*}}>) outs(%{{.*}} : tensor<1x24x16xf32>)
// CHECK: %[[A:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], {{.*}} ins(%[[Y1T]] : tensor<1x24x16xf32>) outs(%{{.*}} : tensor<1x24x16xf32>)
// CHECK: arith.maximumf
// CHECK: %[[Y2T:.*]] = linalg.generic {{.*}} ins(%[[A]], %{{.*}} : tensor<1x24x16xf32>, tensor<8x24xf32, #{{.*}}>)
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], {{.*}} ins(%[[Y2T]] : tensor<1x8x16xf32>)
// CHECK-NOT: (d0, d2, d1)
// CHECK: return
func.func @mlp(%x: tensor<16x32xf32>, %w1: tensor<24x32xf32, #CSR>, %w2: tensor<8x24xf32, #CSR>) -> tensor<16x8xf32> {
  %h = snn.linear %x, %w1 : (tensor<16x32xf32>, tensor<24x32xf32, #CSR>) -> tensor<16x24xf32>
  %r = snn.relu %h : (tensor<16x24xf32>) -> tensor<16x24xf32>
  %y = snn.linear %r, %w2 : (tensor<16x24xf32>, tensor<8x24xf32, #CSR>) -> tensor<16x8xf32>
  return %y : tensor<16x8xf32>
}

// -----

#CSR = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j : compressed) }>

// A dynamic batch: the batch is padded to whole blocks of 64 rows and the
// padding sliced off after each layer; the slice, the pad and both
// transposes between the layers go, and the sigmoid runs on the padded yT.
// CHECK-LABEL: func.func @dynamic(
// CHECK-COUNT-2: affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-NOT: affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK: return
// BEFORE-LABEL: func.func @dynamic(
// BEFORE-COUNT-4: affine_map<(d0, d1, d2) -> (d0, d2, d1)>
func.func @dynamic(%x: tensor<?x32xf32>, %w1: tensor<24x32xf32, #CSR>, %w2: tensor<8x24xf32, #CSR>) -> tensor<?x8xf32> {
  %h = snn.linear %x, %w1 : (tensor<?x32xf32>, tensor<24x32xf32, #CSR>) -> tensor<?x24xf32>
  %r = snn.sigmoid %h : (tensor<?x24xf32>) -> tensor<?x24xf32>
  %y = snn.linear %r, %w2 : (tensor<?x24xf32>, tensor<8x24xf32, #CSR>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

#CSR = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j : compressed) }>

// Left alone: the activation is also returned (it has a second user), and a
// softmax between layers is not elementwise.
// CHECK-LABEL: func.func @two_users(
// CHECK-COUNT-4: affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-LABEL: func.func @softmax_between(
// CHECK-COUNT-4: affine_map<(d0, d1, d2) -> (d0, d2, d1)>
func.func @two_users(%x: tensor<16x32xf32>, %w1: tensor<24x32xf32, #CSR>, %w2: tensor<8x24xf32, #CSR>) -> (tensor<16x8xf32>, tensor<16x24xf32>) {
  %h = snn.linear %x, %w1 : (tensor<16x32xf32>, tensor<24x32xf32, #CSR>) -> tensor<16x24xf32>
  %r = snn.relu %h : (tensor<16x24xf32>) -> tensor<16x24xf32>
  %y = snn.linear %r, %w2 : (tensor<16x24xf32>, tensor<8x24xf32, #CSR>) -> tensor<16x8xf32>
  return %y, %r : tensor<16x8xf32>, tensor<16x24xf32>
}
func.func @softmax_between(%x: tensor<16x32xf32>, %w1: tensor<24x32xf32, #CSR>, %w2: tensor<8x24xf32, #CSR>) -> tensor<16x8xf32> {
  %h = snn.linear %x, %w1 : (tensor<16x32xf32>, tensor<24x32xf32, #CSR>) -> tensor<16x24xf32>
  %r = snn.softmax %h {axis = 1} : (tensor<16x24xf32>) -> tensor<16x24xf32>
  %y = snn.linear %r, %w2 : (tensor<16x24xf32>, tensor<8x24xf32, #CSR>) -> tensor<16x8xf32>
  return %y : tensor<16x8xf32>
}

// -----

// Left alone: with batch padding, the padding rows would change from the
// pad value to act(padding), and here the consumer sums over the batch
// lanes (d2 of the transposed tensor is a reduction).
// CHECK-LABEL: func.func @padded_batch_reduction(
// CHECK-COUNT-2: affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK: return
#swap = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#sum = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @padded_batch_reduction(%yT: tensor<1x24x64xf32>, %n: index, %pad: index) -> tensor<1x24xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x64x24xf32>
  %y3 = linalg.generic {indexing_maps = [#swap, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%yT : tensor<1x24x64xf32>) outs(%e1 : tensor<1x64x24xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x64x24xf32>
  %y = tensor.collapse_shape %y3 [[0, 1], [2]] : tensor<1x64x24xf32> into tensor<64x24xf32>
  %s = tensor.extract_slice %y[0, 0] [%n, 24] [1, 1] : tensor<64x24xf32> to tensor<?x24xf32>
  %e2 = tensor.empty(%n) : tensor<?x24xf32>
  %a = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%s : tensor<?x24xf32>) outs(%e2 : tensor<?x24xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x24xf32>
  %p = tensor.pad %a low[0, 0] high[%pad, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<?x24xf32> to tensor<64x24xf32>
  %a3 = tensor.expand_shape %p [[0, 1], [2]] output_shape [1, 64, 24] : tensor<64x24xf32> into tensor<1x64x24xf32>
  %e3 = tensor.empty() : tensor<1x24x64xf32>
  %aT = linalg.generic {indexing_maps = [#swap, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%a3 : tensor<1x64x24xf32>) outs(%e3 : tensor<1x24x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x24x64xf32>
  %e4 = tensor.empty() : tensor<1x24xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x24xf32>) -> tensor<1x24xf32>
  %total = linalg.generic {indexing_maps = [#id3, #sum], iterator_types = ["parallel", "parallel", "reduction"]} ins(%aT : tensor<1x24x64xf32>) outs(%f : tensor<1x24xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %out : f32
    linalg.yield %r : f32
  } -> tensor<1x24xf32>
  return %total : tensor<1x24xf32>
}
