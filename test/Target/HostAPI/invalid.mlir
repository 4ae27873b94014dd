// RUN: mlstm-translate --emit-host-api -split-input-file -verify-diagnostics %s

// What the host API emitter refuses, each with a located error: the entry
// point contract of docs/host-api.md (roles, variant, types), the op set of
// a host function, and the kernels' ABI as the PTX spells it.

// An op outside the contract's set.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    // expected-error @+1 {{unsupported op in a host function: 'arith.remui' (the host API emitter translates arith integer ops, memref.dim, memref.alloc, memref.subview, memref.cast, gpu.launch_func and func.return)}}
    %r = arith.remui %S, %c2 : index
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Host code is integer code.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    // expected-error @+1 {{'arith.constant' on 'f32': host code computes on index, i64, i32 and i1 values only}}
    %x = arith.constant 1.0 : f32
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Every argument has a role.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{argument #1 has no 'mlstm.arg' string attribute}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Roles are the contract's.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{argument #1 has unknown role "key" (expected q, k, v, i, f, C0, n0, m0, h, dh, dC, dn or dm)}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "key"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// A role once.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{two arguments have role "q"}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "q"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// The variant is required.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{missing 'mlstm.variant' (#mlstm.variant<...>)}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// So is the chunk size.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{missing 'mlstm.chunk_size' (an integer)}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// The rank of a role.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{argument #1 ('k') must have rank 4, not 'memref<?x?x16xf32>'}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: memref<?x?x16xf32> {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Element types the C API has a dtype for.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{argument #1 ('k') has element type 'i8'; the C API takes bf16, f16 and f32 tensors}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: memref<?x?x?x16xi8> {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Static head dimensions agree.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{DQK is 16 in q but 8 in k}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: memref<?x?x?x8xf32> {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// The variant's gates are arguments.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{missing argument 'i' (the variant's input gate)}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Initial states: exactly the variant's.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{unexpected argument 'n0' (the variant's normalizer)}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}, %i: memref<?x?x?xf32> {mlstm.arg = "i"}, %C0: memref<?x?x16x16xf32> {mlstm.arg = "C0"}, %n0: memref<?x?x16xf32> {mlstm.arg = "n0"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = sigmoid, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Initial states: all or none.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{missing argument 'n0' (the variant's normalizer)}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}, %i: memref<?x?x?xf32> {mlstm.arg = "i"}, %C0: memref<?x?x16x16xf32> {mlstm.arg = "C0"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = sigmoid, forget_gate = none, normalizer = max_abs, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Results come from an alloc or a subview.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{result #0 must be returned from a memref.alloc (the user's output tensor) or a memref.subview (copied into it)}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %q : !t
  }
}

// -----

// A buffer is one result.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}, !t {mlstm.result = "C"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    // expected-error @+1 {{a memref.alloc is returned twice}}
    return %h, %h : !t, !t
  }
}

// -----

// The library is named by its binary.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  // expected-error @+1 {{a kernel library's binary must be named @<lib>_kernels, <lib> a C identifier (the library's name), not @lib}}
  gpu.binary @lib [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Kernels must be serialized.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  gpu.module @lib_gpu {
    gpu.func @k(%a: !t, %b: !t) kernel { gpu.return }
  }
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    // expected-error @+1 {{@lib_gpu is not a gpu.binary (run gpu-module-to-binary first)}}
    gpu.launch_func @lib_gpu::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// The launched kernel is in the PTX.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    // expected-error @+1 {{the PTX of @lib_kernels has no '.entry other'}}
    gpu.launch_func @lib_kernels::@other blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Bare-pointer kernels do not match the launch.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1)\0A{\0Aret;\0A}\0A">]
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    // expected-error @+1 {{'.entry k' takes 2 PTX parameters, but the launch passes 22 (per operand: 11 11; a memref of rank r is 3 + 2r values with convert-gpu-to-nvvm's default calling convention, 1 with bare pointers)}}
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Launches are ordered on the caller's stream.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    // expected-error @+1 {{asynchronous launches are not supported: the entry point orders its launches on the caller's stream}}
    %t2 = gpu.launch_func async @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Cluster launches are not supported yet.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    // expected-error @+1 {{cluster launches are not supported yet}}
    gpu.launch_func @lib_kernels::@k clusters in (%c1, %c1, %c1) blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// A binary needs its PTX.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  // expected-error @+1 {{holds no PTX object; a library embeds one per binary (run gpu-module-to-binary with format=isa and one #nvvm.target)}}
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, bin = "\7FELF">]
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Workspaces live in global memory.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    // expected-error @+1 {{host memref.alloc must have the identity layout and the default memory space: 'memref<?xf32, 3>'}}
    %w = memref.alloc(%S) : memref<?xf32, 3>
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}

// -----

// Kernel operands are memrefs and integers.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    %t = arith.cmpi eq, %S, %c1 : index
    %x = arith.constant 1 : i64
    %y = arith.index_cast %x : i64 to index
    // expected-error @+1 {{kernel operand of type 'i1' is not supported (memrefs, index, i32 and i64 are)}}
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t, %t : i1)
    return %h : !t
  }
}

// -----

// An entry point launches something.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  // expected-error @+1 {{launches no kernel, so it belongs to no library}}
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    return %h : !t
  }
}

// -----

// An entry point uses one library.

!t = memref<?x?x?x16xf32>
module attributes {gpu.container_module} {
  gpu.binary @lib_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  gpu.binary @other_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".version 8.0\0A.target sm_90a\0A.visible .entry k(.param .u64 k_param_0,.param .u64 k_param_1,.param .u64 k_param_2,.param .u64 k_param_3,.param .u64 k_param_4,.param .u64 k_param_5,.param .u64 k_param_6,.param .u64 k_param_7,.param .u64 k_param_8,.param .u64 k_param_9,.param .u64 k_param_10,.param .u64 k_param_11,.param .u64 k_param_12,.param .u64 k_param_13,.param .u64 k_param_14,.param .u64 k_param_15,.param .u64 k_param_16,.param .u64 k_param_17,.param .u64 k_param_18,.param .u64 k_param_19,.param .u64 k_param_20,.param .u64 k_param_21)\0A{\0Aret;\0A}\0A">]
  func.func @entry(%q: !t {mlstm.arg = "q"}, %k: !t {mlstm.arg = "k"}, %v: !t {mlstm.arg = "v"}) -> (!t {mlstm.result = "h"}) attributes {mlstm.variant = #mlstm.variant<input_gate = none, forget_gate = none, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>, mlstm.chunk_size = 16 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %B = memref.dim %q, %c0 : !t
    %NH = memref.dim %q, %c1 : !t
    %S = memref.dim %q, %c2 : !t
    %h = memref.alloc(%B, %NH, %S) : !t
    gpu.launch_func @lib_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    // expected-error @+1 {{launches a kernel of @other_kernels, which is not in library 'lib' (an entry point launches kernels of one library)}}
    gpu.launch_func @other_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%q : !t, %h : !t)
    return %h : !t
  }
}
