// mLSTMsig without normalizer: log sigmoid input weights, no max state, no
// den, nothing to stabilize.
func.func @output_sig(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>,
                      %c: tensor<?x?x?x16x16xf32>) -> tensor<?x?x?x16xf32> {
  %h = mlstm.chunk_output q(%q) k(%q) v(%v) igate(%i) fgate(%f) states(%c) chunk_size = 16
      {variant = #mlstm.variant<input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
         tensor<?x?x?x16x16xf32>) -> tensor<?x?x?x16xf32>
  return %h : tensor<?x?x?x16xf32>
}
