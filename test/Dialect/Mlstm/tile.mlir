// RUN: mlstm-opt %s --mlstm-tile --split-input-file | FileCheck %s
// RUN: mlstm-opt %s --mlstm-tile="block-q=32 block-k=16 block-dqk=8 block-dhv=16" --split-input-file | FileCheck %s --check-prefix=BLOCKS
// RUN: mlstm-opt %s --mlstm-tile=split-state-operand=never --split-input-file | FileCheck %s --check-prefix=NOSPLIT
// RUN: mlstm-opt %s --mlstm-tile=min-block-dqk=64 --split-input-file | FileCheck %s --check-prefix=PADDED

// The state scan of mLSTMexp: one program per (batch, head, DQK tile, DHV
// tile) loops over the chunks carrying (C~, n~, m), stores every boundary,
// and sums each chunk block_k rows at a time.
// CHECK-LABEL: func.func @scan_exp
// CHECK: %[[K:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<?x?x?x16xf32> to memref<?x?x?x16xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[CALL:.*]] = memref.alloc({{.*}}) : memref<?x?x?x16x32xf32>
// CHECK: %[[NALL:.*]] = memref.alloc({{.*}}) : memref<?x?x?x16xf32>
// CHECK: %[[MALL:.*]] = memref.alloc({{.*}}) : memref<?x?x?xf32>
// CHECK: scf.forall (%[[B:.*]], %[[H:.*]], %{{.*}}, %{{.*}}) in
// CHECK: %[[LOOP:.*]]:3 = scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[CT:.*]] = %{{.*}}, %[[NT:.*]] = %{{.*}}, %[[M:.*]] = %{{.*}}) -> (tensor<16x32xf32>, tensor<16xf32>, f32)
// CHECK:   %[[NEGM:.*]] = arith.negf %[[M]] : f32
// CHECK:   %[[DOWN:.*]] = mlstm.tile_exp_gates %[[NEGM]] by %[[NEGM]] : f32
// CHECK:   mlstm.tile_store %{{.*}}, %[[CALL]][%[[B]], %[[H]], %[[C]], %{{.*}}, %{{.*}}]
// CHECK:   %[[F:.*]] = mlstm.tile_load %{{.*}}[%[[B]], %[[H]], %{{.*}}] valid(%{{.*}}) {padding = 0x7FF0000000000000 : f64} : memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>> -> tensor<16xf32>
// The cumulative log forget gate is summed in f64 and kept as f32 hi + lo.
// CHECK:   %[[BWIDE:.*]] = mlstm.tile_scan add %{{.*}} : tensor<16xf64>
// CHECK:   %[[BCUM:.*]] = arith.truncf %[[BWIDE]] : tensor<16xf64> to tensor<16xf32>
// CHECK:   %[[BLOW:.*]] = arith.subf %[[BWIDE]], %{{.*}} : tensor<16xf64>
// CHECK:   %[[BLO:.*]] = arith.truncf %[[BLOW]] : tensor<16xf64> to tensor<16xf32>
// CHECK:   %[[GWIDE:.*]] = tensor.extract %[[BWIDE]]
// CHECK:   %[[G:.*]] = arith.truncf %[[GWIDE]] : f64 to f32
// CHECK:   %[[I:.*]] = mlstm.tile_load %{{.*}} {padding = 0xFFF0000000000000 : f64}
// CHECK:   %[[MAXA:.*]] = mlstm.tile_reduce max %[[A:.*]] dim 0 : tensor<16xf32> -> f32
// CHECK:   %[[GM:.*]] = arith.addf %[[G]], %[[M]] : f32
// CHECK:   %[[MNEW:.*]] = arith.maximumf %[[GM]], %[[MAXA]] : f32
// CHECK:   %[[DSTAB:.*]] = arith.subf %[[MNEW]], %[[M]] : f32
// CHECK:   mlstm.tile_exp_gates %[[G]] by %[[DSTAB]] : f32 : f32 -> f32
// CHECK:   mlstm.tile_exp_gates %[[A]] by %[[MNEW]] : f32 : tensor<16xf32> -> tensor<16xf32>
// CHECK:   scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK:     mlstm.tile_load %[[K]]
// CHECK:     mlstm.tile_matmul %{{.*}}, %{{.*}} acc(%{{.*}}) {transpose_lhs} : tensor<16x16xf32>, tensor<16x32xf32> -> tensor<16x32xf32>
// CHECK:     mlstm.tile_reduce add %{{.*}} dim 0 : tensor<16x16xf32> -> tensor<16xf32>
// CHECK: } {mlstm.schedule = #mlstm.schedule<kind = state_scan, chunk = 16, block_q = 16, block_k = 16, block_dqk = 16, block_dhv = 32, warps = 4, stages = 2>}
// CHECK: bufferization.to_tensor %[[CALL]] restrict writable
// BLOCKS-LABEL: func.func @scan_exp
// A DQK of 16 padded into one 64-row tile (the GPU pipeline's floor).
// PADDED-LABEL: func.func @scan_exp
// PADDED: #mlstm.schedule<kind = state_scan, chunk = 16, block_q = 16, block_k = 16, block_dqk = 64, block_dhv = 32
// BLOCKS: #mlstm.schedule<kind = state_scan, chunk = 16, block_q = 16, block_k = 16, block_dqk = 8, block_dhv = 16
func.func @scan_exp(%k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x32xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>)
    -> (tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>) {
  %c, %n, %m = mlstm.chunk_state_scan k(%k) v(%v) igate(%i) fgate(%f) chunk_size = 16
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x32xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
      -> (tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>)
  return %c, %n, %m : tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>
}

// -----

// Linear attention: no gates, only C; weights exp(0) without stabilizers.
// CHECK-LABEL: func.func @scan_linear
// CHECK: scf.for {{.*}} -> (tensor<8x8xf32>)
// CHECK-NOT: mlstm.tile_load {{.*}}padding
// CHECK: mlstm.tile_exp_gates %{{.*}} : f32 -> f32
// CHECK-NOT: by
// CHECK: mlstm.schedule = #mlstm.schedule<kind = state_scan
func.func @scan_linear(%k: tensor<1x2x?x8xf32>, %v: tensor<1x2x?x8xf32>) -> tensor<1x2x?x8x8xf32> {
  %c = mlstm.chunk_state_scan k(%k) v(%v) chunk_size = 4
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 0.35>}
      : (tensor<1x2x?x8xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8x8xf32>
  return %c : tensor<1x2x?x8x8xf32>
}

// -----

// The TFLA output kernel of mLSTMexp: a program per (batch, head, chunk,
// query tile, DHV tile); the max state from a prefix max of the gates; the
// inter term from the boundary state; the causal key loop with the gate
// matrix; the normalizer. The fp32 state enters the inter term as bf16
// hi + lo parts (split-state-operand=auto, exp gate with a normalizer).
// NOSPLIT-LABEL: func.func @output_exp
// NOSPLIT:   scf.for {{.*}} -> (tensor<64x128xf32>, tensor<64xf32>)
// NOSPLIT:     %[[C:.*]] = mlstm.tile_load {{.*}} -> tensor<64x128xf32>
// NOSPLIT:     %[[CHI:.*]] = arith.truncf %[[C]]
// NOSPLIT:     %[[ACC:.*]] = mlstm.tile_matmul %{{.*}}, %[[CHI]] acc(%{{.*}})
// NOSPLIT-NOT: mlstm.tile_matmul
// NOSPLIT:     scf.yield %[[ACC]], %{{.*}} : tensor<64x128xf32>, tensor<64xf32>
// CHECK-LABEL: func.func @output_exp
// CHECK: %[[H:.*]] = memref.alloc({{.*}}) : memref<?x?x?x128xbf16>
// CHECK: scf.forall (%[[B:.*]], %[[HD:.*]], %[[CH:.*]], %[[QT:.*]], %[[VT:.*]]) in (%{{.*}}, %{{.*}}, %{{.*}}, %c2, %c1)
// CHECK:   %[[BQ:.*]] = tensor.extract_slice %[[BCUM:.*]][%[[ROW0:.*]]] [64] [1] : tensor<128xf32> to tensor<64xf32>
// CHECK:   %[[MPREV:.*]] = memref.load %{{.*}}[%[[B]], %[[HD]], %[[CH]]] : memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>
// CHECK:   %[[PREFIX:.*]] = mlstm.tile_scan max %{{.*}} : tensor<128xf32>
// CHECK:   %[[M:.*]] = arith.addf %[[BQ]], %{{.*}} : tensor<64xf32>
// CHECK:   scf.for {{.*}} -> (tensor<64x128xf32>, tensor<64xf32>)
// CHECK:     %[[C:.*]] = mlstm.tile_load {{.*}} -> tensor<64x128xf32>
// CHECK:     %[[CHI:.*]] = arith.truncf %[[C]] : tensor<64x128xf32> to tensor<64x128xbf16>
// CHECK:     %[[ACC:.*]] = mlstm.tile_matmul %{{.*}}, %[[CHI]] acc(%{{.*}}) : tensor<64x64xbf16>, tensor<64x128xbf16> -> tensor<64x128xf32>
// CHECK:     %[[CHIW:.*]] = arith.extf %[[CHI]]
// CHECK:     %[[CLOW:.*]] = arith.subf %[[C]], %[[CHIW]]
// CHECK:     %[[CLO:.*]] = arith.truncf %[[CLOW]]
// CHECK:     %[[ACC2:.*]] = mlstm.tile_matmul %{{.*}}, %[[CLO]] acc(%[[ACC]])
// The normalizer's q . n in the same loop, from the same q tile.
// CHECK:     %[[NT:.*]] = mlstm.tile_load {{.*}} -> tensor<64xf32>
// CHECK:     mlstm.tile_broadcast
// CHECK:     mlstm.tile_reduce add %{{.*}} dim 1 : tensor<64x64xf32> -> tensor<64xf32>
// CHECK:     scf.yield %[[ACC2]], %{{.*}} : tensor<64x128xf32>, tensor<64xf32>
// CHECK:   mlstm.tile_exp_gates %{{.*}} by %[[M]] : tensor<64xf32> : tensor<64xf32> -> tensor<64xf32>
// CHECK:   %[[NKEYS:.*]] = arith.ceildivui
// CHECK:   scf.for %{{.*}} = %{{.*}} to %[[NKEYS]] step %{{.*}} iter_args
// CHECK:     mlstm.tile_matmul {{.*}} {transpose_rhs} : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
// CHECK:     %[[LOGD:.*]] = mlstm.tile_gate_matrix rows(%{{.*}} + %{{.*}} at %[[ROW0]]) cols(%{{.*}} + %{{.*}} at %{{.*}}) gate(%{{.*}})
// CHECK:     mlstm.tile_exp_gates %[[LOGD]] by %[[M]] : tensor<64xf32> : tensor<64x64xf32> -> tensor<64x64xf32>
// CHECK:     mlstm.tile_matmul %{{.*}}, %{{.*}} acc(%{{.*}}) : tensor<64x64xbf16>, tensor<64x128xbf16> -> tensor<64x128xf32>
// CHECK:     mlstm.tile_reduce add %{{.*}} dim 1 : tensor<64x64xf32> -> tensor<64xf32>
// CHECK:   %[[OUT:.*]] = mlstm.tile_normalize %{{.*}} den(%{{.*}} : tensor<64xf32>) max_state(%[[M]] : tensor<64xf32>)
// CHECK-NOT: stabilized
// CHECK:   %[[OUT16:.*]] = arith.truncf %[[OUT]] : tensor<64x128xf32> to tensor<64x128xbf16>
// CHECK:   mlstm.tile_store %[[OUT16]], %[[H]][%[[B]], %[[HD]], %{{.*}}, %{{.*}}] valid(%{{.*}})
// CHECK: } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 128, block_q = 64, block_k = 64, block_dqk = 64, block_dhv = 128, warps = 4, stages = 2>}
func.func @output_exp(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>,
                      %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>,
                      %c: tensor<?x?x?x64x128xf32>, %n: tensor<?x?x?x64xf32>, %m: tensor<?x?x?xf32>) -> tensor<?x?x?x128xbf16> {
  %h = mlstm.chunk_output q(%q) k(%k) v(%v) igate(%i) fgate(%f) states(%c, %n, %m) chunk_size = 128
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.125>}
      : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
         tensor<?x?x?x64x128xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?x128xbf16>
  return %h : tensor<?x?x?x128xbf16>
}

// -----

// mLSTMsig without normalizer: log sigmoid input weights, no max state, no
// den, nothing to stabilize.
// CHECK-LABEL: func.func @output_sig
// CHECK-NOT: memref.load
// CHECK: mlstm.tile_gate_matrix
// CHECK: mlstm.tile_exp_gates %{{.*}} : tensor<16x16xf32> -> tensor<16x16xf32>
// CHECK: mlstm.tile_normalize %{{.*}} {variant = {{.*}}} : tensor<16x16xf32> -> tensor<16x16xf32>
func.func @output_sig(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>,
                      %c: tensor<?x?x?x16x16xf32>) -> tensor<?x?x?x16xf32> {
  %h = mlstm.chunk_output q(%q) k(%q) v(%v) igate(%i) fgate(%f) states(%c) chunk_size = 16
      {variant = #mlstm.variant<input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
         tensor<?x?x?x16x16xf32>) -> tensor<?x?x?x16xf32>
  return %h : tensor<?x?x?x16xf32>
}
