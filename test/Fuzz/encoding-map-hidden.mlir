// RUN: printf '#BAD = #sparse_tensor.\n\n\n  encoding<{ map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>\nfunc.func @f(%%%%a: tensor<8x16xf32, #BAD>) {\n  return\n}\n' > %t.newlines.mlir
// RUN: not sparse-opt %t.newlines.mlir 2>&1 | FileCheck %s
// RUN: printf '#BAD = #sparse_tensor. // a comment\n  encoding<{ map = (i, j) -> (i floordiv // another\n 4 : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>\nfunc.func @f(%%%%a: tensor<8x16xf32, #BAD>) {\n  return\n}\n' > %t.comments.mlir
// RUN: not sparse-opt %t.comments.mlir 2>&1 | FileCheck %s
// RUN: printf '#BAD = #sparse_tensor<encoding<{ map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>>\nfunc.func @f(%%%%a: tensor<8x16xf32, #BAD>) {\n  return\n}\n' > %t.generic.mlir
// RUN: not sparse-opt %t.generic.mlir 2>&1 | FileCheck %s
// RUN: not sparse-runner %t.comments.mlir --entry=f 2>&1 | FileCheck %s --check-prefix=RUNNER
// A valid encoding with a comment in its map still parses.
// RUN: printf '#CSR = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, // d\n j : compressed) }>\nfunc.func @f(%%%%a: tensor<8x16xf32, #CSR>) {\n  return\n}\n' > %t.valid.mlir
// RUN: sparse-opt %t.valid.mlir | FileCheck %s --check-prefix=VALID

// Found by tools/fuzz (sparsenn-fuzz-pipeline, a random seed): the map of
// encoding-map-crash.mlir behind newlines between `#sparse_tensor.` and
// `encoding` crashed MLIR 22's parser past the tools' text check, which
// now sees through whitespace, comments, NUL bytes and the
// `#sparse_tensor<encoding<...>>` form, as MLIR's lexer does.
// CHECK: error: sparse encoding map 'map = (i, j) -> (i floordiv {{ *}}4 : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4])': every 'd floordiv N' needs a matching 'd mod N'
// RUNNER: sparse-runner: error: {{.*}}: sparse encoding map
// VALID: func.func @f(%{{.*}}: tensor<8x16xf32, #sparse>)
