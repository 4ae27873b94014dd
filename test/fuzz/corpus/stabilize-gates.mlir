// Every recorded stabilizer is applied; the normalizer switches to its
// max-scaled form.
func.func @output_tile(%logd: tensor<4x4xf32>, %m: tensor<4xf32>, %num: tensor<4x8xf32>, %den: tensor<4xf32>)
    -> (tensor<4x4xf32>, tensor<4x8xf32>) {
  %w = mlstm.tile_exp_gates %logd by %m : tensor<4xf32> : tensor<4x4xf32> -> tensor<4x4xf32>
  %h = mlstm.tile_normalize %num den(%den : tensor<4xf32>) max_state(%m : tensor<4xf32>)
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.5>}
      : tensor<4x8xf32> -> tensor<4x8xf32>
  return %w, %h : tensor<4x4xf32>, tensor<4x8xf32>
}

// The conversion factors between C~ = C exp(m) and C fold to 1 once
// stabilized: the scan loop then carries the max-scaled state itself.
func.func @state_factors(%c: tensor<4x4xf32>, %m: f32) -> tensor<4x4xf32> {
  %up = mlstm.tile_exp_gates %m by %m : f32 : f32 -> f32
  %s = tensor.splat %up : tensor<4x4xf32>
  %r = arith.mulf %c, %s : tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// The sigmoid gate records no stabilizer: nothing changes.
func.func @sigmoid_untouched(%logd: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %w = mlstm.tile_exp_gates %logd : tensor<4x4xf32> -> tensor<4x4xf32>
  return %w : tensor<4x4xf32>
}
