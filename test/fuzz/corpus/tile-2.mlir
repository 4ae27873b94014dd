// The TFLA output kernel of mLSTMexp: a program per (batch, head, chunk,
// query tile, DHV tile); the max state from a prefix max of the gates; the
// inter term from the boundary state; the causal key loop with the gate
// matrix; the normalizer. The fp32 state enters the inter term as bf16
// hi + lo parts (split-state-operand=auto, exp gate with a normalizer).
// NOSPLIT-LABEL: func.func @output_exp
// NOSPLIT:   scf.for {{.*}} -> (tensor<64x128xf32>, tensor<64xf32>)
// NOSPLIT:     %[[C:.*]] = mlstm.tile_load {{.*}} -> tensor<64x128xf32>
// NOSPLIT:     %[[CHI:.*]] = arith.truncf %[[C]]
// NOSPLIT:     %[[ACC:.*]] = mlstm.tile_matmul %{{.*}}, %[[CHI]] acc(%{{.*}})
// NOSPLIT-NOT: mlstm.tile_matmul
// NOSPLIT:     scf.yield %[[ACC]], %{{.*}} : tensor<64x128xf32>, tensor<64xf32>
// The normalizer's q . n in the same loop, from the same q tile.
func.func @output_exp(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>,
                      %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>,
                      %c: tensor<?x?x?x64x128xf32>, %n: tensor<?x?x?x64xf32>, %m: tensor<?x?x?xf32>) -> tensor<?x?x?x128xbf16> {
  %h = mlstm.chunk_output q(%q) k(%k) v(%v) igate(%i) fgate(%f) states(%c, %n, %m) chunk_size = 128
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.125>}
      : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
         tensor<?x?x?x64x128xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?x128xbf16>
  return %h : tensor<?x?x?x128xbf16>
}
