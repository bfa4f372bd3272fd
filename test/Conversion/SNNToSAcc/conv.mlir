// RUN: sparse-opt %s --convert-snn-to-sacc=arch=scnn | FileCheck %s

// A convolution on the accelerator: its weight [O, C*KH*KW] is the matrix,
// the output pixels of each image the batch rows. Windows come through the
// im2col address generator (dma_patches); the pixels x channels output tile
// is stored transposed into NCHW; the bias and a following ReLU are the
// epilogue.

// CHECK-LABEL: func.func @conv
// CHECK: %[[Y:.*]] = sacc.launch <{{.*}}>(%arg0) weights({{.*}}) {{.*}}: (tensor<2x3x6x5xf32>) -> tensor<2x4x3x5xf32>
// The first image: 3 x 6 x 5, 3x3 windows, stride 2 x 1, padding 1 x 1,
// output 3 x 5 = 15 pixels, C*KH*KW = 27 columns.
// CHECK: sacc.dma_patches 1[0] image 3 x 6 x 5 kernel 3 x 3 strides 2 x 1 padding 1 x 1 dilations 1 x 1 ow 5 rows 0 + 15 cols 0 + 27 -> abuf[0]
// CHECK: sacc.compute "dense" 4 x 27 x 15
// CHECK: sacc.epilogue obuf[0] 15 x 4 bias wbuf[0] relu
// CHECK: sacc.dma_store obuf[0] 15 x 4 -> 2[0] stride 60 transposed
// The second image starts 3*6*5*4 = 360 bytes in; its outputs 4*15*4 = 240.
// CHECK: sacc.dma_patches 1[360] image 3 x 6 x 5
// CHECK: sacc.dma_store obuf[{{[0-9]+}}] 15 x 4 -> 2[240] stride 60 transposed
// CHECK: return %[[Y]]
// CHECK-NOT: snn.
func.func @conv(%x: tensor<2x3x6x5xf32>) -> tensor<2x4x3x5xf32> {
  %w = arith.constant dense<0.5> : tensor<4x3x3x3xf32>
  %b = arith.constant dense<0.25> : tensor<4xf32>
  %y = snn.conv2d %x, %w bias %b {strides = array<i64: 2, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<2x3x6x5xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<2x4x3x5xf32>
  %r = snn.relu %y : (tensor<2x4x3x5xf32>) -> tensor<2x4x3x5xf32>
  return %r : tensor<2x4x3x5xf32>
}
