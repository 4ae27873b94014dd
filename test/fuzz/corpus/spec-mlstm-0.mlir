func.func @mlstm_exp_bf16_d64x128(
      %q: tensor<?x?x?x64xbf16>,
      %k: tensor<?x?x?x64xbf16>,
      %v: tensor<?x?x?x128xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x64x128xf32>,
      %n0: tensor<?x?x64xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
        : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>
  }
