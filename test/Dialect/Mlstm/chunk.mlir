// RUN: mlstm-opt %s --mlstm-chunk=default-chunk-size=64 --split-input-file | FileCheck %s
// RUN: mlstm-opt %s --mlstm-chunk --split-input-file | FileCheck %s --check-prefix=MODEL
// RUN: mlstm-opt %s --mlstm-chunk=default-chunk-size=128 --split-input-file | FileCheck %s --check-prefix=AUTO
// RUN: not mlstm-opt %s --mlstm-chunk=default-chunk-size=48 --split-input-file 2>&1 | FileCheck %s --check-prefix=OPTION

// OPTION: default-chunk-size must be 0 (the cost model) or a power of two, got 48

// mLSTMexp without states: a scan producing (C, n, m) at every boundary and
// the parallel output reading them.
// CHECK-LABEL: func.func @exp_no_states
// CHECK-SAME: (%[[Q:.*]]: tensor<?x?x?x64xbf16>, %[[K:.*]]: tensor<?x?x?x64xbf16>, %[[V:.*]]: tensor<?x?x?x128xbf16>, %[[I:.*]]: tensor<?x?x?xbf16>, %[[F:.*]]: tensor<?x?x?xbf16>)
// CHECK: %[[S:.*]]:3 = mlstm.chunk_state_scan k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) chunk_size = 64
// CHECK-SAME: #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = {{.*}}, qk_scale = 1.250000e-01>
// CHECK-SAME: -> (tensor<?x?x?x64x128xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?xf32>)
// CHECK: %[[H:.*]] = mlstm.chunk_output q(%[[Q]]) k(%[[K]]) v(%[[V]]) igate(%[[I]]) fgate(%[[F]]) states(%[[S]]#0, %[[S]]#1, %[[S]]#2) chunk_size = 64
// CHECK-NOT: mlstm.recurrence
// CHECK: return %[[H]]
// AUTO-LABEL: func.func @exp_no_states
// AUTO: mlstm.chunk_state_scan {{.*}} chunk_size = 128
func.func @exp_no_states(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>,
                         %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
      : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return %h : tensor<?x?x?x128xbf16>
}

// -----

// Static S = 100 with L = 64: NC = 2 chunks (the last one partial), so three
// boundaries; the final states are boundary 2.
// CHECK-LABEL: func.func @exp_states_static
// CHECK-SAME: %[[C0:[^:]*]]: tensor<2x4x16x32xf32>, %[[N0:[^:]*]]: tensor<2x4x16xf32>, %[[M0:[^:]*]]: tensor<2x4xf32>)
// CHECK-DAG: %[[LAST:.*]] = arith.constant 2 : index
// CHECK: %[[S:.*]]:3 = mlstm.chunk_state_scan {{.*}} init(%[[C0]], %[[N0]], %[[M0]]) chunk_size = 64
// CHECK-SAME: -> (tensor<2x4x3x16x32xf32>, tensor<2x4x3x16xf32>, tensor<2x4x3xf32>)
// CHECK: %[[H:.*]] = mlstm.chunk_output
// CHECK-SAME: eps = 1.000000e-03, qk_scale = 5.000000e-01
// CHECK: %[[C:.*]] = tensor.extract_slice %[[S]]#0[0, 0, %[[LAST]], 0, 0] [2, 4, 1, 16, 32] [1, 1, 1, 1, 1] : tensor<2x4x3x16x32xf32> to tensor<2x4x16x32xf32>
// CHECK: %[[N:.*]] = tensor.extract_slice %[[S]]#1[0, 0, %[[LAST]], 0] [2, 4, 1, 16]
// CHECK: %[[M:.*]] = tensor.extract_slice %[[S]]#2[0, 0, %[[LAST]]] [2, 4, 1]
// CHECK: return %[[H]], %[[C]], %[[N]], %[[M]]
func.func @exp_states_static(%q: tensor<2x4x100x16xf32>, %k: tensor<2x4x100x16xf32>, %v: tensor<2x4x100x32xf32>,
                             %i: tensor<2x4x100xf32>, %f: tensor<2x4x100xf32>,
                             %c0: tensor<2x4x16x32xf32>, %n0: tensor<2x4x16xf32>, %m0: tensor<2x4xf32>)
    -> (tensor<2x4x100x32xf32>, tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>) {
  %h, %c, %n, %m = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64
      {eps = 1.0e-3 : f64, qk_scale = 0.5 : f64}
      : (tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x32xf32>, tensor<2x4x100xf32>, tensor<2x4x100xf32>,
         tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>)
      -> (tensor<2x4x100x32xf32>, tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>)
  return %h, %c, %n, %m : tensor<2x4x100x32xf32>, tensor<2x4x16x32xf32>, tensor<2x4x16xf32>, tensor<2x4xf32>
}

// -----

// Dynamic S: the last boundary is ceil(S / L), computed at run time.
// CHECK-LABEL: func.func @sig_final_states
// CHECK-DAG: %[[L:.*]] = arith.constant 128 : index
// CHECK: %[[S:.*]]:2 = mlstm.chunk_state_scan {{.*}} chunk_size = 128
// CHECK-SAME: #mlstm.variant<input_gate = sigmoid
// CHECK: %[[SEQ:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<?x?x?x64xf16>
// CHECK: %[[NC:.*]] = arith.ceildivui %[[SEQ]], %[[L]] : index
// CHECK: tensor.extract_slice %[[S]]#0[0, 0, %[[NC]], 0, 0]
// CHECK: tensor.extract_slice %[[S]]#1[0, 0, %[[NC]], 0]
func.func @sig_final_states(%q: tensor<?x?x?x64xf16>, %k: tensor<?x?x?x64xf16>, %v: tensor<?x?x?x64xf16>,
                            %i: tensor<?x?x?xf16>, %f: tensor<?x?x?xf16>)
    -> (tensor<?x?x?x64xf16>, tensor<?x?x64x64xf32>, tensor<?x?x64xf32>) {
  %h, %c, %n = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 128
      : (tensor<?x?x?x64xf16>, tensor<?x?x?x64xf16>, tensor<?x?x?x64xf16>, tensor<?x?x?xf16>, tensor<?x?x?xf16>)
      -> (tensor<?x?x?x64xf16>, tensor<?x?x64x64xf32>, tensor<?x?x64xf32>)
  return %h, %c, %n : tensor<?x?x?x64xf16>, tensor<?x?x64x64xf32>, tensor<?x?x64xf32>
}

// -----

// Linear attention: only the C state, no gate operands.
// CHECK-LABEL: func.func @linear_attention
// CHECK: %[[S:.*]] = mlstm.chunk_state_scan k(%{{.*}}) v(%{{.*}}) init(%{{.*}}) chunk_size = 16
// CHECK-SAME: -> tensor<1x1x?x32x32xf64>
// CHECK: mlstm.chunk_output q(%{{.*}}) k(%{{.*}}) v(%{{.*}}) states(%[[S]]) chunk_size = 16
// CHECK: %[[C:.*]] = tensor.extract_slice %[[S]]
// CHECK-SAME: to tensor<1x1x32x32xf64>
func.func @linear_attention(%q: tensor<1x1x?x32xf32>, %k: tensor<1x1x?x32xf32>, %v: tensor<1x1x?x32xf32>,
                            %c0: tensor<1x1x32x32xf64>) -> (tensor<1x1x?x32xf32>, tensor<1x1x32x32xf64>) {
  %h, %c = mlstm.recurrence q(%q) k(%k) v(%v) init(%c0)
      input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16 {state_type = f64}
      : (tensor<1x1x?x32xf32>, tensor<1x1x?x32xf32>, tensor<1x1x?x32xf32>, tensor<1x1x32x32xf64>)
      -> (tensor<1x1x?x32xf32>, tensor<1x1x32x32xf64>)
  return %h, %c : tensor<1x1x?x32xf32>, tensor<1x1x32x32xf64>
}

// -----

// Final states stated with static sizes while q is dynamic: the slice of
// the last boundary has the boundary tensor's sizes and is cast to them.
// CHECK-LABEL: func.func @static_final_state
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %{{.*}} : tensor<?x?x?x16x8xf32> to tensor<?x?x16x8xf32>
// CHECK: %[[CAST:.*]] = tensor.cast %[[SLICE]] : tensor<?x?x16x8xf32> to tensor<2x4x16x8xf32>
// CHECK: return %{{.*}}, %[[CAST]]
func.func @static_final_state(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>) -> (tensor<?x?x?x8xf32>, tensor<2x4x16x8xf32>) {
  %h, %c = mlstm.recurrence q(%q) k(%q) v(%v) input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>) -> (tensor<?x?x?x8xf32>, tensor<2x4x16x8xf32>)
  return %h, %c : tensor<?x?x?x8xf32>, tensor<2x4x16x8xf32>
}

// -----

// chunk_size = auto without the option: the cost model (ChunkSchedule.h).
// A 256x512 state is 512 KiB per chunk: with bf16 inputs the model halves
// its traffic with L = 128; f32 inputs (intra-chunk products on FFMA, ten
// times slower) keep L = 64; an option value overrides it (AUTO). The
// 64x128 bf16 recurrence above gets 128 too.
// MODEL-LABEL: func.func @exp_no_states
// MODEL: mlstm.chunk_state_scan {{.*}} chunk_size = 128
// MODEL-LABEL: func.func @auto_bf16_d256x512
// MODEL: mlstm.chunk_state_scan {{.*}} chunk_size = 128
// MODEL: mlstm.chunk_output {{.*}} chunk_size = 128
// AUTO-LABEL: func.func @auto_bf16_d256x512
// AUTO: mlstm.chunk_state_scan {{.*}} chunk_size = 128
func.func @auto_bf16_d256x512(%q: tensor<?x?x?x256xbf16>, %k: tensor<?x?x?x256xbf16>, %v: tensor<?x?x?x512xbf16>,
                              %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) -> tensor<?x?x?x512xbf16> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
      : (tensor<?x?x?x256xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?x512xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x512xbf16>
  return %h : tensor<?x?x?x512xbf16>
}

// -----

// MODEL-LABEL: func.func @auto_f32_d256x512
// MODEL: mlstm.chunk_state_scan {{.*}} chunk_size = 64
// MODEL: mlstm.chunk_output {{.*}} chunk_size = 64
// AUTO-LABEL: func.func @auto_f32_d256x512
// AUTO: mlstm.chunk_state_scan {{.*}} chunk_size = 128
func.func @auto_f32_d256x512(%q: tensor<?x?x?x256xf32>, %k: tensor<?x?x?x256xf32>, %v: tensor<?x?x?x512xf32>,
                             %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>) -> tensor<?x?x?x512xf32> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
      : (tensor<?x?x?x256xf32>, tensor<?x?x?x256xf32>, tensor<?x?x?x512xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?x512xf32>
  return %h : tensor<?x?x?x512xf32>
}
