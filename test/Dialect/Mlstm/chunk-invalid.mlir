// RUN: mlstm-opt %s --split-input-file --verify-diagnostics

func.func @scan_state_count(%k: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x8xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>) {
  // expected-error @+1 {{expected 3 boundary states for the variant, got 1}}
  %s = mlstm.chunk_state_scan k(%k) v(%v) igate(%i) fgate(%f) chunk_size = 16
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?x8x8xf32>
  return
}

// -----

func.func @scan_missing_gate(%k: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x8xf32>) {
  // expected-error @+1 {{igate operand must be present iff the variant has an input gate}}
  %s = mlstm.chunk_state_scan k(%k) v(%v) chunk_size = 16
      {variant = #mlstm.variant<input_gate = sigmoid, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) -> tensor<?x?x?x8x8xf32>
  return
}

// -----

func.func @output_state_shape(%q: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x4xf32>, %c: tensor<?x?x?x4x8xf32>) {
  // expected-error @+1 {{boundary state 'tensor<?x?x?x4x8xf32>' must be B x NH x (NC+1) x head dims of the variant}}
  %h = mlstm.chunk_output q(%q) k(%q) v(%v) states(%c) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x4xf32>, tensor<?x?x?x4x8xf32>) -> tensor<?x?x?x4xf32>
  return
}

// -----

func.func @bad_variant(%q: tensor<?x?x?x8xf32>, %c: tensor<?x?x?x8x8xf32>) {
  %h = mlstm.chunk_output q(%q) k(%q) v(%q) states(%c) chunk_size = 16
      // expected-error @+1 {{normalizer = max_abs needs an input gate}}
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8x8xf32>) -> tensor<?x?x?x8xf32>
  return
}

// -----

func.func @zero_chunk(%q: tensor<?x?x?x8xf32>, %c: tensor<?x?x?x8x8xf32>) {
  // expected-error @+1 {{attribute 'chunk_size' failed to satisfy constraint}}
  %h = mlstm.chunk_output q(%q) k(%q) v(%q) states(%c) chunk_size = 0
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8x8xf32>) -> tensor<?x?x?x8xf32>
  return
}

// -----

// chunk_row_adjoint: per-position results are B x NH x S.
func.func @row_adjoint_result_rank(%q: tensor<?x?x?x8xf32>, %h: tensor<?x?x?x4xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>,
                                   %sc: tensor<?x?x?x8x4xf32>, %sn: tensor<?x?x?x8xf32>, %sm: tensor<?x?x?xf32>) {
  // expected-error @+1 {{row results must have rank 3 (B x NH x S)}}
  %r:4 = mlstm.chunk_row_adjoint q(%q) k(%q) igate(%i) fgate(%f) states(%sc, %sn, %sm) h(%h) dh(%h) chunk_size = 16 denominator_grad = exact
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>,
         tensor<?x?x?x4xf32>, tensor<?x?x?x4xf32>)
      -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x4xf32>)
  return
}

// -----

// chunk_row_adjoint: dh must be typed like h.
func.func @row_adjoint_dh(%q: tensor<?x?x?x8xf32>, %h: tensor<?x?x?x4xf32>, %dh: tensor<?x?x?x4xbf16>, %sc: tensor<?x?x?x8x4xf32>) {
  // expected-error @+1 {{dh must have the type of h}}
  %r:4 = mlstm.chunk_row_adjoint q(%q) k(%q) states(%sc) h(%h) dh(%dh) chunk_size = 16 denominator_grad = exact
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x4xf32>, tensor<?x?x?x4xbf16>)
      -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
  return
}

// -----

// chunk_row_adjoint: q and k of different head dimensions.
func.func @row_adjoint_qk(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x8xf32>, %h: tensor<?x?x?x4xf32>, %sc: tensor<?x?x?x8x4xf32>) {
  // expected-error @+1 {{q and k must have one shape}}
  %r:4 = mlstm.chunk_row_adjoint q(%q) k(%k) states(%sc) h(%h) dh(%h) chunk_size = 16 denominator_grad = exact
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x4xf32>, tensor<?x?x?x4xf32>)
      -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
  return
}

// -----

// chunk_row_adjoint: the boundary states of mLSTMexp are C, n and m.
func.func @row_adjoint_states(%q: tensor<?x?x?x8xf32>, %h: tensor<?x?x?x4xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>,
                              %sc: tensor<?x?x?x8x4xf32>, %sn: tensor<?x?x?x8xf32>) {
  // expected-error @+1 {{expected 3 boundary states for the variant, got 2}}
  %r:4 = mlstm.chunk_row_adjoint q(%q) k(%q) igate(%i) fgate(%f) states(%sc, %sn) h(%h) dh(%h) chunk_size = 16 denominator_grad = detached
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x8xf32>,
         tensor<?x?x?x4xf32>, tensor<?x?x?x4xf32>)
      -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
  return
}

// -----

// chunk_grad_state_scan: three rows instead of the four of chunk_row_adjoint.
func.func @grad_scan_rows(%q: tensor<?x?x?x8xf32>, %dh: tensor<?x?x?x4xf32>, %sc: tensor<?x?x?x8x4xf32>, %r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{expected 4 rows, got 3}}
  %ds = mlstm.chunk_grad_state_scan q(%q) states(%sc) rows(%r, %r, %r) dh(%dh) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x4xf32>)
      -> tensor<?x?x?x8x4xf32>
  return
}

// -----

// chunk_grad_state_scan: the adjoints cover C and n, not the max state m.
func.func @grad_scan_adjoint_count(%q: tensor<?x?x?x8xf32>, %dh: tensor<?x?x?x4xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>,
                                   %sc: tensor<?x?x?x8x4xf32>, %sn: tensor<?x?x?x8xf32>, %sm: tensor<?x?x?xf32>, %r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{expected 2 boundary states for the variant, got 3}}
  %ds:3 = mlstm.chunk_grad_state_scan q(%q) igate(%i) fgate(%f) states(%sc, %sn, %sm) rows(%r, %r, %r, %r) dh(%dh) chunk_size = 16
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x4xf32>)
      -> (tensor<?x?x?x8x4xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>)
  return
}

// -----

// chunk_grad_state_scan: the final-state cotangents are all of the variant's
// states or none.
func.func @grad_scan_final_count(%q: tensor<?x?x?x8xf32>, %dh: tensor<?x?x?x4xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>,
                                 %sc: tensor<?x?x?x8x4xf32>, %sn: tensor<?x?x?x8xf32>, %sm: tensor<?x?x?xf32>, %r: tensor<?x?x?xf32>,
                                 %dc: tensor<?x?x8x4xf32>) {
  // expected-error @+1 {{expected 3 final-state cotangents or none, got 1}}
  %ds:2 = mlstm.chunk_grad_state_scan q(%q) igate(%i) fgate(%f) states(%sc, %sn, %sm) rows(%r, %r, %r, %r) dh(%dh) dfinal(%dc) chunk_size = 16
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x4xf32>, tensor<?x?x8x4xf32>)
      -> (tensor<?x?x?x8x4xf32>, tensor<?x?x?x8xf32>)
  return
}

// -----

// chunk_grad_state_scan: a final-state cotangent C with the head dims swapped.
func.func @grad_scan_final_shape(%q: tensor<?x?x?x8xf32>, %dh: tensor<?x?x?x4xf32>, %sc: tensor<?x?x?x8x4xf32>, %r: tensor<?x?x?xf32>,
                                 %dc: tensor<?x?x4x8xf32>) {
  // expected-error @+1 {{final-state cotangent 'tensor<?x?x4x8xf32>' must be B x NH x head dims of the state}}
  %ds = mlstm.chunk_grad_state_scan q(%q) states(%sc) rows(%r, %r, %r, %r) dh(%dh) dfinal(%dc) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
         tensor<?x?x?x4xf32>, tensor<?x?x4x8xf32>)
      -> tensor<?x?x?x8x4xf32>
  return
}

// -----

// chunk_grad_q: the variant has an input gate, the op has no igate operand.
func.func @grad_q_missing_gate(%q: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x4xf32>, %f: tensor<?x?x?xf32>,
                               %sc: tensor<?x?x?x8x4xf32>, %r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{igate operand must be present iff the variant has an input gate}}
  %dq, %qdq = mlstm.chunk_grad_q q(%q) k(%q) v(%v) fgate(%f) states(%sc) rows(%r, %r, %r, %r) dh(%v) chunk_size = 16
      {variant = #mlstm.variant<input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x4xf32>, tensor<?x?x?xf32>, tensor<?x?x?x8x4xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x4xf32>)
      -> (tensor<?x?x?x8xf32>, tensor<?x?x?xf32>)
  return
}

// -----

// chunk_grad_q: dq shaped like v instead of q.
func.func @grad_q_dq_shape(%q: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x4xf32>, %sc: tensor<?x?x?x8x4xf32>, %r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{dq must have the shape of q}}
  %dq, %qdq = mlstm.chunk_grad_q q(%q) k(%q) v(%v) states(%sc) rows(%r, %r, %r, %r) dh(%v) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x4xf32>, tensor<?x?x?x8x4xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x4xf32>)
      -> (tensor<?x?x?x4xf32>, tensor<?x?x?xf32>)
  return
}

// -----

// chunk_grad_q: the row product q . dq is one value per position.
func.func @grad_q_row_product(%q: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x4xf32>, %sc: tensor<?x?x?x8x4xf32>, %r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{q_dot_dq must have rank 3 (B x NH x S)}}
  %dq, %qdq = mlstm.chunk_grad_q q(%q) k(%q) v(%v) states(%sc) rows(%r, %r, %r, %r) dh(%v) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x4xf32>, tensor<?x?x?x8x4xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x4xf32>)
      -> (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>)
  return
}

// -----

// chunk_grad_kv: no state adjoints.
func.func @grad_kv_adjoints(%q: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x4xf32>, %sc: tensor<?x?x?x8x4xf32>, %r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{expected 1 boundary states for the variant, got 0}}
  %dk, %dv, %kdk = mlstm.chunk_grad_kv q(%q) k(%q) v(%v) states(%sc) state_grads() rows(%r, %r, %r, %r) dh(%v) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x4xf32>, tensor<?x?x?x8x4xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x4xf32>)
      -> (tensor<?x?x?x8xf32>, tensor<?x?x?x4xf32>, tensor<?x?x?xf32>)
  return
}

// -----

// chunk_grad_kv: dk and dv swapped.
func.func @grad_kv_shapes(%q: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x4xf32>, %sc: tensor<?x?x?x8x4xf32>, %r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{dk and dv must have the shapes of k and v}}
  %dk, %dv, %kdk = mlstm.chunk_grad_kv q(%q) k(%q) v(%v) states(%sc) state_grads(%sc) rows(%r, %r, %r, %r) dh(%v) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x4xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x8x4xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x4xf32>)
      -> (tensor<?x?x?x4xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>)
  return
}

// -----

// chunk_grad_kv: five rows.
func.func @grad_kv_rows(%q: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x4xf32>, %sc: tensor<?x?x?x8x4xf32>, %r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{expected 4 rows, got 5}}
  %dk, %dv, %kdk = mlstm.chunk_grad_kv q(%q) k(%q) v(%v) states(%sc) state_grads(%sc) rows(%r, %r, %r, %r, %r) dh(%v) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x4xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x8x4xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x4xf32>)
      -> (tensor<?x?x?x8xf32>, tensor<?x?x?x4xf32>, tensor<?x?x?xf32>)
  return
}

// -----

// chunk_grad_gates: mLSTMexp has di, df and dm0; dm0 is missing.
func.func @grad_gates_results(%i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>, %sc: tensor<?x?x?x8x4xf32>, %sn: tensor<?x?x?x8xf32>,
                              %sm: tensor<?x?x?xf32>, %r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{expected 3 results (di, df, dm0 as the variant has them), got 2}}
  %di, %df = mlstm.chunk_grad_gates q_dot_dq(%r) k_dot_dk(%r) igate(%i) fgate(%f) states(%sc, %sn, %sm) state_grads(%sc, %sn)
      rows(%r, %r, %r, %r) chunk_size = 16
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>,
         tensor<?x?x?x8x4xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
      -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>)
  return
}

// -----

// chunk_grad_gates: the variant has a forget gate, the op no fgate operand.
func.func @grad_gates_missing_gate(%i: tensor<?x?x?xf32>, %sc: tensor<?x?x?x8x4xf32>, %r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{gate operands must match the variant's gates}}
  %di, %df = mlstm.chunk_grad_gates q_dot_dq(%r) k_dot_dk(%r) igate(%i) states(%sc) state_grads(%sc) rows(%r, %r, %r, %r) chunk_size = 16
      {variant = #mlstm.variant<input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x8x4xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
      -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>)
  return
}

// -----

// chunk_grad_gates: without boundary states.
func.func @grad_gates_no_states(%r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{expected the boundary states}}
  mlstm.chunk_grad_gates q_dot_dq(%r) k_dot_dk(%r) states() state_grads() rows(%r, %r, %r, %r) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> ()
  return
}

// -----

// chunk_grad_gates: the row products are B x NH x S.
func.func @grad_gates_row_products(%p: tensor<?x?x?x8xf32>, %sc: tensor<?x?x?x8x4xf32>, %r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{row products must have rank 3 (B x NH x S)}}
  mlstm.chunk_grad_gates q_dot_dq(%p) k_dot_dk(%r) states(%sc) state_grads(%sc) rows(%r, %r, %r, %r) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?x8x4xf32>, tensor<?x?x?x8x4xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> ()
  return
}

// -----

// chunk_grad_gates: C without its boundary dimension.
func.func @grad_gates_state_rank(%c: tensor<?x?x8x4xf32>, %r: tensor<?x?x?xf32>) {
  // expected-error @+1 {{boundary state C must have rank 5}}
  mlstm.chunk_grad_gates q_dot_dq(%r) k_dot_dk(%r) states(%c) state_grads(%c) rows(%r, %r, %r, %r) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x8x4xf32>, tensor<?x?x8x4xf32>,
         tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> ()
  return
}
