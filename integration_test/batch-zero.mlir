// A batch of 0 in every format the kernels take (and CSC, which the
// sparsifier takes): an empty result, no crash. The batch-1 call next to it
// checks the same weights compute (every weight is all ones, every x is
// ones: each output is the number of stored ones in its row).
// RUN: sparse-runner %s --entry=main --input=0x16xf32= --input=1x16xf32=1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1 | FileCheck %s
// CHECK-COUNT-5: 0x8xf32=
// CHECK: 1x8xf32=16,16,16,16,16,16,16,16
// CHECK: 1x8xf32=8,8,8,8,8,8,8,8
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
#CSC = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : compressed) }>
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : compressed, i mod 4 : dense, j mod 4 : dense) }>
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
#T = #sparse_tensor.encoding<{ map = (i, j) -> (j floordiv 8 : dense, i : dense, j mod 8 : compressed) }>
func.func @main(%x: tensor<0x16xf32>, %x1: tensor<1x16xf32>)
    -> (tensor<0x8xf32>, tensor<0x8xf32>, tensor<0x8xf32>, tensor<0x8xf32>, tensor<0x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>) {
  %ones = arith.constant dense<1.0> : tensor<8x16xf32>
  %half = arith.constant dense<[[1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0]]> : tensor<8x16xf32>
  %csr = sparse_tensor.convert %ones : tensor<8x16xf32> to tensor<8x16xf32, #CSR>
  %csc = sparse_tensor.convert %ones : tensor<8x16xf32> to tensor<8x16xf32, #CSC>
  %bsr = sparse_tensor.convert %ones : tensor<8x16xf32> to tensor<8x16xf32, #BSR>
  %nv = sparse_tensor.convert %half : tensor<8x16xf32> to tensor<8x16xf32, #NV24>
  %t = sparse_tensor.convert %ones : tensor<8x16xf32> to tensor<8x16xf32, #T>
  %0 = snn.linear %x, %csr : (tensor<0x16xf32>, tensor<8x16xf32, #CSR>) -> tensor<0x8xf32>
  %1 = snn.linear %x, %csc : (tensor<0x16xf32>, tensor<8x16xf32, #CSC>) -> tensor<0x8xf32>
  %2 = snn.linear %x, %bsr : (tensor<0x16xf32>, tensor<8x16xf32, #BSR>) -> tensor<0x8xf32>
  %3 = snn.linear %x, %nv : (tensor<0x16xf32>, tensor<8x16xf32, #NV24>) -> tensor<0x8xf32>
  %4 = snn.linear %x, %t : (tensor<0x16xf32>, tensor<8x16xf32, #T>) -> tensor<0x8xf32>
  %5 = snn.linear %x1, %t : (tensor<1x16xf32>, tensor<8x16xf32, #T>) -> tensor<1x8xf32>
  %6 = snn.linear %x1, %nv : (tensor<1x16xf32>, tensor<8x16xf32, #NV24>) -> tensor<1x8xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<0x8xf32>, tensor<0x8xf32>, tensor<0x8xf32>, tensor<0x8xf32>, tensor<0x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>
}
