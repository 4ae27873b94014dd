// A 2-D tile_load staged in shared memory: whole tiles (a uniform check of
// bounds, `valid`, unit last stride and 16-byte alignment) are read with
// 16-byte vectors, all loads before the stores into the swizzled slot;
// partial tiles take the masked element-wise path.
func.func @load_shared(%a: memref<?x64xbf16>, %out: memref<?x64xf32>, %n: index, %rows: index) {
  scf.forall (%i) in (%n) {
    %c0 = arith.constant 0 : index
    %t = mlstm.tile_load %a[%i, %c0] valid(%rows) : memref<?x64xbf16> -> tensor<64x64xbf16>
    %s = mlstm.tile_matmul %t, %t {transpose_rhs} : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
    mlstm.tile_store %s, %out[%c0, %c0] : tensor<64x64xf32>, memref<?x64xf32>
  } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 64, block_q = 64, block_k = 64, block_dqk = 64, block_dhv = 64, warps = 4, stages = 1>}
  return
}
