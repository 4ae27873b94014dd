// Products need whole warpgroup row blocks.
func.func @small_rows(%a: memref<?x16xf32>, %n: index) {
  scf.forall (%i) in (%n) {
    %c0 = arith.constant 0 : index
    %t = mlstm.tile_load %a[%c0, %c0] : memref<?x16xf32> -> tensor<16x16xf32>
    %s = mlstm.tile_matmul %t, %t : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
    %e = tensor.extract %s[%c0, %c0] : tensor<16x16xf32>
  } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 16, block_q = 16, block_k = 16, block_dqk = 16, block_dhv = 16, warps = 4, stages = 1>}
  return
}
