// The state scan of mLSTMexp: one program per (batch, head, DQK tile, DHV
// tile) loops over the chunks carrying (C~, n~, m), stores every boundary,
// and sums each chunk block_k rows at a time.
// BLOCKS-LABEL: func.func @scan_exp
// BLOCKS: #mlstm.schedule<kind = state_scan, chunk = 16, block_q = 16, block_k = 16, block_dqk = 8, block_dhv = 16
func.func @scan_exp(%k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x32xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>)
    -> (tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>) {
  %c, %n, %m = mlstm.chunk_state_scan k(%k) v(%v) igate(%i) fgate(%f) chunk_size = 16
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x32xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
      -> (tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>)
  return %c, %n, %m : tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>
}
