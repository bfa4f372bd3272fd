// RUN: %python %S/Inputs/select_formats_tiled_model.py > %t.mlir
// RUN: sparse-opt %t.mlir --snn-select-formats="report=text cost-model=%S/Inputs/cost-model-tiled.json" 2> %t.report | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.report
// RUN: %python %S/Inputs/select_formats_tiled_model.py 1 > %t.b1.mlir
// RUN: sparse-opt %t.b1.mlir --snn-select-formats="cost-model=%S/Inputs/cost-model-tiled.json" | FileCheck %s --check-prefix=BATCH1
// RUN: sparse-opt %t.mlir --snn-select-formats="cost-model=%S/Inputs/cost-model-fixed.json" | FileCheck %s --check-prefix=NOMODEL

// A cost model with a csr-tiled entry (Inputs/cost-model-tiled.json, where it
// is cheap): a 50%-sparse 16x256 weight at batch 16 becomes CSR of 4 panels
// of 64 columns.
// CHECK: #[[T:.*]] = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 floordiv 64 : dense, d0 : dense, d1 mod 64 : compressed), posWidth = 32, crdWidth = 8 }>
// CHECK: snn.linear {{.*}} tensor<16x256xf32, #[[T]]>
// REPORT: s50{{ +}}snn.linear{{ +}}16x256{{ +}}0.500{{ +}}unstructured{{ +}}csr-tiled{{ +}}8
// At batch 1 the matrix-vector kernels run and csr-tiled is not a candidate;
// a model without a csr-tiled entry never proposes it.
// BATCH1-NOT: floordiv 64
// NOMODEL-NOT: floordiv 64
