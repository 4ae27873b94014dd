// Round trip of the tile ops.
func.func @tile_ops(%buf: memref<?x?x?x16xbf16>, %gates: memref<?x?x?xf32>, %out: memref<?x?x?x16xf32>,
                    %b: index, %h: index, %row: index, %n: index, %m: f32) {
  %t = mlstm.tile_load %buf[%b, %h, %row, %b] valid(%n) : memref<?x?x?x16xbf16> -> tensor<8x16xbf16>
  %g = mlstm.tile_load %gates[%b, %h, %row] {padding = 0x7FF0000000000000 : f64} : memref<?x?x?xf32> -> tensor<8xf32>
  %s = mlstm.tile_matmul %t, %t {transpose_rhs} : tensor<8x16xbf16>, tensor<8x16xbf16> -> tensor<8x8xf32>
  %s2 = mlstm.tile_matmul %s, %s acc(%s) : tensor<8x8xf32>, tensor<8x8xf32> -> tensor<8x8xf32>
  %cum = mlstm.tile_scan add %g : tensor<8xf32>
  %cmax = mlstm.tile_scan max %g : tensor<8xf32>
  %logd = mlstm.tile_gate_matrix rows(%cum at %row) cols(%cum at %row) gate(%g) : tensor<8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<8x8xf32>
  %logd2 = mlstm.tile_gate_matrix rows(%cum at %row) cols(%cum at %n) : tensor<8xf32>, tensor<8xf32> -> tensor<8x8xf32>
  %rmax = mlstm.tile_reduce max %logd dim 1 : tensor<8x8xf32> -> tensor<8xf32>
  %tot = mlstm.tile_reduce add %g dim 0 : tensor<8xf32> -> f32
  %bc = mlstm.tile_broadcast %rmax dim 1 : tensor<8xf32> -> tensor<8x16xf32>
  %w = mlstm.tile_exp_gates %logd by %rmax : tensor<8xf32> stabilized : tensor<8x8xf32> -> tensor<8x8xf32>
  %e = mlstm.tile_exp_gates %tot by %m : f32 : f32 -> f32
  %o = mlstm.tile_normalize %bc den(%rmax : tensor<8xf32>) max_state(%rmax : tensor<8xf32>)
      {stabilized, variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : tensor<8x16xf32> -> tensor<8x16xf32>
  mlstm.tile_store %o, %out[%b, %h, %row, %b] valid(%n) : tensor<8x16xf32>, memref<?x?x?x16xf32>
  return
}
