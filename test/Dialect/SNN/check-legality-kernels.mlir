// RUN: sparse-opt %s -snn-check-legality -verify-diagnostics
// RUN: not sparse-opt %s -snn-check-legality=sparse-kernels=false 2>&1 | FileCheck %s

// A column-tiled CSR weight (csr-tiled) is only lowered by snn-sparse-kernels:
// legal with them, a diagnostic without.
// CHECK: error: the column-tiled CSR weight 'tensor<8x128xf32, #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 floordiv 64 : dense, d0 : dense, d1 mod 64 : compressed) }>>' needs snn-sparse-kernels
#T = #sparse_tensor.encoding<{ map = (i, j) -> (j floordiv 64 : dense, i : dense, j mod 64 : compressed) }>
#a = affine_map<(o, v, i) -> (o, i)>
#b = affine_map<(o, v, i) -> (i, v)>
#c = affine_map<(o, v, i) -> (o, v)>
func.func @tiled(%w: tensor<8x128xf32, #T>, %x: tensor<128x16xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<8x128xf32, #T>, tensor<128x16xf32>) outs(%init : tensor<8x16xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}
