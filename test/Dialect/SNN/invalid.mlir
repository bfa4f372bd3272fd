// RUN: sparse-opt %s -split-input-file -verify-diagnostics -allow-unregistered-dialect

func.func @linear_in_mismatch(%x: tensor<2x4xf32>, %w: tensor<3x5xf32>) {
  // expected-error @+1 {{'input' [2, 4] has IN = 4 but 'weight' [OUT, IN] [3, 5] has IN = 5}}
  %0 = snn.linear %x, %w : (tensor<2x4xf32>, tensor<3x5xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @linear_weight_rank(%x: tensor<2x4xf32>, %w: tensor<3x4x1xf32>) {
  // expected-error @+1 {{'weight' must be 2-D [OUT, IN], got 'tensor<3x4x1xf32>'}}
  %0 = snn.linear %x, %w : (tensor<2x4xf32>, tensor<3x4x1xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @linear_bias(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'bias' must be [OUT] = [3] for 'weight' [3, 4], got [4]}}
  %0 = snn.linear %x, %w bias %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @linear_result(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>) {
  // expected-error @+1 {{result shape [2, 4] does not match the expected shape [2, 3]}}
  %0 = snn.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_mixed(%x: tensor<2x4xf16>, %w: tensor<3x4xf32>) {
  // expected-error @+1 {{'operand #1' must have the result's element type 'f16', got 'tensor<3x4xf32>'}}
  %0 = snn.linear %x, %w : (tensor<2x4xf16>, tensor<3x4xf32>) -> tensor<2x3xf16>
  return
}

// -----

func.func @linear_dtype(%x: tensor<2x4xf64>, %w: tensor<3x4xf32>) {
  // expected-error @+1 {{'operand #0' must have the result's element type 'f32', got 'tensor<2x4xf64>'}}
  %0 = snn.linear %x, %w : (tensor<2x4xf64>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return
}

// -----

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @linear_sparse_input(%x: tensor<2x4xf32, #CSR>, %w: tensor<3x4xf32>) {
  // expected-error @+1 {{'input' must be dense (only weights carry a sparse encoding)}}
  %0 = snn.linear %x, %w : (tensor<2x4xf32, #CSR>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return
}

// -----

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @linear_sparse_result(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>) {
  // expected-error @+1 {{'result' must be dense}}
  %0 = snn.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32, #CSR>
  return
}

// -----

func.func @linear_rank0(%x: tensor<f32>, %w: tensor<3x4xf32>) {
  // expected-error @+1 {{'input' must have rank >= 1 ([..., IN])}}
  %0 = snn.linear %x, %w : (tensor<f32>, tensor<3x4xf32>) -> tensor<3xf32>
  return
}

// -----

#NV14 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[1, 4]) }>
func.func @pattern_contradicts_nm(%x: tensor<2x8xf32>, %w: tensor<3x8xf32, #NV14>) {
  // expected-error @+1 {{weight_pattern #snn.pattern<nm = [2, 4]> contradicts the weight's encoding, whose level is structured[1, 4]}}
  %0 = snn.linear %x, %w {weight_pattern = #snn.pattern<nm = [2, 4]>} : (tensor<2x8xf32>, tensor<3x8xf32, #NV14>) -> tensor<2x3xf32>
  return
}

// -----

#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
func.func @pattern_unstructured_on_nm(%x: tensor<2x8xf32>, %w: tensor<3x8xf32, #NV24>) {
  // expected-error @+1 {{contradicts the weight's encoding, whose level is structured[2, 4]}}
  %0 = snn.linear %x, %w {weight_pattern = #snn.pattern<unstructured, sparsity = 0.9>} : (tensor<2x8xf32>, tensor<3x8xf32, #NV24>) -> tensor<2x3xf32>
  return
}

// -----

#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 2 : dense, j floordiv 2 : compressed, i mod 2 : dense, j mod 2 : dense) }>
func.func @pattern_block_size(%x: tensor<2x8xf32>, %w: tensor<4x8xf32, #BSR>) {
  // expected-error @+1 {{weight_pattern #snn.pattern<block = [4, 4]> contradicts the weight's block encoding}}
  %0 = snn.linear %x, %w {weight_pattern = #snn.pattern<block = [4, 4]>} : (tensor<2x8xf32>, tensor<4x8xf32, #BSR>) -> tensor<2x4xf32>
  return
}

// -----

func.func @bad_sparsity() {
  // expected-error @+1 {{sparsity must be a fraction of zeros in [0, 1], got 1.5}}
  "test.op"() {p = #snn.pattern<unstructured, sparsity = 1.5>} : () -> ()
  return
}

// -----

func.func @bad_nm() {
  // expected-error @+1 {{nm pattern needs 1 <= n < m}}
  "test.op"() {p = #snn.pattern<nm = [4, 4]>} : () -> ()
  return
}

// -----

func.func @nm_with_sparsity() {
  // expected-error @+1 {{nm pattern implies its sparsity (1 - n/m); do not give one}}
  "test.op"() {p = #snn.pattern<nm = [2, 4], sparsity = 0.5>} : () -> ()
  return
}

// -----

func.func @bad_block() {
  // expected-error @+1 {{block pattern needs positive block sizes}}
  "test.op"() {p = #snn.pattern<block = [0, 4]>} : () -> ()
  return
}

// -----

func.func @bad_kind() {
  // expected-error @+1 {{expected one of 'unstructured', 'nm', 'block' or 'channel', got 'diagonal'}}
  "test.op"() {p = #snn.pattern<diagonal>} : () -> ()
  return
}

// -----

func.func @matmul_k(%a: tensor<4x8xf32>, %b: tensor<9x2xf32>) {
  // expected-error @+1 {{'lhs' [4, 8] has K = 8 but 'rhs' [9, 2] has K = 9}}
  %0 = snn.matmul %a, %b : (tensor<4x8xf32>, tensor<9x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<4xf32>, %b: tensor<4x2xf32>) {
  // expected-error @+1 {{'lhs' [M, K] and 'rhs' [K, N] must be 2-D, got [4] and [4, 2]}}
  %0 = snn.matmul %a, %b : (tensor<4xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @matmul_both_sparse(%a: tensor<4x8xf32, #CSR>, %b: tensor<8x2xf32, #CSR>) {
  // expected-error @+1 {{at most one of 'lhs' and 'rhs' may be sparse}}
  %0 = snn.matmul %a, %b : (tensor<4x8xf32, #CSR>, tensor<8x2xf32, #CSR>) -> tensor<4x2xf32>
  return
}

// -----

func.func @relu_shape(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{result shape [8, 4] does not match the expected shape [4, 8]}}
  %0 = snn.relu %x : (tensor<4x8xf32>) -> tensor<8x4xf32>
  return
}

// -----

func.func @sigmoid_dtype(%x: tensor<4x8xi32>) {
  // expected-error @+1 {{'result' must have element type f32 or f16, got 'tensor<4x8xi32>'}}
  %0 = snn.sigmoid %x : (tensor<4x8xi32>) -> tensor<4x8xi32>
  return
}

// -----

func.func @tanh_result_dtype(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'result' must have element type f32 or f16, got 'tensor<4x8xf64>'}}
  %0 = snn.tanh %x : (tensor<4x8xf32>) -> tensor<4x8xf64>
  return
}

// -----

func.func @add_broadcast(%x: tensor<4x8xf32>, %y: tensor<3xf32>) {
  // expected-error @+1 {{'rhs' [3] does not broadcast to 'lhs' [4, 8] (NumPy rules: trailing dims equal or 1)}}
  %0 = snn.add %x, %y : (tensor<4x8xf32>, tensor<3xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @add_rank(%x: tensor<8xf32>, %y: tensor<2x8xf32>) {
  // expected-error @+1 {{'rhs' [2, 8] does not broadcast to 'lhs' [8]}}
  %0 = snn.add %x, %y : (tensor<8xf32>, tensor<2x8xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{axis 2 is out of range for 'input' of rank 2}}
  %0 = snn.softmax %x {axis = 2 : i64} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @flatten_range(%x: tensor<2x4x4xf32>) {
  // expected-error @+1 {{start_dim 2 and end_dim 1 do not name a dimension range of 'input' [2, 4, 4]}}
  %0 = snn.flatten %x {start_dim = 2 : i64, end_dim = 1 : i64} : (tensor<2x4x4xf32>) -> tensor<2x16xf32>
  return
}

// -----

func.func @flatten_result(%x: tensor<2x4x4xf32>) {
  // expected-error @+1 {{result shape [2, 15] does not match the expected shape [2, 16]}}
  %0 = snn.flatten %x : (tensor<2x4x4xf32>) -> tensor<2x15xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{'weight' [O, C/groups, KH, KW] [4, 2, 3, 3] needs C/groups = 3 for 'input' [1, 3, 8, 8] and groups = 1}}
  %0 = snn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_groups(%x: tensor<1x3x8x8xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error @+1 {{groups = 2 must be >= 1 and divide the 3 input channels}}
  %0 = snn.conv2d %x, %w {groups = 2 : i64} : (tensor<1x3x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{result shape [1, 4, 8, 8] does not match the expected shape [1, 4, 6, 6]}}
  %0 = snn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'bias' must be [O] = [4], got [3]}}
  %0 = snn.conv2d %x, %w bias %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strides' must be 2 integers >= 1, got [0, 1]}}
  %0 = snn.conv2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_padding(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'padding' must be 4 integers >= 0, got [1, 1]}}
  %0 = snn.conv2d %x, %w {padding = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_kernel_too_big(%x: tensor<1x3x2x2xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{the dilated kernel [3, 3] does not fit the padded input [1, 3, 2, 2]}}
  %0 = snn.conv2d %x, %w : (tensor<1x3x2x2xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @conv_2d_needs_kernel(%x: tensor<1x3x8x8xf32>, %w: tensor<4x27xf32, #CSR>) {
  // expected-error @+1 {{a 2-D weight [O, C/groups*KH*KW] needs 'kernel' = [KH, KW]}}
  %0 = snn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x27xf32, #CSR>) -> tensor<1x4x6x6xf32>
  return
}

// -----

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @conv_2d_width(%x: tensor<1x3x8x8xf32>, %w: tensor<4x28xf32, #CSR>) {
  // expected-error @+1 {{'weight' [4, 28] must be [O, C/groups*KH*KW] = [O, 27] for 'input' [1, 3, 8, 8], groups = 1 and kernel [3, 3]}}
  %0 = snn.conv2d %x, %w {kernel = array<i64: 3, 3>} : (tensor<1x3x8x8xf32>, tensor<4x28xf32, #CSR>) -> tensor<1x4x6x6xf32>
  return
}

// -----

#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
func.func @conv_nm_padding(%x: tensor<1x1x8x8xf32>, %w: tensor<4x8xf32, #NV24>) {
  // expected-error @+1 {{must be [O, C/groups*KH*KW] = [O, 12] for 'input' [1, 1, 8, 8], groups = 1 and kernel [3, 3] (padded to a multiple of m)}}
  %0 = snn.conv2d %x, %w {kernel = array<i64: 3, 3>} : (tensor<1x1x8x8xf32>, tensor<4x8xf32, #NV24>) -> tensor<1x4x6x6xf32>
  return
}

// -----

#S4 = #sparse_tensor.encoding<{ map = (d0, d1, d2, d3) -> (d0 : dense, d1 : compressed, d2 : dense, d3 : dense) }>
func.func @conv_sparse_4d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32, #S4>) {
  // expected-error @+1 {{a sparse conv weight must be given in the 2-D view [O, C/groups*KH*KW] with 'kernel'}}
  %0 = snn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32, #S4>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_input_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'input' must be [N, C, H, W] with static C, H and W, got 'tensor<3x8x8xf32>'}}
  %0 = snn.conv2d %x, %w : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @pool_result(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{result shape [1, 3, 3, 3] does not match the expected shape [1, 3, 4, 4]}}
  %0 = snn.maxpool2d %x {kernel = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x3x3xf32>
  return
}

// -----

func.func @pool_padding(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{padding [2, 2, 2, 2] must be at most half the kernel [2, 2]}}
  %0 = snn.avgpool2d %x {kernel = array<i64: 2, 2>, padding = array<i64: 2, 2, 2, 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x6x6xf32>
  return
}

// -----

func.func @pool_kernel(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'kernel' must be 2 integers >= 1, got [2]}}
  %0 = snn.maxpool2d %x {kernel = array<i64: 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
  return
}
