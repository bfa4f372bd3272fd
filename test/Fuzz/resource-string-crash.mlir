// RUN: not sparse-opt %s 2>&1 | FileCheck %s
// RUN: not sparse-runner %s --entry=f 2>&1 | FileCheck %s --check-prefix=RUNNER

// Found by tools/fuzz (sparsenn-fuzz-pipeline under ASan, in a CI run): a
// file that ends inside a weight blob's string in its resources section
// made MLIR 22's parser read past the end of the buffer (for one 987-byte
// input; other lengths gave the diagnostic). The tools reject it before
// parsing.
// CHECK: resource-string-crash.mlir:[[@LINE+11]]: error: the file ends inside a string of its resources section (a truncated weight blob?)
// RUNNER: sparse-runner: error: {{.*}}resource-string-crash.mlir:[[@LINE+10]]: the file ends inside a string

func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w = arith.constant dense_resource<w> : tensor<2xf32>
  %y = arith.addf %x, %w : tensor<2xf32>
  return %y : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x0400000000000000
