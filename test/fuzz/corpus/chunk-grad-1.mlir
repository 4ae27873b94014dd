// Static S = 100 with L = 64: three boundaries; initial states but no
// final-state cotangents (no dfinal anywhere), exact denominator gradient,
// eps and scale carried into the variant. Boundary 0 is sliced with static
// sizes.
// AUTO-LABEL: func.func @exp_static_backward
// AUTO: mlstm.chunk_state_scan {{.*}} chunk_size = 64
// AUTO-SAME: -> (tensor<2x4x3x16x32xf32>,
func.func @exp_static_backward(%q: tensor<2x4x100x16xf32>, %k: tensor<2x4x100x16xf32>, %v: tensor<2x4x100x32xf32>,
                               %i: tensor<2x4x100xf32>, %f: tensor<2x4x100xf32>,
                               %c0: tensor<2x4x16x32xf32>, %n0: tensor<2x4x16xf32>, %m0: tensor<2x4xf32>,
                               %h: tensor<2x4x100x32xf32>, %dh: tensor<2x4x100x32xf32>)
    -> (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
        tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>) {
  %dq, %dk, %dv, %di, %df, %dc0, %dn0, %dm0 = mlstm.recurrence_grad q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      init(%c0, %n0, %m0) h(%h) dh(%dh)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64
      {eps = 1.0e-3 : f64, qk_scale = 0.5 : f64}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100x32xf32>)
      -> (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
          tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>)
  return %dq, %dk, %dv, %di, %df, %dc0, %dn0, %dm0
      : tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
        tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>
}
