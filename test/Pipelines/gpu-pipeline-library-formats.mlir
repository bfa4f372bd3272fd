// RUN: sparse-opt %s --sparsenn-gpu-pipeline="strategy=library" | FileCheck %s --check-prefix=LIBRARY
// RUN: sparse-opt %s --sparsenn-gpu-pipeline="strategy=auto" | FileCheck %s --check-prefix=LIBRARY
// RUN: sparse-opt %s --sparsenn-gpu-pipeline="strategy=codegen" | FileCheck %s --check-prefix=CODEGEN

// snn.linear with BSR (4x4 blocks) and struct-of-arrays COO weights takes
// cuSPARSE (snn-sparse-to-gpu-library) with strategy library and auto: the
// host code creates a BSR and a COO descriptor and runs SpMM on each.
// LIBRARY-LABEL: llvm.func @_internal_bsr(
// LIBRARY: llvm.call @mgpuCreateBsr(
// LIBRARY: llvm.call @mgpuSpMMBufferSize(
// LIBRARY: llvm.call @mgpuSpMM(
// LIBRARY: llvm.call @mgpuDestroySpMat(
// LIBRARY-LABEL: llvm.func @_internal_coo(
// LIBRARY: llvm.call @mgpuCreateCoo(
// LIBRARY: llvm.call @mgpuSpMM(
// A 2:4 weight in half precision takes cuSPARSELt (snn-sparse-to-cusparselt,
// then upstream's libgen): the dense weight, resident on the device, is the
// structured matrix of a cuSPARSELt SpMM.
// LIBRARY-LABEL: llvm.func @nv24_half(
// LIBRARY: llvm.call @sparsenn_gpu_resident_f16(
// LIBRARY: llvm.call @mgpuCusparseLtCreate2To4SpMat(
// LIBRARY: llvm.call @mgpuCuSparseLtSpMMBufferSize(
// LIBRARY: llvm.call @mgpuCuSparseLtSpMM(
// LIBRARY: llvm.call @mgpuDestroyCuSparseLtSpMat(
// With codegen, SparseNN's kernels run all three.
// CODEGEN-NOT: mgpuCreateBsr
// CODEGEN-NOT: mgpuCreateCoo
// CODEGEN-NOT: mgpuCusparseLt
// CODEGEN: gpu.binary

#BSR = #sparse_tensor.encoding<{ map = (i, j) -> (i floordiv 4 : dense, j floordiv 4 : compressed, i mod 4 : dense, j mod 4 : dense), posWidth = 32, crdWidth = 32 }>
#COO = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : compressed(nonunique), d1 : singleton(soa)), posWidth = 32, crdWidth = 32 }>
func.func @bsr(%x: tensor<8x64xf32>, %w: tensor<32x64xf32, #BSR>) -> tensor<8x32xf32> {
  %y = snn.linear %x, %w : (tensor<8x64xf32>, tensor<32x64xf32, #BSR>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}
func.func @coo(%x: tensor<8x64xf32>, %w: tensor<32x64xf32, #COO>) -> tensor<8x32xf32> {
  %y = snn.linear %x, %w : (tensor<8x64xf32>, tensor<32x64xf32, #COO>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
func.func @nv24_half(%x: tensor<8x16xf16>) -> tensor<8x4xf16> {
  %w = arith.constant dense<[[1.0, 2.0, 0.0, 0.0, 0.0, 0.0, 3.0, 4.0, 5.0, 0.0, 6.0, 0.0, 0.0, 7.0, 0.0, 8.0],
                             [0.0, 1.0, 0.0, 2.0, 3.0, 0.0, 0.0, 4.0, 0.0, 0.0, 5.0, 6.0, 7.0, 8.0, 0.0, 0.0],
                             [1.0, 0.0, 2.0, 0.0, 0.0, 3.0, 0.0, 4.0, 5.0, 6.0, 0.0, 0.0, 0.0, 0.0, 7.0, 8.0],
                             [0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 0.0, 0.0, 0.0, 5.0, 0.0, 6.0, 7.0, 0.0, 8.0, 0.0]]> : tensor<4x16xf16, #NV24>
  %y = snn.linear %x, %w : (tensor<8x16xf16>, tensor<4x16xf16, #NV24>) -> tensor<8x4xf16>
  return %y : tensor<8x4xf16>
}
