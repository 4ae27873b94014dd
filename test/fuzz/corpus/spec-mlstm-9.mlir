func.func @mlstm_sig_f32_d64x128(
      %q: tensor<?x?x?x64xf32>,
      %k: tensor<?x?x?x64xf32>,
      %v: tensor<?x?x?x128xf32>,
      %i: tensor<?x?x?xf32>,
      %f: tensor<?x?x?xf32>,
      %c0: tensor<?x?x64x128xf32>,
      %n0: tensor<?x?x64xf32>)
      -> (tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>) {
    %h, %cT, %nT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
        : (tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x128xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>)
        -> (tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>)
    return %h, %cT, %nT : tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>
  }
