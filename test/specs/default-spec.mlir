// RUN: mlstm-opt %mlstm_src_root/specs/mlstm.mlir | FileCheck %s
// The default spec verifies and holds the full forward matrix.

// CHECK-LABEL: module @mlstm
// CHECK-COUNT-6: input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs
// CHECK-COUNT-6: input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs
// CHECK-COUNT-6: input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none
// CHECK-NOT: mlstm.recurrence
