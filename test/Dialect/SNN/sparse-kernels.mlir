// RUN: sparse-opt %s --snn-sparse-kernels --canonicalize --cse --split-input-file | FileCheck %s
// RUN: sparse-opt %s --snn-sparse-kernels=parallel=true --split-input-file | FileCheck %s --check-prefix=PAR
// RUN: sparse-opt %s --snn-sparse-kernels=max-vectors=1 --canonicalize --split-input-file | FileCheck %s --check-prefix=NARROW
// RUN: not sparse-opt %s --snn-sparse-kernels=vector-length=0 --split-input-file 2>&1 | FileCheck %s --check-prefix=BADVL
// RUN: not sparse-opt %s --snn-sparse-kernels=vector-length=2048 --split-input-file 2>&1 | FileCheck %s --check-prefix=BIGVL
// RUN: sparse-opt %s --snn-sparse-kernels=gather=false --split-input-file | FileCheck %s --check-prefix=SCALAR

// BADVL: error: snn-sparse-kernels: vector-length=0 is out of range (1 to 1024)
// BIGVL: error: snn-sparse-kernels: vector-length=2048 is out of range (1 to 1024)

// CSR: C's 32-lane row chunk (2 vectors) in registers across the row's
// entries, in a loop unrolled 4 times into 4 sets of accumulators (8
// independent FMA chains) added up after it, stored once per row.
// CHECK-LABEL: func.func @csr(
// CHECK-DAG: %[[B:.*]] = bufferization.to_buffer %arg0 read_only : tensor<?x16x32xf32> to memref<?x16x32xf32, strided<[?, ?, 1], offset: ?>>
// CHECK-DAG: %[[CI:.*]] = bufferization.to_buffer %arg2 read_only
// CHECK-DAG: %[[VAL:.*]] = sparse_tensor.values %arg1
// CHECK-DAG: %[[POS:.*]] = sparse_tensor.positions %arg1 {level = 1 : index} {{.*}} to memref<?xi32>
// CHECK-DAG: %[[CRD:.*]] = sparse_tensor.coordinates %arg1 {level = 1 : index} {{.*}} to memref<?xi32>
// CHECK: %[[OUT:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x8x32xf32>
// CHECK: scf.for %[[BO:.*]] = %c0 to %{{.*}} step %c1 {
// CHECK: scf.for %[[O:.*]] = %c0 to %c8 step %c1 {
// CHECK: %[[A0:.*]] = vector.load %[[CI]][%[[BO]], %[[O]], %c0]
// CHECK: %[[LO:.*]] = arith.index_castui %{{.*}} : i32 to index
// CHECK: %[[HI:.*]] = arith.index_castui %{{.*}} : i32 to index
// CHECK: %[[R:.*]]:8 = scf.for %[[P:.*]] = %[[LO]] to %{{.*}} step %c4 iter_args(%{{.*}} = %[[A0]], %{{.*}} = %{{.*}}, %{{.*}} = %cst, %{{.*}} = %cst, %{{.*}} = %cst, %{{.*}} = %cst, %{{.*}} = %cst, %{{.*}} = %cst) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// B (16 x 32 floats) fits L1: no prefetching of its rows.
// CHECK-NOT: memref.prefetch
// CHECK: %[[K:.*]] = arith.index_castui %{{.*}} : i32 to index
// CHECK: vector.load %[[B]][%[[BO]], %[[K]], %c0]
// CHECK: vector.load %[[B]][%[[BO]], %[[K]], %c16]
// CHECK: vector.broadcast
// CHECK-COUNT-2: vector.fma
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[HI]] step %c1 iter_args
// CHECK: arith.addf
// CHECK: vector.store %{{.*}}, %[[OUT]][%[[BO]], %[[O]], %c0]
// CHECK: vector.store %{{.*}}, %[[OUT]][%[[BO]], %[[O]], %c16]
// CHECK: bufferization.to_tensor %[[OUT]] restrict writable
// PAR-LABEL: func.func @csr(
// PAR: scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}) = (%{{.*}}, %{{.*}}, %{{.*}}) to (%{{.*}}, %{{.*}}, %{{.*}})
// NARROW-LABEL: func.func @csr(
// NARROW: scf.for %{{.*}} = %c0 to %c2 step %c1 {
// NARROW: scf.for %{{.*}} = %c0 to %c8 step %c1 {
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 32 }>
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 2 : dense, j floordiv 4 : compressed, i mod 2 : dense, j mod 4 : dense) }>
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]), crdWidth = 8 }>
#CSC = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : compressed) }>
#xt = affine_map<(b, o, i, v) -> (b, i, v)>
#w = affine_map<(b, o, i, v) -> (o, i)>
#y = affine_map<(b, o, i, v) -> (b, o, v)>
#mm_a = affine_map<(o, v, i) -> (o, i)>
#mm_b = affine_map<(o, v, i) -> (i, v)>
#mm_c = affine_map<(o, v, i) -> (o, v)>
#trait = {indexing_maps = [#xt, #w, #y], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
#mm = {indexing_maps = [#mm_a, #mm_b, #mm_c], iterator_types = ["parallel", "parallel", "reduction"]}

func.func @csr(%x: tensor<?x16x32xf32>, %w: tensor<8x16xf32, #CSR>, %init: tensor<?x8x32xf32>) -> tensor<?x8x32xf32> {
  %0 = linalg.generic #trait ins(%x, %w : tensor<?x16x32xf32>, tensor<8x16xf32, #CSR>) outs(%init : tensor<?x8x32xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<?x8x32xf32>
  return %0 : tensor<?x8x32xf32>
}

// -----

// BSR 2x4, a 40-lane chunk (16 + 16 + 8 masked): 2 rows x 3 vectors of C
// per block row, each loaded row of B used by both rows; C starts from the
// fill's splat.
// CHECK-LABEL: func.func @bsr_tail(
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1 {
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: %[[M:.*]] = vector.constant_mask [8] : vector<16xi1>
// CHECK: vector.maskedload %{{.*}}, %[[M]]
// CHECK: vector.maskedstore
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 32 }>
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 2 : dense, j floordiv 4 : compressed, i mod 2 : dense, j mod 4 : dense) }>
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]), crdWidth = 8 }>
#CSC = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : compressed) }>
#xt = affine_map<(b, o, i, v) -> (b, i, v)>
#w = affine_map<(b, o, i, v) -> (o, i)>
#y = affine_map<(b, o, i, v) -> (b, o, v)>
#mm_a = affine_map<(o, v, i) -> (o, i)>
#mm_b = affine_map<(o, v, i) -> (i, v)>
#mm_c = affine_map<(o, v, i) -> (o, v)>
#trait = {indexing_maps = [#xt, #w, #y], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
#mm = {indexing_maps = [#mm_a, #mm_b, #mm_c], iterator_types = ["parallel", "parallel", "reduction"]}

func.func @bsr_tail(%w: tensor<4x8xf32, #BSR>, %x: tensor<8x40xf32>) -> tensor<4x40xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x40xf32>
  %init = linalg.fill ins(%z : f32) outs(%e : tensor<4x40xf32>) -> tensor<4x40xf32>
  %0 = linalg.generic #mm ins(%w, %x : tensor<4x8xf32, #BSR>, tensor<8x40xf32>) outs(%init : tensor<4x40xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %m, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x40xf32>
  return %0 : tensor<4x40xf32>
}

// -----

// 2:4: 8-bit coordinates at level 2, column = group * 4 + coordinate.
// CHECK-LABEL: func.func @nm(
// CHECK: sparse_tensor.coordinates %arg0 {level = 2 : index} {{.*}} to memref<?xi8>
// CHECK: arith.index_castui %{{.*}} : i8 to index
// CHECK: vector.fma
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 32 }>
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 2 : dense, j floordiv 4 : compressed, i mod 2 : dense, j mod 4 : dense) }>
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]), crdWidth = 8 }>
#CSC = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : compressed) }>
#xt = affine_map<(b, o, i, v) -> (b, i, v)>
#w = affine_map<(b, o, i, v) -> (o, i)>
#y = affine_map<(b, o, i, v) -> (b, o, v)>
#mm_a = affine_map<(o, v, i) -> (o, i)>
#mm_b = affine_map<(o, v, i) -> (i, v)>
#mm_c = affine_map<(o, v, i) -> (o, v)>
#trait = {indexing_maps = [#xt, #w, #y], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
#mm = {indexing_maps = [#mm_a, #mm_b, #mm_c], iterator_types = ["parallel", "parallel", "reduction"]}

func.func @nm(%w: tensor<4x8xf32, #NV24>, %x: tensor<8x16xf32>, %init: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = linalg.generic #mm ins(%w, %x : tensor<4x8xf32, #NV24>, tensor<8x16xf32>) outs(%init : tensor<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A dense weight: 4 rows share every loaded row of B.
// CHECK-LABEL: func.func @dense(
// CHECK: memref.collapse_shape %{{.*}} {{\[\[}}0, 1]] : memref<4x8xf32> into memref<32xf32>
// CHECK: scf.for
// CHECK: %[[BR:.*]] = vector.load
// CHECK-COUNT-4: vector.fma %{{.*}}, %[[BR]]
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 32 }>
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 2 : dense, j floordiv 4 : compressed, i mod 2 : dense, j mod 4 : dense) }>
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]), crdWidth = 8 }>
#CSC = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : compressed) }>
#xt = affine_map<(b, o, i, v) -> (b, i, v)>
#w = affine_map<(b, o, i, v) -> (o, i)>
#y = affine_map<(b, o, i, v) -> (b, o, v)>
#mm_a = affine_map<(o, v, i) -> (o, i)>
#mm_b = affine_map<(o, v, i) -> (i, v)>
#mm_c = affine_map<(o, v, i) -> (o, v)>
#trait = {indexing_maps = [#xt, #w, #y], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
#mm = {indexing_maps = [#mm_a, #mm_b, #mm_c], iterator_types = ["parallel", "parallel", "reduction"]}

func.func @dense(%w: tensor<4x8xf32>, %x: tensor<8x16xf32>, %init: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = linalg.generic #mm ins(%w, %x : tensor<4x8xf32>, tensor<8x16xf32>) outs(%init : tensor<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A dense 8x256 weight, 64 lanes: the reduction runs in tiles of 64 columns
// (64 rows x 64 lanes of B = 16 KiB). The output first gets C's initial
// values; every tile then accumulates onto it, prefetching its rows' part of
// the next tile (4 cache lines of 16 floats per row).
// CHECK-LABEL: func.func @dense_tiled(
// CHECK: scf.for %{{.*}} = %c0 to %c8 step %c4 {
// CHECK-COUNT-16: vector.store
// CHECK: scf.for %[[KT:.*]] = %c0 to %c4 step %c1 {
// CHECK: scf.for %{{.*}} = %c0 to %c8 step %c4 {
// CHECK: arith.minui
// CHECK-COUNT-16: memref.prefetch
// CHECK: vector.fma
// The same for 2:4 with index-width coordinates (32 entries per row and
// tile: 2 lines of values, 4 of 8-byte coordinates).
// CHECK-LABEL: func.func @nm_tiled(
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c1 {
// CHECK-COUNT-6: memref.prefetch
// CHECK: memref.load %{{.*}} : memref<?xindex>
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 32 }>
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 2 : dense, j floordiv 4 : compressed, i mod 2 : dense, j mod 4 : dense) }>
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]), crdWidth = 8 }>
#CSC = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : compressed) }>
#xt = affine_map<(b, o, i, v) -> (b, i, v)>
#w = affine_map<(b, o, i, v) -> (o, i)>
#y = affine_map<(b, o, i, v) -> (b, o, v)>
#mm_a = affine_map<(o, v, i) -> (o, i)>
#mm_b = affine_map<(o, v, i) -> (i, v)>
#mm_c = affine_map<(o, v, i) -> (o, v)>
#trait = {indexing_maps = [#xt, #w, #y], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
#mm = {indexing_maps = [#mm_a, #mm_b, #mm_c], iterator_types = ["parallel", "parallel", "reduction"]}

func.func @dense_tiled(%w: tensor<8x256xf32>, %x: tensor<256x64xf32>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %0 = linalg.generic #mm ins(%w, %x : tensor<8x256xf32>, tensor<256x64xf32>) outs(%init : tensor<8x64xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}

#NV24i = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
func.func @nm_tiled(%w: tensor<4x256xf32, #NV24i>, %x: tensor<256x64xf32>, %init: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %0 = linalg.generic #mm ins(%w, %x : tensor<4x256xf32, #NV24i>, tensor<256x64xf32>) outs(%init : tensor<4x64xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}

// -----

// Formats without a kernel stay with the sparsifier.
// CHECK-LABEL: func.func @csc_left_alone(
// CHECK: linalg.generic
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 32 }>
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 2 : dense, j floordiv 4 : compressed, i mod 2 : dense, j mod 4 : dense) }>
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]), crdWidth = 8 }>
#CSC = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : compressed) }>
#xt = affine_map<(b, o, i, v) -> (b, i, v)>
#w = affine_map<(b, o, i, v) -> (o, i)>
#y = affine_map<(b, o, i, v) -> (b, o, v)>
#mm_a = affine_map<(o, v, i) -> (o, i)>
#mm_b = affine_map<(o, v, i) -> (i, v)>
#mm_c = affine_map<(o, v, i) -> (o, v)>
#trait = {indexing_maps = [#xt, #w, #y], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
#mm = {indexing_maps = [#mm_a, #mm_b, #mm_c], iterator_types = ["parallel", "parallel", "reduction"]}

func.func @csc_left_alone(%w: tensor<4x8xf32, #CSC>, %x: tensor<8x16xf32>, %init: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = linalg.generic #mm ins(%w, %x : tensor<4x8xf32, #CSC>, tensor<8x16xf32>) outs(%init : tensor<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @not_a_contraction(
// CHECK: linalg.generic
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 32 }>
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 2 : dense, j floordiv 4 : compressed, i mod 2 : dense, j mod 4 : dense) }>
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]), crdWidth = 8 }>
#CSC = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : compressed) }>
#xt = affine_map<(b, o, i, v) -> (b, i, v)>
#w = affine_map<(b, o, i, v) -> (o, i)>
#y = affine_map<(b, o, i, v) -> (b, o, v)>
#mm_a = affine_map<(o, v, i) -> (o, i)>
#mm_b = affine_map<(o, v, i) -> (i, v)>
#mm_c = affine_map<(o, v, i) -> (o, v)>
#trait = {indexing_maps = [#xt, #w, #y], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
#mm = {indexing_maps = [#mm_a, #mm_b, #mm_c], iterator_types = ["parallel", "parallel", "reduction"]}

func.func @not_a_contraction(%w: tensor<4x8xf32, #CSR>, %x: tensor<8x16xf32>, %init: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = linalg.generic #mm ins(%w, %x : tensor<4x8xf32, #CSR>, tensor<8x16xf32>) outs(%init : tensor<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.maximumf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A batch of one (C's innermost dim is A's row): per row, 4 accumulators of
// 16 entries, the columns gathered from x, the weight streams prefetched,
// then one masked vector at a time; a horizontal sum (reassociable: a tree)
// adds the bias. A row of fewer than 64 entries runs a scalar loop instead.
// CHECK-LABEL: func.func @csr_matvec(
// CHECK: scf.for %[[ROW:.*]] = %c0 to %c8 step %c1 {
// CHECK: %[[CNT:.*]] = arith.subi %[[HI:.*]], %[[LO:.*]] : index
// CHECK: %[[SHORT:.*]] = arith.cmpi ult, %[[CNT]], %c64
// CHECK: %[[R:.*]]:5 = scf.if %[[SHORT]] -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, f32) {
// CHECK: %[[S:.*]] = scf.for %[[P:.*]] = %[[LO]] to %[[HI]] step %c1 iter_args(%[[ACC:.*]] = %{{.*}}) -> (f32) {
// CHECK: %[[C:.*]] = memref.load %{{.*}}[%[[P]]] : memref<?xi32>
// CHECK: %[[K:.*]] = arith.index_castui %[[C]]
// CHECK: %[[XV:.*]] = tensor.extract %arg0[%c0, %[[K]]]
// CHECK: %[[WV:.*]] = memref.load %{{.*}}[%[[P]]] : memref<?xf32>
// CHECK: %[[M:.*]] = arith.mulf %[[WV]], %[[XV]]
// CHECK: arith.addf %[[ACC]], %[[M]]
// CHECK: } else {
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c64 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: memref.prefetch
// CHECK: %[[CRD:.*]] = vector.load %{{.*}} : memref<?xi32>, vector<16xi32>
// CHECK: vector.gather %{{.*}}[%{{.*}}, %c0] [%[[CRD]]]
// CHECK: scf.for %{{.*}} step %c16 iter_args
// CHECK: vector.create_mask
// CHECK: vector.maskedload
// CHECK: %[[START:.*]] = arith.addf %{{.*}}, %[[R]]#4
// CHECK: vector.reduction <add>, %{{.*}}, %[[START]] fastmath<reassoc>
// CHECK: memref.store
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 32 }>
#x = affine_map<(b, o, i) -> (b, i)>
#w = affine_map<(b, o, i) -> (o, i)>
#y = affine_map<(b, o, i) -> (b, o)>
func.func @csr_matvec(%x: tensor<1x16xf32>, %w: tensor<8x16xf32, #CSR>, %init: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %0 = linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<1x16xf32>, tensor<8x16xf32, #CSR>) outs(%init : tensor<1x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// With gather=false, a matrix-vector row whose slice of x fits 32 KiB loads
// the 16 values of x of each of its 4 vectors of entries one by one and
// puts them together (vector.from_elements), its coordinates read 64 bits
// (two 32-bit ones) at a time and split by a shift; the masked tail still
// gathers. A row
// 16384 columns wide (64 KiB of x) gathers in the main loop too.
// SCALAR-LABEL: func.func @scalar_loads(
// SCALAR: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// SCALAR: %[[PAIR:.*]] = vector.load %{{.*}} : memref<?xi32>, vector<2xi32>
// SCALAR: %[[WORD:.*]] = vector.bitcast %[[PAIR]] : vector<2xi32> to vector<1xi64>
// SCALAR: %[[LO:.*]] = vector.extract %[[WORD]][0] : i64 from vector<1xi64>
// SCALAR: arith.trunci %[[LO]] : i64 to i32
// SCALAR: %[[HI:.*]] = arith.shrui %[[LO]], %{{.*}} : i64
// SCALAR: arith.trunci %[[HI]] : i64 to i32
// SCALAR: memref.load %{{.*}} : memref<1x2048xf32, strided<[?, 1], offset: ?>>
// SCALAR: %[[XV:.*]] = vector.from_elements {{(%[^,]+, ){15}%[^,]+}} : vector<16xf32>
// SCALAR: vector.fma %{{.*}}, %[[XV]], %{{.*}}
// SCALAR-COUNT-3: vector.from_elements
// SCALAR: vector.create_mask
// SCALAR: vector.gather
// SCALAR-NOT: vector.from_elements
// SCALAR-LABEL: func.func @wide_gathers(
// SCALAR-NOT: vector.from_elements
// SCALAR: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// SCALAR: vector.gather
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 32 }>
#x = affine_map<(b, o, i) -> (b, i)>
#w = affine_map<(b, o, i) -> (o, i)>
#y = affine_map<(b, o, i) -> (b, o)>
func.func @scalar_loads(%x: tensor<1x2048xf32>, %w: tensor<8x2048xf32, #CSR>, %init: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %0 = linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<1x2048xf32>, tensor<8x2048xf32, #CSR>) outs(%init : tensor<1x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}
func.func @wide_gathers(%x: tensor<1x16384xf32>, %w: tensor<8x16384xf32, #CSR>, %init: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %0 = linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<1x16384xf32>, tensor<8x16384xf32, #CSR>) outs(%init : tensor<1x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// A csr-tiled weight at a batch of one runs panel by panel over a tile of
// rows (all 8 here), so the panel's slice of x stays in L1: panel kt's part
// of row r is at position kt * 8 + r; panel 0 starts from C's initial value
// (the fill's zero), the later panels from the sum stored before them.
// 8-bit coordinates are widened before they index the gather (its offsets
// are signed). With threads (PAR) the tiles of rows are the parallel loop.
// CHECK-LABEL: func.func @csr_tiled_matvec(
// CHECK-DAG: %[[POS:.*]] = sparse_tensor.positions %arg1 {level = 2 : index}
// CHECK-DAG: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x8xf32>
// CHECK: scf.for %[[KT:.*]] = %c0 to %c2 step %c1 {
// CHECK: scf.for %[[ROW:.*]] = %c0 to %c8 step %c1 {
// CHECK: %[[SEG0:.*]] = arith.muli %[[KT]], %c8
// CHECK: %[[SEG:.*]] = arith.addi %[[SEG0]], %[[ROW]]
// CHECK: memref.load %[[POS]][%[[SEG]]]
// CHECK: %[[CRD8:.*]] = vector.load %{{.*}} : memref<?xi8>, vector<16xi8>
// CHECK: %[[CRD32:.*]] = arith.extui %[[CRD8]] : vector<16xi8> to vector<16xi32>
// CHECK: vector.gather %{{.*}} [%[[CRD32]]]
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[KT]], %c0
// CHECK: %[[START:.*]] = scf.if %[[FIRST]] -> (f32) {
// CHECK: scf.yield %cst
// CHECK: } else {
// CHECK: %[[PREV:.*]] = memref.load %[[OUT]][%c0, %[[ROW]]]
// CHECK: scf.yield %[[PREV]]
// CHECK: vector.reduction <add>
// CHECK: memref.store %{{.*}}, %[[OUT]][%c0, %[[ROW]]]
// PAR-LABEL: func.func @csr_tiled_matvec(
// PAR: scf.parallel (%{{.*}}, %[[RT:.*]]) =
// PAR: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} {
#T = #sparse_tensor.encoding<{ map = (i, j) -> (j floordiv 64 : dense, i : dense, j mod 64 : compressed), crdWidth = 8 }>
#x = affine_map<(b, o, i) -> (b, i)>
#w = affine_map<(b, o, i) -> (o, i)>
#y = affine_map<(b, o, i) -> (b, o)>
func.func @csr_tiled_matvec(%x: tensor<1x128xf32>, %w: tensor<8x128xf32, #T>) -> tensor<1x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8xf32>
  %init = linalg.fill ins(%z : f32) outs(%e : tensor<1x8xf32>) -> tensor<1x8xf32>
  %0 = linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<1x128xf32>, tensor<8x128xf32, #T>) outs(%init : tensor<1x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// BSR 4x4 with a batch of one: a block is one vector, times its 4 values of
// x repeated 4 times; row r of the block row sums lanes [4r, 4r + 4).
// CHECK-LABEL: func.func @bsr_matvec(
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1 {
// CHECK: vector.load %{{.*}} : memref<1x16xf32, strided<[?, 1], offset: ?>>, vector<4xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]
// CHECK: vector.fma
// CHECK-COUNT-4: vector.reduction <add>
// BSR 2x4 blocks are half a vector: left to the sparsifier.
// CHECK-LABEL: func.func @bsr2_matvec(
// CHECK: linalg.generic
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : compressed, i mod 4 : dense, j mod 4 : dense) }>
#BSR2 = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 2 : dense, j floordiv 4 : compressed, i mod 2 : dense, j mod 4 : dense) }>
#x = affine_map<(b, o, i) -> (b, i)>
#w = affine_map<(b, o, i) -> (o, i)>
#y = affine_map<(b, o, i) -> (b, o)>
func.func @bsr_matvec(%x: tensor<1x16xf32>, %w: tensor<8x16xf32, #BSR>) -> tensor<1x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8xf32>
  %init = linalg.fill ins(%z : f32) outs(%e : tensor<1x8xf32>) -> tensor<1x8xf32>
  %0 = linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<1x16xf32>, tensor<8x16xf32, #BSR>) outs(%init : tensor<1x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}
func.func @bsr2_matvec(%x: tensor<1x16xf32>, %w: tensor<8x16xf32, #BSR2>, %init: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %0 = linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<1x16xf32>, tensor<8x16xf32, #BSR2>) outs(%init : tensor<1x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// The batch-major linear's transposes (a copy swapping the two innermost
// dims, both multiples of 16): 16x16 tiles in registers, 16 row loads, 4
// stages of 16 two-source shuffles, 16 row stores, into a 64-byte aligned
// buffer. A size that is not a multiple of 16 stays a generic.
// CHECK-LABEL: func.func @transpose(
// CHECK: %[[IN:.*]] = bufferization.to_buffer %arg0 read_only
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x32x16xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c16
// CHECK-COUNT-16: vector.load %[[IN]]
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]
// CHECK-COUNT-16: vector.store %{{.*}}, %[[OUT]]
// CHECK-LABEL: func.func @transpose_odd(
// CHECK: linalg.generic
#t = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @transpose(%x: tensor<2x16x32xf32>) -> tensor<2x32x16xf32> {
  %e = tensor.empty() : tensor<2x32x16xf32>
  %0 = linalg.generic {indexing_maps = [#t, #id], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<2x16x32xf32>) outs(%e : tensor<2x32x16xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<2x32x16xf32>
  return %0 : tensor<2x32x16xf32>
}
func.func @transpose_odd(%x: tensor<2x16x10xf32>) -> tensor<2x10x16xf32> {
  %e = tensor.empty() : tensor<2x10x16xf32>
  %0 = linalg.generic {indexing_maps = [#t, #id], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<2x16x10xf32>) outs(%e : tensor<2x10x16xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<2x10x16xf32>
  return %0 : tensor<2x10x16xf32>
}

// -----

// C's init broadcasts a bias along the row (the linear's bias): each row's
// accumulators start from a splat of bias[o] (a load canonicalized to
// tensor.extract), and the broadcast is gone.
// CHECK-LABEL: func.func @bias_init(
// CHECK-NOT: linalg.generic
// CHECK: scf.for %[[O:.*]] = %c0 to %c8 step %c1 {
// CHECK: %[[BO:.*]] = tensor.extract %arg2[%[[O]]]
// CHECK: vector.broadcast %[[BO]] : f32 to vector<16xf32>
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
#mm_a = affine_map<(o, v, i) -> (o, i)>
#mm_b = affine_map<(o, v, i) -> (i, v)>
#mm_c = affine_map<(o, v, i) -> (o, v)>
#row = affine_map<(o, v) -> (o)>
#id = affine_map<(o, v) -> (o, v)>
func.func @bias_init(%w: tensor<8x16xf32, #CSR>, %x: tensor<16x16xf32>, %bias: tensor<8xf32>) -> tensor<8x16xf32> {
  %e = tensor.empty() : tensor<8x16xf32>
  %init = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<8xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<8x16xf32>
  %0 = linalg.generic {indexing_maps = [#mm_a, #mm_b, #mm_c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<8x16xf32, #CSR>, tensor<16x16xf32>) outs(%init : tensor<8x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// CSR with a B larger than 256 KiB (2048 x 64 floats, 512 KiB): a row storing
// fewer than a third of its columns prefetches, for each entry, the 4 cache
// lines of the row of B of the entry 16 on, clamped to the last entry,
// before its own FMAs; a denser row runs the same loop without prefetches.
// CHECK-LABEL: func.func @csr_prefetch_b_rows(
// CHECK-DAG: %[[B:.*]] = bufferization.to_buffer %arg1
// CHECK-DAG: %[[CRD:.*]] = sparse_tensor.coordinates %arg0 {level = 1 : index}
// CHECK: %[[N:.*]] = memref.dim %[[CRD]], %c0
// CHECK: %[[LAST:.*]] = arith.subi %[[N]], %c1
// CHECK: %[[LEN:.*]] = arith.subi %{{.*}}, %{{.*}} : index
// CHECK: %[[THRICE:.*]] = arith.muli %[[LEN]], %c3
// CHECK: %[[SPARSE:.*]] = arith.cmpi ult, %[[THRICE]], %c2048
// CHECK: scf.if %[[SPARSE]] -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK: scf.for %[[P:.*]] = %{{.*}} to %{{.*}} step %c2 iter_args
// CHECK: %[[AHEAD:.*]] = arith.addi %[[P]], %c16
// CHECK: %[[CL:.*]] = arith.minui %[[AHEAD]], %[[LAST]]
// CHECK: %[[KA32:.*]] = memref.load %[[CRD]][%[[CL]]]
// CHECK: %[[KA:.*]] = arith.index_castui %[[KA32]]
// CHECK: memref.prefetch %[[B]][%[[KA]], %c0], read, locality<3>, data
// CHECK: memref.prefetch %[[B]][%[[KA]], %c16], read, locality<3>, data
// CHECK: memref.prefetch %[[B]][%[[KA]], %c32], read, locality<3>, data
// CHECK: memref.prefetch %[[B]][%[[KA]], %c48], read, locality<3>, data
// CHECK: %[[K32:.*]] = memref.load %[[CRD]][%[[P]]]
// CHECK: %[[K:.*]] = arith.index_castui %[[K32]]
// CHECK: vector.load %[[B]][%[[K]], %c0]
// CHECK-COUNT-4: vector.fma
// CHECK: } else {
// CHECK-NOT: memref.prefetch
// CHECK: vector.fma
// CHECK: vector.store
#CSRb = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 32 }>
#pa = affine_map<(o, v, i) -> (o, i)>
#pb = affine_map<(o, v, i) -> (i, v)>
#pc = affine_map<(o, v, i) -> (o, v)>
func.func @csr_prefetch_b_rows(%w: tensor<8x2048xf32, #CSRb>, %x: tensor<2048x64xf32>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %0 = linalg.generic {indexing_maps = [#pa, #pb, #pc], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<8x2048xf32, #CSRb>, tensor<2048x64xf32>) outs(%init : tensor<8x64xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}
// A chunk of 16 lanes (one cache line of B per entry) does not prefetch,
// however large B is (8192 x 16 floats, 512 KiB).
// CHECK-LABEL: func.func @csr_narrow_chunk(
// CHECK-NOT: memref.prefetch
// CHECK: return
// Nor does a B of 256 KiB (1024 x 64 floats), which L2 holds.
// CHECK-LABEL: func.func @csr_b_in_l2(
// CHECK-NOT: memref.prefetch
// CHECK: return
func.func @csr_narrow_chunk(%w: tensor<8x8192xf32, #CSRb>, %x: tensor<8192x16xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = linalg.generic {indexing_maps = [#pa, #pb, #pc], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<8x8192xf32, #CSRb>, tensor<8192x16xf32>) outs(%init : tensor<8x16xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

func.func @csr_b_in_l2(%w: tensor<8x1024xf32, #CSRb>, %x: tensor<1024x64xf32>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %0 = linalg.generic {indexing_maps = [#pa, #pb, #pc], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<8x1024xf32, #CSRb>, tensor<1024x64xf32>) outs(%init : tensor<8x64xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}

// -----

// Column-tiled CSR (csr-tiled): panel kt's rows are a CSR of their own at
// positions kt * rows + row of level 2; columns are kt * 64 + coordinate.
// CHECK-LABEL: func.func @csr_tiled(
// CHECK-DAG: %[[POS:.*]] = sparse_tensor.positions %arg0 {level = 2 : index}
// CHECK-DAG: %[[CRD:.*]] = sparse_tensor.coordinates %arg0 {level = 2 : index}
// CHECK: scf.for %[[KT:.*]] = %c0 to %c2 step %c1 {
// CHECK: %[[K0:.*]] = arith.muli %[[KT]], %c64
// CHECK: %[[SEG0:.*]] = arith.muli %[[KT]], %c8
// CHECK: %[[SEG:.*]] = arith.addi %[[SEG0]], %{{.*}}
// CHECK: memref.load %[[POS]][%[[SEG]]]
// CHECK: %[[C:.*]] = memref.load %[[CRD]]
// CHECK: arith.addi %[[K0]], %[[C]]
// CHECK: vector.fma
#T = #sparse_tensor.encoding<{ map = (i, j) -> (j floordiv 64 : dense, i : dense, j mod 64 : compressed) }>
#a = affine_map<(o, v, i) -> (o, i)>
#b = affine_map<(o, v, i) -> (i, v)>
#c = affine_map<(o, v, i) -> (o, v)>
func.func @csr_tiled(%w: tensor<8x128xf32, #T>, %x: tensor<128x16xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<8x128xf32, #T>, tensor<128x16xf32>) outs(%init : tensor<8x16xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// A csr-tiled weight's row tile holds 256 KiB of C while it runs over the
// panels: 1024 rows of 64 lanes, so 2048 rows are 2 tiles, each an init
// pass and 2 panels over its rows. With threads (PAR) the tile shrinks to
// keep 8 of them for the parallel loop: 256 rows.
// CHECK-LABEL: func.func @csr_tiled_row_tile(
// CHECK: scf.for %[[RT:.*]] = %c0 to %c2 step %c1 {
// CHECK: %[[LO:.*]] = arith.muli %[[RT]], %c1024
// CHECK: scf.for %{{.*}} = %[[LO]] to
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1 {
// PAR-LABEL: func.func @csr_tiled_row_tile(
// PAR: %[[C8:.*]] = arith.constant 8 : index
// PAR: scf.parallel (%{{.*}}, %[[RT:.*]]) = ({{.*}}) to (%{{.*}}, %[[C8]])
// PAR: %[[C256:.*]] = arith.constant 256 : index
// PAR: arith.muli %[[RT]], %[[C256]]
#T = #sparse_tensor.encoding<{ map = (i, j) -> (j floordiv 256 : dense, i : dense, j mod 256 : compressed) }>
#a = affine_map<(o, v, i) -> (o, i)>
#b = affine_map<(o, v, i) -> (i, v)>
#c = affine_map<(o, v, i) -> (o, v)>
func.func @csr_tiled_row_tile(%w: tensor<2048x512xf32, #T>, %x: tensor<512x64xf32>, %init: tensor<2048x64xf32>) -> tensor<2048x64xf32> {
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<2048x512xf32, #T>, tensor<512x64xf32>) outs(%init : tensor<2048x64xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<2048x64xf32>
  return %0 : tensor<2048x64xf32>
}

// -----

// W times a one-column B (snn.matmul of a single vector): the unit column
// dim is dropped (upstream's dropUnitDims) and the matrix-vector kernel
// runs, its sums starting from the generic fill's scalar (no buffer of C is
// read); the result is expanded back to 64x1.
// CHECK-LABEL: func.func @one_column(
// CHECK-SAME: %[[W:.*]]: tensor<64x128xf32, #{{.*}}>, %[[B:.*]]: tensor<128x1xf32>, %[[F:.*]]: f32)
// CHECK: %[[BV:.*]] = tensor.collapse_shape %[[B]] {{\[}}[0, 1]] : tensor<128x1xf32> into tensor<128xf32>
// CHECK: bufferization.to_buffer %[[BV]] read_only
// CHECK-NOT: bufferization.to_buffer
// CHECK: vector.reduction <add>, %{{.*}}, %{{.*}} fastmath<reassoc>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [64, 1] : tensor<64xf32> into tensor<64x1xf32>
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 32 }>
#a = affine_map<(o, v, i) -> (o, i)>
#b = affine_map<(o, v, i) -> (i, v)>
#c = affine_map<(o, v, i) -> (o, v)>
func.func @one_column(%w: tensor<64x128xf32, #CSR>, %x: tensor<128x1xf32>, %f: f32) -> tensor<64x1xf32> {
  %e = tensor.empty() : tensor<64x1xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%f : f32) outs(%e : tensor<64x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64x1xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<64x128xf32, #CSR>, tensor<128x1xf32>) outs(%init : tensor<64x1xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x1xf32>
  return %0 : tensor<64x1xf32>
}

// -----

// The activation after a layer (its only user, elementwise, identity maps)
// runs in the kernel on each vector before it is stored: max(acc, 0) with
// the constant splat; the separate generic is gone. A matrix-vector row
// applies it to its scalar sum.
// CHECK-LABEL: func.func @relu_epilogue(
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK: scf.for
// CHECK: %[[R:.*]] = arith.maximumf %{{.*}}, %[[ZERO]] : vector<16xf32>
// CHECK: vector.store %[[R]]
// CHECK-NOT: linalg.generic
// CHECK: return
// CHECK-LABEL: func.func @relu_epilogue_matvec(
// CHECK: vector.reduction <add>
// CHECK: %[[S:.*]] = arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK: memref.store %[[S]]
// CHECK-NOT: linalg.generic
// CHECK: return
// A constant inside the activation's body is splat too (a leaky ReLU).
// CHECK-LABEL: func.func @leaky_epilogue(
// CHECK: %[[SLOPE:.*]] = arith.constant dense<1.000000e-01> : vector<16xf32>
// CHECK: %[[M:.*]] = arith.mulf %{{.*}}, %[[SLOPE]] : vector<16xf32>
// CHECK: %[[R:.*]] = arith.maximumf %{{.*}}, %[[M]] : vector<16xf32>
// CHECK: vector.store %[[R]]
// CHECK-NOT: linalg.generic
// CHECK: return
// An activation with a second user stays a separate op, and so does one
// after a dense weight whose reduction runs in tiles (partial sums are
// stored before the last tile).
// CHECK-LABEL: func.func @two_users(
// CHECK: linalg.generic
// CHECK-LABEL: func.func @tiled_dense(
// CHECK: linalg.generic
#CSRe = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
#ea = affine_map<(o, v, i) -> (o, i)>
#eb = affine_map<(o, v, i) -> (i, v)>
#ec = affine_map<(o, v, i) -> (o, v)>
#e2 = affine_map<(o, v) -> (o, v)>
#mva = affine_map<(b, o, i) -> (b, i)>
#mvw = affine_map<(b, o, i) -> (o, i)>
#mvy = affine_map<(b, o, i) -> (b, o)>
func.func @relu_epilogue(%w: tensor<8x16xf32, #CSRe>, %x: tensor<16x16xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %0 = linalg.generic {indexing_maps = [#ea, #eb, #ec], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<8x16xf32, #CSRe>, tensor<16x16xf32>) outs(%init : tensor<8x16xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %e = tensor.empty() : tensor<8x16xf32>
  %1 = linalg.generic {indexing_maps = [#e2, #e2], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}
func.func @relu_epilogue_matvec(%x: tensor<1x16xf32>, %w: tensor<8x16xf32, #CSRe>, %init: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %zero = arith.constant 0.0 : f32
  %0 = linalg.generic {indexing_maps = [#mva, #mvw, #mvy], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<1x16xf32>, tensor<8x16xf32, #CSRe>) outs(%init : tensor<1x8xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x8xf32>
  %e = tensor.empty() : tensor<1x8xf32>
  %1 = linalg.generic {indexing_maps = [#e2, #e2], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<1x8xf32>) outs(%e : tensor<1x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8xf32>
  return %1 : tensor<1x8xf32>
}
func.func @leaky_epilogue(%w: tensor<8x16xf32, #CSRe>, %x: tensor<16x16xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = linalg.generic {indexing_maps = [#ea, #eb, #ec], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<8x16xf32, #CSRe>, tensor<16x16xf32>) outs(%init : tensor<8x16xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %e = tensor.empty() : tensor<8x16xf32>
  %1 = linalg.generic {indexing_maps = [#e2, #e2], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %slope = arith.constant 0.1 : f32
    %m = arith.mulf %a, %slope : f32
    %r = arith.maximumf %a, %m : f32
    linalg.yield %r : f32
  } -> tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}
func.func @two_users(%w: tensor<8x16xf32, #CSRe>, %x: tensor<16x16xf32>, %init: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %0 = linalg.generic {indexing_maps = [#ea, #eb, #ec], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<8x16xf32, #CSRe>, tensor<16x16xf32>) outs(%init : tensor<8x16xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %e = tensor.empty() : tensor<8x16xf32>
  %1 = linalg.generic {indexing_maps = [#e2, #e2], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<8x16xf32>
  return %1, %0 : tensor<8x16xf32>, tensor<8x16xf32>
}
func.func @tiled_dense(%w: tensor<8x256xf32>, %x: tensor<256x64xf32>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %zero = arith.constant 0.0 : f32
  %0 = linalg.generic {indexing_maps = [#ea, #eb, #ec], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<8x256xf32>, tensor<256x64xf32>) outs(%init : tensor<8x64xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x64xf32>
  %e = tensor.empty() : tensor<8x64xf32>
  %1 = linalg.generic {indexing_maps = [#e2, #e2], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<8x64xf32>
  return %1 : tensor<8x64xf32>
}

// -----

// Through reshapes (the convolution's [N, O, OH * OW] to [N, O, OH, OW]):
// the kernel applies the activation and the reshapes move onto its result.
// CHECK-LABEL: func.func @relu_after_reshape(
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: %[[T:.*]] = bufferization.to_tensor
// CHECK: %[[E:.*]] = tensor.expand_shape %[[T]] {{\[}}[0, 1], [2]] output_shape [2, 4, 16] : tensor<8x16xf32> into tensor<2x4x16xf32>
// CHECK-NOT: linalg.generic
// CHECK: return %[[E]]
#CSRr = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
#ra = affine_map<(o, v, i) -> (o, i)>
#rb = affine_map<(o, v, i) -> (i, v)>
#rc = affine_map<(o, v, i) -> (o, v)>
#r3 = affine_map<(a, o, v) -> (a, o, v)>
func.func @relu_after_reshape(%w: tensor<8x16xf32, #CSRr>, %x: tensor<16x16xf32>, %init: tensor<8x16xf32>) -> tensor<2x4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %0 = linalg.generic {indexing_maps = [#ra, #rb, #rc], iterator_types = ["parallel", "parallel", "reduction"]} ins(%w, %x : tensor<8x16xf32, #CSRr>, tensor<16x16xf32>) outs(%init : tensor<8x16xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %e3 = tensor.expand_shape %0 [[0, 1], [2]] output_shape [2, 4, 16] : tensor<8x16xf32> into tensor<2x4x16xf32>
  %e = tensor.empty() : tensor<2x4x16xf32>
  %1 = linalg.generic {indexing_maps = [#r3, #r3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%e3 : tensor<2x4x16xf32>) outs(%e : tensor<2x4x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x4x16xf32>
  return %1 : tensor<2x4x16xf32>
}
