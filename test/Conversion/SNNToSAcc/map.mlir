// RUN: sparse-opt %s -split-input-file --convert-snn-to-sacc="arch=tc-2:4" | FileCheck %s --check-prefix=TC
// RUN: sparse-opt %s -split-input-file --convert-snn-to-sacc="arch=scnn" | FileCheck %s --check-prefix=SCNN
// RUN: sparse-opt %s -split-input-file --convert-snn-to-sacc="arch=scnn report=text" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// The format each arch decodes best: a 2:4 weight gets nm<2,4> on the
// 2:4 array; on SCNN, CSR's index overhead loses to dense at 50% in a layer
// this small. A ReLU that is the only user becomes the
// epilogue; a constant bias is loaded from the image's head.

// TC-LABEL: func.func @two_four
// TC: sacc.launch <macs_per_pe = 4, weight_kib = 256, act_kib = 128, out_kib = 128, dram_bytes_per_cycle = 64, freq_mhz = 1400, formats = [dense, nm<2, 4>]>(%arg0)
// TC-SAME: predicted_cycles =
// TC: sacc.dma_act 1[0] 4 x 8 stride 32 -> abuf[0]
// TC: sacc.dma_weight 0[0, 32] -> wbuf[0]
// TC: sacc.dma_weight 0[64, 160] -> wbuf[128]
// TC: sacc.compute "nm<2,4>" 8 x 8 x 4 wbuf[128, 160] abuf[0] -> obuf[0]
// TC: sacc.epilogue obuf[0] 4 x 8 bias wbuf[0] relu
// TC: sacc.dma_store obuf[0] 4 x 8 -> 2[0] stride 32
// TC: sacc.barrier
// TC-NOT: snn.
// SCNN-LABEL: func.func @two_four
// SCNN: sacc.compute "dense" 8 x 8 x 4
// SCNN: sacc.epilogue obuf[0] 4 x 8 bias wbuf[0] relu
// SCNN-NOT: snn.relu
// REPORT: accelerator: 64 PEs x 16 MACs, buffers 512/256/256 KiB
// REPORT: map.mlir:{{[0-9]+}}:8 snn.linear + snn.relu 8x8 batch 4 sparsity 0.500 -> accel dense, tiles 8x8x4 double, 256 of 256 dense bytes, predicted {{[0-9]+}} cycles
func.func @two_four(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %w = arith.constant dense<[[1.5, 0.0, 0.0, -2.5, 0.0, 1.5, 0.0, 1.5], [1.5, 1.5, 0.0, 0.0, -0.5, 0.5, 0.0, 0.0], [0.0, 0.0, -1.5, -0.5, 0.5, -0.5, 0.0, 0.0], [-4.5, 0.0, 0.0, -0.5, 0.0, 0.0, 4.5, -1.5], [-0.5, 0.0, 1.5, 0.0, -0.5, 0.0, 0.0, 0.5], [0.0, -0.5, 0.0, -1.5, 0.0, 0.5, 0.0, -0.5], [0.0, 2.5, 0.0, -1.5, 1.5, 0.0, 0.0, -1.5], [2.5, 0.5, 0.0, 0.0, 0.0, 1.5, -1.5, 0.0]]> : tensor<8x8xf32>
  %b = arith.constant dense<0.25> : tensor<8xf32>
  %y = snn.linear %x, %w bias %b : (tensor<4x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %r = snn.relu %y : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// Groups with 3 nonzeros of 4 do not fit nm<2,4>: dense on the 2:4 array.
// TC-LABEL: func.func @not_two_four
// TC: sacc.compute "dense" 8 x 8 x 2
// TC: sacc.epilogue obuf[0] 2 x 8{{$}}
// SCNN-LABEL: func.func @not_two_four
// SCNN: sacc.compute "dense" 8 x 8 x 2
// REPORT: snn.linear 8x8 batch 2 sparsity 0.000 -> accel dense
func.func @not_two_four(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = arith.constant dense<[[1.5, 1.5, 2.5, 1.5, 0.5, -0.5, 2.5, -4.5], [0.5, 0.5, -2.5, 1.5, -0.5, 2.5, 0.5, 1.5], [2.5, 1.5, -1.5, -2.5, 4.5, 0.5, -0.5, 0.5], [0.5, 2.5, 0.5, 0.5, -0.5, 1.5, -1.5, 1.5], [3.5, -2.5, -4.5, 1.5, 5.5, -1.5, -2.5, 1.5], [-1.5, -0.5, -0.5, 1.5, -0.5, 1.5, 0.5, -1.5], [-0.5, -1.5, 0.5, -1.5, -1.5, 3.5, 0.5, 0.5], [1.5, -0.5, 0.5, 1.5, 1.5, -1.5, 2.5, -0.5]]> : tensor<8x8xf32>
  %y = snn.linear %x, %w : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// 94% sparse with at most one nonzero in every group of 4: CSR on SCNN,
// nm<2,4> on the 2:4 array. A bias that is not a constant is region 2; the output region 3.
// TC-LABEL: func.func @sparse_arg_bias
// TC: sacc.compute "nm<2,4>" 16 x 16 x 3
// SCNN-LABEL: func.func @sparse_arg_bias
// SCNN: %[[Y:.*]] = sacc.launch <{{.*}}>(%arg0, %arg1) weights({{.*}}) {{.*}}: (tensor<3x16xf32>, tensor<16xf32>) -> tensor<3x16xf32>
// SCNN: sacc.dma_act 1[0] 3 x 16 stride 64 -> abuf[0]
// SCNN: sacc.dma_weight 2[0, 64] -> wbuf[0]
// SCNN: sacc.dma_weight 0[0, 164] -> wbuf[128]
// SCNN: sacc.compute "csr" 16 x 16 x 3 wbuf[128, 164] abuf[0] -> obuf[0]
// SCNN: sacc.epilogue obuf[0] 3 x 16 bias wbuf[0]{{$}}
// SCNN: sacc.dma_store obuf[0] 3 x 16 -> 3[0] stride 64
// SCNN: return %[[Y]]
// REPORT: snn.linear 16x16 batch 3 sparsity 0.938 -> accel csr
func.func @sparse_arg_bias(%x: tensor<3x16xf32>, %b: tensor<16xf32>) -> tensor<3x16xf32> {
  %w = arith.constant dense<[[1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 2.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.5, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.5], [0.0, 0.0, 0.0, 0.0, 5.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.5, 0.0], [0.0, 0.0, 0.0, 8.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 9.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.5, 0.0, 0.0], [0.0, 0.0, 11.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 12.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 13.5, 0.0, 0.0, 0.0], [0.0, 14.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 15.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 16.5, 0.0, 0.0, 0.0, 0.0]]> : tensor<16x16xf32>
  %y = snn.linear %x, %w bias %b : (tensor<3x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<3x16xf32>
  return %y : tensor<3x16xf32>
}

// -----

// sacc.format on the layer wins over the model: dense for a 94%-sparse
// weight.
// TC-LABEL: func.func @forced
// TC: sacc.compute "dense" 16 x 16 x 2
// SCNN-LABEL: func.func @forced
// SCNN: sacc.compute "dense" 16 x 16 x 2
func.func @forced(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %w = arith.constant dense<[[1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 2.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.5, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.5], [0.0, 0.0, 0.0, 0.0, 5.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.5, 0.0], [0.0, 0.0, 0.0, 8.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 9.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.5, 0.0, 0.0], [0.0, 0.0, 11.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 12.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 13.5, 0.0, 0.0, 0.0], [0.0, 14.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 15.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 16.5, 0.0, 0.0, 0.0, 0.0]]> : tensor<16x16xf32>
  %y = snn.linear %x, %w {sacc.format = "dense"} : (tensor<2x16xf32>, tensor<16x16xf32>) -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}

// -----

// What stays on the CPU, and why.
// SCNN-LABEL: func.func @fallbacks
// SCNN: snn.linear %arg0, %arg1
// SCNN: snn.linear %arg2
// SCNN: snn.softmax
// REPORT: snn.linear 8x8 batch 2 -> cpu (the weight is not a constant (weights are packed at compile time))
// REPORT: snn.linear 8x8 batch ? -> cpu (the accelerator takes a static 2-D f32 input)
// REPORT: snn.softmax  -> cpu (no accelerator lowering for this op)
func.func @fallbacks(%x: tensor<2x8xf32>, %w: tensor<8x8xf32>, %d: tensor<?x8xf32>) -> (tensor<2x8xf32>, tensor<?x8xf32>) {
  %w2 = arith.constant dense<[[1.5, 1.5, 2.5, 1.5, 0.5, -0.5, 2.5, -4.5], [0.5, 0.5, -2.5, 1.5, -0.5, 2.5, 0.5, 1.5], [2.5, 1.5, -1.5, -2.5, 4.5, 0.5, -0.5, 0.5], [0.5, 2.5, 0.5, 0.5, -0.5, 1.5, -1.5, 1.5], [3.5, -2.5, -4.5, 1.5, 5.5, -1.5, -2.5, 1.5], [-1.5, -0.5, -0.5, 1.5, -0.5, 1.5, 0.5, -1.5], [-0.5, -1.5, 0.5, -1.5, -1.5, 3.5, 0.5, 0.5], [1.5, -0.5, 0.5, 1.5, 1.5, -1.5, 2.5, -0.5]]> : tensor<8x8xf32>
  %y = snn.linear %x, %w : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %z = snn.linear %d, %w2 : (tensor<?x8xf32>, tensor<8x8xf32>) -> tensor<?x8xf32>
  %s = snn.softmax %y {axis = 1} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %s, %z : tensor<2x8xf32>, tensor<?x8xf32>
}

// -----

// A dynamic batch that a tensor.cast from a static type hides (what
// sparse-runner --target=accel makes of its entry): the layer runs at the
// static batch and its result is cast back for its users.
// SCNN-LABEL: func.func @cast_batch
// SCNN: %[[L:.*]] = sacc.launch <{{.*}}>(%arg0) {{.*}}: (tensor<4x8xf32>) -> tensor<4x8xf32>
// SCNN: %[[C:.*]] = tensor.cast %[[L]] : tensor<4x8xf32> to tensor<?x8xf32>
// SCNN: return %[[C]]
// REPORT: snn.linear 8x8 batch 4 sparsity 0.000 -> accel
func.func @cast_batch(%x: tensor<4x8xf32>) -> tensor<?x8xf32> {
  %d = tensor.cast %x : tensor<4x8xf32> to tensor<?x8xf32>
  %w = arith.constant dense<0.5> : tensor<8x8xf32>
  %y = snn.linear %d, %w : (tensor<?x8xf32>, tensor<8x8xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}
