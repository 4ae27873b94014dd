// RUN: mlstm-opt %s | mlstm-opt | FileCheck %s
// RUN: mlstm-opt %s --mlir-print-op-generic | mlstm-opt | FileCheck %s

// CHECK-LABEL: func.func @mlstm_exp
// CHECK: mlstm.recurrence q(%{{.*}}) k(%{{.*}}) v(%{{.*}}) igate(%{{.*}}) fgate(%{{.*}}) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 :
func.func @mlstm_exp(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>,
                     %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64
      : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return %h : tensor<?x?x?x128xbf16>
}

// Initial and final states, eps and scale overrides, static shapes.
// CHECK-LABEL: func.func @mlstm_exp_states
// CHECK: %[[H:.*]], %[[C:.*]], %[[N:.*]], %[[M:.*]] = mlstm.recurrence {{.*}} init(%{{.*}}, %{{.*}}, %{{.*}}) input_gate = exp, {{.*}} chunk_size = auto {eps = 1.000000e-03 : f64, qk_scale = 5.000000e-01 : f64}
// CHECK: return %[[H]], %[[C]], %[[N]], %[[M]]
func.func @mlstm_exp_states(%q: tensor<2x4x100x16xf32>, %k: tensor<2x4x100x16xf32>, %v: tensor<2x4x100x32xf32>,
                            %i: tensor<2x4x100xf32>, %f: tensor<2x4x100xf32>,
                            %c0: tensor<2x4x16x32xf32>, %n0: tensor<2x4x16xf32>, %m0: tensor<2x4xf32>)
    -> (tensor<2x4x100x32xf32>, tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>) {
  %h, %c, %n, %m = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
      {eps = 1.0e-3 : f64, qk_scale = 0.5 : f64}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>)
      -> (tensor<2x4x100x32xf32>, tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>)
  return %h, %c, %n, %m : tensor<2x4x100x32xf32>, tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>
}

// mLSTMsig with normalizer: states C and n, no max state.
// CHECK-LABEL: func.func @mlstm_sig
// CHECK: mlstm.recurrence {{.*}} input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 128
func.func @mlstm_sig(%q: tensor<?x?x?x64xf16>, %k: tensor<?x?x?x64xf16>, %v: tensor<?x?x?x64xf16>,
                     %i: tensor<?x?x?xf16>, %f: tensor<?x?x?xf16>)
    -> (tensor<?x?x?x64xf16>, tensor<?x?x64x64xf32>, tensor<?x?x64xf32>) {
  %h, %c, %n = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 128
      : (tensor<?x?x?x64xf16>, tensor<?x?x?x64xf16>, tensor<?x?x?x64xf16>, tensor<?x?x?xf16>, tensor<?x?x?xf16>)
      -> (tensor<?x?x?x64xf16>, tensor<?x?x64x64xf32>, tensor<?x?x64xf32>)
  return %h, %c, %n : tensor<?x?x?x64xf16>, tensor<?x?x64x64xf32>, tensor<?x?x64xf32>
}

// Scalar-gated linear attention (GLA-simple / Mamba2-SSD): no input gate.
// CHECK-LABEL: func.func @scalar_gated
// CHECK: mlstm.recurrence q(%{{.*}}) k(%{{.*}}) v(%{{.*}}) fgate(%{{.*}}) input_gate = none, forget_gate = logsigmoid, normalizer = none
// CHECK-NOT: igate
func.func @scalar_gated(%q: tensor<?x?x?x128xbf16>, %k: tensor<?x?x?x128xbf16>, %v: tensor<?x?x?x256xbf16>,
                        %f: tensor<?x?x?xbf16>) -> tensor<?x?x?x256xbf16> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) fgate(%f)
      input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = auto
      : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x256xbf16>
  return %h : tensor<?x?x?x256xbf16>
}

// Plain causal linear attention with a state carried in and out in f64.
// CHECK-LABEL: func.func @linear_attention
// CHECK: mlstm.recurrence q(%{{.*}}) k(%{{.*}}) v(%{{.*}}) init(%{{.*}}) input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16 {state_type = f64}
func.func @linear_attention(%q: tensor<1x1x?x32xf32>, %k: tensor<1x1x?x32xf32>, %v: tensor<1x1x?x32xf32>,
                            %c0: tensor<1x1x32x32xf64>) -> (tensor<1x1x?x32xf32>, tensor<1x1x32x32xf64>) {
  %h, %c = mlstm.recurrence q(%q) k(%k) v(%v) init(%c0)
      input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16 {state_type = f64}
      : (tensor<1x1x?x32xf32>, tensor<1x1x?x32xf32>, tensor<1x1x?x32xf32>, tensor<1x1x32x32xf64>)
      -> (tensor<1x1x?x32xf32>, tensor<1x1x32x32xf64>)
  return %h, %c : tensor<1x1x?x32xf32>, tensor<1x1x32x32xf64>
}
