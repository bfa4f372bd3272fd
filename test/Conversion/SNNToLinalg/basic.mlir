// RUN: sparse-opt %s --convert-snn-to-linalg --split-input-file | FileCheck %s

// snn.linear with a sparse weight and a dynamic (or >= 2) batch: the batch
// is padded to blocks of 64 rows (a dynamic batch; a static one gets even
// blocks of at most 64 rows in whole vectors, see @linear_blocks), each block transposed, one generic over
// (block, out, in, lane) reads the CSR weight as W[o, i] with the 64 lanes
// innermost, and the result is transposed back and sliced to the batch.
// CHECK-DAG: #[[T:.*]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG: #[[BIAS:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[XT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-DAG: #[[YT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-LABEL: func.func @linear(
// CHECK: %[[B:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x16xf32>
// CHECK: %[[BLOCKS:.*]] = arith.divui
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0] high[%{{.*}}, 0]
// CHECK: %[[E:.*]] = tensor.expand_shape %[[P]] {{\[\[}}0, 1], [2]] output_shape [%[[BLOCKS]], 64, 16] : tensor<?x16xf32> into tensor<?x64x16xf32>
// CHECK: %[[X:.*]] = linalg.generic {indexing_maps = [#[[T]], #{{.*}}]{{.*}} ins(%[[E]] : tensor<?x64x16xf32>)
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[BIAS]], #{{.*}}]{{.*}} ins(%arg2 : tensor<8xf32>) outs(%{{.*}} : tensor<?x8x64xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[XT]], #[[W]], #[[YT]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%[[X]], %arg1 : tensor<?x16x64xf32>, tensor<8x16xf32, #sparse>) outs(%[[INIT]] : tensor<?x8x64xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[YB:.*]] = linalg.generic {indexing_maps = [#[[T]], #{{.*}}]{{.*}} ins(%[[Y]] : tensor<?x8x64xf32>) outs(%{{.*}} : tensor<?x64x8xf32>)
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[YB]] {{\[\[}}0, 1], [2]] : tensor<?x64x8xf32> into tensor<?x8xf32>
// CHECK: %[[R:.*]] = tensor.extract_slice %[[C]][0, 0] [%[[B]], 8] [1, 1]
// CHECK: return %[[R]]
#sparse = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @linear(%x: tensor<?x16xf32>, %w: tensor<8x16xf32, #sparse>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
  %0 = snn.linear %x, %w bias %b : (tensor<?x16xf32>, tensor<8x16xf32, #sparse>, tensor<8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// A static batch of 80 is two even blocks of 48 rows (96 padded rows, not 128).
// CHECK-LABEL: func.func @linear_blocks(
// CHECK: tensor.pad %arg0 low[0, 0] high[16, 0]
// CHECK: tensor.expand_shape %{{.*}} output_shape [2, 48, 16] : tensor<96x16xf32> into tensor<2x48x16xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %arg1 : tensor<2x16x48xf32>, tensor<8x16xf32, #sparse>) outs(%{{.*}} : tensor<2x8x48xf32>)
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [80, 8] [1, 1]
#sparse = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @linear_blocks(%x: tensor<80x16xf32>, %w: tensor<8x16xf32, #sparse>) -> tensor<80x8xf32> {
  %0 = snn.linear %x, %w : (tensor<80x16xf32>, tensor<8x16xf32, #sparse>) -> tensor<80x8xf32>
  return %0 : tensor<80x8xf32>
}

// -----

// A batch of 1 keeps the row-major form (a sparse dot product per output):
// one generic over (batch, out, in). A CSC weight takes the blocked form too.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @linear_spmv(
// CHECK: linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1 : tensor<1x16xf32>, tensor<8x16xf32, #sparse>)
// CHECK-LABEL: func.func @linear_csc(
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%{{.*}}, %arg1 : tensor<?x16x64xf32>, tensor<8x16xf32, #sparse1>)
#sparse = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
#CSC = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : compressed) }>
func.func @linear_spmv(%x: tensor<1x16xf32>, %w: tensor<8x16xf32, #sparse>) -> tensor<1x8xf32> {
  %0 = snn.linear %x, %w : (tensor<1x16xf32>, tensor<8x16xf32, #sparse>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}
func.func @linear_csc(%x: tensor<?x16xf32>, %w: tensor<8x16xf32, #CSC>) -> tensor<?x8xf32> {
  %0 = snn.linear %x, %w : (tensor<?x16xf32>, tensor<8x16xf32, #CSC>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// A dense weight gets an all-dense encoding, so the sparsifier vectorizes it
// like a sparse one; [2, 3, 16] is collapsed to a batch of 6 (one block of
// 16 rows) and the result expanded back.
// CHECK-LABEL: func.func @linear3d(
// CHECK: %[[C:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x3x16xf32> into tensor<6x16xf32>
// CHECK: %[[W:.*]] = sparse_tensor.convert %arg1 : tensor<8x16xf32> to tensor<8x16xf32, #[[DD:.*]]>
// CHECK: tensor.pad %[[C]] low[0, 0] high[10, 0]
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[W]] : tensor<1x16x16xf32>, tensor<8x16xf32, #[[DD]]>)
// CHECK: %[[R:.*]] = tensor.extract_slice %{{.*}}[0, 0] [6, 8] [1, 1]
// CHECK: tensor.expand_shape %[[R]] {{\[\[}}0, 1], [2]] output_shape [2, 3, 8] : tensor<6x8xf32> into tensor<2x3x8xf32>
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @linear3d(%x: tensor<2x3x16xf32>, %w: tensor<8x16xf32>) -> tensor<2x3x8xf32> {
  %0 = snn.linear %x, %w : (tensor<2x3x16xf32>, tensor<8x16xf32>) -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// CHECK-LABEL: func.func @matmul(
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: linalg.matmul ins(%arg0, %arg1 : tensor<8x16xf32, #sparse>, tensor<16x4xf32>) outs(%[[F]] : tensor<8x4xf32>)
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @matmul(%a: tensor<8x16xf32, #CSR>, %b: tensor<16x4xf32>) -> tensor<8x4xf32> {
  %0 = snn.matmul %a, %b : (tensor<8x16xf32, #CSR>, tensor<16x4xf32>) -> tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}

// -----

// sigmoid(0) != 0: the absent region yields sigmoid(0), computed outside.
// CHECK-LABEL: func.func @sparse_sigmoid(
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: %[[S0:.*]] = arith.divf
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<8x16xf32, #sparse>) outs(%[[F]] : tensor<8x16xf32>)
// CHECK: sparse_tensor.unary %{{.*}} : f32 to f32
// CHECK: present = {
// CHECK: math.exp
// CHECK: sparse_tensor.yield
// CHECK: absent = {
// CHECK-NEXT: sparse_tensor.yield %[[S0]] : f32
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @sparse_sigmoid(%s: tensor<8x16xf32, #CSR>) -> tensor<8x16xf32> {
  %0 = snn.sigmoid %s : (tensor<8x16xf32, #CSR>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// CHECK-LABEL: func.func @sparse_add(
// CHECK: sparse_tensor.binary %{{.*}}, %{{.*}} : f32, f32 to f32
// CHECK: overlap = {
// CHECK: arith.addf
// CHECK: left = identity
// CHECK: right = identity
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @sparse_add(%s: tensor<8x16xf32, #CSR>, %d: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = snn.add %s, %d : (tensor<8x16xf32, #CSR>, tensor<8x16xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// CHECK-LABEL: func.func @softmax(
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NINF]] : f32)
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: math.exp
// CHECK: iterator_types = ["parallel", "parallel"]
// CHECK: math.exp
// CHECK: arith.divf
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @softmax(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = snn.softmax %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @flatten(
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0], [1, 2]] : tensor<?x4x4xf32> into tensor<?x16xf32>
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @flatten(%x: tensor<?x4x4xf32>) -> tensor<?x16xf32> {
  %0 = snn.flatten %x : (tensor<?x4x4xf32>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

