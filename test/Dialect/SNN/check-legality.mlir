// RUN: sparse-opt %s -snn-check-legality -split-input-file -verify-diagnostics
// RUN: not sparse-opt %s -snn-check-legality=runtime-library -split-input-file 2>&1 | FileCheck %s --check-prefix=RT

// Legal IR passes through untouched.
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @legal(%a: tensor<4x8xf32, #CSR>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf32, #CSR>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @sparse_constant() -> tensor<2x2xf32, #CSR> {
  // expected-error @+1 {{a constant of sparse type 'tensor<2x2xf32, #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>>' fails in the sparsifier}}
  %w = arith.constant dense<[[1.0, 0.0], [0.0, 2.0]]> : tensor<2x2xf32, #CSR>
  return %w : tensor<2x2xf32, #CSR>
}

// -----

func.func @unlowered(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'snn.relu' was not lowered; run convert-snn-to-linalg first}}
  %0 = snn.relu %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

#BATCH = #sparse_tensor.encoding<{ map = (d0, d1, d2) -> (d0 : batch, d1 : dense, d2 : compressed) }>
func.func private @use(tensor<2x4x8xf32, #BATCH>)
func.func @batch(%a: tensor<2x4x8xf32, #BATCH>) {
  // expected-error @+1 {{sparse encodings with a 'batch' level are not supported by this MLIR's sparsifier}}
  call @use(%a) : (tensor<2x4x8xf32, #BATCH>) -> ()
  return
}

// -----

// An R x 1 block map (found by the digits study: whole zero columns) crashes
// the sparsifier; a 1 x C one works.
#B41 = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 floordiv 4 : dense, d1 : compressed, d0 mod 4 : dense) }>
func.func private @use41(tensor<8x8xf32, #B41>)
func.func @block_r_by_1(%a: tensor<8x8xf32, #B41>) {
  // expected-error @+1 {{puts a dimension's level between another's floordiv and mod levels (an R x 1 block), which crashes this MLIR's sparsifier}}
  call @use41(%a) : (tensor<8x8xf32, #B41>) -> ()
  return
}

// -----

#B14 = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 floordiv 4 : compressed, d1 mod 4 : dense) }>
func.func private @use14(tensor<8x8xf32, #B14>)
func.func @block_1_by_c(%a: tensor<8x8xf32, #B14>) {
  call @use14(%a) : (tensor<8x8xf32, #B14>) -> ()
  return
}

// -----

// One 2:4 group per row (IN = 4) at a batch of one: the sparsifier's map
// would not invert (snn-sparse-kernels takes larger batches).
#NV = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
#map_x = affine_map<(b, o, i) -> (b, i)>
#map_w = affine_map<(b, o, i) -> (o, i)>
#map_y = affine_map<(b, o, i) -> (b, o)>
func.func @one_nm_group(%x: tensor<1x4xf32>, %w: tensor<8x4xf32, #NV>, %y: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{has a single structured[n, m] group along its dimension, which this MLIR's sparsifier turns into a non-invertible indexing map at a batch of one}}
  %r = linalg.generic {indexing_maps = [#map_x, #map_w, #map_y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x4xf32>, tensor<8x4xf32, #NV>) outs(%y : tensor<1x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x8xf32>
  return %r : tensor<1x8xf32>
}

// -----

#AOS = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : compressed(nonunique), d1 : singleton) }>
// expected-error @+1 {{public function 'aos' takes or returns an array-of-structs COO tensor}}
func.func @aos(%a: tensor<4x8xf32, #AOS>) {
  return
}

// -----

#BSR = #sparse_tensor.encoding<{ map = (i, j, k, l) -> (i floordiv 2 : dense, j : dense, k : dense, l : compressed, i mod 2 : dense) }>
func.func @conv_bsr(%x: tensor<1x2x6x6xf32>, %w: tensor<4x2x3x3xf32, #BSR>, %o: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{a convolution with a block or structured[n, m] sparse filter crashes the sparsifier}}
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x2x6x6xf32>, tensor<4x2x3x3xf32, #BSR>) outs(%o : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @max_on_sparse(%a: tensor<4x8xf32, #CSR>, %o: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<4x8xf32, #CSR>) outs(%o : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    // expected-error @+1 {{'arith.maximumf' on an element of a sparse tensor cannot be sparsified; wrap it in sparse_tensor.unary}}
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// With the runtime library, assembling COO or 2:4 tensors is rejected.
// RT: error: public function 'nv' takes a sparse argument {{.*}} has a singleton or structured[n, m] level
// RT: error: the assembled tensor {{.*}}singleton(soa){{.*}} has a singleton or structured[n, m] level
#NV = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
#COO = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : compressed(nonunique), d1 : singleton(soa)) }>
func.func @nv(%a: tensor<4x8xf32, #NV>) {
  return
}
func.func private @use(tensor<2x2xf32, #COO>)
func.func @coo(%p: tensor<2xindex>, %i: tensor<1xindex>, %j: tensor<1xindex>, %v: tensor<1xf32>) {
  %t = sparse_tensor.assemble (%p, %i, %j), %v : (tensor<2xindex>, tensor<1xindex>, tensor<1xindex>), tensor<1xf32> to tensor<2x2xf32, #COO>
  call @use(%t) : (tensor<2x2xf32, #COO>) -> ()
  return
}

// -----

// A grouped conv's weight row g*Og + og on a BSR weight.
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : compressed, i mod 4 : dense, j mod 4 : dense) }>
#cols = affine_map<(g, p, o, k) -> (g, p, k)>
#w = affine_map<(g, p, o, k) -> (g * 4 + o, k)>
#acc = affine_map<(g, p, o, k) -> (g, p, o)>
func.func @grouped_bsr(%m: tensor<2x16x8xf32>, %wt: tensor<8x8xf32, #BSR>, %a: tensor<2x16x4xf32>) -> tensor<2x16x4xf32> {
  // expected-error @+1 {{a sparse operand with block or structured[n, m] levels indexed by a compound affine expression (such as the weight of a grouped convolution) crashes the sparsifier}}
  %0 = linalg.generic {indexing_maps = [#cols, #w, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%m, %wt : tensor<2x16x8xf32>, tensor<8x8xf32, #BSR>) outs(%a : tensor<2x16x4xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %z, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x16x4xf32>
  return %0 : tensor<2x16x4xf32>
}

// -----

// 2:4 on the right of a matmul: its groups run along N, which the product
// does not reduce (the sparsifier crashed on it: found by tools/fuzz). On
// the left, grouped along the reduced K, it is legal.
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
func.func @nv24_right(%a: tensor<4x16xf32>, %w: tensor<16x8xf32, #NV24>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{is divided along a dimension the product does not reduce (N:M on the right of a matmul), which crashes this MLIR's sparsifier}}
  %0 = linalg.matmul ins(%a, %w : tensor<4x16xf32>, tensor<16x8xf32, #NV24>) outs(%c : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
func.func @nv24_left(%w: tensor<8x16xf32, #NV24>, %b: tensor<16x4xf32>, %c: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %0 = linalg.matmul ins(%w, %b : tensor<8x16xf32, #NV24>, tensor<16x4xf32>) outs(%c : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}

