// RUN: sparse-opt %s --snn-privatize-allocas | FileCheck %s

// The iteration state upstream's sparsifier keeps for a COO level, before
// the loop it parallelizes, moves into the loop: one per iteration.
// CHECK-LABEL: func.func @shared_state
// CHECK-NOT: memref.alloca
// CHECK: scf.parallel
// CHECK-NEXT: %[[S:.*]] = memref.alloca() : memref<1x4xindex>
// CHECK: memref.store %{{.*}}, %[[S]]
// CHECK: scf.for
// CHECK: memref.load %[[S]]
func.func @shared_state(%out: memref<8xindex>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %s = memref.alloca() : memref<1x4xindex>
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %i, %s[%c0, %c0] : memref<1x4xindex>
    scf.for %j = %c0 to %c8 step %c1 {
      %v = memref.load %s[%c0, %c0] : memref<1x4xindex>
      memref.store %v, %out[%j] : memref<8xindex>
    }
    scf.reduce
  }
  return
}

// Left where they are: an alloca also used outside the loop, one used by two
// loops, and one inside a loop that it is used in outside the inner loop.
// CHECK-LABEL: func.func @stays
// CHECK: %[[A:.*]] = memref.alloca() : memref<2xindex>
// CHECK: %[[B:.*]] = memref.alloca() : memref<3xindex>
// CHECK: scf.parallel
// CHECK-NEXT: %[[C:.*]] = memref.alloca() : memref<4xindex>
// CHECK-NEXT: scf.parallel
func.func @stays(%out: memref<8xindex>) -> index {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %a = memref.alloca() : memref<2xindex>
  %b = memref.alloca() : memref<3xindex>
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %c = memref.alloca() : memref<4xindex>
    scf.parallel (%k) = (%c0) to (%c8) step (%c1) {
      memref.store %k, %c[%c0] : memref<4xindex>
      scf.reduce
    }
    memref.store %i, %c[%c1] : memref<4xindex>
    memref.store %i, %a[%c0] : memref<2xindex>
    memref.store %i, %b[%c0] : memref<3xindex>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %i, %b[%c1] : memref<3xindex>
    scf.reduce
  }
  %r = memref.load %a[%c0] : memref<2xindex>
  return %r : index
}
