// The rest of the gated linear-RNN family from the same op (issue #6):
// scalar-gated linear attention (no input gate, no normalizer, logsigmoid
// decay: the GLA-simple / Mamba2-SSD form of FLA's chunk_simple_gla) and
// plain causal linear attention (no gates), for the GPU checks
// (gpu/checks/MlstmForward.cpp).
module @mlstm_family {
  func.func @gla_bf16_d64x128(
      %q: tensor<?x?x?x64xbf16>,
      %k: tensor<?x?x?x64xbf16>,
      %v: tensor<?x?x?x128xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x64x128xf32>)
      -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>) {
    %h, %cT = mlstm.recurrence q(%q) k(%k) v(%v) fgate(%f) init(%c0)
        input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = auto
        : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>)
        -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>)
    return %h, %cT : tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>
  }
  func.func @gla_bf16_d128x256(
      %q: tensor<?x?x?x128xbf16>,
      %k: tensor<?x?x?x128xbf16>,
      %v: tensor<?x?x?x256xbf16>,
      %f: tensor<?x?x?xbf16>,
      %c0: tensor<?x?x128x256xf32>)
      -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>) {
    %h, %cT = mlstm.recurrence q(%q) k(%k) v(%v) fgate(%f) init(%c0)
        input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = auto
        : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?xbf16>, tensor<?x?x128x256xf32>)
        -> (tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>)
    return %h, %cT : tensor<?x?x?x256xbf16>, tensor<?x?x128x256xf32>
  }
  func.func @gla_f32_d64x128(
      %q: tensor<?x?x?x64xf32>,
      %k: tensor<?x?x?x64xf32>,
      %v: tensor<?x?x?x128xf32>,
      %f: tensor<?x?x?xf32>,
      %c0: tensor<?x?x64x128xf32>)
      -> (tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>) {
    %h, %cT = mlstm.recurrence q(%q) k(%k) v(%v) fgate(%f) init(%c0)
        input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = auto
        : (tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x128xf32>, tensor<?x?x?xf32>, tensor<?x?x64x128xf32>)
        -> (tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>)
    return %h, %cT : tensor<?x?x?x128xf32>, tensor<?x?x64x128xf32>
  }
  func.func @linear_attention_bf16_d64x128(
      %q: tensor<?x?x?x64xbf16>,
      %k: tensor<?x?x?x64xbf16>,
      %v: tensor<?x?x?x128xbf16>,
      %c0: tensor<?x?x64x128xf32>)
      -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>) {
    %h, %cT = mlstm.recurrence q(%q) k(%k) v(%v) init(%c0)
        input_gate = none, forget_gate = none, normalizer = none, chunk_size = auto
        : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>)
        -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>)
    return %h, %cT : tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>
  }
}
