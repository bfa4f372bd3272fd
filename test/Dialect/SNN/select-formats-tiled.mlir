// RUN: %python %S/Inputs/select_formats_tiled_model.py > %t.mlir
// RUN: sparse-opt %t.mlir --snn-select-formats="report=text cost-model=%S/Inputs/cost-model-tiled.json" 2> %t.report | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.report
// RUN: %python %S/Inputs/select_formats_tiled_model.py 1 > %t.b1.mlir
// RUN: sparse-opt %t.b1.mlir --snn-select-formats="cost-model=%S/Inputs/cost-model-tiled.json" | FileCheck %s --check-prefix=BATCH1
// RUN: sparse-opt %t.mlir --snn-select-formats="cost-model=%S/Inputs/cost-model-fixed.json" | FileCheck %s --check-prefix=NOMODEL

// A cost model with a csr-tiled entry (Inputs/cost-model-tiled.json, where it
// is cheap): at batch 16 the weights become CSR of panels whose width is the
// power of two nearest to 32 / density, within [64, 1024]: 50% sparse -> 64
// columns, 90% -> 256 (32 / 0.1 = 320), 99% -> 1024 (3200, the widest), so a
// row's segment in a panel holds about 32 entries.
// CHECK-DAG: #[[T64:.*]] = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 floordiv 64 : dense, d0 : dense, d1 mod 64 : compressed), posWidth = 32, crdWidth = 8 }>
// CHECK-DAG: #[[T256:.*]] = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 floordiv 256 : dense, d0 : dense, d1 mod 256 : compressed), posWidth = 32, crdWidth = 8 }>
// CHECK-DAG: #[[T1024:.*]] = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 floordiv 1024 : dense, d0 : dense, d1 mod 1024 : compressed), posWidth = 32, crdWidth = 16 }>
// CHECK-LABEL: func.func @s50
// CHECK: snn.linear {{.*}} tensor<16x256xf32, #[[T64]]>
// CHECK-LABEL: func.func @s90
// CHECK: snn.linear {{.*}} tensor<16x1024xf32, #[[T256]]>
// CHECK-LABEL: func.func @s99
// CHECK: snn.linear {{.*}} tensor<16x2048xf32, #[[T1024]]>
// REPORT: s50{{ +}}snn.linear{{ +}}16x256{{ +}}0.500{{ +}}unstructured{{ +}}csr-tiled 64{{ +}}8
// REPORT: s90{{ +}}snn.linear{{ +}}16x1024{{ +}}0.900{{ +}}unstructured{{ +}}csr-tiled 256{{ +}}8
// REPORT: s99{{ +}}snn.linear{{ +}}16x2048{{ +}}0.990{{ +}}unstructured{{ +}}csr-tiled 1024{{ +}}16
// At batch 1 the matrix-vector kernels run and csr-tiled is not a candidate;
// a model without a csr-tiled entry never proposes it.
// BATCH1-NOT: floordiv
// NOMODEL-NOT: floordiv
