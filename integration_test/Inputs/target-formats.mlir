// Weights that some targets cannot take (runner-errors.mlir).
#AOS = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : compressed(nonunique), d1 : singleton) }>

func.func @aos(%x: tensor<2x4xf32>, %w: tensor<3x4xf32, #AOS>) -> tensor<2x3xf32> {
  %y = snn.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32, #AOS>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

func.func @forced(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 0.0], [0.0, 0.0, 0.0, 4.0], [5.0, 0.0, 6.0, 7.0]]> : tensor<3x4xf32>
  %y = snn.linear %x, %w {sacc.format = "nm<2,4>"} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
