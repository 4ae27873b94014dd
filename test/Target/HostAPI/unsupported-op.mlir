// RUN: not mlstm-translate --emit-host-api %s 2>&1 | FileCheck %s

// The emitter translates the contract's op set only (docs/host-api.md);
// anything else in a host function is an error at the op, and no file is
// written.

// CHECK: unsupported-op.mlir:[[@LINE+17]]:5: error: unsupported op in a host function: 'memref.copy' (the host API emitter translates arith integer ops, memref.dim, memref.alloc, memref.subview, memref.cast, gpu.launch_func and func.return)
// CHECK-NOT: //---

!t = memref<?x?x?x16xf32>
module @tiny attributes {gpu.container_module} {
  gpu.binary @tiny_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  func.func @tiny_forward(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"})
      -> (!t {mlstm.result = "h"})
      attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>,
                  mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    memref.copy %q, %h : !t to !t
    gpu.launch_func @tiny_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}
