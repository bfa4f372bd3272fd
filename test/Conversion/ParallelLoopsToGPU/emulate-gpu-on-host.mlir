// RUN: sparse-opt %s --snn-parallel-loops-to-gpu="threads=32" --snn-emulate-gpu-on-host | FileCheck %s

// The device buffers become host buffers, the copies memref.copy, and the
// launch loops over its blocks and threads (x, y, z) around its body, whose
// block and thread ids and sizes are the loops' indices and bounds.
// CHECK-LABEL: func.func @scale
// CHECK-SAME: (%[[A:.*]]: memref<100xf32>)
// CHECK-NOT: gpu.
// CHECK: %[[D:.*]] = memref.alloc() : memref<100xf32>
// CHECK: memref.copy %[[A]], %[[D]]
// CHECK: %[[C32:.*]] = arith.constant 32 : index
// CHECK: %[[GRID:.*]] = arith.maxui
// CHECK: scf.for %[[BX:.*]] = %{{.*}} to %[[GRID]]
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for %[[TX:.*]] = %{{.*}} to %[[C32]]
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.muli %[[BX]], %[[C32]]
// CHECK: memref.store %{{.*}}, %[[D]]
// CHECK: memref.copy %[[D]], %[[A]]
// CHECK: memref.dealloc %[[D]]
// CHECK-NOT: gpu.
func.func @scale(%a: memref<100xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %two = arith.constant 2.0 : f32
  scf.parallel (%i) = (%c0) to (%c100) step (%c1) {
    %v = memref.load %a[%i] : memref<100xf32>
    %m = arith.mulf %v, %two : f32
    memref.store %m, %a[%i] : memref<100xf32>
    scf.reduce
  }
  return
}

// A constant's resident device copy is the host buffer itself: the kernel
// reads the global through the reshapes around the (removed) runtime call,
// whose declaration goes too.
// CHECK-LABEL: func.func @constant
// CHECK: %[[W:.*]] = memref.get_global @table : memref<2x4xf32>
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[W]]
// CHECK: %[[DYN:.*]] = memref.cast %[[FLAT]]
// CHECK-NOT: call
// CHECK: %[[BACK:.*]] = memref.cast %[[DYN]] : memref<?xf32> to memref<8xf32>
// CHECK: %[[DW:.*]] = memref.expand_shape %[[BACK]]
// CHECK: memref.load %[[DW]]
// CHECK-NOT: sparsenn_gpu_resident
memref.global "private" constant @table : memref<2x4xf32> = dense<1.0>
func.func @constant(%out: memref<2x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %w = memref.get_global @table : memref<2x4xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c4) step (%c1, %c1) {
    %v = memref.load %w[%i, %j] : memref<2x4xf32>
    memref.store %v, %out[%i, %j] : memref<2x4xf32>
  }
  return
}
