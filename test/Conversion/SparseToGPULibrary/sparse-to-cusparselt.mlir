// RUN: sparse-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(snn-sparse-to-cusparselt))" | FileCheck %s
// RUN: sparse-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(snn-sparse-to-cusparselt),snn-pack-weights,func.func(linalg-generalize-named-ops),sparse-gpu-codegen{num-threads=0})" | FileCheck %s --check-prefix=LIBGEN

#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>

// A constant 2:4 f16 weight on the left: the same values as a dense
// constant (never packed), converted for the product, which upstream's
// libgen then hands to cuSPARSELt with the dense matrix.
// CHECK-LABEL: func.func @constant(
// CHECK-NOT: arith.constant {{.*}}: tensor<2x4xf16, #sparse>{{$}}
// CHECK: %[[D:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 3.000000e+00, 0.000000e+00, 4.000000e+00]]> : tensor<2x4xf16>
// CHECK: %[[A:.*]] = sparse_tensor.convert %[[D]] {snn.dense_source} : tensor<2x4xf16> to tensor<2x4xf16, #sparse>
// CHECK: linalg.matmul ins(%[[A]], %{{.*}} : tensor<2x4xf16, #sparse>, tensor<4x8xf16>)
// LIBGEN-LABEL: func.func @constant(
// LIBGEN: %[[D:.*]] = arith.constant dense<{{.*}}> : tensor<2x4xf16>
// LIBGEN: %[[HD:.*]] = bufferization.to_buffer %[[D]]
// LIBGEN: %[[DD:.*]], %{{.*}} = gpu.alloc async
// LIBGEN: gpu.memcpy async [%{{.*}}] %[[DD]], %[[HD]]
// LIBGEN: gpu.create_2to4_spmat async [%{{.*}}]{{ *}}{ PRUNE_AND_CHECK} %{{.*}}, %{{.*}}, %[[DD]] : memref<2x4xf16>
// LIBGEN: gpu.spmm async
// LIBGEN-NOT: sparse_tensor.assemble
func.func @constant(%b: tensor<4x8xf16>, %c: tensor<2x8xf16>) -> tensor<2x8xf16> {
  %a = arith.constant dense<[[1.0, 2.0, 0.0, 0.0], [0.0, 3.0, 0.0, 4.0]]> : tensor<2x4xf16, #NV24>
  %0 = linalg.matmul ins(%a, %b : tensor<2x4xf16, #NV24>, tensor<4x8xf16>) outs(%c : tensor<2x8xf16>) -> tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}

// -----

#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>

// A resource weight keeps its blob, now typed dense.
// CHECK-LABEL: func.func @resource(
// CHECK: %[[D:.*]] = arith.constant dense_resource<w> : tensor<2x4xf16>
// CHECK: sparse_tensor.convert %[[D]] {snn.dense_source}
func.func @resource(%b: tensor<4x8xf16>, %c: tensor<2x8xf16>) -> tensor<2x8xf16> {
  %a = arith.constant dense_resource<w> : tensor<2x4xf16, #NV24>
  %0 = linalg.matmul ins(%a, %b : tensor<2x4xf16, #NV24>, tensor<4x8xf16>) outs(%c : tensor<2x8xf16>) -> tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x04000000003C0040000000000000004200000044"
    }
  }
#-}

// -----

#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>

// A weight passed in: converted to dense when the program runs.
// CHECK-LABEL: func.func @argument(
// CHECK-SAME: %[[W:.*]]: tensor<2x4xf16, #sparse>
// CHECK: %[[D:.*]] = sparse_tensor.convert %[[W]] : tensor<2x4xf16, #sparse> to tensor<2x4xf16>
// CHECK: %[[A:.*]] = sparse_tensor.convert %[[D]] {snn.dense_source} : tensor<2x4xf16> to tensor<2x4xf16, #sparse>
// CHECK: linalg.matmul ins(%[[A]],
func.func @argument(%a: tensor<2x4xf16, #NV24>, %b: tensor<4x8xf16>, %c: tensor<2x8xf16>) -> tensor<2x8xf16> {
  %0 = linalg.matmul ins(%a, %b : tensor<2x4xf16, #NV24>, tensor<4x8xf16>) outs(%c : tensor<2x8xf16>) -> tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}

// -----

#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>
#CSR = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j : compressed) }>

// Left alone: 2:4 in f32 (SparseNN's kernels), CSR in f16 (cuSPARSE),
// 2:4 on the right.
// CHECK-LABEL: func.func @left_alone(
// CHECK-NOT: sparse_tensor.convert
// CHECK-COUNT-3: linalg.matmul
// CHECK-NOT: sparse_tensor.convert
func.func @left_alone(%a32: tensor<2x4xf32, #NV24>, %b32: tensor<4x8xf32>, %c32: tensor<2x8xf32>,
                      %csr: tensor<2x4xf16, #CSR>, %b: tensor<4x8xf16>, %c: tensor<2x8xf16>,
                      %d: tensor<2x8xf16>, %r: tensor<8x4xf16, #NV24>) -> (tensor<2x8xf32>, tensor<2x8xf16>, tensor<2x4xf16>) {
  %0 = linalg.matmul ins(%a32, %b32 : tensor<2x4xf32, #NV24>, tensor<4x8xf32>) outs(%c32 : tensor<2x8xf32>) -> tensor<2x8xf32>
  %1 = linalg.matmul ins(%csr, %b : tensor<2x4xf16, #CSR>, tensor<4x8xf16>) outs(%c : tensor<2x8xf16>) -> tensor<2x8xf16>
  %e = tensor.empty() : tensor<2x4xf16>
  %2 = linalg.matmul ins(%d, %r : tensor<2x8xf16>, tensor<8x4xf16, #NV24>) outs(%e : tensor<2x4xf16>) -> tensor<2x4xf16>
  return %0, %1, %2 : tensor<2x8xf32>, tensor<2x8xf16>, tensor<2x4xf16>
}

// -----

#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>

// A sparse literal is expanded to the dense matrix at compile time.
// CHECK-LABEL: func.func @sparse_literal(
// CHECK: %[[D:.*]] = arith.constant dense<{{\[}}[0.000000e+00, 2.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 4.000000e+00]]> : tensor<2x4xf16>
// CHECK: sparse_tensor.convert %[[D]] {snn.dense_source}
func.func @sparse_literal(%b: tensor<4x8xf16>, %c: tensor<2x8xf16>) -> tensor<2x8xf16> {
  %a = arith.constant sparse<[[0, 1], [1, 3]], [2.0, 4.0]> : tensor<2x4xf16, #NV24>
  %0 = linalg.matmul ins(%a, %b : tensor<2x4xf16, #NV24>, tensor<4x8xf16>) outs(%c : tensor<2x8xf16>) -> tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}

// -----

#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>

// One weight in two products: each gets its dense form, and the sparse
// constant goes once both are rewritten.
// CHECK-LABEL: func.func @shared(
// CHECK-NOT: arith.constant {{.*}}: tensor<2x4xf16, #sparse>{{$}}
// CHECK-COUNT-2: sparse_tensor.convert %{{.*}} {snn.dense_source}
func.func @shared(%b: tensor<4x8xf16>, %c: tensor<2x8xf16>) -> (tensor<2x8xf16>, tensor<2x8xf16>) {
  %a = arith.constant dense<[[1.0, 2.0, 0.0, 0.0], [0.0, 3.0, 0.0, 4.0]]> : tensor<2x4xf16, #NV24>
  %0 = linalg.matmul ins(%a, %b : tensor<2x4xf16, #NV24>, tensor<4x8xf16>) outs(%c : tensor<2x8xf16>) -> tensor<2x8xf16>
  %1 = linalg.matmul ins(%a, %b : tensor<2x4xf16, #NV24>, tensor<4x8xf16>) outs(%0 : tensor<2x8xf16>) -> tensor<2x8xf16>
  return %0, %1 : tensor<2x8xf16>, tensor<2x8xf16>
}
