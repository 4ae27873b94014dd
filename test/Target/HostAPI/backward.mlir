// RUN: mlstm-opt %s --mlstm-pipeline | mlstm-translate --emit-host-api | FileCheck %s

// A spec asking for the gradient: the library gets the forward and
// <name>_backward, whose C API takes the forward's inputs, h, dh and the
// final-state cotangents and returns dq, dk, dv, the gate gradients and the
// initial-state gradients, each optional group all or none.
// CHECK-LABEL: //--- train/train.h
// CHECK:      MLSTM_API mlstm_status sig_train(
// CHECK: /* sig_train_backward: #mlstm.variant<input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none
// CHECK:       *   h      bf16 [B, NH, S, 128]        strides [*, *, *, *]
// CHECK-NEXT:  *   dh     bf16 [B, NH, S, 128]        strides [*, *, *, *]
// CHECK-NEXT:  *   dC     f32  [B, NH, 64, 128]       strides [*, *, *, *]
// CHECK-NEXT:  *   dq     bf16 [B, NH, S, 64]         strides [*, *, 64, 1], written
// CHECK:       *   dC0    f32  [B, NH, 64, 128]       strides any (copied out), written
// CHECK-NEXT:  *   C0: initial states, all or none (NULL: zeros, the default)
// CHECK-NEXT:  *   dC: final-state cotangents, all or none (NULL: zeros)
// CHECK-NEXT:  *   dC0: initial-state gradients, all or none (NULL: not returned)
// CHECK-NEXT:  *   gradient: exact
// CHECK:      MLSTM_API mlstm_status sig_train_backward(
// CHECK-NEXT:     const mlstm_tensor *q,
// CHECK-NEXT:     const mlstm_tensor *k,
// CHECK-NEXT:     const mlstm_tensor *v,
// CHECK-NEXT:     const mlstm_tensor *i,
// CHECK-NEXT:     const mlstm_tensor *f,
// CHECK-NEXT:     const mlstm_tensor *C0,
// CHECK-NEXT:     const mlstm_tensor *h,
// CHECK-NEXT:     const mlstm_tensor *dh,
// CHECK-NEXT:     const mlstm_tensor *dC,
// CHECK-NEXT:     mlstm_tensor *dq,
// CHECK-NEXT:     mlstm_tensor *dk,
// CHECK-NEXT:     mlstm_tensor *dv,
// CHECK-NEXT:     mlstm_tensor *di,
// CHECK-NEXT:     mlstm_tensor *df,
// CHECK-NEXT:     mlstm_tensor *dC0,
// CHECK-NEXT:     CUstream stream);

// The source checks each group and zero-fills the absent cotangents.
// CHECK-LABEL: //--- train/train.cpp
// CHECK: extern "C" MLSTM_API mlstm_status sig_train_backward(
// CHECK: const bool hasInit = rt::allOrNone({C0}, {"C0"}, "the initial states");
// CHECK: const bool hasFinalGrad = rt::allOrNone({dC}, {"dC"}, "the final-state cotangents");
// CHECK: const bool hasInitGrad = rt::allOrNone({dC0}, {"dC0"}, "the initial-state gradients");
// CHECK: if (!hasFinalGrad) { // zeros: the recurrence's default states
// CHECK-NEXT: = rt::zeroState(kSpec_dC, problem);
// CHECK-COUNT-7: session.launch({{.*}}"sig_train_backward_kernels::sig_train_backward_
module @train {
  func.func @sig_train(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>,
                       %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>, %c0: tensor<?x?x64x128xf32>)
      -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>) {
    %h, %c = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0)
        input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, chunk_size = 64 {backward}
        : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>)
        -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>)
    return %h, %c : tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>
  }
}
