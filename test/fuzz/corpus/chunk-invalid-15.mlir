// chunk_grad_q: the row product q . dq is one value per position.
func.func @grad_q_row_product(%q: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x4xf32>, %sc: tensor<?x?x?x8x4xf32>, %r: tensor<?x?x?xf32>) {
  %dq, %qdq = mlstm.chunk_grad_q q(%q) k(%q) v(%v) states(%sc) rows(%r, %r, %r, %r) dh(%v) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x4xf32>, tensor<?x?x?x8x4xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x4xf32>)
      -> (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>)
  return
}
