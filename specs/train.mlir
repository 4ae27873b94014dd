// Training kernels: forward and backward (mlstm.recurrence {backward}, whose
// gradient --mlstm-derive-backward adds as <name>_backward) of mLSTMexp and
// mLSTMsig (normalizer on and off), bf16 inputs, at DQK x DHV = 64 x 128,
// with initial and final states. The gradient is exact through the
// normalizer (denominator_grad = exact). (f32 inputs: the SIMT tiles of the
// gradient kernels do not fit one CTA's shared memory yet.)
module @mlstm_train {
  func.func @mlstm_train_exp_bf16_d64x128(
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
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_train_sig_bf16_d64x128(
      %q: tensor<?x?x?x64xbf16>,
      %k: tensor<?x?x?x64xbf16>,
      %v: tensor<?x?x?x128xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x64x128xf32>,
      %n0: tensor<?x?x64xf32>)
      -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>) {
    %h, %cT, %nT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>)
        -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>)
    return %h, %cT, %nT : tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>
  }
  func.func @mlstm_train_sig_nonorm_bf16_d64x128(
      %q: tensor<?x?x?x64xbf16>,
      %k: tensor<?x?x?x64xbf16>,
      %v: tensor<?x?x?x128xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x64x128xf32>)
      -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>) {
    %h, %cT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, chunk_size = auto {backward}
        : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>)
        -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>)
    return %h, %cT : tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>
  }
}
