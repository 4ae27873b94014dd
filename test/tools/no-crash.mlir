// RUN: not mlstm-opt %s -split-input-file 2>&1 | FileCheck %s
// Malformed text gets a parse diagnostic, never a crash.

// CHECK: error: custom op 'mlstm.recurrence' expected 'q'
%0 = mlstm.recurrence

// -----

// CHECK: error: use of undeclared SSA value name
func.func @undeclared() {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) input_gate = none, forget_gate = none, normalizer = none, chunk_size = auto : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32>
  return
}

// -----

// CHECK: error: 'mlstm.recurrence' op requires attribute 'forget_gate'
func.func @generic_missing_attr(%q: tensor<?x?x?x8xf32>) {
  %h = "mlstm.recurrence"(%q, %q, %q) <{input_gate = #mlstm<input_gate none>, normalizer = #mlstm<normalizer none>, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}> : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32>
  return
}

// -----

// CHECK: error: 'mlstm.recurrence' op expected 3 or more operands, but found 2
func.func @generic_bad_segments(%q: tensor<?x?x?x8xf32>) {
  %h = "mlstm.recurrence"(%q, %q) <{forget_gate = #mlstm<forget_gate none>, input_gate = #mlstm<input_gate none>, normalizer = #mlstm<normalizer none>, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}> : (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32>
  return
}
