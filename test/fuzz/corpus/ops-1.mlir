func.func @mlstm_sig(%q: tensor<?x?x?x64xf16>, %k: tensor<?x?x?x64xf16>, %v: tensor<?x?x?x64xf16>,
                     %i: tensor<?x?x?xf16>, %f: tensor<?x?x?xf16>)
    -> (tensor<?x?x?x64xf16>, tensor<?x?x64x64xf32>, tensor<?x?x64xf32>) {
  %h, %c, %n = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 128
      : (tensor<?x?x?x64xf16>, tensor<?x?x?x64xf16>, tensor<?x?x?x64xf16>, tensor<?x?x?xf16>, tensor<?x?x?xf16>)
      -> (tensor<?x?x?x64xf16>, tensor<?x?x64x64xf32>, tensor<?x?x64xf32>)
  return %h, %c, %n : tensor<?x?x?x64xf16>, tensor<?x?x64x64xf32>, tensor<?x?x64xf32>
}

// Scalar-gated linear attention (GLA-simple / Mamba2-SSD): no input gate.
