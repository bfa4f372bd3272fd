// RUN: sparse-opt %s -split-input-file --convert-sacc-to-runtime -verify-diagnostics | FileCheck %s

// A launch becomes its encoded record and its weight image (constant
// globals), a zero-filled result buffer and one call of sacc_launch on the
// regions: the image, the operand's buffer, the result's buffer.

// CHECK-DAG: memref.global "private" constant @sacc_image_0 : memref<40xi8> = dense<7> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @sacc_record_0 : memref<[[LEN:[0-9]+]]xi8> = dense_resource<sacc_record_0> {alignment = 64 : i64}
// CHECK-DAG: func.func private @sacc_launch(!llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i32) -> i32
// CHECK-LABEL: func.func @launch(
// CHECK-SAME: %[[X:.*]]: tensor<3x4xf32>
// CHECK: %[[IMG:.*]] = memref.get_global @sacc_image_0 : memref<40xi8>
// CHECK: %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<3x4xf32> to memref<3x4xf32>
// CHECK: %[[YB:.*]] = memref.alloc() {alignment = 64 : i64} : memref<3x2xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[YB]] : memref<3x2xf32>)
// CHECK: %[[ADDRS:.*]] = memref.alloca() : memref<3xi64>
// CHECK: %[[SIZES:.*]] = memref.alloca() : memref<3xi64>
// CHECK: memref.extract_aligned_pointer_as_index %[[IMG]]
// CHECK: arith.constant 40 : i64
// CHECK: memref.extract_aligned_pointer_as_index %[[XB]]
// CHECK: arith.constant 48 : i64
// CHECK: memref.extract_aligned_pointer_as_index %[[YB]]
// CHECK: arith.constant 24 : i64
// CHECK: %[[REC:.*]] = memref.get_global @sacc_record_0 : memref<[[LEN]]xi8>
// CHECK: %[[LENV:.*]] = arith.constant [[LEN]] : i64
// CHECK: %[[N:.*]] = arith.constant 3 : i32
// CHECK: call @sacc_launch(%{{.*}}, %[[LENV]], %{{.*}}, %{{.*}}, %[[N]]) : (!llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i32) -> i32
// CHECK: %[[Y:.*]] = bufferization.to_tensor %[[YB]] restrict writable : memref<3x2xf32> to tensor<3x2xf32>
// CHECK: return %[[Y]]
// CHECK-NOT: sacc.
func.func @launch(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %y = sacc.launch #sacc.arch<> (%x)
      weights(dense<7> : tensor<40xi8>) : (tensor<3x4xf32>) -> tensor<3x2xf32> {
    sacc.dma_weight 0[8, 32] -> wbuf[64]
    sacc.dma_act 1[0] 3 x 4 stride 16 -> abuf[0]
    sacc.compute "dense" 2 x 4 x 3 wbuf[64, 32] abuf[0] -> obuf[0]
    sacc.dma_store obuf[0] 3 x 2 -> 2[0] stride 8
    sacc.barrier
  }
  return %y : tensor<3x2xf32>
}

// -----

// expected-error @+1 {{'sacc_launch' is declared with another type than the accelerator runtime's}}
func.func private @sacc_launch(i64) -> i32

func.func @clash(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %y = sacc.launch #sacc.arch<> (%x)
      weights(dense<7> : tensor<40xi8>) : (tensor<3x4xf32>) -> tensor<3x2xf32> {
    sacc.barrier
  }
  return %y : tensor<3x2xf32>
}
