// h stated with sizes v leaves dynamic: the gradient takes h and dh in that
// refined type.
// ALL-LABEL: func.func @refined_h_backward
func.func @refined_h(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>) -> tensor<2x4x?x8xf32> {
  %h = mlstm.recurrence q(%q) k(%q) v(%v) input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16 {backward}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>) -> tensor<2x4x?x8xf32>
  return %h : tensor<2x4x?x8xf32>
}
