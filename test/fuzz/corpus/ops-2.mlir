func.func @scalar_gated(%q: tensor<?x?x?x128xbf16>, %k: tensor<?x?x?x128xbf16>, %v: tensor<?x?x?x256xbf16>,
                        %f: tensor<?x?x?xbf16>) -> tensor<?x?x?x256xbf16> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) fgate(%f)
      input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = auto
      : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x256xbf16>
  return %h : tensor<?x?x?x256xbf16>
}

// Plain causal linear attention with a state carried in and out in f64.
