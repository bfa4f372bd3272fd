// RUN: sparse-opt %s -snn-pack-weights -split-input-file -verify-diagnostics | FileCheck %s

// The 3x4 weight [[1 0 0 0] [0 2 0 0] [0 0 0 3]] in CSR: positions
// [0 1 2 3], coordinates [0 1 3], values [1 2 3].
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
// CHECK-LABEL: func @csr
// CHECK-DAG: %[[P:.*]] = arith.constant dense_resource<w_pos1> : tensor<4xindex>
// CHECK-DAG: %[[C:.*]] = arith.constant dense_resource<w_crd1> : tensor<3xindex>
// CHECK-DAG: %[[V:.*]] = arith.constant dense_resource<w_values> : tensor<3xf32>
// CHECK: %[[W:.*]] = sparse_tensor.assemble (%[[P]], %[[C]]), %[[V]] : (tensor<4xindex>, tensor<3xindex>), tensor<3xf32> to tensor<3x4xf32, #sparse>
// CHECK: return %[[W]]
// CHECK: w_pos1: "0x080000000000000000000000010000000000000002000000000000000300000000000000"
// CHECK: w_crd1: "0x08000000000000000000000001000000000000000300000000000000"
// CHECK: w_values: "0x040000000000803F0000004000004040"
func.func @csr() -> tensor<3x4xf32, #CSR> {
  %w = arith.constant dense_resource<w> : tensor<3x4xf32, #CSR>
  return %w : tensor<3x4xf32, #CSR>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F0000000000000000000000000000000000000040000000000000000000000000000000000000000000004040"
    }
  }
#-}

// -----

// A sparse_tensor.convert of a dense constant is packed too; 32-bit widths
// give i32 buffers. CSC of [[1 0] [2 3]]: columns [1 2 | 3].
#CSC = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : compressed), posWidth = 32, crdWidth = 32 }>
// CHECK-LABEL: func @csc_convert
// CHECK-NOT: sparse_tensor.convert
// CHECK: sparse_tensor.assemble (%{{.*}}, %{{.*}}), %{{.*}} : (tensor<3xi32>, tensor<3xi32>), tensor<3xf32> to tensor<2x2xf32, #sparse>
// CHECK: snn_weight_pos1: "0x04000000000000000200000003000000"
// CHECK: snn_weight_crd1: "0x04000000000000000100000001000000"
// CHECK: snn_weight_values: "0x040000000000803F0000004000004040"
func.func @csc_convert() -> tensor<2x2xf32, #CSC> {
  %d = arith.constant dense<[[1.0, 0.0], [2.0, 3.0]]> : tensor<2x2xf32>
  %w = sparse_tensor.convert %d : tensor<2x2xf32> to tensor<2x2xf32, #CSC>
  return %w : tensor<2x2xf32, #CSC>
}

// -----

// COO with struct-of-arrays coordinates: one coordinate buffer per level.
#COO = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : compressed(nonunique), d1 : singleton(soa)) }>
// CHECK-LABEL: func @coo
// CHECK: sparse_tensor.assemble (%{{.*}}, %{{.*}}, %{{.*}}), %{{.*}} : (tensor<2xindex>, tensor<2xindex>, tensor<2xindex>), tensor<2xf32>
func.func @coo() -> tensor<2x3xf32, #COO> {
  %w = arith.constant dense<[[0.0, 5.0, 0.0], [0.0, 0.0, 6.0]]> : tensor<2x3xf32, #COO>
  return %w : tensor<2x3xf32, #COO>
}

// -----

// BSR 2x2 blocks of a 4x4 weight with two nonzero blocks: blocks are stored
// dense (8 values, zeros included).
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 2 : dense, j floordiv 2 : compressed, i mod 2 : dense, j mod 2 : dense) }>
// CHECK-LABEL: func @bsr
// CHECK: sparse_tensor.assemble (%{{.*}}, %{{.*}}), %{{.*}} : (tensor<3xindex>, tensor<2xindex>), tensor<8xf32> to tensor<4x4xf32, #sparse>
func.func @bsr() -> tensor<4x4xf32, #BSR> {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 2.0], [0.0, 0.0, 3.0, 0.0]]> : tensor<4x4xf32, #BSR>
  return %w : tensor<4x4xf32, #BSR>
}

// -----

// 2:4: exactly two slots per group of four; a group with one nonzero is
// padded with an explicit zero at the lowest free coordinate.
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]), crdWidth = 8 }>
// CHECK-LABEL: func @nv24
// CHECK: sparse_tensor.assemble (%{{.*}}), %{{.*}} : (tensor<4xi8>), tensor<4xf32> to tensor<1x8xf32, #sparse>
// CHECK: snn_weight_crd2: "0x0100000001030002"
// CHECK: snn_weight_values: "0x04000000000000400000404000000000000080{{3F|3f}}"
func.func @nv24() -> tensor<1x8xf32, #NV24> {
  %w = arith.constant dense<[[0.0, 2.0, 0.0, 3.0, 0.0, 0.0, 1.0, 0.0]]> : tensor<1x8xf32, #NV24>
  return %w : tensor<1x8xf32, #NV24>
}

// -----

#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
func.func @not_nm() -> tensor<1x4xf32, #NV24> {
  // expected-error @+1 {{cannot pack this weight into 'tensor<1x4xf32, #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 floordiv 4 : dense, d1 mod 4 : structured[2, 4]) }>>': weight is not 2:4 structured: a group of 4 (at level coordinates (0, 0, *)) has 3 nonzeros}}
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 0.0]]> : tensor<1x4xf32, #NV24>
  return %w : tensor<1x4xf32, #NV24>
}

// -----

#CSR8 = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), crdWidth = 8 }>
func.func @overflow() -> tensor<1x300xf32, #CSR8> {
  // expected-error @+1 {{coordinate 299 of level 1 does not fit in 8 bits (crdWidth); use a wider one}}
  %w = arith.constant sparse<[[0, 299]], [1.0]> : tensor<1x300xf32, #CSR8>
  return %w : tensor<1x300xf32, #CSR8>
}

// -----

// A conv weight is packed in its 2-D view: a 2:4 filter over K = 1*3*3 = 9
// padded to 12 (the last group holds one real column and three zeros).
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
// CHECK-LABEL: func @conv_weight
// CHECK: %[[W:.*]] = sparse_tensor.assemble (%{{.*}}), %{{.*}} : (tensor<6xindex>), tensor<6xf32> to tensor<1x12xf32, #sparse>
// CHECK: snn.conv2d %arg0, %[[W]] {kernel = array<i64: 3, 3>}
func.func @conv_weight(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 2.0, 0.0, 0.0, 3.0, 0.0, 4.0, 5.0, 0.0, 0.0, 0.0]]> : tensor<1x12xf32, #NV24>
  %y = snn.conv2d %x, %w {kernel = array<i64: 3, 3>} : (tensor<1x1x5x5xf32>, tensor<1x12xf32, #NV24>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// -----

// A conversion of a reshaped dense constant (how convert-snn-to-linalg hands
// a dense 4-D conv weight to the sparsifier) is packed too, reshapes and all.
#DD = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : dense) }>
// CHECK-LABEL: func @reshaped_convert
// CHECK-NOT: tensor.collapse_shape
// CHECK-NOT: sparse_tensor.convert
// CHECK: sparse_tensor.assemble (), %{{.*}} : (), tensor<4xf32> to tensor<2x2xf32, #sparse>
func.func @reshaped_convert() -> tensor<2x2xf32, #DD> {
  %c = arith.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2, 3]] : tensor<2x1x1x2xf32> into tensor<2x2xf32>
  %w = sparse_tensor.convert %r : tensor<2x2xf32> to tensor<2x2xf32, #DD>
  return %w : tensor<2x2xf32, #DD>
}
