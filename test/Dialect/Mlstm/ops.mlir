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

// The gradient of mLSTMexp with every optional part: initial states, final-
// state cotangents, the detached denominator; results named after the math.
// CHECK-LABEL: func.func @recurrence_grad_exp
// CHECK: %dq, %dk, %dv, %di, %df, %dC0, %dn0, %dm0 = mlstm.recurrence_grad q(%{{.*}}) k(%{{.*}}) v(%{{.*}}) igate(%{{.*}}) fgate(%{{.*}}) init(%{{.*}}, %{{.*}}, %{{.*}}) h(%{{.*}}) dh(%{{.*}}) dfinal(%{{.*}}, %{{.*}}, %{{.*}}) input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 {denominator_grad = #mlstm<denominator_grad detached>, eps = 1.000000e-03 : f64} :
// CHECK-SAME: -> (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
// CHECK: return %dq, %dk, %dv, %di, %df, %dC0, %dn0, %dm0
func.func @recurrence_grad_exp(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>,
                               %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>,
                               %c0: tensor<?x?x64x128xf32>, %n0: tensor<?x?x64xf32>, %m0: tensor<?x?xf32>,
                               %h: tensor<?x?x?x128xbf16>, %dh: tensor<?x?x?x128xbf16>,
                               %dc: tensor<?x?x64x128xf32>, %dn: tensor<?x?x64xf32>, %dm: tensor<?x?xf32>)
    -> (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
        tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>) {
  %dq, %dk, %dv, %di, %df, %dc0, %dn0, %dm0 = mlstm.recurrence_grad q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      init(%c0, %n0, %m0) h(%h) dh(%dh) dfinal(%dc, %dn, %dm)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64
      {denominator_grad = #mlstm<denominator_grad detached>, eps = 1.0e-3 : f64}
      : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
         tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>, tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>,
         tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
      -> (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
          tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
  return %dq, %dk, %dv, %di, %df, %dc0, %dn0, %dm0
      : tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
        tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>
}

// The gradient of scalar-gated linear attention: no input gate, no states,
// chunk_size = auto; the default `exact` prints no attribute.
// CHECK-LABEL: func.func @recurrence_grad_gla
// CHECK: %dq, %dk, %dv, %df = mlstm.recurrence_grad q(%{{.*}}) k(%{{.*}}) v(%{{.*}}) fgate(%{{.*}}) h(%{{.*}}) dh(%{{.*}}) input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = auto :
func.func @recurrence_grad_gla(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>, %f: tensor<?x?x?xf32>,
                               %h: tensor<?x?x?x8xf32>, %dh: tensor<?x?x?x8xf32>)
    -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>) {
  %dq, %dk, %dv, %df = mlstm.recurrence_grad q(%q) k(%q) v(%v) fgate(%f) h(%h) dh(%dh)
      input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = auto
      {denominator_grad = #mlstm<denominator_grad exact>}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>)
      -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>)
  return %dq, %dk, %dv, %df : tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>
}

// The chunkwise backward ops of mLSTMexp (B x NH = 2 x 4, S = 100, L = 64,
// three boundaries), chained as --mlstm-chunk emits them.
// CHECK-LABEL: func.func @chunk_grad_ops
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x4x100x16xf32>, %[[K:[^:]*]]: tensor<2x4x100x16xf32>, %[[V:[^:]*]]: tensor<2x4x100x32xf32>,
// CHECK-SAME: %[[I:[^:]*]]: tensor<2x4x100xf32>, %[[F:[^:]*]]: tensor<2x4x100xf32>,
// CHECK-SAME: %[[SC:[^:]*]]: tensor<2x4x3x16x32xf32>, %[[SN:[^:]*]]: tensor<2x4x3x16xf32>, %[[SM:[^:]*]]: tensor<2x4x3xf32>,
// CHECK-SAME: %[[H:[^:]*]]: tensor<2x4x100x32xf32>, %[[DH:[^:]*]]: tensor<2x4x100x32xf32>,
// CHECK-SAME: %[[DC:[^:]*]]: tensor<2x4x16x32xf32>, %[[DN:[^:]*]]: tensor<2x4x16xf32>, %[[DM:[^:]*]]: tensor<2x4xf32>)
// CHECK: %[[SCALE:[^,]*]], %[[DDEN:[^,]*]], %[[M:[^,]*]], %[[GAMMA:[^ ]*]] = mlstm.chunk_row_adjoint q(%[[Q]]) k(%[[K]]) igate(%[[I]]) fgate(%[[F]]) states(%[[SC]], %[[SN]], %[[SM]]) h(%[[H]]) dh(%[[DH]]) chunk_size = 64 denominator_grad = detached {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = {{[^,]*}}, qk_scale = 2.500000e-01>} :
// CHECK-SAME: -> (tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>)
// CHECK: %[[DS:.*]]:2 = mlstm.chunk_grad_state_scan q(%[[Q]]) igate(%[[I]]) fgate(%[[F]]) states(%[[SC]], %[[SN]], %[[SM]]) rows(%[[SCALE]], %[[DDEN]], %[[M]], %[[GAMMA]]) dh(%[[DH]]) dfinal(%[[DC]], %[[DN]], %[[DM]]) chunk_size = 64 {variant = #mlstm.variant<input_gate = exp
// CHECK-SAME: -> (tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>)
// CHECK: %[[GQ:[^,]*]], %[[QDQ:[^ ]*]] = mlstm.chunk_grad_q q(%[[Q]]) k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) states(%[[SC]], %[[SN]], %[[SM]]) rows(%[[SCALE]], %[[DDEN]], %[[M]], %[[GAMMA]]) dh(%[[DH]]) chunk_size = 64 {variant = #mlstm.variant<input_gate = exp
// CHECK-SAME: -> (tensor<2x4x100x16xf32>, tensor<2x4x100xf32>)
// CHECK: %[[GK:[^,]*]], %[[GV:[^,]*]], %[[KDK:[^ ]*]] = mlstm.chunk_grad_kv q(%[[Q]]) k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) states(%[[SC]], %[[SN]], %[[SM]]) state_grads(%[[DS]]#0, %[[DS]]#1) rows(%[[SCALE]], %[[DDEN]], %[[M]], %[[GAMMA]]) dh(%[[DH]]) chunk_size = 64 {variant = #mlstm.variant<input_gate = exp
// CHECK-SAME: -> (tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>)
// CHECK: %[[G:.*]]:3 = mlstm.chunk_grad_gates q_dot_dq(%[[QDQ]]) k_dot_dk(%[[KDK]]) igate(%[[I]]) fgate(%[[F]]) states(%[[SC]], %[[SN]], %[[SM]]) state_grads(%[[DS]]#0, %[[DS]]#1) rows(%[[SCALE]], %[[DDEN]], %[[M]], %[[GAMMA]]) dfinal(%[[DC]], %[[DN]], %[[DM]]) chunk_size = 64 {variant = #mlstm.variant<input_gate = exp
// CHECK-SAME: -> (tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4xf32>)
// CHECK: return %[[GQ]], %[[GK]], %[[GV]], %[[G]]#0, %[[G]]#1, %[[G]]#2
func.func @chunk_grad_ops(%q: tensor<2x4x100x16xf32>, %k: tensor<2x4x100x16xf32>, %v: tensor<2x4x100x32xf32>,
                          %i: tensor<2x4x100xf32>, %f: tensor<2x4x100xf32>,
                          %sc: tensor<2x4x3x16x32xf32>, %sn: tensor<2x4x3x16xf32>, %sm: tensor<2x4x3xf32>,
                          %h: tensor<2x4x100x32xf32>, %dh: tensor<2x4x100x32xf32>,
                          %dc: tensor<2x4x16x32xf32>, %dn: tensor<2x4x16xf32>, %dm: tensor<2x4xf32>)
    -> (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4xf32>) {
  %scale, %dden, %m, %gamma = mlstm.chunk_row_adjoint q(%q) k(%k) igate(%i) fgate(%f) states(%sc, %sn, %sm) h(%h) dh(%dh)
      chunk_size = 64 denominator_grad = detached
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>, tensor<2x4x3xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100x32xf32>)
      -> (tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>)
  %dsc, %dsn = mlstm.chunk_grad_state_scan q(%q) igate(%i) fgate(%f) states(%sc, %sn, %sm) rows(%scale, %dden, %m, %gamma)
      dh(%dh) dfinal(%dc, %dn, %dm) chunk_size = 64
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>, tensor<2x4x3xf32>,
         tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100x32xf32>,
         tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>)
      -> (tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>)
  %dq, %qdq = mlstm.chunk_grad_q q(%q) k(%k) v(%v) igate(%i) fgate(%f) states(%sc, %sn, %sm) rows(%scale, %dden, %m, %gamma)
      dh(%dh) chunk_size = 64
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>, tensor<2x4x3xf32>,
         tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100x32xf32>)
      -> (tensor<2x4x100x16xf32>, tensor<2x4x100xf32>)
  %dk, %dv, %kdk = mlstm.chunk_grad_kv q(%q) k(%k) v(%v) igate(%i) fgate(%f) states(%sc, %sn, %sm) state_grads(%dsc, %dsn)
      rows(%scale, %dden, %m, %gamma) dh(%dh) chunk_size = 64
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>, tensor<2x4x3xf32>, tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>,
         tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100x32xf32>)
      -> (tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>)
  %di, %df, %dm0 = mlstm.chunk_grad_gates q_dot_dq(%qdq) k_dot_dk(%kdk) igate(%i) fgate(%f) states(%sc, %sn, %sm)
      state_grads(%dsc, %dsn) rows(%scale, %dden, %m, %gamma) dfinal(%dc, %dn, %dm) chunk_size = 64
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>, tensor<2x4x3xf32>, tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>,
         tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>)
      -> (tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4xf32>)
  return %dq, %dk, %dv, %di, %df, %dm0
      : tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4xf32>
}

// The chunkwise backward ops of linear attention: no gates, the C state
// only, no final-state cotangents, no results of chunk_grad_gates.
// CHECK-LABEL: func.func @chunk_grad_ops_linear
// CHECK: mlstm.chunk_row_adjoint q(%{{[^)]*}}) k(%{{[^)]*}}) states(%{{[^)]*}}) h(%{{[^)]*}}) dh(%{{[^)]*}}) chunk_size = 16 denominator_grad = exact {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none,
// CHECK: mlstm.chunk_grad_state_scan q(%{{[^)]*}}) states(%{{[^)]*}}) rows(%{{.*}}) dh(%{{[^)]*}}) chunk_size = 16 {
// CHECK-SAME: -> tensor<1x1x?x8x4xf64>
// CHECK: mlstm.chunk_grad_q q(%{{[^)]*}}) k(%{{[^)]*}}) v(%{{[^)]*}}) states(%{{[^)]*}}) rows(
// CHECK: mlstm.chunk_grad_kv q(%{{[^)]*}}) k(%{{[^)]*}}) v(%{{[^)]*}}) states(%{{[^)]*}}) state_grads(%{{[^)]*}}) rows(
// CHECK: mlstm.chunk_grad_gates q_dot_dq(%{{[^)]*}}) k_dot_dk(%{{[^)]*}}) states(%{{[^)]*}}) state_grads(%{{[^)]*}}) rows(%{{.*}}) chunk_size = 16 {
// CHECK-SAME: : (tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?x8x4xf64>, tensor<1x1x?x8x4xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>) -> (){{$}}
func.func @chunk_grad_ops_linear(%q: tensor<1x1x?x8xf32>, %v: tensor<1x1x?x4xf32>, %s: tensor<1x1x?x8x4xf64>,
                                 %h: tensor<1x1x?x4xf32>, %dh: tensor<1x1x?x4xf32>)
    -> (tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x4xf32>) {
  %r:4 = mlstm.chunk_row_adjoint q(%q) k(%q) states(%s) h(%h) dh(%dh) chunk_size = 16 denominator_grad = exact
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x8x4xf64>, tensor<1x1x?x4xf32>, tensor<1x1x?x4xf32>)
      -> (tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>)
  %ds = mlstm.chunk_grad_state_scan q(%q) states(%s) rows(%r#0, %r#1, %r#2, %r#3) dh(%dh) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<1x1x?x8xf32>, tensor<1x1x?x8x4xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>,
         tensor<1x1x?x4xf32>) -> tensor<1x1x?x8x4xf64>
  %dq, %qdq = mlstm.chunk_grad_q q(%q) k(%q) v(%v) states(%s) rows(%r#0, %r#1, %r#2, %r#3) dh(%dh) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x4xf32>, tensor<1x1x?x8x4xf64>,
         tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?x4xf32>)
      -> (tensor<1x1x?x8xf32>, tensor<1x1x?xf64>)
  %dk, %dv, %kdk = mlstm.chunk_grad_kv q(%q) k(%q) v(%v) states(%s) state_grads(%ds) rows(%r#0, %r#1, %r#2, %r#3) dh(%dh) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x4xf32>, tensor<1x1x?x8x4xf64>, tensor<1x1x?x8x4xf64>,
         tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?x4xf32>)
      -> (tensor<1x1x?x8xf32>, tensor<1x1x?x4xf32>, tensor<1x1x?xf64>)
  mlstm.chunk_grad_gates q_dot_dq(%qdq) k_dot_dk(%kdk) states(%s) state_grads(%ds) rows(%r#0, %r#1, %r#2, %r#3) chunk_size = 16
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?x8x4xf64>, tensor<1x1x?x8x4xf64>,
         tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>, tensor<1x1x?xf64>) -> ()
  return %dq, %dk, %dv : tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x4xf32>
}
