// RUN: sparse-opt %s --split-input-file --snn-parallel-loops-to-gpu="threads=128" | FileCheck %s
// RUN: not sparse-opt %s --split-input-file --snn-parallel-loops-to-gpu="threads=2000" 2>&1 | FileCheck %s --check-prefix=THREADS

// RUN: sparse-opt %s --split-input-file --snn-parallel-loops-to-gpu="remarks=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK

// THREADS: error: snn-parallel-loops-to-gpu: threads=2000 is out of range: a block has 1 to 1024 threads

// With remarks, each loop that stays on the host says why, once.
// REMARK: remark: this loop stays on the host: it carries a reduction
// REMARK-NEXT: scf.parallel
// REMARK-NOT: carries a reduction
// REMARK: remark: this loop stays on the host: its body allocates, frees or calls
// REMARK-NOT: remark

// A CSR row loop (as the sparsifier emits it): every buffer goes to the
// device; only the one the body writes comes back, at the return (upstream's
// sparse-gpu-codegen copied back the positions instead).
// CHECK-LABEL: func.func @spmm
// CHECK-SAME: (%[[POS:.*]]: memref<?xindex>, %[[CRD:.*]]: memref<?xindex>, %[[VAL:.*]]: memref<?xf32>, %[[X:.*]]: memref<16x4xf32>, %[[Y:.*]]: memref<8x4xf32>)
// CHECK: %[[T0:.*]] = gpu.wait async
// CHECK: %[[DPOS:.*]], %{{.*}} = gpu.alloc async [%[[T0]]] (%{{.*}}) : memref<?xindex>
// CHECK: gpu.memcpy async [%{{.*}}] %[[DPOS]], %[[POS]]
// CHECK: %[[DCRD:.*]], %{{.*}} = gpu.alloc async
// CHECK: gpu.memcpy async [%{{.*}}] %[[DCRD]], %[[CRD]]
// CHECK: %[[DVAL:.*]], %{{.*}} = gpu.alloc async
// CHECK: gpu.memcpy async [%{{.*}}] %[[DVAL]], %[[VAL]]
// CHECK: %[[DY:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] () : memref<8x4xf32>
// CHECK: gpu.memcpy async [%{{.*}}] %[[DY]], %[[Y]]
// CHECK: %[[DX:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] () : memref<16x4xf32>
// CHECK: gpu.memcpy async [%{{.*}}] %[[DX]], %[[X]]
// Grid: ceil(8 / 128) blocks, at least one, at most 65535.
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK: %[[BLOCKS:.*]] = arith.ceildivui %{{.*}}, %[[C128]]
// CHECK: %[[CAPPED:.*]] = arith.minui %[[BLOCKS]], %{{.*}}
// CHECK: %[[GRID:.*]] = arith.maxui %[[CAPPED]], %{{.*}}
// CHECK: %[[LAUNCH:.*]] = gpu.launch async [%{{.*}}] blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%[[GX:.*]] = %[[GRID]], %{{.*}}, %{{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%[[BDX:.*]] = %[[C128]],
// CHECK: %[[MUL:.*]] = arith.muli %[[BX]], %[[BDX]]
// CHECK: %[[FIRST:.*]] = arith.addi %[[MUL]], %[[TX]]
// CHECK: %[[STRIDE:.*]] = arith.muli %[[BDX]], %[[GX]]
// CHECK: scf.for %{{.*}} = %[[FIRST]] to %{{.*}} step %[[STRIDE]]
// CHECK: memref.load %[[DPOS]]
// CHECK: memref.store %{{.*}}, %[[DY]]
// CHECK: gpu.terminator
// CHECK: gpu.wait [%[[LAUNCH]]]
// CHECK: %[[S:.*]] = gpu.wait async
// CHECK: %[[BACK:.*]] = gpu.memcpy async [%[[S]]] %[[Y]], %[[DY]]
// CHECK-NOT: gpu.memcpy
// CHECK: gpu.dealloc async [%{{.*}}] %[[DPOS]]
// CHECK-COUNT-4: gpu.dealloc
// CHECK: gpu.wait [%{{.*}}]
// CHECK-NEXT: return
// CHECK-NOT: scf.parallel
func.func @spmm(%pos: memref<?xindex>, %crd: memref<?xindex>, %val: memref<?xf32>,
                %x: memref<16x4xf32>, %y: memref<8x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %lo = memref.load %pos[%i] : memref<?xindex>
    %i1 = arith.addi %i, %c1 : index
    %hi = memref.load %pos[%i1] : memref<?xindex>
    scf.for %p = %lo to %hi step %c1 {
      %k = memref.load %crd[%p] : memref<?xindex>
      %w = memref.load %val[%p] : memref<?xf32>
      scf.for %j = %c0 to %c4 step %c1 {
        %a = memref.load %y[%i, %j] : memref<8x4xf32>
        %b = memref.load %x[%k, %j] : memref<16x4xf32>
        %m = arith.mulf %w, %b : f32
        %s = arith.addf %a, %m : f32
        memref.store %s, %y[%i, %j] : memref<8x4xf32>
      }
    }
    scf.reduce
  }
  return
}

// -----

// The batch loop the sparsifier parallelizes inside the sparse reduction
// (dense-any-loop) becomes a thread dimension too: one thread per (row,
// batch column), each running the whole reduction, instead of one per row.
// CHECK-LABEL: func.func @spmm_batch
// CHECK: gpu.launch
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[COL:.*]] = arith.remui %[[T]], %{{.*}} : index
// CHECK: %[[ROWT:.*]] = arith.divui %[[T]], %{{.*}} : index
// CHECK: %[[J:.*]] = arith.addi %c0, %{{.*}} : index
// CHECK: %[[I:.*]] = arith.addi %c0, %{{.*}} : index
// CHECK: scf.for %[[P:.*]] = %{{.*}} to %{{.*}} step %c1 {
// CHECK: memref.load %{{.*}}[%[[I]], %[[J]]] : memref<8x4xf32>
// CHECK: memref.store %{{.*}}, %{{.*}}[%[[I]], %[[J]]] : memref<8x4xf32>
// CHECK-NOT: scf.parallel
// CHECK: gpu.terminator
func.func @spmm_batch(%pos: memref<?xindex>, %crd: memref<?xindex>, %val: memref<?xf32>,
                      %x: memref<16x4xf32>, %y: memref<8x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %lo = memref.load %pos[%i] : memref<?xindex>
    %i1 = arith.addi %i, %c1 : index
    %hi = memref.load %pos[%i1] : memref<?xindex>
    scf.for %p = %lo to %hi step %c1 {
      %k = memref.load %crd[%p] : memref<?xindex>
      %w = memref.load %val[%p] : memref<?xf32>
      scf.parallel (%j) = (%c0) to (%c4) step (%c1) {
        %a = memref.load %y[%i, %j] : memref<8x4xf32>
        %b = memref.load %x[%k, %j] : memref<16x4xf32>
        %m = arith.mulf %w, %b : f32
        %s = arith.addf %a, %m : f32
        memref.store %s, %y[%i, %j] : memref<8x4xf32>
        scf.reduce
      }
    }
    scf.reduce
  }
  return
}

// -----

// Not when the inner loop's iterations could touch the same elements (a
// store that does not index with the batch variable): one thread per row.
// CHECK-LABEL: func.func @shared_column
// CHECK: gpu.launch
// CHECK-NOT: arith.remui
// CHECK: scf.parallel
// CHECK: gpu.terminator
func.func @shared_column(%pos: memref<?xindex>, %y: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %lo = memref.load %pos[%i] : memref<?xindex>
    %i1 = arith.addi %i, %c1 : index
    %hi = memref.load %pos[%i1] : memref<?xindex>
    scf.for %p = %lo to %hi step %c1 {
      scf.parallel (%j) = (%c0) to (%c4) step (%c1) {
        memref.store %one, %y[%i] : memref<8xf32>
        scf.reduce
      }
    }
    scf.reduce
  }
  return
}

// -----

// Nor when the code around the inner loop reads what it writes (here the
// row's first output bounds the reduction).
// CHECK-LABEL: func.func @reads_written
// CHECK: gpu.launch
// CHECK-NOT: arith.remui
// CHECK: scf.parallel
// CHECK: gpu.terminator
func.func @reads_written(%y: memref<8x4xindex>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %n = memref.load %y[%i, %c0] : memref<8x4xindex>
    scf.for %p = %c0 to %n step %c1 {
      scf.parallel (%j) = (%c0) to (%c4) step (%c1) {
        %a = memref.load %y[%i, %j] : memref<8x4xindex>
        %s = arith.addi %a, %c1 : index
        memref.store %s, %y[%i, %j] : memref<8x4xindex>
        scf.reduce
      }
    }
    scf.reduce
  }
  return
}

// -----

// Two dimensions are linearized and delinearized per thread; views of one
// buffer share its device copy and are taken again on the device; a
// dynamic size comes from memref.dim.
// CHECK-LABEL: func.func @views
// CHECK-SAME: (%[[A:.*]]: memref<?x8xf32>, %[[N:.*]]: index)
// CHECK: %[[DIM:.*]] = memref.dim %[[A]], %c0
// CHECK: %[[DA:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] (%[[DIM]]) : memref<?x8xf32>
// CHECK-NOT: gpu.alloc
// CHECK: gpu.launch
// CHECK: arith.remui
// CHECK: arith.divui
// CHECK: memref.subview %[[DA]][0, 0] [4, 8] [1, 1]
// CHECK: memref.subview %[[DA]][4, 0] [4, 8] [1, 1]
// CHECK: gpu.terminator
// CHECK: gpu.memcpy async [%{{.*}}] %[[A]], %[[DA]]
// CHECK: return
func.func @views(%a: memref<?x8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %top = memref.subview %a[0, 0] [4, 8] [1, 1] : memref<?x8xf32> to memref<4x8xf32, strided<[8, 1]>>
  %bot = memref.subview %a[4, 0] [4, 8] [1, 1] : memref<?x8xf32> to memref<4x8xf32, strided<[8, 1], offset: 32>>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    %v = memref.load %top[%i, %j] : memref<4x8xf32, strided<[8, 1]>>
    memref.store %v, %bot[%i, %j] : memref<4x8xf32, strided<[8, 1], offset: 32>>
    scf.reduce
  }
  return
}

// -----

// Buffers stay on the device across launches. %t (allocated here) is written
// by the first kernel and read by the second: no copy at all. %a is copied in
// once; the host's load of %out after the second kernel copies it back first;
// the host's store to %a makes the device copy stale, so the third kernel
// copies it in again. Freeing %t frees its device copy; the rest are copied
// back (when the device wrote them last) and freed at the return.
// CHECK-LABEL: func.func @resident
// CHECK-SAME: (%[[A:.*]]: memref<8xf32>, %[[OUT:.*]]: memref<8xf32>)
// CHECK: %[[T:.*]] = memref.alloc() : memref<8xf32>
// CHECK: %[[DA:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] () : memref<8xf32>
// CHECK: gpu.memcpy async [%{{.*}}] %[[DA]], %[[A]]
// CHECK: %[[DT:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] () : memref<8xf32>
// CHECK-NOT: gpu.memcpy
// CHECK: gpu.launch
// CHECK: memref.store %{{.*}}, %[[DT]]
// CHECK: %[[DOUT:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] () : memref<8xf32>
// CHECK: gpu.memcpy async [%{{.*}}] %[[DOUT]], %[[OUT]]
// CHECK: gpu.launch
// CHECK: memref.load %{{.*}}[%{{.*}}] : memref<8xf32>
// CHECK: memref.store %{{.*}}, %[[DOUT]]
// CHECK: gpu.memcpy async [%{{.*}}] %[[OUT]], %[[DOUT]]
// CHECK: memref.load %[[OUT]]
// CHECK: memref.store %{{.*}}, %[[A]]
// CHECK: gpu.memcpy async [%{{.*}}] %[[DA]], %[[A]]
// CHECK: gpu.launch
// CHECK: gpu.dealloc async [%{{.*}}] %[[DT]]
// CHECK: memref.dealloc %[[T]]
// CHECK-NOT: gpu.memcpy {{.*}} %[[A]], %[[DA]]
// CHECK: gpu.memcpy async [%{{.*}}] %[[OUT]], %[[DOUT]]
// CHECK-COUNT-2: gpu.dealloc
// CHECK: return
func.func @resident(%a: memref<8xf32>, %out: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %two = arith.constant 2.0 : f32
  %t = memref.alloc() : memref<8xf32>
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %v = memref.load %a[%i] : memref<8xf32>
    %m = arith.mulf %v, %two : f32
    memref.store %m, %t[%i] : memref<8xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %v = memref.load %t[%i] : memref<8xf32>
    memref.store %v, %out[%i] : memref<8xf32>
    scf.reduce
  }
  %first = memref.load %out[%c0] : memref<8xf32>
  memref.store %first, %a[%c1] : memref<8xf32>
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %v = memref.load %a[%i] : memref<8xf32>
    %w = memref.load %t[%i] : memref<8xf32>
    %s = arith.addf %v, %w : f32
    memref.store %s, %out[%i] : memref<8xf32>
    scf.reduce
  }
  memref.dealloc %t : memref<8xf32>
  return %first : f32
}

// -----

// Loops that cannot run as kernels stay on the host: a reduction, and a body
// that allocates.
// CHECK-LABEL: func.func @host
// CHECK-NOT: gpu.
// CHECK: scf.parallel
// CHECK: scf.parallel
func.func @host(%a: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.parallel (%i) = (%c0) to (%c8) step (%c1) init (%zero) -> f32 {
    %v = memref.load %a[%i] : memref<8xf32>
    scf.reduce(%v : f32) {
    ^bb0(%l: f32, %r: f32):
      %s = arith.addf %l, %r : f32
      scf.reduce.return %s : f32
    }
  }
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %t = memref.alloc() : memref<4xf32>
    memref.store %zero, %t[%c0] : memref<4xf32>
    memref.dealloc %t : memref<4xf32>
    scf.reduce
  }
  return %sum : f32
}

// -----

// A stack buffer in the body (the per-iteration COO iteration state after
// snn-privatize-allocas) is the thread's own: the loop becomes a kernel with
// the alloca inside, and no device copy of it.
// CHECK-LABEL: func.func @private_scratch
// CHECK-NOT: memref.alloca
// CHECK: gpu.launch
// CHECK: memref.alloca() : memref<1x4xindex>
// CHECK: gpu.terminator
func.func @private_scratch(%out: memref<8xindex>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %s = memref.alloca() : memref<1x4xindex>
    memref.store %i, %s[%c0, %c0] : memref<1x4xindex>
    %v = memref.load %s[%c0, %c0] : memref<1x4xindex>
    memref.store %v, %out[%i] : memref<8xindex>
    scf.reduce
  }
  return
}

// -----

// A constant global (a packed weight) read by two kernels: no gpu.alloc or
// copy per call; the runtime's resident copy (one call, the buffer seen as
// rank 1, MLIR's C interface) serves both launches and is not freed at the
// return. The non-constant output is allocated, copied back and freed as
// before.
// CHECK-LABEL: func.func @constant_weight(
// CHECK-SAME: %[[OUT:.*]]: memref<4x2xf32>
// CHECK: %[[W:.*]] = memref.get_global @weight : memref<4x2xf32>
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[W]] {{\[}}[0, 1]] : memref<4x2xf32> into memref<8xf32>
// CHECK: %[[DYN:.*]] = memref.cast %[[FLAT]] : memref<8xf32> to memref<?xf32>
// CHECK: %[[RES:.*]] = call @sparsenn_gpu_resident_f32(%[[DYN]]) : (memref<?xf32>) -> memref<?xf32>
// CHECK: %[[STATIC:.*]] = memref.cast %[[RES]] : memref<?xf32> to memref<8xf32>
// CHECK: %[[DW:.*]] = memref.expand_shape %[[STATIC]] {{\[}}[0, 1]] output_shape [4, 2] : memref<8xf32> into memref<4x2xf32>
// CHECK-NOT: gpu.memcpy {{.*}}%[[W]]
// CHECK: gpu.launch
// CHECK: memref.load %[[DW]]
// CHECK: gpu.launch
// CHECK: memref.load %[[DW]]
// CHECK-NOT: call @sparsenn_gpu_resident
// CHECK: gpu.memcpy {{.*}} %[[OUT]], %{{.*}} : memref<4x2xf32>, memref<4x2xf32>
// CHECK-NOT: gpu.dealloc {{.*}} %[[DW]]
// CHECK: return
// CHECK: func.func private @sparsenn_gpu_resident_f32(memref<?xf32>) -> memref<?xf32> attributes {llvm.emit_c_interface}
memref.global "private" constant @weight : memref<4x2xf32> = dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]>
func.func @constant_weight(%out: memref<4x2xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %w = memref.get_global @weight : memref<4x2xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c2) step (%c1, %c1) {
    %v = memref.load %w[%i, %j] : memref<4x2xf32>
    memref.store %v, %out[%i, %j] : memref<4x2xf32>
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c2) step (%c1, %c1) {
    %v = memref.load %w[%i, %j] : memref<4x2xf32>
    %o = memref.load %out[%i, %j] : memref<4x2xf32>
    %s = arith.addf %v, %o : f32
    memref.store %s, %out[%i, %j] : memref<4x2xf32>
  }
  return
}
