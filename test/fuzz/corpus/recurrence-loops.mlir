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
// log f = logsigmoid(f_t) = min(f, 0) - log1p(exp(-|f|))
// m' = max(log f + m, i); decay = exp(log f + m - m'), weight = exp(i - m')
// q' = qk_scale q, on q only
// h = num / (max(|den|, exp(-m')) + eps)
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
