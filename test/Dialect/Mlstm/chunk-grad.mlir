// RUN: mlstm-opt %s --mlstm-chunk=default-chunk-size=64 --split-input-file | FileCheck %s
// RUN: mlstm-opt %s --mlstm-chunk=default-chunk-size=128 --split-input-file | FileCheck %s --check-prefix=AUTO

// mLSTMexp with initial states and final-state cotangents, chunk_size = auto
// (64 by default), detached denominator: the forward's boundary states are
// recomputed, the row adjoints read h and dh, the reverse scan starts from
// the final-state cotangents, and the initial-state gradients are boundary 0
// of the state adjoints (C, n) plus dm0 of the gate gradients.
// CHECK-LABEL: func.func @exp_states_backward
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<?x?x?x64xbf16>, %[[K:[^:]*]]: tensor<?x?x?x64xbf16>, %[[V:[^:]*]]: tensor<?x?x?x128xbf16>,
// CHECK-SAME: %[[I:[^:]*]]: tensor<?x?x?xbf16>, %[[F:[^:]*]]: tensor<?x?x?xbf16>,
// CHECK-SAME: %[[C0:[^:]*]]: tensor<?x?x64x128xf32>, %[[N0:[^:]*]]: tensor<?x?x64xf32>, %[[M0:[^:]*]]: tensor<?x?xf32>,
// CHECK-SAME: %[[H:[^:]*]]: tensor<?x?x?x128xbf16>, %[[DH:[^:]*]]: tensor<?x?x?x128xbf16>,
// CHECK-SAME: %[[DC:[^:]*]]: tensor<?x?x64x128xf32>, %[[DN:[^:]*]]: tensor<?x?x64xf32>, %[[DM:[^:]*]]: tensor<?x?xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK: %[[S:.*]]:3 = mlstm.chunk_state_scan k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) init(%[[C0]], %[[N0]], %[[M0]]) chunk_size = 64
// CHECK-SAME: {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = {{.*}}, qk_scale = 1.250000e-01>}
// CHECK-SAME: -> (tensor<?x?x?x64x128xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?xf32>)
// CHECK: %[[SCALE:[^,]*]], %[[DDEN:[^,]*]], %[[M:[^,]*]], %[[GAMMA:[^ ]*]] = mlstm.chunk_row_adjoint
// CHECK-SAME: q(%[[Q]]) k(%[[K]]) igate(%[[I]]) fgate(%[[F]]) states(%[[S]]#0, %[[S]]#1, %[[S]]#2) h(%[[H]]) dh(%[[DH]])
// CHECK-SAME: chunk_size = 64 denominator_grad = detached {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs,
// CHECK-SAME: -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
// CHECK: %[[DS:.*]]:2 = mlstm.chunk_grad_state_scan q(%[[Q]]) igate(%[[I]]) fgate(%[[F]]) states(%[[S]]#0, %[[S]]#1, %[[S]]#2)
// CHECK-SAME: rows(%[[SCALE]], %[[DDEN]], %[[M]], %[[GAMMA]]) dh(%[[DH]]) dfinal(%[[DC]], %[[DN]], %[[DM]]) chunk_size = 64
// CHECK-SAME: -> (tensor<?x?x?x64x128xf32>, tensor<?x?x?x64xf32>)
// CHECK: %[[DQ:[^,]*]], %[[QDQ:[^ ]*]] = mlstm.chunk_grad_q q(%[[Q]]) k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) states(%[[S]]#0, %[[S]]#1, %[[S]]#2)
// CHECK-SAME: rows(%[[SCALE]], %[[DDEN]], %[[M]], %[[GAMMA]]) dh(%[[DH]]) chunk_size = 64
// CHECK-SAME: -> (tensor<?x?x?x64xbf16>, tensor<?x?x?xf32>)
// CHECK: %[[DK:[^,]*]], %[[DV:[^,]*]], %[[KDK:[^ ]*]] = mlstm.chunk_grad_kv q(%[[Q]]) k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) states(%[[S]]#0, %[[S]]#1, %[[S]]#2)
// CHECK-SAME: state_grads(%[[DS]]#0, %[[DS]]#1) rows(%[[SCALE]], %[[DDEN]], %[[M]], %[[GAMMA]]) dh(%[[DH]]) chunk_size = 64
// CHECK-SAME: -> (tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xf32>)
// CHECK: %[[G:.*]]:3 = mlstm.chunk_grad_gates q_dot_dq(%[[QDQ]]) k_dot_dk(%[[KDK]]) igate(%[[I]]) fgate(%[[F]]) states(%[[S]]#0, %[[S]]#1, %[[S]]#2)
// CHECK-SAME: state_grads(%[[DS]]#0, %[[DS]]#1) rows(%[[SCALE]], %[[DDEN]], %[[M]], %[[GAMMA]]) dfinal(%[[DC]], %[[DN]], %[[DM]]) chunk_size = 64
// CHECK-SAME: -> (tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?xf32>)
// CHECK: %[[DC0:.*]] = tensor.extract_slice %[[DS]]#0[0, 0, %[[ZERO]], 0, 0] [%{{.*}}, %{{.*}}, 1, 64, 128] [1, 1, 1, 1, 1] : tensor<?x?x?x64x128xf32> to tensor<?x?x64x128xf32>
// CHECK: %[[DN0:.*]] = tensor.extract_slice %[[DS]]#1[0, 0, %[[ZERO]], 0] [%{{.*}}, %{{.*}}, 1, 64] [1, 1, 1, 1] : tensor<?x?x?x64xf32> to tensor<?x?x64xf32>
// CHECK-NOT: mlstm.recurrence_grad
// CHECK: return %[[DQ]], %[[DK]], %[[DV]], %[[G]]#0, %[[G]]#1, %[[DC0]], %[[DN0]], %[[G]]#2 :
// AUTO-LABEL: func.func @exp_states_backward
// AUTO: mlstm.chunk_state_scan {{.*}} chunk_size = 128
// AUTO: mlstm.chunk_row_adjoint {{.*}} chunk_size = 128 denominator_grad = detached
// AUTO: mlstm.chunk_grad_state_scan {{.*}} chunk_size = 128
// AUTO: mlstm.chunk_grad_q {{.*}} chunk_size = 128
// AUTO: mlstm.chunk_grad_kv {{.*}} chunk_size = 128
// AUTO: mlstm.chunk_grad_gates {{.*}} chunk_size = 128
func.func @exp_states_backward(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>,
                               %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>,
                               %c0: tensor<?x?x64x128xf32>, %n0: tensor<?x?x64xf32>, %m0: tensor<?x?xf32>,
                               %h: tensor<?x?x?x128xbf16>, %dh: tensor<?x?x?x128xbf16>,
                               %dc: tensor<?x?x64x128xf32>, %dn: tensor<?x?x64xf32>, %dm: tensor<?x?xf32>)
    -> (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
        tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>) {
  %dq, %dk, %dv, %di, %df, %dc0, %dn0, %dm0 = mlstm.recurrence_grad q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      init(%c0, %n0, %m0) h(%h) dh(%dh) dfinal(%dc, %dn, %dm)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
      {denominator_grad = #mlstm<denominator_grad detached>}
      : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
         tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>, tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>,
         tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
      -> (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
          tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
  return %dq, %dk, %dv, %di, %df, %dc0, %dn0, %dm0
      : tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
        tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>
}

// -----

// Static S = 100 with L = 64: three boundaries; initial states but no
// final-state cotangents (no dfinal anywhere), exact denominator gradient,
// eps and scale carried into the variant. Boundary 0 is sliced with static
// sizes.
// CHECK-LABEL: func.func @exp_static_backward
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK: %[[S:.*]]:3 = mlstm.chunk_state_scan {{.*}} chunk_size = 64
// CHECK-SAME: eps = 1.000000e-03, qk_scale = 5.000000e-01
// CHECK-SAME: -> (tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>, tensor<2x4x3xf32>)
// CHECK: mlstm.chunk_row_adjoint {{.*}} chunk_size = 64 denominator_grad = exact
// CHECK-SAME: -> (tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>)
// CHECK: %[[DS:.*]]:2 = mlstm.chunk_grad_state_scan {{.*}} dh(%{{[^)]*}}) chunk_size = 64
// CHECK-SAME: -> (tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>)
// CHECK: mlstm.chunk_grad_q
// CHECK: mlstm.chunk_grad_kv
// CHECK: %[[G:.*]]:3 = mlstm.chunk_grad_gates {{.*}} rows(%{{[^)]*}}) chunk_size = 64
// CHECK-SAME: -> (tensor<2x4x100xf32>, tensor<2x4x100xf32>, tensor<2x4xf32>)
// CHECK: %[[DC0:.*]] = tensor.extract_slice %[[DS]]#0[0, 0, %[[ZERO]], 0, 0] [2, 4, 1, 16, 32] [1, 1, 1, 1, 1] : tensor<2x4x3x16x32xf32> to tensor<2x4x16x32xf32>
// CHECK: %[[DN0:.*]] = tensor.extract_slice %[[DS]]#1[0, 0, %[[ZERO]], 0] [2, 4, 1, 16] [1, 1, 1, 1] : tensor<2x4x3x16xf32> to tensor<2x4x16xf32>
// CHECK: return %{{.*}}, %{{.*}}, %{{.*}}, %[[G]]#0, %[[G]]#1, %[[DC0]], %[[DN0]], %[[G]]#2 :
// AUTO-LABEL: func.func @exp_static_backward
// AUTO: mlstm.chunk_state_scan {{.*}} chunk_size = 64
// AUTO-SAME: -> (tensor<2x4x3x16x32xf32>,
func.func @exp_static_backward(%q: tensor<2x4x100x16xf32>, %k: tensor<2x4x100x16xf32>, %v: tensor<2x4x100x32xf32>,
                               %i: tensor<2x4x100xf32>, %f: tensor<2x4x100xf32>,
                               %c0: tensor<2x4x16x32xf32>, %n0: tensor<2x4x16xf32>, %m0: tensor<2x4xf32>,
                               %h: tensor<2x4x100x32xf32>, %dh: tensor<2x4x100x32xf32>)
    -> (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
        tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>) {
  %dq, %dk, %dv, %di, %df, %dc0, %dn0, %dm0 = mlstm.recurrence_grad q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      init(%c0, %n0, %m0) h(%h) dh(%dh)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64
      {eps = 1.0e-3 : f64, qk_scale = 0.5 : f64}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100x32xf32>)
      -> (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
          tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>)
  return %dq, %dk, %dv, %di, %df, %dc0, %dn0, %dm0
      : tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
        tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>
}

// -----

// mLSTMsig without a normalizer and without states: a single boundary state
// C, one state adjoint, two gate gradients (no dm0), no slices.
// CHECK-LABEL: func.func @sig_backward
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<?x?x?x64xf16>, %[[K:[^:]*]]: tensor<?x?x?x64xf16>, %[[V:[^:]*]]: tensor<?x?x?x32xf16>,
// CHECK-SAME: %[[I:[^:]*]]: tensor<?x?x?xf16>, %[[F:[^:]*]]: tensor<?x?x?xf16>, %[[H:[^:]*]]: tensor<?x?x?x32xf16>, %[[DH:[^:]*]]: tensor<?x?x?x32xf16>)
// CHECK-NOT: arith.constant
// CHECK: %[[S:[^ ]*]] = mlstm.chunk_state_scan k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) chunk_size = 64
// CHECK-SAME: #mlstm.variant<input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none,
// CHECK-SAME: -> tensor<?x?x?x64x32xf32>
// CHECK: %[[SCALE:[^,]*]], %[[DDEN:[^,]*]], %[[M:[^,]*]], %[[GAMMA:[^ ]*]] = mlstm.chunk_row_adjoint q(%[[Q]]) k(%[[K]]) igate(%[[I]]) fgate(%[[F]]) states(%[[S]]) h(%[[H]]) dh(%[[DH]]) chunk_size = 64 denominator_grad = exact
// CHECK: %[[DS:[^ ]*]] = mlstm.chunk_grad_state_scan q(%[[Q]]) igate(%[[I]]) fgate(%[[F]]) states(%[[S]]) rows(%[[SCALE]], %[[DDEN]], %[[M]], %[[GAMMA]]) dh(%[[DH]]) chunk_size = 64 {
// CHECK-SAME: -> tensor<?x?x?x64x32xf32>
// CHECK: %[[DQ:[^,]*]], %[[QDQ:[^ ]*]] = mlstm.chunk_grad_q q(%[[Q]]) k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) states(%[[S]]) rows(%[[SCALE]], %[[DDEN]], %[[M]], %[[GAMMA]]) dh(%[[DH]]) chunk_size = 64
// CHECK-SAME: -> (tensor<?x?x?x64xf16>, tensor<?x?x?xf32>)
// CHECK: %[[DK:[^,]*]], %[[DV:[^,]*]], %[[KDK:[^ ]*]] = mlstm.chunk_grad_kv q(%[[Q]]) k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) states(%[[S]]) state_grads(%[[DS]]) rows(%[[SCALE]], %[[DDEN]], %[[M]], %[[GAMMA]]) dh(%[[DH]]) chunk_size = 64
// CHECK-SAME: -> (tensor<?x?x?x64xf16>, tensor<?x?x?x32xf16>, tensor<?x?x?xf32>)
// CHECK: %[[G:.*]]:2 = mlstm.chunk_grad_gates q_dot_dq(%[[QDQ]]) k_dot_dk(%[[KDK]]) igate(%[[I]]) fgate(%[[F]]) states(%[[S]]) state_grads(%[[DS]]) rows(%[[SCALE]], %[[DDEN]], %[[M]], %[[GAMMA]]) chunk_size = 64 {
// CHECK-SAME: -> (tensor<?x?x?xf16>, tensor<?x?x?xf16>)
// CHECK-NOT: tensor.extract_slice
// CHECK: return %[[DQ]], %[[DK]], %[[DV]], %[[G]]#0, %[[G]]#1 :
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
