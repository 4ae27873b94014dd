func.func @scan_missing_gate(%k: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x8xf32>) {
  %s = mlstm.chunk_state_scan k(%k) v(%v) chunk_size = 16
      {variant = #mlstm.variant<input_gate = sigmoid, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) -> tensor<?x?x?x8x8xf32>
  return
}
