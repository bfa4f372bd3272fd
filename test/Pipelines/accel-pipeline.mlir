// RUN: sparse-opt %s --sparsenn-accel-pipeline="arch=eie" | FileCheck %s
// RUN: sparse-opt %s --sparsenn-accel-pipeline='arch={#sacc.arch<preset = "tc-2:4", weight_kib = 64>} report=json' -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// The accelerator pipeline down to the LLVM dialect: each linear layer is a
// call of sacc_launch with its record and weight image as globals; the
// softmax the arch lacks is CPU code.

// CHECK-DAG: llvm.mlir.global private constant @sacc_record_0
// CHECK-DAG: llvm.mlir.global private constant @sacc_record_1
// CHECK-DAG: llvm.mlir.global private constant @sacc_image_0
// CHECK-DAG: llvm.func @sacc_launch(!llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i32) -> i32
// CHECK-LABEL: llvm.func @main(
// CHECK-COUNT-2: llvm.call @sacc_launch
// CHECK: llvm.intr.exp
// CHECK-LABEL: llvm.func @_mlir_ciface_main(
// CHECK-NOT: sacc.
// CHECK-NOT: snn.

// REPORT: "format": "dense"
// REPORT: "predicted_cycles":
// REPORT: "target": "accel"
// REPORT: "op": "snn.softmax"
// REPORT-NEXT: "reason": "no accelerator lowering for this op"
// REPORT-NEXT: "target": "cpu"
func.func @main(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<8x8xf32>
  %b = arith.constant dense<0.25> : tensor<8xf32>
  %w2 = arith.constant dense<-0.5> : tensor<4x8xf32>
  %y = snn.linear %x, %w bias %b : (tensor<4x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %r = snn.relu %y : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %z = snn.linear %r, %w2 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x4xf32>
  %s = snn.softmax %z {axis = 1} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %s : tensor<4x4xf32>
}
