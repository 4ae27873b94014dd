// mLSTMsig without a normalizer and without states, chunk_size = auto, a
// private function: the backward is private too and has exactly q, k, v, i,
// f, h, dh in and dq, dk, dv, di, df out.
// ALL-LABEL: func.func private @sig_plain(
// ALL-LABEL: func.func private @sig_plain_backward(
// ALL-NOT: func.func @sig_plain_backward
func.func private @sig_plain(%q: tensor<?x?x?x64xf32>, %k: tensor<?x?x?x64xf32>, %v: tensor<?x?x?x32xf32>,
                             %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>) -> tensor<?x?x?x32xf32> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, chunk_size = auto {backward}
      : (tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x32xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
      -> tensor<?x?x?x32xf32>
  return %h : tensor<?x?x?x32xf32>
}
