// The second case fails on purpose (BADMODE), so both runs expect an error.
// RUN: not sparse-opt %s --split-input-file --snn-emulate-gpu-on-host 2>/dev/null | FileCheck %s --check-prefix=SPARSE
// RUN: not sparse-opt %s --split-input-file --snn-emulate-gpu-on-host 2>&1 >/dev/null | FileCheck %s --check-prefix=BADMODE

// cuSPARSE's product (a CSR SpMM from the library path) becomes host loops
// over the rows, their entries and C's columns: C[i, j] += val[p] *
// B[crd[p], j], on the (host) buffers the descriptors were made from; the
// work buffer is one byte and no gpu op is left.
// SPARSE-LABEL: func.func @csr_spmm(
// SPARSE-SAME: %[[POS:.*]]: memref<?xi32>, %[[CRD:.*]]: memref<?xi32>, %[[VAL:.*]]: memref<?xf32>, %[[B:.*]]: memref<8x4xf32>, %[[C:.*]]: memref<6x4xf32>)
// SPARSE-NOT: gpu.
// SPARSE: memref.alloc(%c1{{.*}}) : memref<?xi8>
// SPARSE: scf.for %[[I:.*]] = %{{.*}} to %c6
// SPARSE: %[[LO:.*]] = memref.load %[[POS]][%[[I]]]
// SPARSE: scf.for %[[P:.*]] = %{{.*}} to
// SPARSE: %[[K32:.*]] = memref.load %[[CRD]][%[[P]]]
// SPARSE: %[[K:.*]] = arith.index_castui %[[K32]]
// SPARSE: %[[W:.*]] = memref.load %[[VAL]][%[[P]]]
// SPARSE: scf.for %[[J:.*]] =
// SPARSE: %[[X:.*]] = memref.load %[[B]][%[[K]], %[[J]]]
// SPARSE: %[[CIJ:.*]] = memref.load %[[C]][%[[I]], %[[J]]]
// SPARSE: %[[M:.*]] = arith.mulf %[[W]], %[[X]]
// SPARSE: %[[S:.*]] = arith.addf %[[CIJ]], %[[M]]
// SPARSE: memref.store %[[S]], %[[C]][%[[I]], %[[J]]]
// SPARSE-NOT: gpu.
func.func @csr_spmm(%pos: memref<?xi32>, %crd: memref<?xi32>, %val: memref<?xf32>, %b: memref<8x4xf32>, %c: memref<6x4xf32>) {
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  %c8 = arith.constant 8 : index
  %c0 = arith.constant 0 : index
  %nnz = memref.dim %val, %c0 : memref<?xf32>
  %t0 = gpu.wait async
  %spmat, %t1 = gpu.create_csr async [%t0] %c6, %c8, %nnz, %pos, %crd, %val : memref<?xi32>, memref<?xi32>, memref<?xf32>
  %dnb, %t2 = gpu.create_dn_tensor async [%t1] %b, %c8, %c4 : index, index into memref<8x4xf32>
  %dnc, %t3 = gpu.create_dn_tensor async [%t2] %c, %c6, %c4 : index, index into memref<6x4xf32>
  %size, %t4 = gpu.spmm_buffer_size async [%t3] %spmat, %dnb, %dnc : index into f32
  %work, %t5 = gpu.alloc async [%t4] (%size) : memref<?xi8>
  %t6 = gpu.spmm async [%t5] %spmat, %dnb, %dnc, %work : memref<?xi8> into f32
  %t7 = gpu.destroy_sp_mat async [%t6] %spmat
  %t8 = gpu.destroy_dn_tensor async [%t7] %dnb
  %t9 = gpu.destroy_dn_tensor async [%t8] %dnc
  %t10 = gpu.dealloc async [%t9] %work : memref<?xi8>
  gpu.wait [%t10]
  return
}

// -----

// A transposed product is not emulated: an error, not a wrong answer.
// BADMODE: error: snn-emulate-gpu-on-host: a transposed sparse product is not emulated
func.func @transposed(%pos: memref<?xi32>, %crd: memref<?xi32>, %val: memref<?xf32>, %b: memref<4x8xf32>, %c: memref<6x4xf32>) {
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  %c8 = arith.constant 8 : index
  %c0 = arith.constant 0 : index
  %nnz = memref.dim %val, %c0 : memref<?xf32>
  %t0 = gpu.wait async
  %spmat, %t1 = gpu.create_csr async [%t0] %c6, %c8, %nnz, %pos, %crd, %val : memref<?xi32>, memref<?xi32>, memref<?xf32>
  %dnb, %t2 = gpu.create_dn_tensor async [%t1] %b, %c4, %c8 : index, index into memref<4x8xf32>
  %dnc, %t3 = gpu.create_dn_tensor async [%t2] %c, %c6, %c4 : index, index into memref<6x4xf32>
  %size, %t4 = gpu.spmm_buffer_size async [%t3] %spmat, %dnb{TRANSPOSE}, %dnc : index into f32
  %work, %t5 = gpu.alloc async [%t4] (%size) : memref<?xi8>
  %t6 = gpu.spmm async [%t5] %spmat, %dnb{TRANSPOSE}, %dnc, %work : memref<?xi8> into f32
  gpu.wait [%t6]
  return
}
