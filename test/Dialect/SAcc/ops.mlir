// RUN: sparse-opt %s -allow-unregistered-dialect | FileCheck %s
// RUN: sparse-opt %s -allow-unregistered-dialect | sparse-opt -allow-unregistered-dialect | FileCheck %s
// RUN: sparse-opt -mlir-print-op-generic %s -allow-unregistered-dialect | sparse-opt -allow-unregistered-dialect | FileCheck %s

// Parameters print only where they differ from the defaults; a preset
// expands to its values.

// CHECK-LABEL: func.func @defaults
// CHECK: "test.arch"() {arch = #sacc.arch<>}
func.func @defaults() {
  "test.arch"() {arch = #sacc.arch<>} : () -> ()
  return
}

// CHECK-LABEL: func.func @preset
// CHECK: #sacc.arch<pe_rows = 4, macs_per_pe = 16, formats = [dense, csr, bitmap]>
// CHECK: #sacc.arch<pe_rows = 4, weight_kib = 512, dram_bytes_per_cycle = 16, freq_mhz = 800, formats = [csr], skip_zero_activations = true>
func.func @preset() {
  "test.arch"() {arch = #sacc.arch<preset = "cambricon-x", pe_cols = 16>} : () -> ()
  "test.arch"() {arch = #sacc.arch<preset = "eie", weight_kib = 512>} : () -> ()
  return
}

// CHECK-LABEL: func.func @every_parameter
// CHECK: #sacc.arch<pe_rows = 2, pe_cols = 3, macs_per_pe = 4, weight_kib = 5, act_kib = 6, out_kib = 7, dram_bytes_per_cycle = 8, dram_latency = 9, freq_mhz = 10, formats = [nm<2, 4>, block<4, 8>, bitmap], skip_zero_activations = true, sparse_pes = false, mac_pj = 1.0, sram_read_pj_per_byte = 2.0, sram_write_pj_per_byte = 3.0, dram_pj_per_byte = 4.0, decode_pj = 5.0, pe_area_mm2 = 6.0, sparse_pe_extra_mm2 = 7.0, sram_area_mm2_per_kib = 8.0, decompressor_area_mm2 = 1.25e+08>
func.func @every_parameter() {
  "test.arch"() {arch = #sacc.arch<pe_rows = 2, pe_cols = 3, macs_per_pe = 4,
      weight_kib = 5, act_kib = 6, out_kib = 7, dram_bytes_per_cycle = 8,
      dram_latency = 9, freq_mhz = 10, formats = [nm<2, 4>, block<4, 8>, bitmap],
      skip_zero_activations = true, sparse_pes = false, mac_pj = 1.0,
      sram_read_pj_per_byte = 2.0, sram_write_pj_per_byte = 3.0,
      dram_pj_per_byte = 4.0, decode_pj = 5.0, pe_area_mm2 = 6.0,
      sparse_pe_extra_mm2 = 7.0, sram_area_mm2_per_kib = 8.0,
      decompressor_area_mm2 = 1.25e8>} : () -> ()
  return
}

// A launch: y = relu(x W^T + b) for a 2x4 dense weight tile and a bias.
// CHECK-LABEL: func.func @launch
// CHECK: %[[Y:.*]] = sacc.launch <formats = [dense, csr]>(%{{.*}}) weights(dense<{{.*}}> : tensor<40xi8>) : (tensor<3x4xf32>) -> tensor<3x2xf32> {
// CHECK-NEXT:   sacc.dma_weight 0[0, 8] -> wbuf[0]
// CHECK-NEXT:   sacc.dma_weight 0[8, 32] -> wbuf[64]
// CHECK-NEXT:   sacc.dma_act 1[0] 3 x 4 stride 16 -> abuf[0]
// CHECK-NEXT:   sacc.compute "dense" 2 x 4 x 3 wbuf[64, 32] abuf[0] -> obuf[0]
// CHECK-NEXT:   sacc.compute "dense" 2 x 4 x 3 wbuf[64, 32] abuf[0] -> obuf[0] accumulate
// CHECK-NEXT:   sacc.epilogue obuf[0] 3 x 2 bias wbuf[0] relu
// CHECK-NEXT:   sacc.epilogue obuf[0] 3 x 2
// CHECK-NEXT:   sacc.dma_store obuf[0] 3 x 2 -> 2[0] stride 8
// CHECK-NEXT:   sacc.barrier
// CHECK-NEXT: }
// CHECK: return %[[Y]]
func.func @launch(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %y = sacc.launch #sacc.arch<formats = [dense, csr]> (%x)
      weights(dense<0> : tensor<40xi8>) : (tensor<3x4xf32>) -> tensor<3x2xf32> {
    sacc.dma_weight 0[0, 8] -> wbuf[0]
    sacc.dma_weight 0[8, 32] -> wbuf[64]
    sacc.dma_act 1[0] 3 x 4 stride 16 -> abuf[0]
    sacc.compute "dense" 2 x 4 x 3 wbuf[64, 32] abuf[0] -> obuf[0]
    sacc.compute "dense" 2 x 4 x 3 wbuf[64, 32] abuf[0] -> obuf[0] accumulate
    sacc.epilogue obuf[0] 3 x 2 bias wbuf[0] relu
    sacc.epilogue obuf[0] 3 x 2
    sacc.dma_store obuf[0] 3 x 2 -> 2[0] stride 8
    sacc.barrier
  }
  return %y : tensor<3x2xf32>
}

// A convolution: an im2col tile through the address generator, a
// transposed store into NCHW.
// CHECK-LABEL: func.func @conv
// CHECK: sacc.dma_patches 1[0] image 2 x 4 x 4 kernel 3 x 3 strides 1 x 1 padding 1 x 1 dilations 1 x 1 ow 4 rows 0 + 16 cols 0 + 18 -> abuf[0]
// CHECK: sacc.dma_store obuf[0] 16 x 3 -> 2[0] stride 64 transposed
func.func @conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %y = sacc.launch #sacc.arch<> (%x) weights(dense<0> : tensor<216xi8>)
      : (tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
    sacc.dma_weight 0[0, 216] -> wbuf[0]
    sacc.dma_patches 1[0] image 2 x 4 x 4 kernel 3 x 3 strides 1 x 1 padding 1 x 1 dilations 1 x 1 ow 4 rows 0 + 16 cols 0 + 18 -> abuf[0]
    sacc.compute "dense" 3 x 18 x 16 wbuf[0, 216] abuf[0] -> obuf[0]
    sacc.dma_store obuf[0] 16 x 3 -> 2[0] stride 64 transposed
  }
  return %y : tensor<1x3x4x4xf32>
}
