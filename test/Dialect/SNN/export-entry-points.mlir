// RUN: sparse-opt %s -snn-export-entry-points | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK-SAME: attributes {llvm.emit_c_interface}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = call @helper(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @many
// CHECK-SAME: attributes {llvm.emit_c_interface}
func.func @many(%x: tensor<?x16xf32>, %p: tensor<?xindex>, %s: tensor<f64>) -> (tensor<?x4xf32>, tensor<2x3xi32>) {
  %a = tensor.empty() : tensor<2x3xi32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x16xf32>
  %b = tensor.empty(%n) : tensor<?x4xf32>
  return %b, %a : tensor<?x4xf32>, tensor<2x3xi32>
}

// Private functions and declarations keep their plain symbols.
// CHECK-LABEL: func.func private @helper
// CHECK-NOT: llvm.emit_c_interface
// CHECK: func.func private @external
// CHECK-NOT: llvm.emit_c_interface
// Then each entry point's signature, for AOT drivers (docs/ABI.md); none for
// private functions.
// CHECK-NOT: @sparsenn_signature_helper
// CHECK-DAG: llvm.mlir.global external constant @sparsenn_signature_main("f32[4]->f32[4]\00")
// CHECK-DAG: llvm.mlir.global external constant @sparsenn_signature_many("f32[?x16],index[?],f64[]->f32[?x4],i32[2x3]\00")
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func private @external(tensor<4xf32>)
