// chunk_row_adjoint: the boundary states of mLSTMexp are C, n and m.
func.func @row_adjoint_states(%q: tensor<?x?x?x8xf32>, %h: tensor<?x?x?x4xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>,
                              %sc: tensor<?x?x?x8x4xf32>, %sn: tensor<?x?x?x8xf32>) {
  %r:4 = mlstm.chunk_row_adjoint q(%q) k(%q) igate(%i) fgate(%f) states(%sc, %sn) h(%h) dh(%h) chunk_size = 16 denominator_grad = detached
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x8xf32>,
         tensor<?x?x?x4xf32>, tensor<?x?x?x4xf32>)
      -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
  return
}
