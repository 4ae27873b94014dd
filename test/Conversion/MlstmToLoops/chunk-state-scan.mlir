// RUN: mlstm-opt %s --convert-mlstm-to-loops --split-input-file | FileCheck %s

// mLSTMexp with initial states, bf16 inputs, L = 4: boundary 0 is the
// initial state, a loop over NC = ceil(S / 4) chunks writes boundaries 1..NC.
// CHECK-LABEL: func.func @scan_exp
// CHECK-SAME: (%[[K:[^:]*]]: tensor<?x?x?x16xbf16>, %[[V:[^:]*]]: tensor<?x?x?x32xbf16>, %[[I:[^:]*]]: tensor<?x?x?xbf16>, %[[F:[^:]*]]: tensor<?x?x?xbf16>, %[[C0:[^:]*]]: tensor<?x?x16x32xf32>, %[[N0:[^:]*]]: tensor<?x?x16xf32>, %[[M0:[^:]*]]: tensor<?x?xf32>)
// CHECK-DAG: %[[S:.*]] = tensor.dim %[[K]], %c2
// CHECK-DAG: %[[L:.*]] = arith.constant 4 : index
// CHECK: %[[NC:.*]] = arith.ceildivui %[[S]], %[[L]]
// CHECK: %[[NB:.*]] = arith.addi %[[NC]], %c1
// CHECK: %[[CALL:.*]] = tensor.empty(%{{.*}}, %{{.*}}, %[[NB]]) : tensor<?x?x?x16x32xf32>
// CHECK: %[[ALL:.*]]:3 = scf.forall (%[[BI:.*]], %[[HI:.*]]) in
// CHECK-SAME: shared_outs(%[[COUT:.*]] = %[[CALL]], %[[NOUT:.*]] = %{{.*}}, %[[MOUT:.*]] = %{{.*}})
// CHECK: %[[CINIT:.*]] = tensor.extract_slice %[[C0]][%[[BI]], %[[HI]], 0, 0]
// CHECK: %[[MINIT:.*]] = tensor.extract %[[M0]][%[[BI]], %[[HI]]]
// CHECK: %[[CHEAD:.*]] = tensor.extract_slice %[[COUT]][%[[BI]], %[[HI]], 0, 0, 0] [1, 1, %{{.*}}, 16, 32]
// CHECK: %[[CB0:.*]] = tensor.insert_slice %[[CINIT]] into %[[CHEAD]][%c0{{.*}}, 0, 0] [1, 16, 32]
// CHECK: %[[MB0:.*]] = tensor.insert %[[MINIT]] into %{{.*}}[%c0
// CHECK: %[[LOOP:.*]]:6 = scf.for %[[KC:.*]] = %{{.*}} to %[[NC]] step %{{.*}} iter_args(%[[C:.*]] = %[[CINIT]], %[[N:.*]] = %{{.*}}, %[[M:.*]] = %[[MINIT]], %[[CB:.*]] = %[[CB0]], %[[NB_:.*]] = %{{.*}}, %[[MB:.*]] = %[[MB0]])
// The last chunk is masked by its length len = min(L, S - start).
// CHECK: %[[START:.*]] = arith.muli %[[KC]], %{{.*}}
// CHECK: %[[REST:.*]] = arith.subi %[[S]], %[[START]]
// CHECK: %[[LEN:.*]] = arith.minui %{{.*}}, %[[REST]]
// CHECK: %[[KS:.*]] = tensor.extract_slice %[[K]][%[[BI]], %[[HI]], %[[START]], 0] [1, 1, %[[LEN]], 16]
// CHECK: %[[VS:.*]] = tensor.extract_slice %[[V]][%[[BI]], %[[HI]], %[[START]], 0] [1, 1, %[[LEN]], 32]
// iota = i for the exp gate; log f = logsigmoid(f); b = cumsum(log f).
// CHECK: %[[IOTA:.*]] = linalg.map {{.*}}ins(%{{.*}} : tensor<?xbf16>)
// CHECK: %[[LOGF:.*]] = linalg.map {{.*}}ins(%{{.*}} : tensor<?xbf16>)
// CHECK: math.log1p
// CHECK: %[[BVEC:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[LOGF]] : tensor<?xf32>)
// CHECK: arith.cmpi ule
// g = b_{len-1}, a = g - b + iota
// CHECK: %[[LAST:.*]] = arith.subi %[[LEN]], %c1
// CHECK: %[[G:.*]] = tensor.extract %[[BVEC]][%[[LAST]]]
// CHECK: %[[A:.*]] = linalg.map {{.*}}ins(%[[BVEC]], %[[IOTA]] : tensor<?xf32>, tensor<?xf32>)
// m_k = max(g + m_{k-1}, max_t a_t)
// CHECK: %[[GM:.*]] = arith.addf %[[G]], %[[M]]
// CHECK: %[[INIT:.*]] = tensor.from_elements %[[GM]] : tensor<f32>
// CHECK: %[[RED:.*]] = linalg.reduce {{.*}}ins(%[[A]] : tensor<?xf32>) outs(%[[INIT]] : tensor<f32>) dimensions = [0]
// CHECK: arith.maximumf
// CHECK: %[[MK:.*]] = tensor.extract %[[RED]][]
// CHECK: %[[DLOG:.*]] = arith.subf %[[GM]], %[[MK]]
// CHECK: %[[DECAY:.*]] = math.exp %[[DLOG]]
// CHECK: %[[W:.*]] = linalg.map {{.*}}ins(%[[A]] : tensor<?xf32>)
// CHECK: arith.subf %{{.*}}, %[[MK]]
// C_k = decay C_{k-1} + sum_t w_t k_t v_t^T
// CHECK: %[[CDEC:.*]] = linalg.map {{.*}}ins(%[[C]] : tensor<16x32xf32>)
// CHECK: arith.mulf %[[DECAY]]
// CHECK: %[[CK:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[KS]], %[[VS]], %[[W]] : tensor<?x16xbf16>, tensor<?x32xbf16>, tensor<?xf32>) outs(%[[CDEC]] : tensor<16x32xf32>)
// CHECK: %[[NK:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[KS]], %[[W]] : tensor<?x16xbf16>, tensor<?xf32>)
// CHECK: %[[NEXT:.*]] = arith.addi %[[KC]], %c1
// CHECK: %[[CBN:.*]] = tensor.insert_slice %[[CK]] into %[[CB]][%[[NEXT]], 0, 0] [1, 16, 32]
// CHECK: %[[MBN:.*]] = tensor.insert %[[MK]] into %[[MB]][%[[NEXT]]]
// CHECK: scf.yield %[[CK]], %[[NK]], %[[MK]], %[[CBN]], %{{.*}}, %[[MBN]]
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice %[[LOOP]]#3 into %[[COUT]][%[[BI]], %[[HI]], 0, 0, 0]
// CHECK-NEXT: tensor.parallel_insert_slice %[[LOOP]]#4 into %[[NOUT]]
// CHECK-NEXT: tensor.parallel_insert_slice %[[LOOP]]#5 into %[[MOUT]]
// CHECK-NOT: mlstm.
// CHECK: return %[[ALL]]#0, %[[ALL]]#1, %[[ALL]]#2
func.func @scan_exp(%k: tensor<?x?x?x16xbf16>, %v: tensor<?x?x?x32xbf16>, %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>,
                    %c0: tensor<?x?x16x32xf32>, %n0: tensor<?x?x16xf32>, %m0: tensor<?x?xf32>)
    -> (tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>) {
  %s:3 = mlstm.chunk_state_scan k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0) chunk_size = 4
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : (tensor<?x?x?x16xbf16>, tensor<?x?x?x32xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
         tensor<?x?x16x32xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>)
      -> (tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>)
  return %s#0, %s#1, %s#2 : tensor<?x?x?x16x32xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?xf32>
}

// -----

// mLSTMsig without initial states: zeros at boundary 0, no max state, so the
// carried state decays by exp(g) and iota = logsigmoid(i).
// CHECK-LABEL: func.func @scan_sigmoid
// CHECK: scf.forall
// CHECK: %[[CZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<8x8xf32>)
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[CZERO]],
// CHECK: %[[IOTA:.*]] = linalg.map
// CHECK: math.log1p
// CHECK: %[[G:.*]] = tensor.extract %{{.*}}[%{{.*}}] : tensor<?xf32>
// CHECK-NOT: linalg.reduce
// CHECK: %[[DECAY:.*]] = math.exp %[[G]] : f32
// CHECK: linalg.map { math.exp }
// CHECK-NOT: mlstm.
func.func @scan_sigmoid(%k: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x8xf32>, %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>)
    -> (tensor<?x?x?x8x8xf32>, tensor<?x?x?x8xf32>) {
  %s:2 = mlstm.chunk_state_scan k(%k) v(%v) igate(%i) fgate(%f) chunk_size = 16
      {variant = #mlstm.variant<input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.5>}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
      -> (tensor<?x?x?x8x8xf32>, tensor<?x?x?x8xf32>)
  return %s#0, %s#1 : tensor<?x?x?x8x8xf32>, tensor<?x?x?x8xf32>
}

// -----

// Linear attention: no gate operands, so b = 0 without a cumulative sum and
// only C is scanned.
// CHECK-LABEL: func.func @scan_linear_attention
// CHECK: scf.for
// CHECK-NOT: math.log1p
// CHECK-NOT: arith.cmpi
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-NOT: mlstm.
func.func @scan_linear_attention(%k: tensor<?x?x?x8xf64>, %v: tensor<?x?x?x8xf64>) -> tensor<?x?x?x8x8xf64> {
  %s = mlstm.chunk_state_scan k(%k) v(%v) chunk_size = 2
      {variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-6, qk_scale = 1.0>}
      : (tensor<?x?x?x8xf64>, tensor<?x?x?x8xf64>) -> tensor<?x?x?x8x8xf64>
  return %s : tensor<?x?x?x8x8xf64>
}
