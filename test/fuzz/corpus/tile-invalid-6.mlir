func.func @gate_matrix_shape(%r: tensor<8xf32>, %c: tensor<4xf32>, %i: index) {
  %d = mlstm.tile_gate_matrix rows(%r at %i) cols(%c at %i) : tensor<8xf32>, tensor<4xf32> -> tensor<8x8xf32>
  return
}
