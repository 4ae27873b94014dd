// mLSTMexp: every (batch, head, chunk) is independent given the boundary
// states, so one scf.forall covers all three; the chunk's len x len gate
// matrix is masked above the diagonal with -inf and stabilized by its row
// max m_comb.
// The state at the start of chunk k is boundary k.
// log D_ts = b_t - b_s + iota_s for s <= t, else -inf
// m_comb_t = max(b_t + m_{k-1}, max_s log D_ts)
// num = w (q' C_{k-1}) + P V
// den = w (q' n_{k-1}) + sum_s P_ts
func.func @output_exp(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x32xf32>,
                      %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>,
                      %c: tensor<?x?x?x16x32xf32>, %n: tensor<?x?x?x16xf32>, %m: tensor<?x?x?xf32>) -> tensor<?x?x?x32xf32> {
  %h = mlstm.chunk_output q(%q) k(%k) v(%v) igate(%i) fgate(%f) states(%c, %n, %m) chunk_size = 8
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x32xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
         tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?x32xf32>
  return %h : tensor<?x?x?x32xf32>
}
