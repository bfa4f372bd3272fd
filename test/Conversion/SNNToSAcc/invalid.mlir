// RUN: sparse-opt %s -split-input-file -verify-diagnostics --convert-snn-to-sacc="arch=tc-2:4"
// RUN: not sparse-opt %s --convert-snn-to-sacc="arch=tpu" 2>&1 | FileCheck %s --check-prefix=PRESET
// RUN: not sparse-opt %s --convert-snn-to-sacc='arch="#sacc.arch<pe_rows = 0>"' 2>&1 | FileCheck %s --check-prefix=ATTR
// RUN: not sparse-opt %s --convert-snn-to-sacc="act-density=0" 2>&1 | FileCheck %s --check-prefix=DENSITY
// RUN: not sparse-opt %s --convert-snn-to-sacc="report=html" 2>&1 | FileCheck %s --check-prefix=REPORT

// PRESET: error: convert-snn-to-sacc: unknown accelerator 'tpu': give a preset (eie, scnn, cambricon-x, tc-2:4, dense, dense-decompress) or a #sacc.arch<...> attribute
// ATTR: error: convert-snn-to-sacc: invalid accelerator '#sacc.arch<pe_rows = 0>': invalid #sacc.arch: pe_rows must be in [1, 1024], got 0
// DENSITY: error: convert-snn-to-sacc: act-density must be in (0, 1], got 0
// REPORT: error: convert-snn-to-sacc: report must be none, text or json, got 'html'

func.func @unsupported(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = arith.constant dense<[[1.5, 1.5, 2.5, 1.5, 0.5, -0.5, 2.5, -4.5], [0.5, 0.5, -2.5, 1.5, -0.5, 2.5, 0.5, 1.5], [2.5, 1.5, -1.5, -2.5, 4.5, 0.5, -0.5, 0.5], [0.5, 2.5, 0.5, 0.5, -0.5, 1.5, -1.5, 1.5], [3.5, -2.5, -4.5, 1.5, 5.5, -1.5, -2.5, 1.5], [-1.5, -0.5, -0.5, 1.5, -0.5, 1.5, 0.5, -1.5], [-0.5, -1.5, 0.5, -1.5, -1.5, 3.5, 0.5, 0.5], [1.5, -0.5, 0.5, 1.5, 1.5, -1.5, 2.5, -0.5]]> : tensor<8x8xf32>
  // expected-error @+1 {{sacc.format 'csr' is not one the accelerator decodes}}
  %y = snn.linear %x, %w {sacc.format = "csr"} : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @does_not_fit(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = arith.constant dense<[[1.5, 1.5, 2.5, 1.5, 0.5, -0.5, 2.5, -4.5], [0.5, 0.5, -2.5, 1.5, -0.5, 2.5, 0.5, 1.5], [2.5, 1.5, -1.5, -2.5, 4.5, 0.5, -0.5, 0.5], [0.5, 2.5, 0.5, 0.5, -0.5, 1.5, -1.5, 1.5], [3.5, -2.5, -4.5, 1.5, 5.5, -1.5, -2.5, 1.5], [-1.5, -0.5, -0.5, 1.5, -0.5, 1.5, 0.5, -1.5], [-0.5, -1.5, 0.5, -1.5, -1.5, 3.5, 0.5, 0.5], [1.5, -0.5, 0.5, 1.5, 1.5, -1.5, 2.5, -0.5]]> : tensor<8x8xf32>
  // expected-error @+1 {{cannot map the layer with the forced format: nm<2,4>: row 0 has more than 2 nonzeros in the group of 4 at column 0}}
  %y = snn.linear %x, %w {sacc.format = "nm<2,4>"} : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @not_a_format(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = arith.constant dense<[[1.5, 1.5, 2.5, 1.5, 0.5, -0.5, 2.5, -4.5], [0.5, 0.5, -2.5, 1.5, -0.5, 2.5, 0.5, 1.5], [2.5, 1.5, -1.5, -2.5, 4.5, 0.5, -0.5, 0.5], [0.5, 2.5, 0.5, 0.5, -0.5, 1.5, -1.5, 1.5], [3.5, -2.5, -4.5, 1.5, 5.5, -1.5, -2.5, 1.5], [-1.5, -0.5, -0.5, 1.5, -0.5, 1.5, 0.5, -1.5], [-0.5, -1.5, 0.5, -1.5, -1.5, 3.5, 0.5, 0.5], [1.5, -0.5, 0.5, 1.5, 1.5, -1.5, 2.5, -0.5]]> : tensor<8x8xf32>
  // expected-error @+1 {{sacc.format 'ell' is not a weight format (dense, csr, bitmap, nm<n,m>, block<r,c>)}}
  %y = snn.linear %x, %w {sacc.format = "ell"} : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
