// RUN: printf '#BAD = #sparse_tensor.\000\000encoding<{ map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>\nfunc.func @f(%%%%a: tensor<8x16xf32, #BAD>) {\n  return\n}\n' > %t.mlir
// RUN: not sparse-opt %t.mlir 2>&1 | FileCheck %s
// RUN: not sparse-runner %t.mlir --entry=f 2>&1 | FileCheck %s --check-prefix=RUNNER

// Found by tools/fuzz (sparsenn-fuzz-backend under ASan, in a CI run and
// again with seed 1): the encoding-map crash of encoding-map-crash.mlir with
// NUL bytes inside `#sparse_tensor.encoding`. MLIR 22's lexer skips a NUL
// like whitespace, so the map reached the crashing parser past the text
// check. The tools reject NUL bytes in MLIR text before parsing.
// CHECK: nul-byte-crash.mlir.tmp.mlir:1: error: a NUL byte in MLIR text
// RUNNER: sparse-runner: error: {{.*}}nul-byte-crash.mlir.tmp.mlir:1: a NUL byte in MLIR text
