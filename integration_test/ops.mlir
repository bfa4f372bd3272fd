// Every snn op JIT-run on random inputs and compared with NumPy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; r = np.random.default_rng(1); a = r.standard_normal((4, 8)).astype(np.float32); a[np.abs(a) < 0.8] = 0; np.save('%t/a.npy', a); np.save('%t/b.npy', r.standard_normal(8).astype(np.float32)); np.save('%t/c.npy', r.standard_normal((8, 5)).astype(np.float32)); np.save('%t/d.npy', r.standard_normal((2, 3, 4)).astype(np.float32)); np.save('%t/e.npy', r.standard_normal((5, 4)).astype(np.float32))"
// RUN: sparse-runner %s --entry=sigmoid --input=@%t/a.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "1/(1+np.exp(-a))" %t/a.npy | FileCheck %s
// RUN: sparse-runner %s --entry=tanh --input=@%t/a.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "np.tanh(a)" %t/a.npy | FileCheck %s
// RUN: sparse-runner %s --entry=add_bcast --input=@%t/a.npy --input=@%t/b.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "a + b" %t/a.npy %t/b.npy | FileCheck %s
// RUN: sparse-runner %s --entry=softmax0 --input=@%t/a.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "softmax(a, axis=0)" %t/a.npy | FileCheck %s
// RUN: sparse-runner %s --entry=flatten --input=@%t/d.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "a.reshape(2, 12)" %t/d.npy | FileCheck %s
// RUN: sparse-runner %s --entry=matmul_sparse_lhs --input=@%t/a.npy --input=@%t/c.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "a @ b" %t/a.npy %t/c.npy | FileCheck %s
// W times one column (snn-sparse-kernels drops the unit dim and runs the
// matrix-vector kernel): rows of 3 to 5 entries (scalar loop) and of about
// 80 (gathers).
// RUN: %python -c "import numpy as np; r = np.random.default_rng(2); g = r.standard_normal((16, 160)).astype(np.float32); g[r.random((16, 160)) < 0.5] = 0; np.save('%t/g.npy', g); np.save('%t/h.npy', r.standard_normal((160, 1)).astype(np.float32)); np.save('%t/f.npy', r.standard_normal((8, 1)).astype(np.float32))"
// RUN: sparse-runner %s --entry=matmul_sparse_lhs_column --input=@%t/a.npy --input=@%t/f.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "a @ b" %t/a.npy %t/f.npy | FileCheck %s
// RUN: sparse-runner %s --entry=matmul_sparse_lhs_long_rows --input=@%t/g.npy --input=@%t/h.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "a @ b" %t/g.npy %t/h.npy | FileCheck %s
// RUN: sparse-runner %s --entry=matmul_sparse_rhs --input=@%t/e.npy --input=@%t/a.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "a @ b" %t/e.npy %t/a.npy | FileCheck %s
// RUN: sparse-runner %s --entry=sparse_relu --input=@%t/a.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "np.maximum(a, 0)" %t/a.npy | FileCheck %s
// RUN: sparse-runner %s --entry=sparse_sigmoid --input=@%t/a.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "1/(1+np.exp(-a))" %t/a.npy | FileCheck %s
// RUN: sparse-runner %s --entry=sparse_add --input=@%t/a.npy --input=@%t/a.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "a + b" %t/a.npy %t/a.npy | FileCheck %s
// RUN: sparse-runner %s --entry=linear3d --input=@%t/d.npy --input=@%t/e.npy --output=@%t/o.npy && %snncheck expr --got %t/o.npy --expr "a @ b.T" %t/d.npy %t/e.npy | FileCheck %s
// CHECK: ok

// Inline literals in and out (IEEE specials propagate), and a .mtx into a
// dense argument.
// RUN: sparse-runner %s --entry=tanh --input=4x8xf32=nan,inf,-inf,0,1,-1,2,-2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0 | FileCheck %s --check-prefix=LIT
// LIT: 4x8xf32=nan,1,-1,0,0.761594176,-0.761594176,0.964027584,-0.964027584,0,0
// RUN: sparse-runner %s --entry=dense_mtx --input=@%S/Inputs/small.mtx | FileCheck %s --check-prefix=MTX
// MTX: 3x4xf32=1.5,0,0,0,0,0,-2,0,0,0,0,4

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
#DCSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : compressed, d1 : compressed) }>

func.func @sigmoid(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = snn.sigmoid %a : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
func.func @tanh(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = snn.tanh %a : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
func.func @add_bcast(%a: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = snn.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
func.func @softmax0(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = snn.softmax %a {axis = 0 : i64} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
func.func @flatten(%d: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %0 = snn.flatten %d : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  return %0 : tensor<2x12xf32>
}
func.func @matmul_sparse_lhs(%a: tensor<4x8xf32, #CSR>, %c: tensor<8x5xf32>) -> tensor<4x5xf32> {
  %0 = snn.matmul %a, %c : (tensor<4x8xf32, #CSR>, tensor<8x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}
func.func @matmul_sparse_lhs_column(%a: tensor<4x8xf32, #CSR>, %f: tensor<8x1xf32>) -> tensor<4x1xf32> {
  %0 = snn.matmul %a, %f : (tensor<4x8xf32, #CSR>, tensor<8x1xf32>) -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}
func.func @matmul_sparse_lhs_long_rows(%g: tensor<16x160xf32, #CSR>, %h: tensor<160x1xf32>) -> tensor<16x1xf32> {
  %0 = snn.matmul %g, %h : (tensor<16x160xf32, #CSR>, tensor<160x1xf32>) -> tensor<16x1xf32>
  return %0 : tensor<16x1xf32>
}
func.func @matmul_sparse_rhs(%e: tensor<5x4xf32>, %a: tensor<4x8xf32, #DCSR>) -> tensor<5x8xf32> {
  %0 = snn.matmul %e, %a : (tensor<5x4xf32>, tensor<4x8xf32, #DCSR>) -> tensor<5x8xf32>
  return %0 : tensor<5x8xf32>
}
func.func @sparse_relu(%a: tensor<4x8xf32, #CSR>) -> tensor<4x8xf32> {
  %0 = snn.relu %a : (tensor<4x8xf32, #CSR>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
func.func @sparse_sigmoid(%a: tensor<4x8xf32, #CSR>) -> tensor<4x8xf32> {
  %0 = snn.sigmoid %a : (tensor<4x8xf32, #CSR>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
func.func @sparse_add(%a: tensor<4x8xf32, #CSR>, %b: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = snn.add %a, %b : (tensor<4x8xf32, #CSR>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
func.func @linear3d(%d: tensor<2x3x4xf32>, %w: tensor<5x4xf32>) -> tensor<2x3x5xf32> {
  %0 = snn.linear %d, %w : (tensor<2x3x4xf32>, tensor<5x4xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}
func.func @dense_mtx(%m: tensor<3x4xf32>) -> tensor<3x4xf32> {
  return %m : tensor<3x4xf32>
}
