// RUN: mlstm-opt %s --mlstm-export-entry-points=default-chunk-size=128 | FileCheck %s

// An entry point: argument and result roles, the variant, the chunk size.
// CHECK-LABEL: func.func @entry
// CHECK-SAME: {mlstm.arg = "q"}
// CHECK-SAME: {mlstm.arg = "k"}
// CHECK-SAME: {mlstm.arg = "v"}
// CHECK-SAME: {mlstm.arg = "i"}
// CHECK-SAME: {mlstm.arg = "f"}
// CHECK-SAME: {mlstm.arg = "C0"}
// CHECK-SAME: {mlstm.arg = "n0"}
// CHECK-SAME: {mlstm.arg = "m0"}
// CHECK-SAME: {mlstm.result = "h"}
// CHECK-SAME: {mlstm.result = "C"}
// CHECK-SAME: {mlstm.result = "n"}
// CHECK-SAME: {mlstm.result = "m"}
// CHECK-SAME: attributes {mlstm.chunk_size = 128 : i64, mlstm.variant = #mlstm.variant<input_gate = exp
func.func @entry(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>,
                 %i: tensor<?x?x?xf32>, %f: tensor<?x?x?xf32>,
                 %c0: tensor<?x?x16x8xf32>, %n0: tensor<?x?x16xf32>, %m0: tensor<?x?xf32>)
    -> (tensor<?x?x?x8xf32>, tensor<?x?x16x8xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>) {
  %h, %c, %n, %m = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f) init(%c0, %n0, %m0)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
         tensor<?x?x16x8xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>)
      -> (tensor<?x?x?x8xf32>, tensor<?x?x16x8xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>)
  return %h, %c, %n, %m : tensor<?x?x?x8xf32>, tensor<?x?x16x8xf32>, tensor<?x?x16xf32>, tensor<?x?xf32>
}

// Scalar-gated, explicit chunk size, no states.
// CHECK-LABEL: func.func @gla
// CHECK-SAME: {mlstm.arg = "f"}
// CHECK-SAME: {mlstm.result = "h"}
// CHECK-SAME: mlstm.chunk_size = 32 : i64
func.func @gla(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>, %f: tensor<?x?x?xf32>) -> tensor<?x?x?x8xf32> {
  %h = mlstm.recurrence q(%q) k(%q) v(%v) fgate(%f)
      input_gate = none, forget_gate = logsigmoid, normalizer = none, chunk_size = 32
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?x8xf32>
  return %h : tensor<?x?x?x8xf32>
}

// Not an entry point: the recurrence's result is post-processed.
// CHECK-LABEL: func.func @not_entry
// CHECK-NOT: mlstm.arg
// CHECK-NOT: mlstm.variant
// CHECK: return
func.func @not_entry(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32> {
  %h = mlstm.recurrence q(%q) k(%q) v(%v)
      input_gate = none, forget_gate = none, normalizer = none, chunk_size = 32
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32>
  %h2 = arith.addf %h, %h : tensor<?x?x?x8xf32>
  return %h2 : tensor<?x?x?x8xf32>
}
