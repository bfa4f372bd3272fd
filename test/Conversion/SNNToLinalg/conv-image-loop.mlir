// RUN: sparse-opt %s --convert-snn-to-linalg=conv-image-loop-min-bytes=0 --split-input-file | FileCheck %s
// RUN: sparse-opt %s --convert-snn-to-linalg=conv-image-loop-min-bytes=18433 --split-input-file | FileCheck %s --check-prefix=BOUND
// RUN: sparse-opt %s --convert-snn-to-linalg="conv-image-loop-min-bytes=18433 batch-size=2" --split-input-file | FileCheck %s --check-prefix=SMALLBATCH

// conv-image-loop: one image at a time. The padded batch is sliced per
// image, the image's im2col matrix [1, G, K, OH*OW] and product start from
// tensors of their own (the bias broadcast), and each product goes into the
// batch's output with a parallel_insert_slice.
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
// With a bound of 18433 bytes the batch's 4 x 18 x 64 f32 matrix (18432
// bytes) stays whole; the dynamic batch (16 x 18 x 36 x 4 bytes) loops.
// BOUND-LABEL: func.func @batch4
// BOUND-NOT: scf.forall
// BOUND-LABEL: func.func @dynamic
// BOUND: scf.forall
// With batch-size=2 the dynamic batch counts as 2 images (5184 bytes).
// SMALLBATCH-LABEL: func.func @dynamic
// SMALLBATCH-NOT: scf.forall
// SMALLBATCH-LABEL: func.func @one_image
// CHECK-LABEL: func.func @batch4
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<4x1x8x64xf32>
// CHECK: %[[ALL:.*]] = scf.forall (%[[I:.*]]) in (4) shared_outs(%[[O:.*]] = %[[OUT]]) -> (tensor<4x1x8x64xf32>)
// CHECK:   %[[IMG:.*]] = tensor.extract_slice %[[PAD]][%[[I]], 0, 0, 0] [1, 2, 10, 10] [1, 1, 1, 1] : tensor<4x2x10x10xf32> to tensor<1x2x10x10xf32>
// CHECK:   %[[COLS:.*]] = linalg.generic {{.*}} ins(%[[IMG]] : tensor<1x2x10x10xf32>) outs(%{{.*}} : tensor<1x1x2x3x3x8x8xf32>)
// CHECK:   %[[M:.*]] = tensor.collapse_shape %[[COLS]] {{.*}} into tensor<1x1x18x64xf32>
// CHECK:   %[[B:.*]] = linalg.generic {{.*}} ins(%arg2 : tensor<8xf32>) outs(%{{.*}} : tensor<1x1x8x64xf32>)
// CHECK:   %[[P:.*]] = linalg.generic {{.*}} ins(%[[M]], %{{.*}} : tensor<1x1x18x64xf32>, tensor<8x18xf32, #{{.*}}>) outs(%[[B]] : tensor<1x1x8x64xf32>)
// CHECK:   scf.forall.in_parallel
// CHECK:     tensor.parallel_insert_slice %[[P]] into %[[O]][%[[I]], 0, 0, 0] [1, 1, 8, 64] [1, 1, 1, 1]
// CHECK: tensor.collapse_shape %[[ALL]]
func.func @batch4(%x: tensor<4x2x8x8xf32>, %w: tensor<8x18xf32, #CSR>, %b: tensor<8xf32>) -> tensor<4x8x8x8xf32> {
  %y = snn.conv2d %x, %w bias %b {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : (tensor<4x2x8x8xf32>, tensor<8x18xf32, #CSR>, tensor<8xf32>) -> tensor<4x8x8x8xf32>
  return %y : tensor<4x8x8x8xf32>
}

// -----

// A dynamic batch: the loop runs to the input's first dimension.
// CHECK-LABEL: func.func @dynamic
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: scf.forall (%{{.*}}) in (%[[N]])
// CHECK: linalg.fill
func.func @dynamic(%x: tensor<?x2x8x8xf32>, %w: tensor<4x18xf32>) -> tensor<?x4x6x6xf32> {
  %y = snn.conv2d %x, %w {kernel = array<i64: 3, 3>} : (tensor<?x2x8x8xf32>, tensor<4x18xf32>) -> tensor<?x4x6x6xf32>
  return %y : tensor<?x4x6x6xf32>
}

// -----

// No loop for a batch of one, nor for a 1x1 stride-1 unpadded conv (no
// im2col copy: the input is the matrix).
// CHECK-LABEL: func.func @one_image
// CHECK-NOT: scf.forall
// CHECK-LABEL: func.func @pointwise
// CHECK-NOT: scf.forall
// CHECK: return
func.func @one_image(%x: tensor<1x2x8x8xf32>, %w: tensor<4x18xf32>) -> tensor<1x4x6x6xf32> {
  %y = snn.conv2d %x, %w {kernel = array<i64: 3, 3>} : (tensor<1x2x8x8xf32>, tensor<4x18xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}
func.func @pointwise(%x: tensor<4x2x8x8xf32>, %w: tensor<4x2xf32>) -> tensor<4x4x8x8xf32> {
  %y = snn.conv2d %x, %w {kernel = array<i64: 1, 1>} : (tensor<4x2x8x8xf32>, tensor<4x2xf32>) -> tensor<4x4x8x8xf32>
  return %y : tensor<4x4x8x8xf32>
}

// -----

// A ReLU that is the convolution's only user runs on each image's product
// inside the loop (snn-sparse-kernels then fuses it into the kernel), and
// no pass over the output follows the loop. A second user keeps it outside.
// CHECK-LABEL: func.func @relu_inside
// CHECK: scf.forall
// CHECK: %[[P:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x1x4x36xf32>)
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[P]] : tensor<1x1x4x36xf32>)
// CHECK: arith.maximumf
// CHECK: tensor.parallel_insert_slice %[[R]]
// CHECK-NOT: arith.maximumf
// CHECK: return
// CHECK-LABEL: func.func @relu_shared
// CHECK: scf.forall
// CHECK-NOT: arith.maximumf
// CHECK: scf.forall.in_parallel
// CHECK: arith.maximumf
func.func @relu_inside(%x: tensor<3x2x8x8xf32>, %w: tensor<4x18xf32>) -> tensor<3x4x6x6xf32> {
  %y = snn.conv2d %x, %w {kernel = array<i64: 3, 3>} : (tensor<3x2x8x8xf32>, tensor<4x18xf32>) -> tensor<3x4x6x6xf32>
  %r = snn.relu %y : (tensor<3x4x6x6xf32>) -> tensor<3x4x6x6xf32>
  return %r : tensor<3x4x6x6xf32>
}
func.func @relu_shared(%x: tensor<3x2x8x8xf32>, %w: tensor<4x18xf32>) -> (tensor<3x4x6x6xf32>, tensor<3x4x6x6xf32>) {
  %y = snn.conv2d %x, %w {kernel = array<i64: 3, 3>} : (tensor<3x2x8x8xf32>, tensor<4x18xf32>) -> tensor<3x4x6x6xf32>
  %r = snn.relu %y : (tensor<3x4x6x6xf32>) -> tensor<3x4x6x6xf32>
  return %r, %y : tensor<3x4x6x6xf32>, tensor<3x4x6x6xf32>
}
