// N state of the wrong batch.
func.func @n_state_of_the_wrong_batch(%q: tensor<2x4x100x64xbf16>, %k: tensor<2x4x100x64xbf16>, %v: tensor<2x4x100x128xbf16>, %i: tensor<2x4x100xbf16>, %f: tensor<2x4x100xbf16>, %c0: tensor<2x4x64x128xf32>, %n0: tensor<3x4x64xf32>, %m0: tensor<2x4xf32>) {
  %r0 = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 : (tensor<2x4x100x64xbf16>, tensor<2x4x100x64xbf16>, tensor<2x4x100x128xbf16>, tensor<2x4x100xbf16>, tensor<2x4x100xbf16>, tensor<2x4x64x128xf32>, tensor<3x4x64xf32>, tensor<2x4xf32>) -> tensor<2x4x100x128xbf16>
  return
}
