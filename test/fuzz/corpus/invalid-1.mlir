// Dynamic head dimension.
func.func @dynamic_head_dimension(%q: tensor<?x?x?x?xbf16>, %k: tensor<?x?x?x?xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x?xbf16>, tensor<?x?x?x?xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}
