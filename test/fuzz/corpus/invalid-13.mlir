// Forget operand with the none gate.
func.func @forget_operand_with_the_none_gate(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) {
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) input_gate = exp, forget_gate = none, normalizer = max_abs, chunk_size = 64 : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return
}
