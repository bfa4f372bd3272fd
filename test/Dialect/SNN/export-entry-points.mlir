// RUN: sparse-opt %s -snn-export-entry-points | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK-SAME: attributes {llvm.emit_c_interface}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = call @helper(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Private functions and declarations keep their plain symbols.
// CHECK-LABEL: func.func private @helper
// CHECK-NOT: llvm.emit_c_interface
// CHECK: func.func private @external
// CHECK-NOT: llvm.emit_c_interface
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func private @external(tensor<4xf32>)
