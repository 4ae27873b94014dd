// mLSTMexp with initial states, bf16 inputs, L = 4: boundary 0 is the
// initial state, a loop over NC = ceil(S / 4) chunks writes boundaries 1..NC.
// The last chunk is masked by its length len = min(L, S - start).
// iota = i for the exp gate; log f = logsigmoid(f); b = cumsum(log f).
// g = b_{len-1}, a = g - b + iota
// m_k = max(g + m_{k-1}, max_t a_t)
// C_k = decay C_{k-1} + sum_t w_t k_t v_t^T
func.func @scan_exp(%k: tensor<?x?x?x16xbf16>, %v: tensor<?x?x?x32xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>,
                    %c0: tensor<?x?x16x32xf32>, %n0: tensor<?x?x16xf32>, %m0: tensor<?x?xf32>)
    -> (tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>) {
  %s:3 = mlstm.chunk_state_scan k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0) chunk_size = 4
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<?x?x?x16xbf16>, tensor<?x?x?x32xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
         tensor<?x?x16x32xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>)
      -> (tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>)
  return %s#0, %s#1, %s#2 : tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>
}
