// RUN: not sparse-opt %s 2>&1 | FileCheck %s
// RUN: not sparse-runner %s --entry=f 2>&1 | FileCheck %s --check-prefix=RUNNER

// Found by tools/fuzz (sparsenn-fuzz-pipeline, first minutes): a block map
// with `i floordiv 4` but no `i mod 4` segfaults MLIR 22's encoding parser
// (inverseBlockSparsity; upstream mlir-opt crashes the same). The tools
// reject it before parsing.
// CHECK: encoding-map-crash.mlir:[[@LINE+3]]: error: sparse encoding map 'map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4])': every 'd floordiv N' needs a matching 'd mod N'
// RUNNER: sparse-runner: error: {{.*}}encoding-map-crash.mlir:[[@LINE+2]]: sparse encoding map

#BAD = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
func.func @f(%a: tensor<8x16xf32, #BAD>) {
  return
}
