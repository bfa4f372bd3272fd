// RUN: sparse-opt %s -snn-check-legality=dense-any-loop -verify-diagnostics
// RUN: sparse-opt %s -snn-check-legality -o /dev/null

// With every dense loop parallel (the GPU pipeline), a 2:4 operand read
// transposed crashed the sparsifier (LoopEmitter building the parallel
// loop's reduction; found by probing the operand positions): rejected there,
// accepted otherwise.
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
#A = affine_map<(m, n, k) -> (m, k)>
#W = affine_map<(m, n, k) -> (n, k)>
#C = affine_map<(m, n, k) -> (m, n)>
func.func @nv24_transposed(%a: tensor<4x16xf32>, %w: tensor<8x16xf32, #NV24>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{is read transposed with every dense loop parallel, which crashes this MLIR's sparsifier}}
  %0 = linalg.generic {indexing_maps = [#A, #W, #C], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %w : tensor<4x16xf32>, tensor<8x16xf32, #NV24>) outs(%c : tensor<4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %z, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// The weight on the left in row order, the GPU pipeline's matmul form: legal.
func.func @nv24_left(%w: tensor<8x16xf32, #NV24>, %b: tensor<16x4xf32>, %c: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %0 = linalg.matmul ins(%w, %b : tensor<8x16xf32, #NV24>, tensor<16x4xf32>) outs(%c : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}
