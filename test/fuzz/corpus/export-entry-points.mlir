// An entry point: argument and result roles, the variant, the chunk size.
func.func @entry(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>,
                 %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>,
                 %c0: tensor<?x?x16x8xf32>, %n0: tensor<?x?x16xf32>, %m0: tensor<?x?xf32>)
    -> (tensor<?x?x?x8xf32>, tensor<?x?x16x8xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>) {
  %h, %c, %n, %m = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
         tensor<?x?x16x8xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>)
      -> (tensor<?x?x?x8xf32>, tensor<?x?x16x8xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>)
  return %h, %c, %n, %m : tensor<?x?x?x8xf32>, tensor<?x?x16x8xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>
}

// Scalar-gated, explicit chunk size, no states.
func.func @gla(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>, %f: tensor<?x?x?xf32>) -> tensor<?x?x?x8xf32> {
  %h = mlstm.recurrence q(%q) k(%q) v(%v) fgate(%f)
      input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = 32
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?x8xf32>
  return %h : tensor<?x?x?x8xf32>
}

// Not an entry point: the recurrence's result is post-processed.
func.func @not_entry(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32> {
  %h = mlstm.recurrence q(%q) k(%q) v(%v)
      input_gate = none, forget_gate = none, normalizer = none, chunk_size = 32
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32>
  %h2 = arith.addf %h, %h : tensor<?x?x?x8xf32>
  return %h2 : tensor<?x?x?x8xf32>
}
