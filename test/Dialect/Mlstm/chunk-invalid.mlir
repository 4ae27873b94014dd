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
