// RUN: mlstm-opt %s -split-input-file -verify-diagnostics

// Q of the wrong rank.
func.func @q_of_the_wrong_rank(%q: tensor<?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{q must have rank 4 (B x NH x S x D), got rank 3}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Dynamic head dimension.
func.func @dynamic_head_dimension(%q: tensor<?x?x?x?xbf16>, %k: tensor<?x?x?x?xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{head dimensions DQK and DHV must be static}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x?xbf16>, tensor<?x?x?x?xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Zero head dimension.
func.func @zero_head_dimension(%q: tensor<?x?x?x0xbf16>, %k: tensor<?x?x?x0xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{head dimensions must be positive, got DQK = 0, DHV = 128}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x0xbf16>, tensor<?x?x?x0xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Zero value head dimension.
func.func @zero_value_head_dimension(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x0xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{head dimensions must be positive, got DQK = 64, DHV = 0}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x0xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x0xbf16>
  return
}

// -----

// K and q disagree.
func.func @k_and_q_disagree(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x32xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{k must have the shape of q (?x?x?x64), got ?x?x?x32}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x32xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// V sequence length disagrees with q.
func.func @v_sequence_length_disagrees_with_q(%q: tensor<2x4x100x64xbf16>, %k: tensor<2x4x100x64xbf16>, %v: tensor<2x4x99x128xbf16>, %i: tensor<2x4x100xbf16>, %f: tensor<2x4x100xbf16>) {
  // expected-error @+1 {{v must agree with q in B x NH x S (2x4x100), got 2x4x99x128}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<2x4x100x64xbf16>, tensor<2x4x100x64xbf16>, tensor<2x4x99x128xbf16>, tensor<2x4x100xbf16>, tensor<2x4x100xbf16>) -> tensor<2x4x99x128xbf16>
  return
}

// -----

// Mixed input element types.
func.func @mixed_input_element_types(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{q, k and v must have one element type, got 'bf16', 'bf16', 'f16'}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xf16>
  return
}

// -----

// Integer inputs.
func.func @integer_inputs(%q: tensor<?x?x?x64xi32>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xi32>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Input gate shape.
func.func @input_gate_shape(%q: tensor<2x4x100x64xbf16>, %k: tensor<2x4x100x64xbf16>, %v: tensor<2x4x100x128xbf16>, %i: tensor<2x4x50xbf16>, %f: tensor<2x4x100xbf16>) {
  // expected-error @+1 {{igate must have shape B x NH x S = 2x4x100 like q, got 2x4x50}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<2x4x100x64xbf16>, tensor<2x4x100x64xbf16>, tensor<2x4x100x128xbf16>, tensor<2x4x50xbf16>, tensor<2x4x100xbf16>) -> tensor<2x4x100x128xbf16>
  return
}

// -----

// Forget gate rank.
func.func @forget_gate_rank(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?xbf16>) {
  // expected-error @+1 {{fgate must have shape B x NH x S = ?x?x? like q, got ?x?}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Exp gate without its operand.
func.func @exp_gate_without_its_operand(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{input_gate needs the igate operand}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Input operand with the none gate.
func.func @input_operand_with_the_none_gate(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{igate operand given but input_gate = none}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Forget gate without its operand.
func.func @forget_gate_without_its_operand(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{forget_gate needs the fgate operand}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Forget operand with the none gate.
func.func @forget_operand_with_the_none_gate(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{fgate operand given but forget_gate = none}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = none, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Normalizer without an input gate.
func.func @normalizer_without_an_input_gate(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{normalizer = max_abs needs an input gate (exp or sigmoid); the none gate has no normalizer state}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) fgate(%f) input_gate = none, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Negative eps.
func.func @negative_eps(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{eps must be finite and non-negative, got -1.000000e-06}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 {eps = -1.0e-6 : f64} : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Non-positive qk scale.
func.func @non_positive_qk_scale(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{qk_scale must be finite and positive, got 0.000000e+00}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 {qk_scale = 0.0 : f64} : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Chunk size not a power of two.
func.func @chunk_size_not_a_power_of_two(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{chunk_size must be a positive power of two or auto, got 48}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 48 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Zero chunk size.
func.func @zero_chunk_size(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{chunk_size must be a positive power of two or auto, got 0}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 0 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Negative chunk size.
func.func @negative_chunk_size(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{chunk_size must be a positive power of two or auto, got -64}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = -64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// H shaped like q.
func.func @h_shaped_like_q(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{result h must have the shape of v (?x?x?x128), got ?x?x?x64}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x64xbf16>
  return
}

// -----

// H element type.
func.func @h_element_type(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{result h must have the element type of v ('bf16'), got 'f32'}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xf32>
  return
}

// -----

// Too few initial states.
func.func @too_few_initial_states(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>, %c0: tensor<?x?x64x128xf32>) {
  // expected-error @+1 {{expected 3 initial states for this variant (C, n, m) or none, got 1}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// An m state for the sigmoid gate.
func.func @an_m_state_for_the_sigmoid_gate(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>, %c0: tensor<?x?x64x128xf32>, %n0: tensor<?x?x64xf32>, %m0: tensor<?x?xf32>) {
  // expected-error @+1 {{expected 2 initial states for this variant (C, n) or none, got 3}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0) input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// C state transposed.
func.func @C_state_transposed(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>, %c0: tensor<?x?x128x64xf32>, %n0: tensor<?x?x64xf32>, %m0: tensor<?x?xf32>) {
  // expected-error @+1 {{initial state C must have shape ?x?x64x128, got ?x?x128x64}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x128x64xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// N state of the wrong batch.
func.func @n_state_of_the_wrong_batch(%q: tensor<2x4x100x64xbf16>, %k: tensor<2x4x100x64xbf16>, %v: tensor<2x4x100x128xbf16>, %i: tensor<2x4x100xbf16>, %f: tensor<2x4x100xbf16>, %c0: tensor<2x4x64x128xf32>, %n0: tensor<3x4x64xf32>, %m0: tensor<2x4xf32>) {
  // expected-error @+1 {{initial state n must have shape 2x4x64, got 3x4x64}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<2x4x100x64xbf16>, tensor<2x4x100x64xbf16>, tensor<2x4x100x128xbf16>, tensor<2x4x100xbf16>, tensor<2x4x100xbf16>, tensor<2x4x64x128xf32>, tensor<3x4x64xf32>, tensor<2x4xf32>) -> tensor<2x4x100x128xbf16>
  return
}

// -----

// M state with a head dim.
func.func @m_state_with_a_head_dim(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>, %c0: tensor<?x?x64x128xf32>, %n0: tensor<?x?x64xf32>, %m0: tensor<?x?x1xf32>) {
  // expected-error @+1 {{initial state m must have shape ?x?, got ?x?x1}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?x1xf32>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Bf16 states.
func.func @bf16_states(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>, %c0: tensor<?x?x64x128xbf16>, %n0: tensor<?x?x64xf32>, %m0: tensor<?x?xf32>) {
  // expected-error @+1 {{initial state C must have element type 'f32', got 'bf16'}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xbf16>, tensor<?x?x64xf32>, tensor<?x?xf32>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// States not in state_type.
func.func @states_not_in_state_type(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>, %c0: tensor<?x?x64x128xf32>, %n0: tensor<?x?x64xf32>, %m0: tensor<?x?xf32>) {
  // expected-error @+1 {{initial state C must have element type 'f64', got 'f32'}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 {state_type = f64} : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// Some final states.
func.func @some_final_states(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{expected 3 final states for this variant (C, n, m) or none, got 2}}
  %r0, %r1, %r2 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>)
  return
}

// -----

// Final C of the wrong shape.
func.func @final_C_of_the_wrong_shape(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{final state C must have shape ?x?x64x128, got ?x?x64x64}}
  %r0, %r1, %r2, %r3 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x64xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
  return
}
// -----

// Unknown variant keyword.
func.func @unknown_gate(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{unknown input_gate 'relu'}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = relu, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// A chunk size that is neither an integer nor auto.
func.func @chunk_size_keyword(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  // expected-error @+1 {{expected integer value}}
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = big : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}

// -----

// recurrence_grad: one result short (no gradient of the forget gate).
func.func @grad_result_count(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>, %h: tensor<?x?x?x128xbf16>, %dh: tensor<?x?x?x128xbf16>) {
  // expected-error @+1 {{expected 5 results (dq, dk, dv, a gradient per gate and per initial state), got 4}}
  %r0, %r1, %r2, %r3 = mlstm.recurrence_grad q(%q) k(%k) v(%v) igate(%i) fgate(%f) h(%h) dh(%dh) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>) -> (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>)
  return
}

// -----

// recurrence_grad: the initial states need gradients too.
func.func @grad_result_count_init(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>, %c0: tensor<?x?x16x8xf32>, %h: tensor<?x?x?x8xf32>) {
  // expected-error @+1 {{expected 4 results (dq, dk, dv, a gradient per gate and per initial state), got 3}}
  %r0, %r1, %r2 = mlstm.recurrence_grad q(%q) k(%q) v(%v) init(%c0) h(%h) dh(%h) input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16 : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x16x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>)
  return
}

// -----

// recurrence_grad: dq in another element type than q.
func.func @grad_dq_type(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>, %h: tensor<?x?x?x128xbf16>, %dh: tensor<?x?x?x128xbf16>) {
  // expected-error @+1 {{result dq must have the type of its primal 'tensor<?x?x?x64xbf16>', got 'tensor<?x?x?x64xf32>'}}
  %r0, %r1, %r2, %r3, %r4 = mlstm.recurrence_grad q(%q) k(%k) v(%v) igate(%i) fgate(%f) h(%h) dh(%dh) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>) -> (tensor<?x?x?x64xf32>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>)
  return
}

// -----

// recurrence_grad: dq must have q's type exactly, a refined shape is not
// enough.
func.func @grad_dq_static(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>, %h: tensor<?x?x?x8xf32>) {
  // expected-error @+1 {{result dq must have the type of its primal 'tensor<?x?x?x16xf32>', got 'tensor<2x4x?x16xf32>'}}
  %r0, %r1, %r2 = mlstm.recurrence_grad q(%q) k(%q) v(%v) h(%h) dh(%h) input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16 : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) -> (tensor<2x4x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>)
  return
}

// -----

// recurrence_grad: the gradient of m0 in another type than m0.
func.func @grad_init_type(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>, %c0: tensor<?x?x16x8xf32>, %n0: tensor<?x?x16xf32>, %m0: tensor<?x?xf32>, %h: tensor<?x?x?x8xf32>) {
  // expected-error @+1 {{result initial-state grad must have the type of its primal 'tensor<?x?xf32>', got 'tensor<?x?x1xf32>'}}
  %r:8 = mlstm.recurrence_grad q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0) h(%h) dh(%h) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 16 : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x16x8xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x16x8xf32>, tensor<?x?x16xf32>, tensor<?x?x1xf32>)
  return
}

// -----

// recurrence_grad: h in another element type than v.
func.func @grad_h_type(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>, %h: tensor<?x?x?x128xf32>, %dh: tensor<?x?x?x128xbf16>) {
  // expected-error @+1 {{h must have the shape and element type of v ('tensor<?x?x?x128xbf16>'), got 'tensor<?x?x?x128xf32>'}}
  %r0, %r1, %r2, %r3, %r4 = mlstm.recurrence_grad q(%q) k(%k) v(%v) igate(%i) fgate(%f) h(%h) dh(%dh) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?x128xf32>, tensor<?x?x?x128xbf16>) -> (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>)
  return
}

// -----

// recurrence_grad: dh of the wrong head dimension.
func.func @grad_dh_shape(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>, %h: tensor<?x?x?x128xbf16>, %dh: tensor<?x?x?x64xbf16>) {
  // expected-error @+1 {{dh must have the shape and element type of v ('tensor<?x?x?x128xbf16>'), got 'tensor<?x?x?x64xbf16>'}}
  %r0, %r1, %r2, %r3, %r4 = mlstm.recurrence_grad q(%q) k(%k) v(%v) igate(%i) fgate(%f) h(%h) dh(%dh) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x64xbf16>) -> (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>)
  return
}

// -----

// recurrence_grad: two final-state cotangents where mLSTMexp has three states.
func.func @grad_final_count(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>, %h: tensor<?x?x?x128xbf16>, %dc: tensor<?x?x64x128xf32>, %dn: tensor<?x?x64xf32>) {
  // expected-error @+1 {{expected 3 final-state cotangent states for this variant (C, n, m) or none, got 2}}
  %r0, %r1, %r2, %r3, %r4 = mlstm.recurrence_grad q(%q) k(%k) v(%v) igate(%i) fgate(%f) h(%h) dh(%h) dfinal(%dc, %dn) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>) -> (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>)
  return
}

// -----

// recurrence_grad: a final-state cotangent of the wrong shape.
func.func @grad_final_shape(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>, %h: tensor<?x?x?x8xf32>, %dc: tensor<?x?x8x16xf32>) {
  // expected-error @+1 {{final-state cotangent state C must have shape ?x?x16x8, got ?x?x8x16}}
  %r0, %r1, %r2 = mlstm.recurrence_grad q(%q) k(%q) v(%v) h(%h) dh(%h) dfinal(%dc) input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16 : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x8x16xf32>) -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>)
  return
}

// -----

// recurrence_grad shares the recurrence's operand checks.
func.func @grad_missing_gate(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>, %h: tensor<?x?x?x8xf32>) {
  // expected-error @+1 {{forget_gate needs the fgate operand}}
  %r0, %r1, %r2 = mlstm.recurrence_grad q(%q) k(%q) v(%v) h(%h) dh(%h) input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = 16 : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>)
  return
}

// -----

// Unknown denominator_grad keyword.
func.func @grad_unknown_denominator(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>, %h: tensor<?x?x?x8xf32>) {
  // expected-error @+2 {{expected ::mlir::mlstm::DenominatorGrad to be one of: exact, detached}}
  // expected-error @+1 {{failed to parse Mlstm_DenominatorGradAttr parameter 'value'}}
  %r0, %r1, %r2 = mlstm.recurrence_grad q(%q) k(%q) v(%v) h(%h) dh(%h) input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16 {denominator_grad = #mlstm<denominator_grad stopped>} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>)
  return
}
