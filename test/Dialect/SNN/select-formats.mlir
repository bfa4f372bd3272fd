// RUN: %python %S/Inputs/select_formats_model.py > %t.mlir
// A fixed copy of a calibration (Inputs/cost-model-fixed.json) keeps these
// checks independent of recalibrating the built-in constants.
// RUN: sparse-opt %t.mlir --snn-select-formats="report=text cost-model=%S/Inputs/cost-model-fixed.json" 2> %t.report | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.report
// RUN: sparse-opt %t.mlir --snn-select-formats="report=json report-file=%t.json cost-model=%S/Inputs/cost-model-fixed.json" -o /dev/null
// RUN: sparse-opt %t.mlir --snn-select-formats="report=text" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BUILTIN
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: sparse-opt %t.mlir --snn-select-formats="cost-model=%S/Inputs/cost-model-all-dense.json" | FileCheck %s --check-prefix=EXPENSIVE

// Layers of known sparsity and structure (Inputs/select_formats_model.py),
// 64x64 weights, batch 16, with the built-in CPU cost model:
// CHECK-DAG: #[[CSR:.*]] = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed), posWidth = 32, crdWidth = 8 }>
// CHECK-DAG: #[[NV:.*]] = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 floordiv 4 : dense, d1 mod 4 : structured[2, 4]), posWidth = 32, crdWidth = 8 }>
// CHECK-DAG: #[[BSR:.*]] = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 floordiv 4 : dense, d1 floordiv 4 : compressed, d0 mod 4 : dense, d1 mod 4 : dense), posWidth = 32, crdWidth = 8 }>
// CHECK-LABEL: func.func @model
// 30% sparse: predicted not faster than dense by the margin, stays dense.
// CHECK: snn.linear %arg0, %{{.*}} : (tensor<16x64xf32>, tensor<64x64xf32>)
// 95% sparse: compressed (CSR).
// CHECK: snn.linear %arg0, %{{.*}} {weight_pattern = #snn.pattern<unstructured, sparsity = 0.95>} : (tensor<16x64xf32>, tensor<64x64xf32, #[[CSR]]>)
// 2:4: structured[2, 4].
// CHECK: snn.linear %arg0, %{{.*}} {weight_pattern = #snn.pattern<nm = [2, 4]>} : (tensor<16x64xf32>, tensor<64x64xf32, #[[NV]]>)
// 4x4 blocks at 90%: detected (report), compressed by the model.
// CHECK: snn.linear %arg0, %{{.*}} {weight_pattern = #snn.pattern<unstructured, sparsity = 0.{{[0-9]+}}>} : (tensor<16x64xf32>, tensor<64x64xf32, #[[CSR]]>)
// snn.format = "bsr" wins over the model: BSR with the detected 4x4 blocks.
// CHECK: snn.linear %arg0, %{{.*}} {weight_pattern = #snn.pattern<block = [4, 4], sparsity = 0.{{[0-9]+}}>} : (tensor<16x64xf32>, tensor<64x64xf32, #[[BSR]]>)
// snn.format = "dense" wins even at 99%; a user encoding stays.
// CHECK: snn.linear %arg0, %{{.*}} : (tensor<16x64xf32>, tensor<64x64xf32>)
// CHECK: snn.linear %arg0, %{{.*}} : (tensor<16x64xf32>, tensor<64x64xf32, #{{.*}}>)
// CHECK-NOT: snn.format

// REPORT: layer{{ +}}op{{ +}}weight{{ +}}sparsity{{ +}}structure{{ +}}format{{ +}}index{{ +}}bytes dense{{ +}}bytes chosen{{ +}}ms dense{{ +}}ms chosen
// REPORT-NEXT: s30{{ +}}snn.linear{{ +}}64x64{{ +}}0.300{{ +}}unstructured{{ +}}dense{{ +}}-{{ +}}16384{{ +}}16384
// REPORT-NEXT: s95{{ +}}snn.linear{{ +}}64x64{{ +}}0.950{{ +}}unstructured{{ +}}csr{{ +}}8{{ +}}16384{{ +}}1285
// REPORT-NEXT: nv24{{ +}}snn.linear{{ +}}64x64{{ +}}0.500{{ +}}nm 2:4{{ +}}nm 2:4{{ +}}8{{ +}}16384{{ +}}10240
// REPORT-NEXT: blk4{{ +}}snn.linear{{ +}}64x64{{ +}}0.{{[0-9]+}}{{ +}}block 4x4{{ +}}csr
// REPORT-NEXT: user_bsr{{ +}}snn.linear{{ +}}64x64{{ +}}0.{{[0-9]+}}{{ +}}block 4x4{{ +}}bsr 4x4 (user)
// REPORT-NEXT: user_dense{{ +}}snn.linear{{ +}}64x64{{ +}}0.990{{ +}}-{{ +}}dense (user)
// REPORT-NEXT: user_enc{{ +}}snn.linear{{ +}}64x64{{ +}}0.950{{ +}}-{{ +}}user encoding (user)

// JSON: "layers": [
// JSON: "format": "dense"
// JSON: "location": "s30"
// JSON: "sparsity": 0.300
// JSON: "format": "csr"
// JSON: "index_bits": 8
// JSON: "target": "cpu"

// The built-in constants (whatever the last calibration measured): the 30%
// layer stays dense, the 95% one is compressed; the 2:4 structure is
// detected, and at 64x64 its kernel and the dense one are within 5% of each
// other (bench/results), so either may win. The fixed model above checks
// that a 2:4 choice gets structured[2, 4].
// BUILTIN: s30{{ +}}snn.linear{{ +}}64x64{{ +}}0.300{{ +}}unstructured{{ +}}dense
// BUILTIN-NEXT: s95{{ +}}snn.linear{{ +}}64x64{{ +}}0.950{{ +}}unstructured{{ +}}{{csr|dcsr|coo|csc}}
// BUILTIN-NEXT: nv24{{ +}}snn.linear{{ +}}64x64{{ +}}0.500{{ +}}nm 2:4{{ +}}{{nm 2:4|dense}}

// With a cost model in which every sparse format is expensive, all stay
// dense (the file is read; its constants win over the built-in ones) but for
// the user's BSR.
// EXPENSIVE-NOT: structured
// EXPENSIVE-NOT: (d0 : compressed, d1 : compressed)
// EXPENSIVE: floordiv 4 : compressed
