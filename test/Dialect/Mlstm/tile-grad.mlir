// RUN: mlstm-opt %s --mlstm-derive-backward --mlstm-chunk --mlstm-tile | FileCheck %s

// The chunkwise backward of mLSTMexp (bf16, 64 x 128, states) as tiled
// kernels: the forward scan again, the row adjoint, the reverse state scan,
// dq (whole DQK rows), dk and dv (two kernels), the gate gradients. The
// state operands of the inter-chunk products enter as bf16 hi + lo parts;
// dh enters as given, the row scale of dnum = scale dh on the other side.
// CHECK-LABEL: func.func @exp_backward
// CHECK: } {mlstm.schedule = #mlstm.schedule<kind = state_scan, chunk = 64, {{.*}}>}
// CHECK: mlstm.tile_scan max
// CHECK: } {mlstm.schedule = #mlstm.schedule<kind = row_adjoint, chunk = 64, {{.*}}>}
// Reverse scan: scale w q' split into hi and lo, two transposed products
// with dh.
// CHECK: %[[HI:.*]] = arith.truncf %[[QW:.*]] : tensor<64x64xf32> to tensor<64x64xbf16>
// CHECK: %[[HIW:.*]] = arith.extf %[[HI]]
// CHECK: %[[LOW:.*]] = arith.subf %[[QW]], %[[HIW]]
// CHECK: %[[LO:.*]] = arith.truncf %[[LOW]]
// CHECK: %[[ACC:.*]] = mlstm.tile_matmul %[[HI]], %[[DNUM:.*]] acc(%{{.*}}) {transpose_lhs}
// CHECK: mlstm.tile_matmul %[[LO]], %[[DNUM]] acc(%[[ACC]]) {transpose_lhs}
// CHECK: } {mlstm.schedule = #mlstm.schedule<kind = grad_state_scan, chunk = 64, {{.*}}>}
// dq: C split, whole DQK rows (block_dqk = 64), q'.dq' stored with dq.
// CHECK: %[[C:.*]] = mlstm.tile_load {{.*}} -> tensor<64x128xf32>
// CHECK: %[[CHI:.*]] = arith.truncf %[[C]] : tensor<64x128xf32> to tensor<64x128xbf16>
// CHECK: %[[QACC:.*]] = mlstm.tile_matmul %{{.*}}, %[[CHI]] acc(%{{.*}}) {transpose_rhs}
// CHECK: mlstm.tile_matmul %{{.*}}, %{{.*}} acc(%[[QACC]]) {transpose_rhs}
// dP = scale (dh v^T) + dden: dh enters the products as given (bf16), the
// row scale and dden come after the sum (dnum = scale dh rounded to bf16
// lost digits where dP cancels).
// CHECK: %[[DPS:.*]] = scf.for {{.*}} step %c128 iter_args({{.*}}) -> (tensor<64x64xf32>)
// CHECK-NEXT: %[[DH:.*]] = mlstm.tile_load {{.*}} -> tensor<64x128xbf16>
// CHECK-NEXT: %[[VT:.*]] = mlstm.tile_load {{.*}} -> tensor<64x128xbf16>
// CHECK-NEXT: mlstm.tile_matmul %[[DH]], %[[VT]] acc(%{{.*}}) {transpose_rhs}
// CHECK: %[[SCALED:.*]] = arith.mulf %[[DPS]], %{{.*}} : tensor<64x64xf32>
// CHECK-NEXT: arith.addf %[[SCALED]], %{{.*}} : tensor<64x64xf32>
// CHECK: mlstm.tile_reduce add %{{.*}} dim 1 : tensor<64x64xf32> -> tensor<64xf32>
// CHECK: } {mlstm.schedule = #mlstm.schedule<kind = grad_q, chunk = 64, block_q = 64, block_k = 64, block_dqk = 64, block_dhv = 128, {{.*}}>}
// dk: dP * e rounded to bf16 as in the dq kernel (the intra parts of q'.dq'
// and k.dk cancel in d log f), qk_scale on the sum after the query tiles.
// CHECK: %[[E:.*]] = mlstm.tile_exp_gates %{{.*}} : tensor<64x64xf32> -> tensor<64x64xf32>
// CHECK-NEXT: %[[W:.*]] = arith.mulf %{{.*}}, %[[E]] : tensor<64x64xf32>
// CHECK-NEXT: mlstm.tile_load
// CHECK-NEXT: %[[WB:.*]] = arith.truncf %[[W]] : tensor<64x64xf32> to tensor<64x64xbf16>
// CHECK-NEXT: mlstm.tile_matmul %[[WB]], %{{.*}} acc(%{{.*}}) {transpose_lhs}
// CHECK: %[[SQ:.*]] = tensor.splat %{{.*}} : tensor<64x64xf32>
// CHECK-NEXT: arith.mulf %{{.*}}, %[[SQ]] : tensor<64x64xf32>
// CHECK: } {mlstm.schedule = #mlstm.schedule<kind = grad_kv, {{.*}}>}
// CHECK: scf.forall ({{.*}}, {{.*}}, {{.*}}, {{.*}}, {{.*}}) in
// CHECK: } {mlstm.schedule = #mlstm.schedule<kind = grad_kv, {{.*}}>}
// The gate gradients: one program per (batch, head); max-state routing by
// equality with the prefix max, then the reverse cumulative sums.
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in
// CHECK: mlstm.tile_scan max
// CHECK: arith.cmpf oeq
// CHECK: mlstm.tile_scan add
// CHECK: memref.store
// CHECK: } {mlstm.schedule = #mlstm.schedule<kind = grad_gates, {{.*}}>}
func.func @exp(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>,
               %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>,
               %c0: tensor<?x?x64x128xf32>, %n0: tensor<?x?x64xf32>, %m0: tensor<?x?xf32>)
    -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>) {
  %h, %c, %n, %m = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64 {backward}
      : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
      -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>)
  return %h, %c, %n, %m : tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>, tensor<?x?xf32>
}
