// RUN: sparse-opt %s --split-input-file --snn-vectorize-copies | FileCheck %s
// RUN: sparse-opt %s --split-input-file --snn-vectorize-copies=parallel=true | FileCheck %s --check-prefix=PAR
// RUN: sparse-opt %s --split-input-file --snn-vectorize-copies=vector-length=0 | FileCheck %s --check-prefix=OFF
// RUN: not sparse-opt %s --split-input-file --snn-vectorize-copies=vector-length=2048 2>&1 | FileCheck %s --check-prefix=RANGE

// RANGE: error: snn-vectorize-copies: vector-length=2048 is out of range (0 to 1024)

// An im2col copy: rows of the padded input shifted by the kernel offset
// (d4 + d6) move as whole vectors, one loop per outer dimension.
// CHECK-LABEL: func.func @im2col
// CHECK-NOT: linalg.generic
// CHECK-COUNT-6: scf.for
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %c16
// CHECK: %[[V:.*]] = vector.load %arg0[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : memref<8x64x18x18xf32>, vector<16xf32>
// CHECK: vector.store %[[V]], %arg1[{{.*}}] : memref<8x1x64x3x3x16x16xf32>, vector<16xf32>
// CHECK-NOT: vector.maskedstore
// CHECK: return
// PAR-LABEL: func.func @im2col
// PAR: scf.parallel
// PAR-COUNT-5: scf.for
// PAR: vector.load
// OFF-LABEL: func.func @im2col
// OFF: linalg.generic
// One image, one group: the parallel loop takes the leading unit dims and
// the channels (64 iterations), not a batch of one.
// PAR-LABEL: func.func @im2col_one_image
// PAR: %[[C64:.*]] = arith.constant 64 : index
// PAR: scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}) = (%{{.*}}, %{{.*}}, %{{.*}}) to (%{{.*}}, %{{.*}}, %[[C64]])
// PAR-COUNT-3: scf.for
// PAR: vector.load
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 64 + d2, d3 + d5, d4 + d6)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4, d5, d6)>
func.func @im2col(%x: memref<8x64x18x18xf32>, %o: memref<8x1x64x3x3x16x16xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%x : memref<8x64x18x18xf32>) outs(%o : memref<8x1x64x3x3x16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  return
}
func.func @im2col_one_image(%x: memref<1x64x18x18xf32>, %o: memref<1x1x64x3x3x16x16xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%x : memref<1x64x18x18xf32>) outs(%o : memref<1x1x64x3x3x16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  return
}

// -----

// The input's innermost index (d0 + d1, step 1 in d1) at the row's start;
// rows of 20 f32: one full vector, then 4 lanes masked.
// CHECK-DAG: #[[SHIFT:.*]] = affine_map<(d0, d1) -> (d0 + d1)>
// CHECK-LABEL: func.func @tail
// CHECK: scf.for %[[I:.*]] = %c0 to %c3 step %c1
// CHECK: scf.for %[[J:.*]] = %c0 to %{{.*}} step %c16
// CHECK: %[[S:.*]] = affine.apply #[[SHIFT]](%[[I]], %[[J]])
// CHECK: %[[V:.*]] = vector.load %arg0[%[[S]]] : memref<24xf32>, vector<16xf32>
// CHECK: vector.store %[[V]], %arg1[%[[I]], %[[J]]] : memref<3x20xf32>, vector<16xf32>
// CHECK: %[[M:.*]] = vector.create_mask %c4 : vector<16xi1>
// CHECK: %[[T:.*]] = vector.maskedload %arg0[%{{.*}}], %[[M]], %{{.*}} : memref<24xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK: vector.maskedstore %arg1[%[[I]], %c16{{.*}}], %[[M]], %[[T]]
func.func @tail(%x: memref<24xf32>, %o: memref<3x20xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0 + d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : memref<24xf32>) outs(%o : memref<3x20xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  return
}

// -----

// A stride-2 row (a strided convolution's im2col: 2 * ow + kw): two loads
// and a shuffle of their even lanes per vector, the second load's last lane
// masked off (it would read one element past the row's last); rows of 20:
// one full vector, then a tail of 4 that reads 2 * 4 - 1 = 7 elements.
// CHECK-LABEL: func.func @stride2
// CHECK: scf.for %[[I:.*]] = %c0 to %c3 step %c1
// CHECK: scf.for %[[J:.*]] = %c0 to %{{.*}} step %c16
// CHECK: %[[S:.*]] = affine.apply #{{.*}}(%[[I]], %[[J]])
// CHECK: %[[S1:.*]] = arith.addi %[[S]], %c16{{.*}} : index
// CHECK: %[[A:.*]] = vector.load %arg0[%[[S]]] : memref<48xf32>, vector<16xf32>
// CHECK: %[[M1:.*]] = vector.create_mask %c15 : vector<16xi1>
// CHECK: %[[B:.*]] = vector.maskedload %arg0[%[[S1]]], %[[M1]]
// CHECK: %[[E:.*]] = vector.shuffle %[[A]], %[[B]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK: vector.store %[[E]], %arg1[%[[I]], %[[J]]]
// CHECK: %[[T:.*]] = vector.create_mask %c4 : vector<16xi1>
// CHECK: %[[N:.*]] = arith.subi %{{.*}}, %c1
// CHECK: %[[T0:.*]] = vector.create_mask %[[N]] : vector<16xi1>
// CHECK: %[[N1:.*]] = arith.subi %[[N]], %c16
// CHECK: %[[T1:.*]] = vector.create_mask %[[N1]] : vector<16xi1>
// CHECK: vector.maskedload %arg0[%{{.*}}], %[[T0]]
// CHECK: vector.maskedload %arg0[%{{.*}}], %[[T1]]
// CHECK: vector.shuffle
// CHECK: vector.maskedstore %arg1[%[[I]], %c16{{.*}}], %[[T]]
func.func @stride2(%x: memref<48xf32>, %o: memref<3x20xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0 + d1 * 2)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : memref<48xf32>) outs(%o : memref<3x20xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  return
}

// -----

// A bias broadcast along the row (the input does not depend on the
// innermost loop): one scalar load and a splat per row; f16 takes 32 lanes
// for 16 lanes of f32. The batch is dynamic: its loop bound is the dim.
// CHECK-LABEL: func.func @broadcast
// CHECK: %[[N:.*]] = memref.dim %arg1, %c0
// CHECK: scf.for %[[B:.*]] = %c0{{.*}} to %[[N]]
// CHECK: scf.for %[[O:.*]] =
// CHECK: %[[S:.*]] = memref.load %arg0[%[[O]]] : memref<8xf16>
// CHECK: %[[V:.*]] = vector.broadcast %[[S]] : f16 to vector<32xf16>
// CHECK: scf.for
// CHECK: vector.store %[[V]], %arg1[%[[B]], %[[O]], %{{.*}}] : memref<?x8x64xf16>, vector<32xf16>
// CHECK-NOT: vector.maskedstore
func.func @broadcast(%b: memref<8xf16>, %o: memref<?x8x64xf16>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%b : memref<8xf16>) outs(%o : memref<?x8x64xf16>) {
  ^bb0(%in: f16, %out: f16):
    linalg.yield %in : f16
  }
  return
}

// -----

// A dynamic row length: the tail is guarded by a check that it is not empty.
// CHECK-LABEL: func.func @dynamic_row
// CHECK: %[[R:.*]] = memref.dim %arg0, %c1
// CHECK: scf.for
// CHECK: arith.divui %[[R]], %c16
// CHECK: arith.cmpi ugt
// CHECK: scf.if
// CHECK: vector.maskedstore
func.func @dynamic_row(%x: memref<4x?xf32>, %o: memref<4x?xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : memref<4x?xf32>) outs(%o : memref<4x?xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  return
}

// -----

// Left alone: a transpose (the input's innermost index is not the row's),
// a strided row (step 3), a body that computes, a column-major output, a
// reduction and rows of fewer than 4 elements.
// CHECK-LABEL: func.func @not_rows
// CHECK-COUNT-6: linalg.generic
// CHECK-NOT: vector.
func.func @not_rows(%a: memref<16x16xf32>, %b: memref<16x16xf32>, %c: memref<64xf32>, %d: memref<16x16xf32, strided<[1, 16]>>, %e: memref<16xf32>, %f: memref<4x3xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : memref<16x16xf32>) outs(%b : memref<16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0 + d1 * 3)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%c : memref<64xf32>) outs(%b : memref<16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : memref<16x16xf32>) outs(%b : memref<16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : memref<16x16xf32>) outs(%d : memref<16x16xf32, strided<[1, 16]>>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%a : memref<16x16xf32>) outs(%e : memref<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%f : memref<4x3xf32>) outs(%f : memref<4x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  return
}
