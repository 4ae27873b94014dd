// mLSTMsig without a normalizer and without states: a single boundary state
// C, one state adjoint, two gate gradients (no dm0), no slices.
// AUTO-LABEL: func.func @sig_backward
// AUTO: mlstm.chunk_state_scan {{.*}} chunk_size = 128
// AUTO: mlstm.chunk_grad_gates {{.*}} chunk_size = 128
func.func @sig_backward(%q: tensor<?x?x?x64xf16>, %k: tensor<?x?x?x64xf16>, %v: tensor<?x?x?x32xf16>,
                        %i: tensor<?x?x?xf16>, %f: tensor<?x?x?xf16>, %h: tensor<?x?x?x32xf16>, %dh: tensor<?x?x?x32xf16>)
    -> (tensor<?x?x?x64xf16>, tensor<?x?x?x64xf16>, tensor<?x?x?x32xf16>, tensor<?x?x?xf16>, tensor<?x?x?xf16>) {
  %dq, %dk, %dv, %di, %df = mlstm.recurrence_grad q(%q) k(%k) v(%v) igate(%i) fgate(%f) h(%h) dh(%dh)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, chunk_size = auto
      : (tensor<?x?x?x64xf16>, tensor<?x?x?x64xf16>, tensor<?x?x?x32xf16>, tensor<?x?x?xf16>, tensor<?x?x?xf16>,
         tensor<?x?x?x32xf16>, tensor<?x?x?x32xf16>)
      -> (tensor<?x?x?x64xf16>, tensor<?x?x?x64xf16>, tensor<?x?x?x32xf16>, tensor<?x?x?xf16>, tensor<?x?x?xf16>)
  return %dq, %dk, %dv, %di, %df
      : tensor<?x?x?x64xf16>, tensor<?x?x?x64xf16>, tensor<?x?x?x32xf16>, tensor<?x?x?xf16>, tensor<?x?x?xf16>
}
