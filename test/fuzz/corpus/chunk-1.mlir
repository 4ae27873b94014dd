// Static S = 100 with L = 64: NC = 2 chunks (the last one partial), so three
// boundaries; the final states are boundary 2.
func.func @exp_states_static(%q: tensor<2x4x100x16xf32>, %k: tensor<2x4x100x16xf32>, %v: tensor<2x4x100x32xf32>,
                             %i: tensor<2x4x100xf32>, %f: tensor<2x4x100xf32>,
                             %c0: tensor<2x4x16x32xf32>, %n0: tensor<2x4x16xf32>, %m0: tensor<2x4xf32>)
    -> (tensor<2x4x100x32xf32>, tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>) {
  %h, %c, %n, %m = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64
      {eps = 1.0e-3 : f64, qk_scale = 0.5 : f64}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>)
      -> (tensor<2x4x100x32xf32>, tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>)
  return %h, %c, %n, %m : tensor<2x4x100x32xf32>, tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>
}
