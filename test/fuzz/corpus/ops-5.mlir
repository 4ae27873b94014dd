func.func @recurrence_grad_gla(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>, %f: tensor<?x?x?xf32>,
                               %h: tensor<?x?x?x8xf32>, %dh: tensor<?x?x?x8xf32>)
    -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>) {
  %dq, %dk, %dv, %df = mlstm.recurrence_grad q(%q) k(%q) v(%v) fgate(%f) h(%h) dh(%dh)
      input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = auto
      {denominator_grad = #mlstm<denominator_grad exact>}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>)
      -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>)
  return %dq, %dk, %dv, %df : tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>
}

// The chunkwise backward ops of mLSTMexp (B x NH = 2 x 4, S = 100, L = 64,
// three boundaries), chained as --mlstm-chunk emits them.
