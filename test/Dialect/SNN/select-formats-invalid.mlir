// RUN: not sparse-opt %s --snn-select-formats="target=tpu" 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not sparse-opt %s --snn-select-formats="report=yaml" 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: not sparse-opt %s --snn-select-formats="cost-model=%t.missing.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: echo '{"formats": {"csr": {}}}' > %t.bad.json
// RUN: not sparse-opt %s --snn-select-formats="cost-model=%t.bad.json" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not sparse-opt %s --snn-select-formats 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: echo '{"formats": {"csr": {"per_unit_ms": 1e-8}}}' > %t.nodense.json
// RUN: not sparse-opt %s --snn-select-formats="cost-model=%t.nodense.json" 2>&1 | FileCheck %s --check-prefix=NODENSE
// TARGET: error: snn-select-formats: no cost model for target 'tpu' (available: cpu, gpu; the accelerator's formats are chosen by convert-snn-to-sacc)
// REPORT: error: snn-select-formats: report must be none, text or json, got 'yaml'
// MISSING: error: snn-select-formats: cannot read cost model '{{.*}}missing.json'
// BAD: error: snn-select-formats: cost model '{{.*}}bad.json': format 'csr' has no per_unit_ms
// FORMAT: error: snn.format = "bsr" is not available for this weight
// NODENSE: error: snn-select-formats: cost model '{{.*}}nodense.json' prices no dense format

func.func @f(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  // No block structure: an identity matrix.
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]]> : tensor<6x6xf32>
  %y = snn.linear %x, %w {snn.format = "bsr"} : (tensor<4x6xf32>, tensor<6x6xf32>) -> tensor<4x6xf32>
  return %y : tensor<4x6xf32>
}
