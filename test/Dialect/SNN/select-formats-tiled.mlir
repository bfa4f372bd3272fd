// RUN: %python %S/Inputs/select_formats_tiled_model.py > %t.mlir
// RUN: sparse-opt %t.mlir --snn-select-formats="report=text cost-model=%S/Inputs/cost-model-tiled.json" 2> %t.report | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.report
// RUN: %python %S/Inputs/select_formats_tiled_model.py 1 > %t.b1.mlir
// RUN: sparse-opt %t.b1.mlir --snn-select-formats="cost-model=%S/Inputs/cost-model-tiled.json" | FileCheck %s --check-prefix=BATCH1
// RUN: sparse-opt %t.mlir --snn-select-formats="cost-model=%S/Inputs/cost-model-fixed.json" | FileCheck %s --check-prefix=NOMODEL
// RUN: %python %S/Inputs/select_formats_tiled_model.py 1 wide > %t.wide.mlir
// RUN: sparse-opt %t.wide.mlir --snn-select-formats=report=text 2> %t.wide.report | FileCheck %s --check-prefix=WIDE
// RUN: FileCheck %s --check-prefix=WIDEREPORT < %t.wide.report

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
// At batch 1 the matrix-vector kernels run: weights at most 8192 columns
// wide (32 KiB of f32 activations) are never tiled; a model without a
// csr-tiled entry never proposes it for a batch above one.
// BATCH1-NOT: floordiv
// NOMODEL-NOT: floordiv

// At batch 1 (the built-in model), a CSR weight wider than 8192 columns is
// stored in panels of 8192, whose slice of x the matrix-vector kernel keeps
// in L1, when a row's part of a panel holds 64 entries or more on average:
// 16384 columns at 90% (819 a part) are; at 99.5% (41 a part) they stay
// CSR, as do 8192 columns (one panel).
// WIDE-DAG: #[[T8192:.*]] = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 floordiv 8192 : dense, d0 : dense, d1 mod 8192 : compressed), posWidth = 32, crdWidth = 16 }>
// WIDE-LABEL: func.func @w90
// WIDE: snn.linear {{.*}} tensor<4x16384xf32, #[[T8192]]>
// WIDE-LABEL: func.func @w995
// WIDE-NOT: #[[T8192]]>
// WIDE-LABEL: func.func @n90
// WIDE-NOT: #[[T8192]]>
// WIDEREPORT: w90{{ +}}snn.linear{{ +}}4x16384{{ +}}0.900{{ +}}unstructured{{ +}}csr-tiled 8192{{ +}}16
// WIDEREPORT: w995{{ +}}snn.linear{{ +}}4x16384{{ +}}0.995{{ +}}unstructured{{ +}}csr{{ +}}16
// WIDEREPORT: n90{{ +}}snn.linear{{ +}}4x8192{{ +}}0.900{{ +}}unstructured{{ +}}csr{{ +}}16
