// RUN: sparse-opt %s -split-input-file -verify-diagnostics -allow-unregistered-dialect

// expected-error @+1 {{unknown #sacc.arch parameter 'pe_count'}}
"test.arch"() {arch = #sacc.arch<pe_count = 4>} : () -> ()

// -----

// expected-error @+1 {{unknown preset 'tpu' (known: eie, scnn, cambricon-x, tc-2:4, dense, dense-decompress)}}
"test.arch"() {arch = #sacc.arch<preset = "tpu">} : () -> ()

// -----

// expected-error @+1 {{'preset' must be the first parameter}}
"test.arch"() {arch = #sacc.arch<pe_rows = 2, preset = "eie">} : () -> ()

// -----

// expected-error @+1 {{invalid weight format 'nm<4,2>' (expected dense, csr, bitmap, nm<n, m> with 0 < n < m <= 16, or block<r, c> with r, c in [1, 64])}}
"test.arch"() {arch = #sacc.arch<formats = [nm<4, 2>]>} : () -> ()

// -----

// expected-error @+1 {{invalid weight format 'csc'}}
"test.arch"() {arch = #sacc.arch<formats = [csc]>} : () -> ()

// -----

// expected-error @+1 {{invalid #sacc.arch: pe_rows must be in [1, 1024], got 0}}
"test.arch"() {arch = #sacc.arch<pe_rows = 0>} : () -> ()

// -----

// expected-error @+1 {{invalid #sacc.arch: formats must be in [1, 8], got 0}}
"test.arch"() {arch = #sacc.arch<formats = []>} : () -> ()

// -----

// expected-error @+1 {{'skip_zero_activations' must be true or false}}
"test.arch"() {arch = #sacc.arch<skip_zero_activations = 1>} : () -> ()

// -----

func.func @region_out_of_range(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %y = sacc.launch #sacc.arch<> (%x) weights(dense<0> : tensor<16xi8>)
      : (tensor<2x4xf32>) -> tensor<2x2xf32> {
    // expected-error @+1 {{'sacc.dma_weight' op region 3 does not exist (3 regions)}}
    sacc.dma_weight 3[0, 4] -> wbuf[0]
  }
  return %y : tensor<2x2xf32>
}

// -----

func.func @dram_range(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %y = sacc.launch #sacc.arch<> (%x) weights(dense<0> : tensor<16xi8>)
      : (tensor<2x4xf32>) -> tensor<2x2xf32> {
    // expected-error @+1 {{'sacc.dma_weight' op DRAM range [8, +16) is outside region 0 (16 bytes)}}
    sacc.dma_weight 0[8, 16] -> wbuf[0]
  }
  return %y : tensor<2x2xf32>
}

// -----

func.func @act_rows_overlap(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %y = sacc.launch #sacc.arch<> (%x) weights(dense<0> : tensor<16xi8>)
      : (tensor<2x4xf32>) -> tensor<2x2xf32> {
    // expected-error @+1 {{'sacc.dma_act' op row stride 8 is shorter than a row}}
    sacc.dma_act 1[0] 2 x 4 stride 8 -> abuf[0]
  }
  return %y : tensor<2x2xf32>
}

// -----

func.func @store_outside_result(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %y = sacc.launch #sacc.arch<> (%x) weights(dense<0> : tensor<16xi8>)
      : (tensor<2x4xf32>) -> tensor<2x2xf32> {
    // expected-error @+1 {{'sacc.dma_store' op DRAM range [8, +16) is outside region 2 (16 bytes)}}
    sacc.dma_store obuf[0] 2 x 2 -> 2[8] stride 8
  }
  return %y : tensor<2x2xf32>
}

// -----

// A tile larger than the 1 KiB weight buffer.
func.func @weight_buffer_overflow(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %y = sacc.launch #sacc.arch<weight_kib = 1> (%x) weights(dense<0> : tensor<2048xi8>)
      : (tensor<2x4xf32>) -> tensor<2x2xf32> {
    // expected-error @+1 {{'sacc.dma_weight' op weight buffer range at 512 of 1024x1 bytes overflows the 1024-byte buffer}}
    sacc.dma_weight 0[0, 1024] -> wbuf[512]
  }
  return %y : tensor<2x2xf32>
}

// -----

func.func @output_buffer_overflow(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %y = sacc.launch #sacc.arch<out_kib = 1> (%x) weights(dense<0> : tensor<16xi8>)
      : (tensor<2x4xf32>) -> tensor<2x2xf32> {
    // expected-error @+1 {{'sacc.compute' op output buffer range at 1020 of 4x4 bytes overflows the 1024-byte buffer}}
    sacc.compute "dense" 2 x 4 x 2 wbuf[0, 32] abuf[0] -> obuf[1020]
  }
  return %y : tensor<2x2xf32>
}

// -----

func.func @format_not_decoded(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %y = sacc.launch #sacc.arch<formats = [dense, csr]> (%x) weights(dense<0> : tensor<16xi8>)
      : (tensor<2x4xf32>) -> tensor<2x2xf32> {
    // expected-error @+1 {{'sacc.compute' op weight format nm<2,4> is not one the arch decodes}}
    sacc.compute "nm<2,4>" 2 x 4 x 2 wbuf[0, 20] abuf[0] -> obuf[0]
  }
  return %y : tensor<2x2xf32>
}

// -----

func.func @format_unknown(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %y = sacc.launch #sacc.arch<> (%x) weights(dense<0> : tensor<16xi8>)
      : (tensor<2x4xf32>) -> tensor<2x2xf32> {
    // expected-error @+1 {{'sacc.compute' op weight format unknown(255) is not one the arch decodes}}
    sacc.compute "coo" 2 x 4 x 2 wbuf[0, 32] abuf[0] -> obuf[0]
  }
  return %y : tensor<2x2xf32>
}

// -----

// The verifier decodes the weight tiles it can follow from the image: row
// pointers that claim 5 entries in 12 bytes.
func.func @corrupt_tile(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %y = sacc.launch #sacc.arch<formats = [csr]> (%x)
      weights(dense<[0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0]> : tensor<12xi8>)
      : (tensor<2x4xf32>) -> tensor<2x2xf32> {
    sacc.dma_weight 0[0, 12] -> wbuf[0]
    // expected-error @+1 {{'sacc.compute' op csr weight tile 2x4 of 12 bytes: row pointers do not match the size (5 entries)}}
    sacc.compute "csr" 2 x 4 x 2 wbuf[0, 12] abuf[0] -> obuf[0]
  }
  return %y : tensor<2x2xf32>
}

// -----

func.func @dynamic_operand(%x: tensor<?x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'sacc.launch' op operand #0 must be a static-shaped dense f32 tensor, got 'tensor<?x4xf32>'}}
  %y = sacc.launch #sacc.arch<> (%x) weights(dense<0> : tensor<16xi8>)
      : (tensor<?x4xf32>) -> tensor<2x2xf32> {
  }
  return %y : tensor<2x2xf32>
}

// -----

func.func @weights_not_bytes(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'sacc.launch' op weights must be a 1-D i8 image, got 'tensor<4xf32>'}}
  %y = sacc.launch #sacc.arch<> (%x) weights(dense<0.0> : tensor<4xf32>)
      : (tensor<2x4xf32>) -> tensor<2x2xf32> {
  }
  return %y : tensor<2x2xf32>
}

// -----

func.func @not_a_command(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %y = sacc.launch #sacc.arch<> (%x) weights(dense<0> : tensor<16xi8>)
      : (tensor<2x4xf32>) -> tensor<2x2xf32> {
    // expected-error @+1 {{'test.op' op is not an accelerator command}}
    "test.op"() : () -> ()
  }
  return %y : tensor<2x2xf32>
}

// -----

func.func @outside_launch() {
  // expected-error @+1 {{'sacc.barrier' op expects parent op 'sacc.launch'}}
  sacc.barrier
  return
}

// -----

func.func @patches_columns(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %y = sacc.launch #sacc.arch<> (%x) weights(dense<0> : tensor<16xi8>)
      : (tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
    // expected-error @+1 {{'sacc.dma_patches' op window columns [10, +9) exceed C x KH x KW = 18}}
    sacc.dma_patches 1[0] image 2 x 4 x 4 kernel 3 x 3 strides 1 x 1 padding 1 x 1 dilations 1 x 1 ow 4 rows 0 + 16 cols 10 + 9 -> abuf[0]
  }
  return %y : tensor<1x3x4x4xf32>
}

// -----

func.func @patches_image_outside(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %y = sacc.launch #sacc.arch<> (%x) weights(dense<0> : tensor<16xi8>)
      : (tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
    // expected-error @+1 {{'sacc.dma_patches' op DRAM range [0, +160) is outside region 1 (128 bytes)}}
    sacc.dma_patches 1[0] image 2 x 5 x 4 kernel 3 x 3 strides 1 x 1 padding 1 x 1 dilations 1 x 1 ow 4 rows 0 + 16 cols 0 + 18 -> abuf[0]
  }
  return %y : tensor<1x3x4x4xf32>
}

// -----

func.func @patches_stride_zero(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %y = sacc.launch #sacc.arch<> (%x) weights(dense<0> : tensor<16xi8>)
      : (tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
    // expected-error @+1 {{'sacc.dma_patches' op bad flags, sizes or window geometry}}
    sacc.dma_patches 1[0] image 2 x 4 x 4 kernel 3 x 3 strides 0 x 1 padding 1 x 1 dilations 1 x 1 ow 4 rows 0 + 16 cols 0 + 18 -> abuf[0]
  }
  return %y : tensor<1x3x4x4xf32>
}
