// recurrence_grad: the gradient of m0 in another type than m0.
func.func @grad_init_type(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>, %c0: tensor<?x?x16x8xf32>, %n0: tensor<?x?x16xf32>, %m0: tensor<?x?xf32>, %h: tensor<?x?x?x8xf32>) {
  %r:8 = mlstm.recurrence_grad q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0) h(%h) dh(%h) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 16 : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x16x8xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x16x8xf32>, tensor<?x?x16xf32>, tensor<?x?x1xf32>)
  return
}
