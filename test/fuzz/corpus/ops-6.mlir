func.func @chunk_grad_ops(%q: tensor<2x4x100x16xf32>, %k: tensor<2x4x100x16xf32>, %v: tensor<2x4x100x32xf32>,
                          %i: tensor<2x4x100xf32>, %f: tensor<2x4x100xf32>,
                          %sc: tensor<2x4x3x16x32xf32>, %sn: tensor<2x4x3x16xf32>, %sm: tensor<2x4x3xf32>,
                          %h: tensor<2x4x100x32xf32>, %dh: tensor<2x4x100x32xf32>,
                          %dc: tensor<2x4x16x32xf32>, %dn: tensor<2x4x16xf32>, %dm: tensor<2x4xf32>)
    -> (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4xf32>) {
  %scale, %dden, %m, %gamma = mlstm.chunk_row_adjoint q(%q) k(%k) igate(%i) fgate(%f) states(%sc, %sn, %sm) h(%h) dh(%dh)
      chunk_size = 64 denominator_grad = detached
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>, tensor<2x4x3xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100x32xf32>)
      -> (tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>)
  %dsc, %dsn = mlstm.chunk_grad_state_scan q(%q) igate(%i) fgate(%f) states(%sc, %sn, %sm) rows(%scale, %dden, %m, %gamma)
      dh(%dh) dfinal(%dc, %dn, %dm) chunk_size = 64
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>, tensor<2x4x3xf32>,
         tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100x32xf32>,
         tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>)
      -> (tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>)
  %dq, %qdq = mlstm.chunk_grad_q q(%q) k(%k) v(%v) igate(%i) fgate(%f) states(%sc, %sn, %sm) rows(%scale, %dden, %m, %gamma)
      dh(%dh) chunk_size = 64
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>, tensor<2x4x3xf32>,
         tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100x32xf32>)
      -> (tensor<2x4x100x16xf32>, tensor<2x4x100xf32>)
  %dk, %dv, %kdk = mlstm.chunk_grad_kv q(%q) k(%k) v(%v) igate(%i) fgate(%f) states(%sc, %sn, %sm) state_grads(%dsc, %dsn)
      rows(%scale, %dden, %m, %gamma) dh(%dh) chunk_size = 64
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>, tensor<2x4x3xf32>, tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>,
         tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100x32xf32>)
      -> (tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>)
  %di, %df, %dm0 = mlstm.chunk_grad_gates q_dot_dq(%qdq) k_dot_dk(%kdk) igate(%i) fgate(%f) states(%sc, %sn, %sm)
      state_grads(%dsc, %dsn) rows(%scale, %dden, %m, %gamma) dfinal(%dc, %dn, %dm) chunk_size = 64
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>, tensor<2x4x3xf32>, tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>,
         tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>)
      -> (tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4xf32>)
  return %dq, %dk, %dv, %di, %df, %dm0
      : tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4xf32>
}

// The chunkwise backward ops of linear attention: no gates, the C state
// only, no final-state cotangents, no results of chunk_grad_gates.
