// A tiled kernel becomes a launch of one warpgroup per program, its forall
// indices recovered from blockIdx.x, named after its function and kind.
// The 2-D load is staged in shared memory between barriers.
// The product: a loop over k carrying the thread's 64 * 64 / 128 = 32
// accumulators, reading both operands from shared memory.
// Exponentials run on the SFU, not through libdevice.
// Row sums: shuffles across the 4 lanes of a row.
func.func @kernel(%a: memref<?x?x16xf32>, %out: memref<?x64xf32>, %n: index) {
  %c2 = arith.constant 2 : index
  scf.forall (%i, %j) in (%n, %c2) {
    %c0 = arith.constant 0 : index
    %t = mlstm.tile_load %a[%i, %c0, %c0] : memref<?x?x16xf32> -> tensor<64x16xf32>
    %s = mlstm.tile_matmul %t, %t {transpose_rhs} : tensor<64x16xf32>, tensor<64x16xf32> -> tensor<64x64xf32>
    %w = mlstm.tile_exp_gates %s : tensor<64x64xf32> -> tensor<64x64xf32>
    %r = mlstm.tile_reduce add %w dim 1 : tensor<64x64xf32> -> tensor<64xf32>
    mlstm.tile_store %r, %out[%c0, %j] : tensor<64xf32>, memref<?x64xf32>
  } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 64, block_q = 64, block_k = 64, block_dqk = 16, block_dhv = 64, warps = 4, stages = 1>}
  return
}
