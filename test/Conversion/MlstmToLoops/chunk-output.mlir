// RUN: mlstm-opt %s --convert-mlstm-to-loops --split-input-file | FileCheck %s

// mLSTMexp: every (batch, head, chunk) is independent given the boundary
// states, so one scf.forall covers all three; the chunk's len x len gate
// matrix is masked above the diagonal with -inf and stabilized by its row
// max m_comb.
// CHECK-LABEL: func.func @output_exp
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<?x?x?x16xf32>, %[[K:[^:]*]]: tensor<?x?x?x16xf32>, %[[V:[^:]*]]: tensor<?x?x?x32xf32>, %[[I:[^:]*]]: tensor<?x?x?xf32>, %[[F:[^:]*]]: tensor<?x?x?xf32>, %[[CS:[^:]*]]: tensor<?x?x?x16x32xf32>, %[[NS:[^:]*]]: tensor<?x?x?x16xf32>, %[[MS:[^:]*]]: tensor<?x?x?xf32>)
// CHECK-DAG: %[[S:.*]] = tensor.dim %[[Q]], %c2
// CHECK: %[[NC:.*]] = arith.ceildivui %[[S]], %{{.*}}
// CHECK: %[[H:.*]] = scf.forall (%[[BI:.*]], %[[HI:.*]], %[[KC:.*]]) in (%{{.*}}, %{{.*}}, %[[NC]]) shared_outs(%[[HOUT:.*]] = %{{.*}}) -> (tensor<?x?x?x32xf32>)
// CHECK: %[[START:.*]] = arith.muli %[[KC]], %{{.*}}
// CHECK: %[[LEN:.*]] = arith.minui
// CHECK: %[[QS:.*]] = tensor.extract_slice %[[Q]][%[[BI]], %[[HI]], %[[START]], 0] [1, 1, %[[LEN]], 16]
// CHECK: %[[KS:.*]] = tensor.extract_slice %[[K]][%[[BI]], %[[HI]], %[[START]], 0] [1, 1, %[[LEN]], 16]
// CHECK: %[[VS:.*]] = tensor.extract_slice %[[V]][%[[BI]], %[[HI]], %[[START]], 0] [1, 1, %[[LEN]], 32]
// CHECK: %[[B:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// The state at the start of chunk k is boundary k.
// CHECK: %[[CPREV:.*]] = tensor.extract_slice %[[CS]][%[[BI]], %[[HI]], %[[KC]], 0, 0] [1, 1, 1, 16, 32]
// CHECK: %[[NPREV:.*]] = tensor.extract_slice %[[NS]][%[[BI]], %[[HI]], %[[KC]], 0] [1, 1, 1, 16]
// CHECK: %[[MPREV:.*]] = tensor.extract %[[MS]][%[[BI]], %[[HI]], %[[KC]]]
// log D_ts = b_t - b_s + iota_s for s <= t, else -inf
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[LOGD:.*]] = linalg.generic {{.*}} ins(%[[B]], %[[B]], %{{.*}} : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) outs(%{{.*}} : tensor<?x?xf32>)
// CHECK: %[[CAUSAL:.*]] = arith.cmpi ule
// CHECK: arith.select %[[CAUSAL]], %{{.*}}, %[[NEGINF]]
// m_comb_t = max(b_t + m_{k-1}, max_s log D_ts)
// CHECK: %[[CARRIED:.*]] = linalg.map {{.*}}ins(%[[B]] : tensor<?xf32>)
// CHECK: arith.addf %{{.*}}, %[[MPREV]]
// CHECK: %[[MCOMB:.*]] = linalg.reduce {{.*}}ins(%[[LOGD]] : tensor<?x?xf32>) outs(%[[CARRIED]] : tensor<?xf32>) dimensions = [1]
// CHECK: arith.maximumf
// CHECK: %[[W:.*]] = linalg.map {{.*}}ins(%[[B]], %[[MCOMB]] : tensor<?xf32>, tensor<?xf32>)
// CHECK: %[[SCALE:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: %[[QBAR:.*]] = linalg.generic {{.*}} ins(%[[QS]] : tensor<?x16xf32>)
// CHECK: arith.mulf %[[SCALE]]
// CHECK: %[[SCORES:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[QBAR]], %[[KS]] : tensor<?x16xf32>, tensor<?x16xf32>)
// CHECK: %[[P:.*]] = linalg.generic {{.*}} ins(%[[LOGD]], %[[SCORES]], %[[MCOMB]] : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?xf32>)
// num = w (q' C_{k-1}) + P V
// CHECK: %[[INTER:.*]] = linalg.matmul ins(%[[QBAR]], %[[CPREV]] : tensor<?x16xf32>, tensor<16x32xf32>)
// CHECK: %[[NUMINIT:.*]] = linalg.generic {{.*}} ins(%[[INTER]], %[[W]] : tensor<?x32xf32>, tensor<?xf32>)
// CHECK: %[[NUM:.*]] = linalg.matmul ins(%[[P]], %[[VS]] : tensor<?x?xf32>, tensor<?x32xf32>) outs(%[[NUMINIT]] : tensor<?x32xf32>)
// den = w (q' n_{k-1}) + sum_s P_ts
// CHECK: %[[INTERDEN:.*]] = linalg.matvec ins(%[[QBAR]], %[[NPREV]] : tensor<?x16xf32>, tensor<16xf32>)
// CHECK: %[[DENINIT:.*]] = linalg.map {{.*}}ins(%[[INTERDEN]], %[[W]] : tensor<?xf32>, tensor<?xf32>)
// CHECK: %[[DEN:.*]] = linalg.reduce {{.*}}ins(%[[P]] : tensor<?x?xf32>) outs(%[[DENINIT]] : tensor<?xf32>) dimensions = [1]
// CHECK: %[[HC:.*]] = linalg.generic {{.*}} ins(%[[NUM]], %[[DEN]], %[[MCOMB]] : tensor<?x32xf32>, tensor<?xf32>, tensor<?xf32>)
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice %[[HC]] into %[[HOUT]][%[[BI]], %[[HI]], %[[START]], 0] [1, 1, %[[LEN]], 32]
// CHECK-NOT: mlstm.
// CHECK: return %[[H]]
func.func @output_exp(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x32xf32>,
                      %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>,
                      %c: tensor<?x?x?x16x32xf32>, %n: tensor<?x?x?x16xf32>, %m: tensor<?x?x?xf32>) -> tensor<?x?x?x32xf32> {
  %h = mlstm.chunk_output q(%q) k(%k) v(%v) igate(%i) fgate(%f) states(%c, %n, %m) chunk_size = 8
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x32xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
         tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?x32xf32>
  return %h : tensor<?x?x?x32xf32>
}

// -----

// mLSTMsig without normalizer, f16 inputs: no max state (the weights are
// plain exp(b_t) and exp(log D_ts)), no denominator, h rounded to f16.
// CHECK-LABEL: func.func @output_sigmoid_no_norm
// CHECK: scf.forall
// CHECK-NOT: linalg.reduce
// CHECK: %[[W:.*]] = linalg.map { math.exp } ins(%{{.*}} : tensor<?xf32>)
// CHECK: linalg.matmul
// CHECK-NOT: linalg.matvec
// CHECK: linalg.matmul
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK-NOT: mlstm.
func.func @output_sigmoid_no_norm(%q: tensor<?x?x?x8xf16>, %k: tensor<?x?x?x8xf16>, %v: tensor<?x?x?x8xf16>,
                                  %i: tensor<?x?x?xf16>, %f: tensor<?x?x?xf16>, %c: tensor<?x?x?x8x8xf32>) -> tensor<?x?x?x8xf16> {
  %h = mlstm.chunk_output q(%q) k(%k) v(%v) igate(%i) fgate(%f) states(%c) chunk_size = 16
      {variant = #mlstm.variant<input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, eps = 1.0e-6, qk_scale = 0.5>}
      : (tensor<?x?x?x8xf16>, tensor<?x?x?x8xf16>, tensor<?x?x?x8xf16>, tensor<?x?x?xf16>, tensor<?x?x?xf16>,
         tensor<?x?x?x8x8xf32>) -> tensor<?x?x?x8xf16>
  return %h : tensor<?x?x?x8xf16>
}
