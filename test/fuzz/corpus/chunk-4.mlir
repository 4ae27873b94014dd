// Final states stated with static sizes while q is dynamic: the slice of
// the last boundary has the boundary tensor's sizes and is cast to them.
func.func @static_final_state(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>) -> (tensor<?x?x?x8xf32>, tensor<2x4x16x8xf32>) {
  %h, %c = mlstm.recurrence q(%q) k(%q) v(%v) input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>) -> (tensor<?x?x?x8xf32>, tensor<2x4x16x8xf32>)
  return %h, %c : tensor<?x?x?x8xf32>, tensor<2x4x16x8xf32>
}
