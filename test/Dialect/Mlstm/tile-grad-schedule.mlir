// RUN: mlstm-opt %s --mlstm-derive-backward --mlstm-chunk --mlstm-tile | FileCheck %s

// The schedules of the backward kernels by head dims. grad_q and the dk
// kernel of grad_kv hold whole DQK rows; from DQK = 256 on they take DHV in
// tiles of 64 so that the f32 state tile next to the accumulator fits one
// CTA's shared memory. The others keep the forward's tiles.

// CHECK-LABEL: func.func @sig_d256x512_backward
// CHECK: schedule<kind = row_adjoint, chunk = 64, block_q = 64, block_k = 64, block_dqk = 64, block_dhv = 128,
// CHECK: schedule<kind = grad_state_scan, chunk = 64, block_q = 64, block_k = 64, block_dqk = 64, block_dhv = 128,
// CHECK: schedule<kind = grad_q, chunk = 64, block_q = 64, block_k = 64, block_dqk = 256, block_dhv = 64,
// CHECK: schedule<kind = grad_kv, chunk = 64, block_q = 64, block_k = 64, block_dqk = 256, block_dhv = 64,
// CHECK: schedule<kind = grad_kv, chunk = 64, block_q = 64, block_k = 64, block_dqk = 64, block_dhv = 128,
// CHECK: schedule<kind = grad_gates,
func.func @sig_d256x512(%q: tensor<?x?x?x256xf32>, %k: tensor<?x?x?x256xf32>, %v: tensor<?x?x?x512xf32>,
                        %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>) -> tensor<?x?x?x512xf32> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 {backward}
      : (tensor<?x?x?x256xf32>, tensor<?x?x?x256xf32>, tensor<?x?x?x512xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
      -> tensor<?x?x?x512xf32>
  return %h : tensor<?x?x?x512xf32>
}

// CHECK-LABEL: func.func @sig_d128x256_backward
// CHECK: schedule<kind = grad_q, chunk = 256, block_q = 64, block_k = 64, block_dqk = 128, block_dhv = 128,
// CHECK: schedule<kind = grad_kv, chunk = 256, block_q = 64, block_k = 64, block_dqk = 128, block_dhv = 128,
func.func @sig_d128x256(%q: tensor<?x?x?x128xbf16>, %k: tensor<?x?x?x128xbf16>, %v: tensor<?x?x?x256xbf16>,
                        %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) -> tensor<?x?x?x256xbf16> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 256 {backward}
      : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x256xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>)
      -> tensor<?x?x?x256xbf16>
  return %h : tensor<?x?x?x256xbf16>
}
