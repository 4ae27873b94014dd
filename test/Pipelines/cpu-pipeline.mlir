// RUN: mlstm-opt %s --mlstm-cpu-pipeline | FileCheck %s
// RUN: mlstm-opt %s --mlstm-chunk --mlstm-cpu-pipeline | FileCheck %s

// Spec level straight through the pipeline, and the chunked level after
// --mlstm-chunk: both end in the LLVM dialect with a C interface per
// function (what the JIT harness, CpuRunner, calls), with f64 arithmetic
// calling libm's log1p.
// CHECK-LABEL: llvm.func @gla_f64(
// CHECK-NOT: {{(mlstm|tensor|linalg|scf|memref|bufferization|arith|math|cf|func)\.}}
// CHECK: llvm.call @log1p(
// CHECK-NOT: {{(mlstm|tensor|linalg|scf|memref|bufferization|arith|math|cf|func)\.}}
// CHECK-LABEL: llvm.func @_mlir_ciface_gla_f64(
// CHECK-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: llvm.call @gla_f64(
func.func @gla_f64(%q: tensor<?x?x?x8xf64>, %k: tensor<?x?x?x8xf64>, %v: tensor<?x?x?x4xf64>,
                   %f: tensor<?x?x?xf64>, %c0: tensor<?x?x8x4xf64>)
    -> (tensor<?x?x?x4xf64>, tensor<?x?x8x4xf64>) {
  %h, %c = mlstm.recurrence q(%q) k(%k) v(%v) fgate(%f) init(%c0)
      input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = 4
      {state_type = f64}
      : (tensor<?x?x?x8xf64>, tensor<?x?x?x8xf64>, tensor<?x?x?x4xf64>, tensor<?x?x?xf64>, tensor<?x?x8x4xf64>)
      -> (tensor<?x?x?x4xf64>, tensor<?x?x8x4xf64>)
  return %h, %c : tensor<?x?x?x4xf64>, tensor<?x?x8x4xf64>
}
