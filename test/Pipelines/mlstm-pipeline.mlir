// RUN: mlstm-opt %s --mlstm-pipeline | FileCheck %s
// RUN: mlstm-opt %s --mlstm-pipeline=emit-ptx=false | FileCheck %s --check-prefix=NOPTX

// The whole lowering: a spec function becomes a host function on buffers
// that launches the state-scan and output kernels, whose PTX (sm_90a) sits
// in a gpu.binary; no mlstm op survives.

// Without the NVPTX back end the kernels stay gpu.func bodies.
// NOPTX-LABEL: func.func @sig
// NOPTX: gpu.launch_func @sig_kernels::@sig_state_scan
// NOPTX-NOT: gpu.binary
// NOPTX: gpu.module @sig_kernels
// NOPTX: gpu.func @sig_state_scan
// NOPTX-NOT: gpu.binary

// CHECK-LABEL: func.func @sig
// CHECK-SAME: {mlstm.arg = "q"}
// CHECK-SAME: {mlstm.result = "h"}
// CHECK: %[[STATES:.*]] = memref.alloc(%{{.*}}, %{{.*}}, %{{.*}}) : memref<?x?x?x64x64xf32>
// CHECK: gpu.launch_func @sig_kernels::@sig_state_scan blocks in (%{{.*}}, %{{.*}}, %{{.*}}) threads in (%{{.*}}, %{{.*}}, %{{.*}}) dynamic_shared_memory_size
// CHECK: %[[H:.*]] = memref.alloc
// CHECK: gpu.launch_func @sig_kernels::@sig_output
// CHECK: return %[[H]]
// CHECK: gpu.binary @sig_kernels  [#gpu.object<#nvvm.target<O = 3, chip = "sm_90a", features = "+ptx80">
// CHECK-SAME: .entry sig_state_scan
// CHECK-SAME: .entry sig_output
// CHECK-NOT: mlstm.tile
// CHECK-NOT: mlstm.chunk
func.func @sig(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x64xbf16>,
               %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) -> tensor<?x?x?x64xbf16> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = sigmoid, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = 64
      : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>)
      -> tensor<?x?x?x64xbf16>
  return %h : tensor<?x?x?x64xbf16>
}
