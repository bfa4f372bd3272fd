// RUN: sparse-opt %s --snn-gpu-resident-constants --split-input-file | FileCheck %s

// A CSR weight's three buffers, copied per call as upstream's libgen does:
// each allocation, copy and free becomes a view of the resident copy, and
// what waited on them waits on what they waited on. The input x (not a
// constant) is still copied.
memref.global "private" constant @pos : memref<5xindex> = dense<[0, 1, 2, 3, 4]>
memref.global "private" constant @crd : memref<4xindex> = dense<[0, 1, 2, 3]>
memref.global "private" constant @val : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>

// CHECK-LABEL: func.func @csr(
// CHECK-SAME: %[[X:.*]]: memref<4x8xf32>, %[[Y:.*]]: memref<4x8xf32>
// CHECK-DAG: %[[POS:.*]] = memref.get_global @pos
// CHECK-DAG: %[[VAL:.*]] = memref.get_global @val
// CHECK: %[[W0:.*]] = gpu.wait async
// CHECK: %[[W1:.*]] = gpu.wait async [%[[W0]]]
// CHECK: %[[PC:.*]] = memref.cast %[[POS]] : memref<5xindex> to memref<?xindex>
// CHECK: %[[PD:.*]] = call @sparsenn_gpu_resident_index(%[[PC]])
// CHECK: %[[PD5:.*]] = memref.cast %[[PD]] : memref<?xindex> to memref<5xindex>
// CHECK: %[[PV:.*]] = memref.subview %[[PD5]][0] [%{{.*}}] [1]
// CHECK: %[[W2:.*]] = gpu.wait async [%[[W1]]]
// CHECK: call @sparsenn_gpu_resident_index(
// CHECK: %[[VD:.*]] = call @sparsenn_gpu_resident_f32(
// The input is still copied.
// CHECK: %[[XD:.*]], %{{.*}} = gpu.alloc async
// CHECK: gpu.memcpy async [%{{.*}}] %[[XD]], %[[X]]
// CHECK: gpu.wait [%[[W2]],
// CHECK: gpu.create_csr async [%{{.*}}] %{{.*}}, %{{.*}}, %{{.*}}, %[[PV]], %{{.*}}, %{{.*}} : memref<?xindex>, memref<?xindex>, memref<?xf32>
// CHECK-NOT: gpu.dealloc async [%{{.*}}] %[[PV]]
// CHECK: gpu.dealloc async [%{{.*}}] %[[XD]]
// CHECK-NOT: gpu.dealloc
// CHECK: return
// CHECK-DAG: func.func private @sparsenn_gpu_resident_index(memref<?xindex>) -> memref<?xindex> attributes {llvm.emit_c_interface}
// CHECK-DAG: func.func private @sparsenn_gpu_resident_f32(memref<?xf32>) -> memref<?xf32> attributes {llvm.emit_c_interface}
func.func @csr(%x: memref<4x8xf32>, %y: memref<4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %pos = memref.get_global @pos : memref<5xindex>
  %crd = memref.get_global @crd : memref<4xindex>
  %val = memref.get_global @val : memref<4xf32>
  %n = memref.load %pos[%c4] : memref<5xindex>
  %pv = memref.subview %pos[0] [%c5] [1] : memref<5xindex> to memref<?xindex>
  %cv = memref.subview %crd[0] [%n] [1] : memref<4xindex> to memref<?xindex>
  %vv = memref.subview %val[0] [%n] [1] : memref<4xf32> to memref<?xf32>
  %t0 = gpu.wait async
  %pd, %t1 = gpu.alloc async [%t0] (%c5) : memref<?xindex>
  %t2 = gpu.memcpy async [%t1] %pd, %pv : memref<?xindex>, memref<?xindex>
  %t3 = gpu.wait async
  %cd, %t4 = gpu.alloc async [%t3] (%n) : memref<?xindex>
  %t5 = gpu.memcpy async [%t4] %cd, %cv : memref<?xindex>, memref<?xindex>
  %t6 = gpu.wait async
  %vd, %t7 = gpu.alloc async [%t6] (%n) : memref<?xf32>
  %t8 = gpu.memcpy async [%t7] %vd, %vv : memref<?xf32>, memref<?xf32>
  %t9 = gpu.wait async
  %xd, %t10 = gpu.alloc async [%t9] () : memref<4x8xf32>
  %t11 = gpu.memcpy async [%t10] %xd, %x : memref<4x8xf32>, memref<4x8xf32>
  gpu.wait [%t2, %t5, %t8, %t11]
  %t12 = gpu.wait async
  %a, %t13 = gpu.create_csr async [%t12] %c4, %c4, %n, %pd, %cd, %vd : memref<?xindex>, memref<?xindex>, memref<?xf32>
  %t14 = gpu.destroy_sp_mat async [%t13] %a
  %t15 = gpu.dealloc async [%t14] %pd : memref<?xindex>
  %t16 = gpu.dealloc async [%t15] %cd : memref<?xindex>
  %t17 = gpu.dealloc async [%t16] %vd : memref<?xf32>
  %t18 = gpu.dealloc async [%t17] %xd : memref<4x8xf32>
  gpu.wait [%t18]
  return
}

// -----

// Left alone: a copy from a global that is not constant, from a function
// argument, and a constant's device buffer that a kernel could write (a
// dense tensor descriptor, here cuSPARSE's output).
memref.global "private" @var : memref<4xf32> = dense<0.0>
memref.global "private" constant @cst : memref<4xf32> = dense<1.0>

// CHECK-LABEL: func.func @left_alone(
// CHECK-NOT: sparsenn_gpu_resident
// CHECK-COUNT-3: gpu.memcpy
// CHECK-NOT: sparsenn_gpu_resident
func.func @left_alone(%arg: memref<4xf32>) {
  %c4 = arith.constant 4 : index
  %var = memref.get_global @var : memref<4xf32>
  %cst = memref.get_global @cst : memref<4xf32>
  %d0 = gpu.alloc () : memref<4xf32>
  gpu.memcpy %d0, %var : memref<4xf32>, memref<4xf32>
  %d1 = gpu.alloc () : memref<4xf32>
  gpu.memcpy %d1, %arg : memref<4xf32>, memref<4xf32>
  %d2 = gpu.alloc () : memref<4xf32>
  gpu.memcpy %d2, %cst : memref<4xf32>, memref<4xf32>
  %dn = gpu.create_dn_tensor %d2, %c4 : index into memref<4xf32>
  gpu.dealloc %d0 : memref<4xf32>
  gpu.dealloc %d1 : memref<4xf32>
  gpu.dealloc %d2 : memref<4xf32>
  return
}

// -----

// Without async tokens: the copy of a BSR weight's values, read by the
// descriptor, goes; no wait is made.
memref.global "private" constant @blocks : memref<2x4xf64> = dense<1.0>

// CHECK-LABEL: func.func @sync(
// CHECK-NOT: gpu.wait
// CHECK-NOT: gpu.alloc
// CHECK: %[[G:.*]] = memref.get_global @blocks : memref<2x4xf64>
// CHECK-NEXT: memref.collapse_shape %[[G]]
// CHECK: %[[F:.*]] = memref.collapse_shape %[[G]] {{\[\[}}0, 1]] : memref<2x4xf64> into memref<8xf64>
// CHECK-NEXT: %[[C:.*]] = memref.cast %[[F]] : memref<8xf64> to memref<?xf64>
// CHECK: %[[D:.*]] = call @sparsenn_gpu_resident_f64(%[[C]])
// CHECK: %[[D8:.*]] = memref.cast %[[D]] : memref<?xf64> to memref<8xf64>
// CHECK: %[[D2:.*]] = memref.expand_shape %[[D8]] {{\[\[}}0, 1]] output_shape [2, 4]
// CHECK: %[[V:.*]] = memref.collapse_shape %[[D2]]
// CHECK: gpu.create_bsr %{{.*}}, %[[V]] : memref<?xi32>, memref<?xi32>, memref<8xf64>
// CHECK-NOT: gpu.dealloc
// CHECK-NOT: gpu.wait
func.func @sync(%pos: memref<?xi32>, %crd: memref<?xi32>) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %g = memref.get_global @blocks : memref<2x4xf64>
  %flat = memref.collapse_shape %g [[0, 1]] : memref<2x4xf64> into memref<8xf64>
  %d = gpu.alloc () : memref<8xf64>
  gpu.memcpy %d, %flat : memref<8xf64>, memref<8xf64>
  %a = gpu.create_bsr %c1, %c1, %c2, %c2, %c2, %pos, %crd, %d : memref<?xi32>, memref<?xi32>, memref<8xf64>
  gpu.destroy_sp_mat %a
  gpu.dealloc %d : memref<8xf64>
  return
}
