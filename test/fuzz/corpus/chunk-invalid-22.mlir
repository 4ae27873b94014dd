// chunk_grad_gates: the row products are B x NH x S.
func.func @grad_gates_row_products(%p: tensor<?x?x?x8xf32>, %sc: tensor<?x?x?x8x4xf32>, %r: tensor<?x?x?xf32>) {
  mlstm.chunk_grad_gates q_dot_dq(%p) k_dot_dk(%r) states(%sc) state_grads(%sc) rows(%r, %r, %r, %r) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x8x4xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> ()
  return
}
