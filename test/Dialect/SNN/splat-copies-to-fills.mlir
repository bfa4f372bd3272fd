// RUN: sparse-opt %s --snn-splat-copies-to-fills | FileCheck %s

// The zero-initialized output the sparsifier copies from a constant global
// is filled instead, and the unused global goes. A copy from a non-splat
// constant global, and the global, stay.
// CHECK-NOT: memref.global "private" constant @zeros
// CHECK: memref.global "private" constant @table
// CHECK-LABEL: func.func @init
// CHECK: %[[OUT:.*]] = memref.alloc() : memref<4x8xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: linalg.fill ins(%[[ZERO]] : f32) outs(%[[OUT]] : memref<4x8xf32>)
// CHECK: %[[T:.*]] = memref.get_global @table
// CHECK: memref.copy %[[T]], %{{.*}}
// CHECK: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: linalg.fill ins(%[[HALF]] : f32) outs(%{{.*}} : memref<2xf32>)
memref.global "private" constant @zeros : memref<4x8xf32> = dense<0.0> {alignment = 64 : i64}
memref.global "private" constant @table : memref<2xf32> = dense<[1.0, 2.0]>
memref.global "private" constant @halves : memref<2xf32> = dense<0.5>
func.func @init() -> (memref<4x8xf32>, memref<2xf32>, memref<2xf32>) {
  %z = memref.get_global @zeros : memref<4x8xf32>
  %out = memref.alloc() : memref<4x8xf32>
  memref.copy %z, %out : memref<4x8xf32> to memref<4x8xf32>
  %t = memref.get_global @table : memref<2xf32>
  %a = memref.alloc() : memref<2xf32>
  memref.copy %t, %a : memref<2xf32> to memref<2xf32>
  %h = memref.get_global @halves : memref<2xf32>
  %b = memref.alloc() : memref<2xf32>
  linalg.copy ins(%h : memref<2xf32>) outs(%b : memref<2xf32>)
  return %out, %a, %b : memref<4x8xf32>, memref<2xf32>, memref<2xf32>
}
