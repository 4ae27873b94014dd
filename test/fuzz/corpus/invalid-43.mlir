// Unknown denominator_grad keyword.
func.func @grad_unknown_denominator(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>, %h: tensor<?x?x?x8xf32>) {
  %r0, %r1, %r2 = mlstm.recurrence_grad q(%q) k(%q) v(%v) h(%h) dh(%h) input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16 {denominator_grad = #mlstm<denominator_grad stopped>} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>)
  return
}
