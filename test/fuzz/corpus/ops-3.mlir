func.func @linear_attention(%q: tensor<1x1x?x32xf32>, %k: tensor<1x1x?x32xf32>, %v: tensor<1x1x?x32xf32>,
                            %c0: tensor<1x1x32x32xf64>) -> (tensor<1x1x?x32xf32>, tensor<1x1x32x32xf64>) {
  %h, %c = mlstm.recurrence q(%q) k(%k) v(%v) init(%c0)
      input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16 {state_type = f64}
      : (tensor<1x1x?x32xf32>, tensor<1x1x?x32xf32>, tensor<1x1x?x32xf32>, tensor<1x1x32x32xf64>)
      -> (tensor<1x1x?x32xf32>, tensor<1x1x32x32xf64>)
  return %h, %c : tensor<1x1x?x32xf32>, tensor<1x1x32x32xf64>
}

// The gradient of mLSTMexp with every optional part: initial states, final-
// state cotangents, the detached denominator; results named after the math.
