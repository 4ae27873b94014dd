// RUN: mlstm-opt --help | FileCheck %s
// The driver registers the mlstm dialect beside the upstream dialects that
// the lowering to NVVM uses.

// CHECK: Available Dialects:
// CHECK-SAME: gpu
// CHECK-SAME: mlstm
// CHECK-SAME: nvgpu, nvvm
