func.func @chunk_grad_ops_linear(%q: tensor<1x1x?x8xf32>, %v: tensor<1x1x?x4xf32>, %s: tensor<1x1x?x8x4xf64>,
                                 %h: tensor<1x1x?x4xf32>, %dh: tensor<1x1x?x4xf32>)
    -> (tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x4xf32>) {
  %r:4 = mlstm.chunk_row_adjoint q(%q) k(%q) states(%s) h(%h) dh(%dh) chunk_size = 16 denominator_grad = exact
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x8x4xf64>, tensor<1x1x?x4xf32>, tensor<1x1x?x4xf32>)
      -> (tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>)
  %ds = mlstm.chunk_grad_state_scan q(%q) states(%s) rows(%r#0, %r#1, %r#2, %r#3) dh(%dh) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<1x1x?x8xf32>, tensor<1x1x?x8x4xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>,
         tensor<1x1x?x4xf32>) -> tensor<1x1x?x8x4xf64>
  %dq, %qdq = mlstm.chunk_grad_q q(%q) k(%q) v(%v) states(%s) rows(%r#0, %r#1, %r#2, %r#3) dh(%dh) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x4xf32>, tensor<1x1x?x8x4xf64>,
         tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?x4xf32>)
      -> (tensor<1x1x?x8xf32>, tensor<1x1x?xf64>)
  %dk, %dv, %kdk = mlstm.chunk_grad_kv q(%q) k(%q) v(%v) states(%s) state_grads(%ds) rows(%r#0, %r#1, %r#2, %r#3) dh(%dh) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x4xf32>, tensor<1x1x?x8x4xf64>, tensor<1x1x?x8x4xf64>,
         tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?x4xf32>)
      -> (tensor<1x1x?x8xf32>, tensor<1x1x?x4xf32>, tensor<1x1x?xf64>)
  mlstm.chunk_grad_gates q_dot_dq(%qdq) k_dot_dk(%kdk) states(%s) state_grads(%ds) rows(%r#0, %r#1, %r#2, %r#3) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?x8x4xf64>, tensor<1x1x?x8x4xf64>,
         tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>) -> ()
  return %dq, %dk, %dv : tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x4xf32>
}
