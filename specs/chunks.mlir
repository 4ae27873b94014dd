// Chunk sizes other than the default: mLSTMexp and mLSTMsig with chunks of
// 128, 256 and 512, forward and backward ({backward}), for the GPU checks of
// chunking (gpu/checks/MlstmForward.cpp, MlstmBackward.cpp); and mLSTMexp
// with the detached-denominator backward of NX-AI/mlstm_kernels
// (denominator_grad = detached), checked against that gradient.
module @mlstm_chunks {
  func.func @mlstm_exp_bf16_d128x256_c128(
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
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 128 {backward}
        : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_bf16_d128x256_c256(
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
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 256 {backward}
        : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_bf16_d128x256_c512(
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
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 512 {backward}
        : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_sig_bf16_d128x256_c256(
      %q: tensor<?x?x?x128xbf16>,
      %k: tensor<?x?x?x128xbf16>,
      %v: tensor<?x?x?x256xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x128x256xf32>,
      %n0: tensor<?x?x128xf32>)
      -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>) {
    %h, %cT, %nT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 256 {backward}
        : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>)
        -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>)
    return %h, %cT, %nT : tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>, tensor<?x?x128xf32>
  }
  func.func @mlstm_exp_f32_d64x128_c256(
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
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 256 {backward}
        : (tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x128xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_bf16_d64x128_detached(
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
        {backward, denominator_grad = #mlstm<denominator_grad detached>}
        : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_f32_d64x128_detached(
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
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
        {backward, denominator_grad = #mlstm<denominator_grad detached>}
        : (tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x128xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>
  }
}
