// The default kernel library: the mLSTM kernels of the xLSTM family, forward
// and backward. mLSTMexp and mLSTMsig (normalizer on and off), bf16 and f32
// inputs, three head-dimension pairs. Every kernel takes optional initial
// states and can return final states (fp32); each recurrence is marked
// {backward}, so --mlstm-derive-backward adds <name>_backward, its exact
// gradient (denominator_grad = exact). `mlstm-opt` verifies it; the library
// generator turns it into generated/mlstm/.
module @mlstm {
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
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_bf16_d128x256(
      %q: tensor<?x?x?x128xbf16>,
      %k: tensor<?x?x?x128xbf16>,
      %v: tensor<?x?x?x256xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x128x256xf32>,
      %n0: tensor<?x?x128xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_bf16_d256x512(
      %q: tensor<?x?x?x256xbf16>,
      %k: tensor<?x?x?x256xbf16>,
      %v: tensor<?x?x?x512xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x256x512xf32>,
      %n0: tensor<?x?x256xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x512xbf16>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x256xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?x512xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x512xbf16>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x512xbf16>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_f32_d64x128(
      %q: tensor<?x?x?x64xf32>,
      %k: tensor<?x?x?x64xf32>,
      %v: tensor<?x?x?x128xf32>,
      %i: tensor<?x?x?xf32>,
      %f: tensor<?x?x?xf32>,
      %c0: tensor<?x?x64x128xf32>,
      %n0: tensor<?x?x64xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x128xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_f32_d128x256(
      %q: tensor<?x?x?x128xf32>,
      %k: tensor<?x?x?x128xf32>,
      %v: tensor<?x?x?x256xf32>,
      %i: tensor<?x?x?xf32>,
      %f: tensor<?x?x?xf32>,
      %c0: tensor<?x?x128x256xf32>,
      %n0: tensor<?x?x128xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x256xf32>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x128xf32>, tensor<?x?x?x128xf32>, tensor<?x?x?x256xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x256xf32>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x256xf32>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_f32_d256x512(
      %q: tensor<?x?x?x256xf32>,
      %k: tensor<?x?x?x256xf32>,
      %v: tensor<?x?x?x512xf32>,
      %i: tensor<?x?x?xf32>,
      %f: tensor<?x?x?xf32>,
      %c0: tensor<?x?x256x512xf32>,
      %n0: tensor<?x?x256xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x512xf32>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x256xf32>, tensor<?x?x?x256xf32>, tensor<?x?x?x512xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x512xf32>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x512xf32>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_sig_bf16_d64x128(
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
  func.func @mlstm_sig_bf16_d128x256(
      %q: tensor<?x?x?x128xbf16>,
      %k: tensor<?x?x?x128xbf16>,
      %v: tensor<?x?x?x256xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x128x256xf32>,
      %n0: tensor<?x?x128xf32>)
      -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>) {
    %h, %cT, %nT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>)
        -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>)
    return %h, %cT, %nT : tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>
  }
  func.func @mlstm_sig_bf16_d256x512(
      %q: tensor<?x?x?x256xbf16>,
      %k: tensor<?x?x?x256xbf16>,
      %v: tensor<?x?x?x512xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x256x512xf32>,
      %n0: tensor<?x?x256xf32>)
      -> (tensor<?x?x?x512xbf16>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>) {
    %h, %cT, %nT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x256xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?x512xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>)
        -> (tensor<?x?x?x512xbf16>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>)
    return %h, %cT, %nT : tensor<?x?x?x512xbf16>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>
  }
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
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x128xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>)
        -> (tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>)
    return %h, %cT, %nT : tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>
  }
  func.func @mlstm_sig_f32_d128x256(
      %q: tensor<?x?x?x128xf32>,
      %k: tensor<?x?x?x128xf32>,
      %v: tensor<?x?x?x256xf32>,
      %i: tensor<?x?x?xf32>,
      %f: tensor<?x?x?xf32>,
      %c0: tensor<?x?x128x256xf32>,
      %n0: tensor<?x?x128xf32>)
      -> (tensor<?x?x?x256xf32>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>) {
    %h, %cT, %nT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x128xf32>, tensor<?x?x?x128xf32>, tensor<?x?x?x256xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>)
        -> (tensor<?x?x?x256xf32>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>)
    return %h, %cT, %nT : tensor<?x?x?x256xf32>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>
  }
  func.func @mlstm_sig_f32_d256x512(
      %q: tensor<?x?x?x256xf32>,
      %k: tensor<?x?x?x256xf32>,
      %v: tensor<?x?x?x512xf32>,
      %i: tensor<?x?x?xf32>,
      %f: tensor<?x?x?xf32>,
      %c0: tensor<?x?x256x512xf32>,
      %n0: tensor<?x?x256xf32>)
      -> (tensor<?x?x?x512xf32>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>) {
    %h, %cT, %nT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto {backward}
        : (tensor<?x?x?x256xf32>, tensor<?x?x?x256xf32>, tensor<?x?x?x512xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>)
        -> (tensor<?x?x?x512xf32>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>)
    return %h, %cT, %nT : tensor<?x?x?x512xf32>, tensor<?x?x256x512xf32>, tensor<?x?x256xf32>
  }
  func.func @mlstm_sig_nonorm_bf16_d64x128(
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
  func.func @mlstm_sig_nonorm_bf16_d128x256(
      %q: tensor<?x?x?x128xbf16>,
      %k: tensor<?x?x?x128xbf16>,
      %v: tensor<?x?x?x256xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x128x256xf32>)
      -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>) {
    %h, %cT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, chunk_size = auto {backward}
        : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x128x256xf32>)
        -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>)
    return %h, %cT : tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>
  }
  func.func @mlstm_sig_nonorm_bf16_d256x512(
      %q: tensor<?x?x?x256xbf16>,
      %k: tensor<?x?x?x256xbf16>,
      %v: tensor<?x?x?x512xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x256x512xf32>)
      -> (tensor<?x?x?x512xbf16>, tensor<?x?x256x512xf32>) {
    %h, %cT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, chunk_size = auto {backward}
        : (tensor<?x?x?x256xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?x512xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x256x512xf32>)
        -> (tensor<?x?x?x512xbf16>, tensor<?x?x256x512xf32>)
    return %h, %cT : tensor<?x?x?x512xbf16>, tensor<?x?x256x512xf32>
  }
  func.func @mlstm_sig_nonorm_f32_d64x128(
      %q: tensor<?x?x?x64xf32>,
      %k: tensor<?x?x?x64xf32>,
      %v: tensor<?x?x?x128xf32>,
      %i: tensor<?x?x?xf32>,
      %f: tensor<?x?x?xf32>,
      %c0: tensor<?x?x64x128xf32>)
      -> (tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>) {
    %h, %cT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, chunk_size = auto {backward}
        : (tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x128xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x64x128xf32>)
        -> (tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>)
    return %h, %cT : tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>
  }
  func.func @mlstm_sig_nonorm_f32_d128x256(
      %q: tensor<?x?x?x128xf32>,
      %k: tensor<?x?x?x128xf32>,
      %v: tensor<?x?x?x256xf32>,
      %i: tensor<?x?x?xf32>,
      %f: tensor<?x?x?xf32>,
      %c0: tensor<?x?x128x256xf32>)
      -> (tensor<?x?x?x256xf32>, tensor<?x?x128x256xf32>) {
    %h, %cT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, chunk_size = auto {backward}
        : (tensor<?x?x?x128xf32>, tensor<?x?x?x128xf32>, tensor<?x?x?x256xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x128x256xf32>)
        -> (tensor<?x?x?x256xf32>, tensor<?x?x128x256xf32>)
    return %h, %cT : tensor<?x?x?x256xf32>, tensor<?x?x128x256xf32>
  }
  func.func @mlstm_sig_nonorm_f32_d256x512(
      %q: tensor<?x?x?x256xf32>,
      %k: tensor<?x?x?x256xf32>,
      %v: tensor<?x?x?x512xf32>,
      %i: tensor<?x?x?xf32>,
      %f: tensor<?x?x?xf32>,
      %c0: tensor<?x?x256x512xf32>)
      -> (tensor<?x?x?x512xf32>, tensor<?x?x256x512xf32>) {
    %h, %cT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, chunk_size = auto {backward}
        : (tensor<?x?x?x256xf32>, tensor<?x?x?x256xf32>, tensor<?x?x?x512xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x256x512xf32>)
        -> (tensor<?x?x?x512xf32>, tensor<?x?x256x512xf32>)
    return %h, %cT : tensor<?x?x?x512xf32>, tensor<?x?x256x512xf32>
  }
}
