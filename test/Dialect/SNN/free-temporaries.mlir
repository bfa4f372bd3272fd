// RUN: sparse-opt %s --split-input-file --snn-free-temporaries | FileCheck %s

// Buffers the entry block allocates and that stay in the function are
// freed before the return, whatever reads or writes them (here a view, a
// copy and a device transfer); the returned one, one passed to a call, one
// whose view is returned, one freed already and one whose address is taken
// are not.
// CHECK-LABEL: func.func @temporaries(
// CHECK: %[[LOCAL:.*]] = memref.alloc() : memref<8xf32>
// CHECK: %[[OUT:.*]] = memref.alloc() : memref<8xf32>
// CHECK: %[[CALLED:.*]] = memref.alloc() : memref<8xf32>
// CHECK: %[[VIEWED:.*]] = memref.alloc() : memref<16xf32>
// CHECK: %[[FREED:.*]] = memref.alloc() : memref<8xf32>
// CHECK: %[[PTR:.*]] = memref.alloc() : memref<8xf32>
// CHECK: %[[DEV:.*]] = memref.alloc() : memref<8xf32>
// CHECK: memref.dealloc %[[FREED]]
// CHECK: gpu.wait [
// CHECK-NEXT: memref.dealloc %[[LOCAL]]
// CHECK-NEXT: memref.dealloc %[[DEV]]
// CHECK-NEXT: return %[[OUT]], %{{.*}}, %{{.*}}
func.func private @use(memref<8xf32>)
func.func @temporaries(%in: memref<8xf32>) -> (memref<8xf32>, memref<8xf32, strided<[1], offset: 8>>, index) {
  %c0 = arith.constant 0 : index
  %local = memref.alloc() : memref<8xf32>
  %out = memref.alloc() : memref<8xf32>
  %called = memref.alloc() : memref<8xf32>
  %viewed = memref.alloc() : memref<16xf32>
  %freed = memref.alloc() : memref<8xf32>
  %ptr = memref.alloc() : memref<8xf32>
  %dev = memref.alloc() : memref<8xf32>
  memref.copy %in, %local : memref<8xf32> to memref<8xf32>
  %sub = memref.subview %local[0] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1]>>
  %v = memref.load %sub[%c0] : memref<4xf32, strided<[1]>>
  memref.store %v, %out[%c0] : memref<8xf32>
  func.call @use(%called) : (memref<8xf32>) -> ()
  %half = memref.subview %viewed[8] [8] [1] : memref<16xf32> to memref<8xf32, strided<[1], offset: 8>>
  memref.dealloc %freed : memref<8xf32>
  %p = memref.extract_aligned_pointer_as_index %ptr : memref<8xf32> -> index
  %t0 = gpu.wait async
  %d, %t1 = gpu.alloc async [%t0] () : memref<8xf32>
  %t2 = gpu.memcpy async [%t1] %dev, %d : memref<8xf32>, memref<8xf32>
  %t3 = gpu.dealloc async [%t2] %d : memref<8xf32>
  gpu.wait [%t3]
  return %out, %half, %p : memref<8xf32>, memref<8xf32, strided<[1], offset: 8>>, index
}

// -----

// Allocations inside loops, and functions of several blocks, are left
// alone.
// CHECK-LABEL: func.func @in_loop(
// CHECK-NOT: memref.dealloc
// CHECK: return
// CHECK-LABEL: func.func @blocks(
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @in_loop(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %a = memref.alloc() : memref<8xf32>
  }
  return
}
func.func @blocks(%c: i1) {
  %a = memref.alloc() : memref<8xf32>
  cf.cond_br %c, ^bb1, ^bb2
^bb1:
  return
^bb2:
  return
}
