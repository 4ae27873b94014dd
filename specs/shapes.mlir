// Head dimensions beyond the default library's three pairs (issue #6):
// from 32 (padded into one 64-row DQK tile: wgmma's M is 64) to 1024, not
// powers of two, DQK != DHV. mLSTMexp, the variant with every state, for
// the GPU checks of shapes (gpu/checks/MlstmForward.cpp).
module @mlstm_shapes {
  func.func @mlstm_exp_bf16_d32x64(
      %q: tensor<?x?x?x32xbf16>,
      %k: tensor<?x?x?x32xbf16>,
      %v: tensor<?x?x?x64xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x32x64xf32>,
      %n0: tensor<?x?x32xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x64xbf16>, tensor<?x?x32x64xf32>, tensor<?x?x32xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
        : (tensor<?x?x?x32xbf16>, tensor<?x?x?x32xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x32x64xf32>, tensor<?x?x32xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x64xbf16>, tensor<?x?x32x64xf32>, tensor<?x?x32xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x64xbf16>, tensor<?x?x32x64xf32>, tensor<?x?x32xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_bf16_d32x32(
      %q: tensor<?x?x?x32xbf16>,
      %k: tensor<?x?x?x32xbf16>,
      %v: tensor<?x?x?x32xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x32x32xf32>,
      %n0: tensor<?x?x32xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x32xbf16>, tensor<?x?x32x32xf32>, tensor<?x?x32xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
        : (tensor<?x?x?x32xbf16>, tensor<?x?x?x32xbf16>, tensor<?x?x?x32xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x32x32xf32>, tensor<?x?x32xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x32xbf16>, tensor<?x?x32x32xf32>, tensor<?x?x32xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x32xbf16>, tensor<?x?x32x32xf32>, tensor<?x?x32xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_bf16_d96x160(
      %q: tensor<?x?x?x96xbf16>,
      %k: tensor<?x?x?x96xbf16>,
      %v: tensor<?x?x?x160xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x96x160xf32>,
      %n0: tensor<?x?x96xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x160xbf16>, tensor<?x?x96x160xf32>, tensor<?x?x96xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
        : (tensor<?x?x?x96xbf16>, tensor<?x?x?x96xbf16>, tensor<?x?x?x160xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x96x160xf32>, tensor<?x?x96xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x160xbf16>, tensor<?x?x96x160xf32>, tensor<?x?x96xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x160xbf16>, tensor<?x?x96x160xf32>, tensor<?x?x96xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_bf16_d64x256(
      %q: tensor<?x?x?x64xbf16>,
      %k: tensor<?x?x?x64xbf16>,
      %v: tensor<?x?x?x256xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x64x256xf32>,
      %n0: tensor<?x?x64xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x256xbf16>, tensor<?x?x64x256xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
        : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x256xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x256xbf16>, tensor<?x?x64x256xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x256xbf16>, tensor<?x?x64x256xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_bf16_d512x1024(
      %q: tensor<?x?x?x512xbf16>,
      %k: tensor<?x?x?x512xbf16>,
      %v: tensor<?x?x?x1024xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x512x1024xf32>,
      %n0: tensor<?x?x512xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x1024xbf16>, tensor<?x?x512x1024xf32>, tensor<?x?x512xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
        : (tensor<?x?x?x512xbf16>, tensor<?x?x?x512xbf16>, tensor<?x?x?x1024xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x512x1024xf32>, tensor<?x?x512xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x1024xbf16>, tensor<?x?x512x1024xf32>, tensor<?x?x512xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x1024xbf16>, tensor<?x?x512x1024xf32>, tensor<?x?x512xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_bf16_d1024x1024(
      %q: tensor<?x?x?x1024xbf16>,
      %k: tensor<?x?x?x1024xbf16>,
      %v: tensor<?x?x?x1024xbf16>,
      %i: tensor<?x?x?xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x1024x1024xf32>,
      %n0: tensor<?x?x1024xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x1024xbf16>, tensor<?x?x1024x1024xf32>, tensor<?x?x1024xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
        : (tensor<?x?x?x1024xbf16>, tensor<?x?x?x1024xbf16>, tensor<?x?x?x1024xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x1024x1024xf32>, tensor<?x?x1024xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x1024xbf16>, tensor<?x?x1024x1024xf32>, tensor<?x?x1024xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x1024xbf16>, tensor<?x?x1024x1024xf32>, tensor<?x?x1024xf32>, tensor<?x?xf32>
  }
  func.func @mlstm_exp_f32_d32x96(
      %q: tensor<?x?x?x32xf32>,
      %k: tensor<?x?x?x32xf32>,
      %v: tensor<?x?x?x96xf32>,
      %i: tensor<?x?x?xf32>,
      %f: tensor<?x?x?xf32>,
      %c0: tensor<?x?x32x96xf32>,
      %n0: tensor<?x?x32xf32>,
      %m0: tensor<?x?xf32>)
      -> (tensor<?x?x?x96xf32>, tensor<?x?x32x96xf32>, tensor<?x?x32xf32>, tensor<?x?xf32>) {
    %h, %cT, %nT, %mT = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
        : (tensor<?x?x?x32xf32>, tensor<?x?x?x32xf32>, tensor<?x?x?x96xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x32x96xf32>, tensor<?x?x32xf32>, tensor<?x?xf32>)
        -> (tensor<?x?x?x96xf32>, tensor<?x?x32x96xf32>, tensor<?x?x32xf32>, tensor<?x?xf32>)
    return %h, %cT, %nT, %mT : tensor<?x?x?x96xf32>, tensor<?x?x32x96xf32>, tensor<?x?x32xf32>, tensor<?x?xf32>
  }
}
