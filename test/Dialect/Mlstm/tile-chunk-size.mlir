// RUN: mlstm-opt %s --mlstm-tile --split-input-file -verify-diagnostics

// A chunk length that is not a power of two cannot be cut into the
// schedule's blocks: a diagnostic, not an assertion (found by mlstm-fuzz).
func.func @output_chunk_36(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>,
                           %c: tensor<?x?x?x16x16xf32>) -> tensor<?x?x?x16xf32> {
  // expected-error @+1 {{--mlstm-tile needs a power-of-two chunk size, got 36}}
  %h = mlstm.chunk_output q(%q) k(%q) v(%v) igate(%i) fgate(%f) states(%c) chunk_size = 36
      {variant = #mlstm.variant<input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
         tensor<?x?x?x16x16xf32>) -> tensor<?x?x?x16xf32>
  return %h : tensor<?x?x?x16xf32>
}
