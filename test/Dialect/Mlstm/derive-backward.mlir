// RUN: mlstm-opt %s --mlstm-derive-backward --split-input-file --verify-diagnostics | FileCheck %s
// RUN: mlstm-opt %s --mlstm-derive-backward=all=true --split-input-file --verify-diagnostics | FileCheck %s --check-prefix=ALL
// RUN: mlstm-opt %s --mlstm-derive-backward --mlstm-export-entry-points --split-input-file --verify-diagnostics | FileCheck %s --check-prefix=EXPORT

// mLSTMexp with initial and final states, asking for the gradient with the
// detached denominator: the backward takes the forward's arguments, then h,
// dh and the cotangents of C, n, m; it returns dq, dk, dv, di, df, dC0, dn0,
// dm0. Every attribute of the recurrence is carried over (not `backward`).
// The exported gradient function says which gradient it computes.
// EXPORT-LABEL: func.func @exp_states_backward
// EXPORT-SAME: mlstm.denominator_grad = #mlstm<denominator_grad detached>
// CHECK-LABEL: func.func @exp_states(
// CHECK: mlstm.recurrence {{.*}} {backward, denominator_grad = #mlstm<denominator_grad detached>, eps = 1.000000e-03 : f64, qk_scale = 5.000000e-01 : f64}
// CHECK-LABEL: func.func @exp_states_backward(
// CHECK-SAME: %[[Q:[^:]*]]: tensor<?x?x?x64xbf16>, %[[K:[^:]*]]: tensor<?x?x?x64xbf16>, %[[V:[^:]*]]: tensor<?x?x?x128xbf16>,
// CHECK-SAME: %[[I:[^:]*]]: tensor<?x?x?xbf16>, %[[F:[^:]*]]: tensor<?x?x?xbf16>,
// CHECK-SAME: %[[C0:[^:]*]]: tensor<?x?x64x128xf32>, %[[N0:[^:]*]]: tensor<?x?x64xf32>, %[[M0:[^:]*]]: tensor<?x?xf32>,
// CHECK-SAME: %[[H:[^:]*]]: tensor<?x?x?x128xbf16>, %[[DH:[^:]*]]: tensor<?x?x?x128xbf16>,
// CHECK-SAME: %[[DC:[^:]*]]: tensor<?x?x64x128xf32>, %[[DN:[^:]*]]: tensor<?x?x64xf32>, %[[DM:[^:]*]]: tensor<?x?xf32>)
// CHECK-SAME: -> (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>) {
// CHECK-NEXT: %[[DQ:[^,]*]], %[[DK:[^,]*]], %[[DV:[^,]*]], %[[DI:[^,]*]], %[[DF:[^,]*]], %[[DC0:[^,]*]], %[[DN0:[^,]*]], %[[DM0:[^ ]*]] = mlstm.recurrence_grad
// CHECK-SAME: q(%[[Q]]) k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) init(%[[C0]], %[[N0]], %[[M0]]) h(%[[H]]) dh(%[[DH]]) dfinal(%[[DC]], %[[DN]], %[[DM]])
// CHECK-SAME: input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64
// CHECK-SAME: {denominator_grad = #mlstm<denominator_grad detached>, eps = 1.000000e-03 : f64, qk_scale = 5.000000e-01 : f64} :
// CHECK-SAME: -> (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
// CHECK-NEXT: return %[[DQ]], %[[DK]], %[[DV]], %[[DI]], %[[DF]], %[[DC0]], %[[DN0]], %[[DM0]] :
// ALL-LABEL: func.func @exp_states(
// ALL-LABEL: func.func @exp_states_backward(
// ALL: mlstm.recurrence_grad {{.*}} dfinal(
// ALL-SAME: {denominator_grad = #mlstm<denominator_grad detached>, eps = 1.000000e-03 : f64, qk_scale = 5.000000e-01 : f64}
// ALL-NOT: func.func @exp_states_backward
func.func @exp_states(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>,
                      %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>,
                      %c0: tensor<?x?x64x128xf32>, %n0: tensor<?x?x64xf32>, %m0: tensor<?x?xf32>)
    -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>) {
  %h, %c, %n, %m = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64
      {backward, denominator_grad = #mlstm<denominator_grad detached>, eps = 1.0e-3 : f64, qk_scale = 0.5 : f64}
      : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
         tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
      -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
  return %h, %c, %n, %m : tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>
}

// -----

// No `backward`: left alone by default, derived with `all` (with the default
// `exact` denominator gradient, which prints no attribute dictionary). The
// forward returns only h but takes C0 (and n0): no cotangent arguments after
// dh, but initial-state gradients among the results.
// CHECK-LABEL: func.func @sig_init_only(
// CHECK: mlstm.recurrence
// CHECK-NOT: @sig_init_only_backward
// ALL-LABEL: func.func @sig_init_only(
// ALL-LABEL: func.func @sig_init_only_backward(
// ALL-SAME: %[[Q:[^:]*]]: tensor<2x4x?x32xf16>, %[[K:[^:]*]]: tensor<2x4x?x32xf16>, %[[V:[^:]*]]: tensor<2x4x?x16xf16>,
// ALL-SAME: %[[I:[^:]*]]: tensor<2x4x?xf16>, %[[F:[^:]*]]: tensor<2x4x?xf16>,
// ALL-SAME: %[[C0:[^:]*]]: tensor<2x4x32x16xf64>, %[[N0:[^:]*]]: tensor<2x4x32xf64>,
// ALL-SAME: %[[H:[^:]*]]: tensor<2x4x?x16xf16>, %[[DH:[^:]*]]: tensor<2x4x?x16xf16>)
// ALL-SAME: -> (tensor<2x4x?x32xf16>, tensor<2x4x?x32xf16>, tensor<2x4x?x16xf16>, tensor<2x4x?xf16>, tensor<2x4x?xf16>, tensor<2x4x32x16xf64>, tensor<2x4x32xf64>) {
// ALL-NEXT: %dq, %dk, %dv, %di, %df, %dC0, %dn0 = mlstm.recurrence_grad q(%[[Q]]) k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) init(%[[C0]], %[[N0]]) h(%[[H]]) dh(%[[DH]]) input_gate = sigmoid,
// ALL-SAME: forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 32 {state_type = f64} :
// ALL-NEXT: return %dq, %dk, %dv, %di, %df, %dC0, %dn0 :
func.func @sig_init_only(%q: tensor<2x4x?x32xf16>, %k: tensor<2x4x?x32xf16>, %v: tensor<2x4x?x16xf16>,
                         %i: tensor<2x4x?xf16>, %f: tensor<2x4x?xf16>,
                         %c0: tensor<2x4x32x16xf64>, %n0: tensor<2x4x32xf64>) -> tensor<2x4x?x16xf16> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 32 {state_type = f64}
      : (tensor<2x4x?x32xf16>, tensor<2x4x?x32xf16>, tensor<2x4x?x16xf16>, tensor<2x4x?xf16>, tensor<2x4x?xf16>,
         tensor<2x4x32x16xf64>, tensor<2x4x32xf64>) -> tensor<2x4x?x16xf16>
  return %h : tensor<2x4x?x16xf16>
}

// -----

// mLSTMsig without a normalizer and without states, chunk_size = auto, a
// private function: the backward is private too and has exactly q, k, v, i,
// f, h, dh in and dq, dk, dv, di, df out.
// CHECK-LABEL: func.func private @sig_plain(
// CHECK-LABEL: func.func private @sig_plain_backward(
// CHECK-SAME: %[[Q:[^:]*]]: tensor<?x?x?x64xf32>, %[[K:[^:]*]]: tensor<?x?x?x64xf32>, %[[V:[^:]*]]: tensor<?x?x?x32xf32>,
// CHECK-SAME: %[[I:[^:]*]]: tensor<?x?x?xf32>, %[[F:[^:]*]]: tensor<?x?x?xf32>,
// CHECK-SAME: %[[H:[^:]*]]: tensor<?x?x?x32xf32>, %[[DH:[^:]*]]: tensor<?x?x?x32xf32>)
// CHECK-SAME: -> (tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x32xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
// CHECK-NEXT: %dq, %dk, %dv, %di, %df = mlstm.recurrence_grad q(%[[Q]]) k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) h(%[[H]]) dh(%[[DH]]) input_gate = sigmoid,
// CHECK-SAME: forget_gate = logsigmoid, normalizer = none, chunk_size = auto :
// CHECK-NEXT: return %dq, %dk, %dv, %di, %df :
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

// -----

// Arguments in another order than the operands, one of them used twice
// (k = q) and one unused: the backward keeps the forward's argument list and
// maps each operand to its argument.
// CHECK-LABEL: func.func @permuted(
// CHECK-LABEL: func.func @permuted_backward(
// CHECK-SAME: %[[F:[^:]*]]: tensor<?x?x?xf32>, %[[UNUSED:[^:]*]]: tensor<4xf32>, %[[V:[^:]*]]: tensor<?x?x?x8xf32>, %[[Q:[^:]*]]: tensor<?x?x?x16xf32>,
// CHECK-SAME: %[[H:[^:]*]]: tensor<?x?x?x8xf32>, %[[DH:[^:]*]]: tensor<?x?x?x8xf32>, %[[DC:[^:]*]]: tensor<?x?x16x8xf32>)
// CHECK-SAME: -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>)
// CHECK-NEXT: %dq, %dk, %dv, %df = mlstm.recurrence_grad q(%[[Q]]) k(%[[Q]]) v(%[[V]]) fgate(%[[F]]) h(%[[H]]) dh(%[[DH]]) dfinal(%[[DC]])
// CHECK-SAME: input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = 16 :
// CHECK-NEXT: return %dq, %dk, %dv, %df :
// ALL-LABEL: func.func @permuted(
// ALL-LABEL: func.func @permuted_backward(
func.func @permuted(%f: tensor<?x?x?xf32>, %unused: tensor<4xf32>, %v: tensor<?x?x?x8xf32>, %q: tensor<?x?x?x16xf32>)
    -> (tensor<?x?x?x8xf32>, tensor<?x?x16x8xf32>) {
  %h, %c = mlstm.recurrence q(%q) k(%q) v(%v) fgate(%f)
      input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = 16 {backward}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>)
      -> (tensor<?x?x?x8xf32>, tensor<?x?x16x8xf32>)
  return %h, %c : tensor<?x?x?x8xf32>, tensor<?x?x16x8xf32>
}

// -----

// Not an entry point (the result is post-processed): ignored even with
// `backward`, with and without `all`.
// CHECK-LABEL: func.func @not_entry(
// CHECK: arith.addf
// CHECK-NOT: @not_entry_backward
// ALL-LABEL: func.func @not_entry(
// ALL: arith.addf
// ALL-NOT: @not_entry_backward
func.func @not_entry(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32> {
  %h = mlstm.recurrence q(%q) k(%q) v(%v)
      input_gate = none, forget_gate = none, normalizer = none, chunk_size = 32 {backward}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32>
  %h2 = arith.addf %h, %h : tensor<?x?x?x8xf32>
  return %h2 : tensor<?x?x?x8xf32>
}

// -----

// The name of the gradient is taken: the pass fails (in both modes).
// CHECK-NOT: func.func @clash
// ALL-NOT: func.func @clash
// expected-error @+1 {{cannot derive the backward: 'clash_backward' already exists}}
func.func @clash(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32> {
  %h = mlstm.recurrence q(%q) k(%q) v(%v)
      input_gate = none, forget_gate = none, normalizer = none, chunk_size = 32 {backward}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32>
  return %h : tensor<?x?x?x8xf32>
}

func.func @clash_backward() {
  return
}

// -----

// h stated with sizes v leaves dynamic: the gradient takes h and dh in that
// refined type.
// CHECK-LABEL: func.func @refined_h_backward
// CHECK-SAME: %{{.*}}: tensor<2x4x?x8xf32>, %{{.*}}: tensor<2x4x?x8xf32>) -> (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>)
// CHECK: mlstm.recurrence_grad
// ALL-LABEL: func.func @refined_h_backward
func.func @refined_h(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>) -> tensor<2x4x?x8xf32> {
  %h = mlstm.recurrence q(%q) k(%q) v(%v) input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16 {backward}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>) -> tensor<2x4x?x8xf32>
  return %h : tensor<2x4x?x8xf32>
}
