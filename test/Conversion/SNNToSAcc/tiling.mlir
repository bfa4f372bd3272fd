// RUN: sparse-opt %s --convert-snn-to-sacc='arch="#sacc.arch<pe_rows = 1, pe_cols = 4, weight_kib = 4, act_kib = 1, out_kib = 1>" report=text' 2>&1 | FileCheck %s --check-prefix=COMPUTE
// RUN: sparse-opt %s --convert-snn-to-sacc='arch="#sacc.arch<weight_kib = 4, act_kib = 1, out_kib = 1>" report=text' 2>&1 | FileCheck %s --check-prefix=DMA

// Tiles fit the buffers (a 16 KiB weight, 4 KiB for weights, 1 KiB for
// activations and for outputs), and the model picks their shape.
//
// On 4 PEs the layer is compute-bound: 2 KiB weight tiles, double-buffered
// (slots at 0 and 2048; activation slots at 0 and 512), so each DMA
// overlaps the previous compute; the reduction runs over 4 tiles that
// accumulate into one output tile.
// COMPUTE: snn.linear 64x64 batch 8 sparsity 0.000 -> accel dense, tiles 32x16x8 double
// COMPUTE: sacc.dma_weight 0[0, 2048] -> wbuf[0]
// COMPUTE-NEXT: sacc.dma_act 1[0] 8 x 16 stride 256 -> abuf[0]
// COMPUTE-NEXT: sacc.compute "dense" 32 x 16 x 8 wbuf[0, 2048] abuf[0] -> obuf[0]{{$}}
// COMPUTE-NEXT: sacc.dma_weight 0[2048, 2048] -> wbuf[2048]
// COMPUTE-NEXT: sacc.dma_act 1[64] 8 x 16 stride 256 -> abuf[512]
// COMPUTE-NEXT: sacc.compute "dense" 32 x 16 x 8 wbuf[2048, 2048] abuf[512] -> obuf[0] accumulate
// COMPUTE-NEXT: sacc.dma_weight 0[4096, 2048] -> wbuf[0]
// COMPUTE-NEXT: sacc.dma_act 1[128] 8 x 16 stride 256 -> abuf[0]
// COMPUTE-NEXT: sacc.compute "dense" 32 x 16 x 8 wbuf[0, 2048] abuf[0] -> obuf[0] accumulate
// COMPUTE-NEXT: sacc.dma_weight 0[6144, 2048] -> wbuf[2048]
// COMPUTE-NEXT: sacc.dma_act 1[192] 8 x 16 stride 256 -> abuf[512]
// COMPUTE-NEXT: sacc.compute "dense" 32 x 16 x 8 wbuf[2048, 2048] abuf[512] -> obuf[0] accumulate
// COMPUTE-NEXT: sacc.epilogue obuf[0] 8 x 32
// COMPUTE-NEXT: sacc.dma_store obuf[0] 8 x 32 -> 2[0] stride 256
// The second output-row tile.
// COMPUTE: sacc.dma_store obuf[0] 8 x 32 -> 2[128] stride 256
// COMPUTE-NEXT: sacc.barrier
//
// On 256 PEs it is bound by DMA latency: the fewest, largest tiles (one
// 4 KiB slot), each activation tile loaded once per output-row tile.
// DMA: snn.linear 64x64 batch 8 sparsity 0.000 -> accel dense, tiles 32x32x8,
// DMA-COUNT-4: sacc.compute "dense" 32 x 32 x 8 wbuf[0, 4096]
// DMA-NOT: sacc.compute
func.func @tiles(%x: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %w = arith.constant dense<1.0> : tensor<64x64xf32>
  %y = snn.linear %x, %w : (tensor<8x64xf32>, tensor<64x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}
