// RUN: sparse-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(snn-sparse-to-gpu-library))" | FileCheck %s

// A BSR weight with 4x4 blocks on the left of a matrix product: its
// positions, coordinates and values, B and C go to the device on one chain
// of async tokens; the descriptor has 8 x 16 blocks, entries / 16 of them;
// C += A B runs in cuSPARSE and comes back; everything is freed; a blocking
// wait ends the chain.
// CHECK-LABEL: func.func @bsr_spmm(
// CHECK-SAME: %[[A:.*]]: tensor<32x64xf32, #{{.*}}>, %[[B:.*]]: tensor<64x8xf32>, %[[C:.*]]: tensor<32x8xf32>)
// CHECK-DAG: %[[POS:.*]] = sparse_tensor.positions %[[A]] {level = 1 : index}
// CHECK-DAG: %[[CRD:.*]] = sparse_tensor.coordinates %[[A]] {level = 1 : index}
// CHECK-DAG: %[[VAL:.*]] = sparse_tensor.values %[[A]]
// CHECK-DAG: %[[HB:.*]] = bufferization.to_buffer %[[B]] read_only
// CHECK-DAG: %[[HC:.*]] = bufferization.to_buffer %[[C]] :
// CHECK-DAG: %[[NNZ:.*]] = sparse_tensor.number_of_entries %[[A]]
// CHECK: %[[T0:.*]] = gpu.wait async
// CHECK: %[[DPOS:.*]], %[[T1:.*]] = gpu.alloc async [%[[T0]]] ({{.*}}) : memref<?xi32>
// CHECK: %[[T2:.*]] = gpu.memcpy async [%[[T1]]] %[[DPOS]], %[[POS]]
// CHECK: %[[DCRD:.*]], %{{.*}} = gpu.alloc async
// CHECK: %[[DVAL:.*]], %{{.*}} = gpu.alloc async
// CHECK: %[[DB:.*]], %{{.*}} = gpu.alloc async {{.*}} : memref<64x8xf32>
// CHECK: %[[DC:.*]], %{{.*}} = gpu.alloc async {{.*}} : memref<32x8xf32>
// CHECK: %[[TC:.*]] = gpu.memcpy async [%{{.*}}] %[[DC]], %[[HC]]
// CHECK: %[[BNNZ:.*]] = arith.divui %[[NNZ]], %c16{{(_[0-9]+)?}} : index
// CHECK: %[[SP:.*]], %{{.*}} = gpu.create_bsr async [%[[TC]]] %c8{{(_[0-9]+)?}}, %c16{{(_[0-9]+)?}}, %[[BNNZ]], %c4, %c4, %[[DPOS]], %[[DCRD]], %[[DVAL]] :
// CHECK: %[[DNB:.*]], %{{.*}} = gpu.create_dn_tensor async [%{{.*}}] %[[DB]], %c64{{(_[0-9]+)?}}, %c8{{(_[0-9]+)?}} :
// CHECK: %[[DNC:.*]], %{{.*}} = gpu.create_dn_tensor async [%{{.*}}] %[[DC]], %c32{{(_[0-9]+)?}}, %c8{{(_[0-9]+)?}} :
// CHECK: %[[SZ:.*]], %{{.*}} = gpu.spmm_buffer_size async [%{{.*}}] %[[SP]], %[[DNB]], %[[DNC]] : index into f32
// CHECK: %[[W:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] (%[[SZ]]) : memref<?xi8>
// CHECK: gpu.spmm async [%{{.*}}] %[[SP]], %[[DNB]], %[[DNC]], %[[W]] : memref<?xi8> into f32
// CHECK: gpu.destroy_sp_mat
// CHECK-COUNT-2: gpu.destroy_dn_tensor
// CHECK: gpu.memcpy async [%{{.*}}] %[[HC]], %[[DC]]
// CHECK-COUNT-6: gpu.dealloc async
// CHECK: gpu.wait [%{{.*}}]
// CHECK: %[[R:.*]] = bufferization.to_tensor %[[HC]] restrict writable
// CHECK: return %[[R]]
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : compressed, i mod 4 : dense, j mod 4 : dense), posWidth = 32, crdWidth = 32 }>
#mm = {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
func.func @bsr_spmm(%a: tensor<32x64xf32, #BSR>, %b: tensor<64x8xf32>, %c: tensor<32x8xf32>) -> tensor<32x8xf32> {
  %0 = linalg.generic #mm ins(%a, %b : tensor<32x64xf32, #BSR>, tensor<64x8xf32>) outs(%c : tensor<32x8xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<32x8xf32>
  return %0 : tensor<32x8xf32>
}

// -----

// Struct-of-arrays COO: the row and column coordinates (levels 0 and 1) and
// the values; a dynamic batch sizes B and C's descriptors at run time.
// CHECK-LABEL: func.func @coo_spmm(
// CHECK-DAG: %[[ROW:.*]] = sparse_tensor.coordinates %arg0 {level = 0 : index}
// CHECK-DAG: %[[COL:.*]] = sparse_tensor.coordinates %arg0 {level = 1 : index}
// CHECK-DAG: %[[N:.*]] = tensor.dim %arg1, %c1{{(_[0-9]+)?}} :
// CHECK-DAG: %[[NNZ:.*]] = sparse_tensor.number_of_entries %arg0
// CHECK: gpu.create_coo async [%{{.*}}] %c32{{(_[0-9]+)?}}, %c64{{(_[0-9]+)?}}, %[[NNZ]], %{{.*}}, %{{.*}}, %{{.*}} : memref<?xindex>, memref<?xindex>, memref<?xf64>
// CHECK: gpu.create_dn_tensor async [%{{.*}}] %{{.*}}, %c64{{(_[0-9]+)?}}, %[[N]] : index, index into memref<64x?xf64>
// CHECK: gpu.spmm async
#COO = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : compressed(nonunique), d1 : singleton(soa)) }>
#mm = {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
func.func @coo_spmm(%a: tensor<32x64xf64, #COO>, %b: tensor<64x?xf64>, %c: tensor<32x?xf64>) -> tensor<32x?xf64> {
  %0 = linalg.generic #mm ins(%a, %b : tensor<32x64xf64, #COO>, tensor<64x?xf64>) outs(%c : tensor<32x?xf64>) {
  ^bb0(%x: f64, %y: f64, %z: f64):
    %m = arith.mulf %x, %y : f64
    %s = arith.addf %z, %m : f64
    linalg.yield %s : f64
  } -> tensor<32x?xf64>
  return %0 : tensor<32x?xf64>
}

// -----

// A matrix-vector product: dense vectors and gpu.spmv.
// CHECK-LABEL: func.func @bsr_spmv(
// CHECK: gpu.create_bsr
// CHECK: gpu.create_dn_tensor async [%{{.*}}] %{{.*}}, %c64{{(_[0-9]+)?}} : index into memref<64xf32>
// CHECK: gpu.create_dn_tensor async [%{{.*}}] %{{.*}}, %c32{{(_[0-9]+)?}} : index into memref<32xf32>
// CHECK: gpu.spmv_buffer_size
// CHECK: gpu.spmv async
#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 2 : dense, j floordiv 2 : compressed, i mod 2 : dense, j mod 2 : dense) }>
#mv = {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
func.func @bsr_spmv(%a: tensor<32x64xf32, #BSR>, %x: tensor<64xf32>, %y: tensor<32xf32>) -> tensor<32xf32> {
  %0 = linalg.generic #mv ins(%a, %x : tensor<32x64xf32, #BSR>, tensor<64xf32>) outs(%y : tensor<32xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<32xf32>
  return %0 : tensor<32xf32>
}

// -----

// Left alone: CSR (upstream's libgen takes it), blocks that are not square
// (gpu.create_bsr takes square blocks only), 8-bit coordinates (cuSPARSE
// has no 8-bit indices), the sparse operand on the right, and a body that
// is not a multiply-accumulate.
// CHECK-LABEL: func.func @left_alone(
// CHECK-NOT: gpu.
// CHECK-COUNT-5: linalg.generic
// CHECK-NOT: gpu.
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
#BSR24 = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 2 : dense, j floordiv 4 : compressed, i mod 2 : dense, j mod 4 : dense) }>
#BSR8 = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : compressed, i mod 4 : dense, j mod 4 : dense), crdWidth = 8 }>
#mm = {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
func.func @left_alone(%csr: tensor<32x64xf32, #CSR>, %b24: tensor<32x64xf32, #BSR24>, %b8: tensor<32x64xf32, #BSR8>, %d: tensor<32x32xf32>, %b: tensor<64x8xf32>, %c: tensor<32x8xf32>, %c64: tensor<32x64xf32>) -> (tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x64xf32>, tensor<32x8xf32>) {
  %0 = linalg.generic #mm ins(%csr, %b : tensor<32x64xf32, #CSR>, tensor<64x8xf32>) outs(%c : tensor<32x8xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<32x8xf32>
  %1 = linalg.generic #mm ins(%b24, %b : tensor<32x64xf32, #BSR24>, tensor<64x8xf32>) outs(%c : tensor<32x8xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<32x8xf32>
  %2 = linalg.generic #mm ins(%b8, %b : tensor<32x64xf32, #BSR8>, tensor<64x8xf32>) outs(%c : tensor<32x8xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<32x8xf32>
  %3 = linalg.generic #mm ins(%d, %b24 : tensor<32x32xf32>, tensor<32x64xf32, #BSR24>) outs(%c64 : tensor<32x64xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<32x64xf32>
  %4 = linalg.generic #mm ins(%b8, %b : tensor<32x64xf32, #BSR8>, tensor<64x8xf32>) outs(%c : tensor<32x8xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.maximumf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<32x8xf32>
  return %0, %1, %2, %3, %4 : tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x64xf32>, tensor<32x8xf32>
}
