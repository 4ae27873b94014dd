// The whole lowering: a spec function becomes a host function on buffers
// that launches the state-scan and output kernels, whose PTX (sm_90a) sits
// in a gpu.binary; no mlstm op survives.

func.func @sig(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x64xbf16>,
               %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) -> tensor<?x?x?x64xbf16> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64
      : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>)
      -> tensor<?x?x?x64xbf16>
  return %h : tensor<?x?x?x64xbf16>
}
