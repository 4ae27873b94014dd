// 16-bit operands go to the tensor cores: staged 128B-swizzled (flat,
// 1024-aligned views), fenced for the async proxy, four m64n64k16 wgmmas
// over K = 64 whose D fragment is the Acc2D layout.
func.func @wgmma(%a: memref<?x64xbf16>, %out: memref<?x64xf32>, %n: index) {
  scf.forall (%i) in (%n) {
    %c0 = arith.constant 0 : index
    %t = mlstm.tile_load %a[%c0, %c0] : memref<?x64xbf16> -> tensor<64x64xbf16>
    %s = mlstm.tile_matmul %t, %t {transpose_rhs} : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
    mlstm.tile_store %s, %out[%c0, %c0] : tensor<64x64xf32>, memref<?x64xf32>
  } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 64, block_q = 64, block_k = 64, block_dqk = 64, block_dhv = 64, warps = 4, stages = 1>}
  return
}
