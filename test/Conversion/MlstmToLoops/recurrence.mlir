// RUN: mlstm-opt %s --convert-mlstm-to-loops --split-input-file | FileCheck %s
// RUN: mlstm-opt %s --mlstm-cpu-pipeline --split-input-file | FileCheck %s --check-prefix=LLVM

// The whole CPU pipeline reaches the LLVM dialect: nothing but llvm ops, libm's
// log1p for logsigmoid, and the C interface that CpuRunner calls.
// LLVM-LABEL: llvm.func @exp_states(
// LLVM-NOT: {{(mlstm|tensor|linalg|scf|memref|bufferization|arith|math|cf|func)\.}}
// LLVM: llvm.call @log1pf(
// LLVM-NOT: {{(mlstm|tensor|linalg|scf|memref|bufferization|arith|math|cf|func)\.}}
// LLVM-LABEL: llvm.func @_mlir_ciface_exp_states(
// LLVM-LABEL: llvm.func @sigmoid_no_states(
// LLVM-LABEL: llvm.func @_mlir_ciface_sigmoid_no_states(
// LLVM-LABEL: llvm.func @linear_attention_f64_state(
// LLVM-NOT: {{(mlstm|tensor|linalg|scf|memref|bufferization|arith|math|cf|func)\.}}
// LLVM-LABEL: llvm.func @_mlir_ciface_linear_attention_f64_state(

// mLSTMexp, bf16 inputs, f32 states, initial and final states: a parallel
// loop over (batch, head), a time loop carrying h and (C, n, m), the gates in
// f32 and h rounded back to bf16.
// CHECK-LABEL: func.func @exp_states
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<?x?x?x16xbf16>, %[[K:[^:]*]]: tensor<?x?x?x16xbf16>, %[[V:[^:]*]]: tensor<?x?x?x32xbf16>, %[[I:[^:]*]]: tensor<?x?x?xbf16>, %[[F:[^:]*]]: tensor<?x?x?xbf16>, %[[C0:[^:]*]]: tensor<?x?x16x32xf32>, %[[N0:[^:]*]]: tensor<?x?x16xf32>, %[[M0:[^:]*]]: tensor<?x?xf32>)
// CHECK-DAG: %[[B:.*]] = tensor.dim %[[Q]], %c0
// CHECK-DAG: %[[NH:.*]] = tensor.dim %[[Q]], %c1
// CHECK-DAG: %[[S:.*]] = tensor.dim %[[Q]], %c2
// CHECK: %[[ALL:.*]]:4 = scf.forall (%[[BI:.*]], %[[HI:.*]]) in (%[[B]], %[[NH]]) shared_outs(%[[HOUT:.*]] = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}})
// CHECK-DAG: %[[CINIT:.*]] = tensor.extract_slice %[[C0]][%[[BI]], %[[HI]], 0, 0] [1, 1, 16, 32]
// CHECK-DAG: %[[NINIT:.*]] = tensor.extract_slice %[[N0]][%[[BI]], %[[HI]], 0] [1, 1, 16]
// CHECK-DAG: %[[MINIT:.*]] = tensor.extract %[[M0]][%[[BI]], %[[HI]]]
// CHECK: %[[LOOP:.*]]:4 = scf.for %[[T:.*]] = %{{.*}} to %[[S]] step %{{.*}} iter_args(%[[HH:.*]] = %{{.*}}, %[[C:.*]] = %[[CINIT]], %[[N:.*]] = %[[NINIT]], %[[M:.*]] = %[[MINIT]]) -> (tensor<?x32xbf16>, tensor<16x32xf32>, tensor<16xf32>, f32)
// log f = logsigmoid(f_t) = min(f, 0) - log1p(exp(-|f|))
// CHECK: %[[FT:.*]] = tensor.extract %[[F]][%[[BI]], %[[HI]], %[[T]]]
// CHECK: %[[FX:.*]] = arith.extf %[[FT]] : bf16 to f32
// CHECK: math.log1p
// CHECK: %[[LOGF:.*]] = arith.subf
// CHECK: %[[IT:.*]] = tensor.extract %[[I]][%[[BI]], %[[HI]], %[[T]]]
// CHECK: %[[IX:.*]] = arith.extf %[[IT]] : bf16 to f32
// m' = max(log f + m, i); decay = exp(log f + m - m'), weight = exp(i - m')
// CHECK: %[[CARRIED:.*]] = arith.addf %[[LOGF]], %[[M]]
// CHECK: %[[MNEW:.*]] = arith.maximumf %[[CARRIED]], %[[IX]]
// CHECK: %[[DECAY:.*]] = math.exp
// CHECK: %[[WEIGHT:.*]] = math.exp
// CHECK: %[[KT:.*]] = tensor.extract_slice %[[K]][%[[BI]], %[[HI]], %[[T]], 0] [1, 1, 1, 16]
// CHECK: %[[VT:.*]] = tensor.extract_slice %[[V]][%[[BI]], %[[HI]], %[[T]], 0] [1, 1, 1, 32]
// CHECK: %[[CNEW:.*]] = linalg.generic {{.*}} ins(%[[KT]], %[[VT]] : tensor<16xbf16>, tensor<32xbf16>) outs(%[[C]] : tensor<16x32xf32>)
// CHECK: arith.mulf %[[DECAY]]
// CHECK: arith.mulf %[[WEIGHT]]
// CHECK: %[[NNEW:.*]] = linalg.generic {{.*}} ins(%[[KT]] : tensor<16xbf16>) outs(%[[N]] : tensor<16xf32>)
// q' = qk_scale q, on q only
// CHECK: %[[QT:.*]] = tensor.extract_slice %[[Q]][%[[BI]], %[[HI]], %[[T]], 0]
// CHECK: %[[SCALE:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: %[[QS:.*]] = linalg.map {{.*}}ins(%[[QT]] : tensor<16xbf16>)
// CHECK: arith.mulf %[[SCALE]]
// CHECK: %[[NUM:.*]] = linalg.vecmat ins(%[[QS]], %[[CNEW]] : tensor<16xf32>, tensor<16x32xf32>)
// CHECK: %[[DOT:.*]] = linalg.dot ins(%[[QS]], %[[NNEW]] : tensor<16xf32>, tensor<16xf32>)
// CHECK: %[[DEN:.*]] = tensor.extract %[[DOT]][]
// h = num / (max(|den|, exp(-m')) + eps)
// CHECK: %[[NEGM:.*]] = arith.negf %[[MNEW]]
// CHECK: %[[FLOOR:.*]] = math.exp %[[NEGM]]
// CHECK: %[[ABS:.*]] = math.absf %[[DEN]]
// CHECK: arith.maximumf %[[ABS]], %[[FLOOR]]
// CHECK: %[[HT:.*]] = linalg.map {{.*}}ins(%[[NUM]] : tensor<32xf32>) outs(%{{.*}} : tensor<32xbf16>)
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: %[[HNEXT:.*]] = tensor.insert_slice %[[HT]] into %[[HH]][%[[T]], 0] [1, 32]
// CHECK: scf.yield %[[HNEXT]], %[[CNEW]], %[[NNEW]], %[[MNEW]]
// CHECK: %[[MLAST:.*]] = tensor.from_elements %[[LOOP]]#3 : tensor<f32>
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice %[[LOOP]]#0 into %[[HOUT]][%[[BI]], %[[HI]], 0, 0]
// CHECK-NEXT: tensor.parallel_insert_slice %[[LOOP]]#1
// CHECK-NEXT: tensor.parallel_insert_slice %[[LOOP]]#2
// CHECK-NEXT: tensor.parallel_insert_slice %[[MLAST]]
// CHECK-NOT: mlstm.
// CHECK: return %[[ALL]]#0, %[[ALL]]#1, %[[ALL]]#2, %[[ALL]]#3
func.func @exp_states(%q: tensor<?x?x?x16xbf16>, %k: tensor<?x?x?x16xbf16>, %v: tensor<?x?x?x32xbf16>,
                      %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>,
                      %c0: tensor<?x?x16x32xf32>, %n0: tensor<?x?x16xf32>, %m0: tensor<?x?xf32>)
    -> (tensor<?x?x?x32xbf16>, tensor<?x?x16x32xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>) {
  %h, %c, %n, %m = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64
      : (tensor<?x?x?x16xbf16>, tensor<?x?x?x16xbf16>, tensor<?x?x?x32xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>,
         tensor<?x?x16x32xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>)
      -> (tensor<?x?x?x32xbf16>, tensor<?x?x16x32xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>)
  return %h, %c, %n, %m : tensor<?x?x?x32xbf16>, tensor<?x?x16x32xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>
}

// -----

// mLSTMsig without states: zero initial state, weight sigmoid(i), no max
// state, and the normalizer floor 1.
// CHECK-LABEL: func.func @sigmoid_no_states
// CHECK: scf.forall
// CHECK: %[[CZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<8x8xf32>)
// CHECK: %[[NZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<8xf32>)
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %[[CZERO]], %{{.*}} = %[[NZERO]]) -> (tensor<?x8xf32>, tensor<8x8xf32>, tensor<8xf32>)
// CHECK-NOT: arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK: %[[DECAY:.*]] = math.exp %[[LOGF:.*]] : f32
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[EXPNEG:.*]] = math.exp
// CHECK: %[[DENOM:.*]] = arith.addf %[[ONE]], %[[EXPNEG]]
// CHECK: %[[WEIGHT:.*]] = arith.divf %[[ONE]], %[[DENOM]]
// CHECK: linalg.vecmat
// CHECK: linalg.dot
// CHECK: %[[FLOOR:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[EPS:.*]] = arith.constant 1.000000e-03 : f32
// CHECK: %[[MAX:.*]] = arith.maximumf %{{.*}}, %[[FLOOR]]
// CHECK: arith.addf %[[MAX]], %[[EPS]]
// CHECK-NOT: mlstm.
func.func @sigmoid_no_states(%q: tensor<?x?x?x8xf32>, %k: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x8xf32>,
                             %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>) -> tensor<?x?x?x8xf32> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
      {eps = 1.0e-3 : f64}
      : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?x8xf32>
  return %h : tensor<?x?x?x8xf32>
}

// -----

// Causal linear attention with f64 states and f32 inputs: no gates at all
// (decay exp(0), weight 1), arithmetic in f64, only C carried, h = q'^T C.
// CHECK-LABEL: func.func @linear_attention_f64_state
// CHECK: scf.forall
// CHECK: scf.for {{.*}} -> (tensor<?x32xf32>, tensor<32x32xf64>)
// CHECK-NOT: math.log1p
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK: %[[DECAY:.*]] = math.exp %[[ZERO]] : f64
// CHECK: %[[WEIGHT:.*]] = arith.constant 1.000000e+00 : f64
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<32x32xf64>)
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK: linalg.vecmat ins(%{{.*}}, %{{.*}} : tensor<32xf64>, tensor<32x32xf64>)
// CHECK-NOT: linalg.dot
// CHECK: arith.truncf %{{.*}} : f64 to f32
// CHECK-NOT: mlstm.
func.func @linear_attention_f64_state(%q: tensor<1x?x?x32xf32>, %k: tensor<1x?x?x32xf32>, %v: tensor<1x?x?x32xf32>,
                                      %c0: tensor<1x?x32x32xf64>) -> (tensor<1x?x?x32xf32>, tensor<1x?x32x32xf64>) {
  %h, %c = mlstm.recurrence q(%q) k(%k) v(%v) init(%c0)
      input_gate = none, forget_gate = none, normalizer = none, chunk_size = 16 {state_type = f64}
      : (tensor<1x?x?x32xf32>, tensor<1x?x?x32xf32>, tensor<1x?x?x32xf32>, tensor<1x?x32x32xf64>)
      -> (tensor<1x?x?x32xf32>, tensor<1x?x32x32xf64>)
  return %h, %c : tensor<1x?x?x32xf32>, tensor<1x?x32x32xf64>
}
