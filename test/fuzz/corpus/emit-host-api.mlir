// A hand-made instance of the host API contract (docs/host-api.md): what
// the GPU lowering gives the emitter. One library (@mlstm_kernels), two entry
// points: mLSTMexp with initial and final states (the final states returned
// as subviews of a boundary-state workspace), and a variant without states.
// The PTX is a stand-in whose .entry parameter lists are what
// convert-gpu-to-nvvm makes of the launches' operands (a memref of rank r:
// 3 + 2r values).

// The header: the shared C types, one documented prototype per entry point.

// The source: the runtime, the PTX, the kernel table.

// Part 1: every tensor checked against its memref type.

// Part 2: the host body, op by op, no driver call.

// Part 3: the driver work, kernels first, then workspaces, launches, copies.

// No states: no groups, nothing zero-filled or copied.


// Built with CMake and the CUDA toolkit alone.
// Cubins assembled by the toolkit's ptxas at build time, embedded.


!q = memref<?x?x?x64xbf16>
!v = memref<?x?x?x128xbf16>
!g = memref<?x?x?xbf16>
!wc = memref<?x?x?x64x128xf32>
!wn = memref<?x?x?x64xf32>
!wm = memref<?x?x?xf32>
!C = memref<?x?x64x128xf32, strided<[?, ?, 128, 1], offset: ?>>
!n = memref<?x?x64xf32, strided<[?, ?, 1], offset: ?>>
!m = memref<?x?xf32, strided<[?, ?], offset: ?>>

module @mlstm attributes {gpu.container_module} {
  gpu.binary @mlstm_kernels [#gpu.object<#nvvm.target<chip = "sm_90a", features = "+ptx80">, assembly = ".version 8.0\0A.target sm_90a\0A.address_size 64\0A.visible .entry scan(.param .u64 scan_param_0,.param .u64 scan_param_1,.param .u64 scan_param_2,.param .u64 scan_param_3,.param .u64 scan_param_4,.param .u64 scan_param_5,.param .u64 scan_param_6,.param .u64 scan_param_7,.param .u64 scan_param_8,.param .u64 scan_param_9,.param .u64 scan_param_10,.param .u64 scan_param_11,.param .u64 scan_param_12,.param .u64 scan_param_13,.param .u64 scan_param_14,.param .u64 scan_param_15,.param .u64 scan_param_16,.param .u64 scan_param_17,.param .u64 scan_param_18,.param .u64 scan_param_19,.param .u64 scan_param_20,.param .u64 scan_param_21,.param .u64 scan_param_22,.param .u64 scan_param_23,.param .u32 scan_param_24)\0A{\0Aret;\0A}\0A.visible .entry out(.param .u64 out_param_0,.param .u64 out_param_1,.param .u64 out_param_2,.param .u64 out_param_3,.param .u64 out_param_4,.param .u64 out_param_5,.param .u64 out_param_6,.param .u64 out_param_7,.param .u64 out_param_8,.param .u64 out_param_9,.param .u64 out_param_10,.param .u64 out_param_11,.param .u64 out_param_12,.param .u64 out_param_13,.param .u64 out_param_14,.param .u64 out_param_15,.param .u64 out_param_16,.param .u64 out_param_17,.param .u64 out_param_18,.param .u64 out_param_19,.param .u64 out_param_20,.param .u64 out_param_21,.param .u64 out_param_22,.param .u64 out_param_23,.param .u64 out_param_24,.param .u64 out_param_25,.param .u64 out_param_26,.param .u64 out_param_27,.param .u64 out_param_28,.param .u64 out_param_29,.param .u64 out_param_30,.param .u64 out_param_31,.param .u64 out_param_32,.param .u64 out_param_33,.param .u64 out_param_34,.param .u64 out_param_35)\0A{\0Aret;\0A}\0A">]

  func.func @mlstm_exp_bf16_d64x128(
      %q: !q {mlstm.arg = "q"}, %k: !q {mlstm.arg = "k"}, %v: !v {mlstm.arg = "v"},
      %i: !g {mlstm.arg = "i"}, %f: !g {mlstm.arg = "f"},
      %C0: memref<?x?x64x128xf32> {mlstm.arg = "C0"},
      %n0: memref<?x?x64xf32> {mlstm.arg = "n0"},
      %m0: memref<?x?xf32> {mlstm.arg = "m0"})
      -> (!v {mlstm.result = "h"}, !C {mlstm.result = "C"},
          !n {mlstm.result = "n"}, !m {mlstm.result = "m"})
      attributes {mlstm.variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-06, qk_scale = 1.250000e-01>,
                  mlstm.chunk_size = 64 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c64 = arith.constant 64 : index
    %c128 = arith.constant 128 : index
    %c256 = arith.constant 256 : index
    %c65535 = arith.constant 65535 : index
    %B = memref.dim %q, %c0 : !q
    %NH = memref.dim %q, %c1 : !q
    %S = memref.dim %q, %c2 : !q
    %nc = arith.ceildivui %S, %c64 : index
    %nc1 = arith.addi %nc, %c1 : index
    %bnh = arith.muli %B, %NH : index
    %gy = arith.minsi %bnh, %c65535 : index
    %long = arith.cmpi ugt, %S, %c64 : index
    %tx = arith.select %long, %c256, %c128 : index
    %S32 = arith.index_cast %S : index to i32
    %wc = memref.alloc(%B, %NH, %nc1) : !wc
    %wn = memref.alloc(%B, %NH, %nc1) : !wn
    %wm = memref.alloc(%B, %NH, %nc1) : !wm
    %h = memref.alloc(%B, %NH, %S) : !v
    %smem = arith.constant 98304 : i32
    gpu.launch_func @mlstm_kernels::@scan blocks in (%bnh, %c1, %c1)
        threads in (%c128, %c1, %c1) args(%wc : !wc, %k : !q, %S32 : i32)
    gpu.launch_func @mlstm_kernels::@out blocks in (%nc, %gy, %c1)
        threads in (%tx, %c1, %c1) dynamic_shared_memory_size %smem
        args(%q : !q, %wc : !wc, %h : !v, %S : index)
    %Ct = memref.subview %wc[0, 0, %nc, 0, 0] [%B, %NH, 1, 64, 128] [1, 1, 1, 1, 1] : !wc to !C
    %nt = memref.subview %wn[0, 0, %nc, 0] [%B, %NH, 1, 64] [1, 1, 1, 1] : !wn to !n
    %mt = memref.subview %wm[0, 0, %nc] [%B, %NH, 1] [1, 1, 1] : !wm to !m
    return %h, %Ct, %nt, %mt : !v, !C, !n, !m
  }

  func.func @mlstm_sig_nostate(
      %q: !q {mlstm.arg = "q"}, %k: !q {mlstm.arg = "k"}, %v: !v {mlstm.arg = "v"},
      %i: !g {mlstm.arg = "i"}, %f: !g {mlstm.arg = "f"})
      -> (!v {mlstm.result = "h"})
      attributes {mlstm.variant = #mlstm.variant<input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, eps = 1.0e-06, qk_scale = 1.250000e-01>,
                  mlstm.chunk_size = 64 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c64 = arith.constant 64 : index
    %c128 = arith.constant 128 : index
    %B = memref.dim %q, %c0 : !q
    %NH = memref.dim %q, %c1 : !q
    %S = memref.dim %q, %c2 : !q
    %nc = arith.ceildivui %S, %c64 : index
    %nc1 = arith.addi %nc, %c1 : index
    %bnh = arith.muli %B, %NH : index
    %wc = memref.alloc(%B, %NH, %nc1) : !wc
    %h = memref.alloc(%B, %NH, %S) : !v
    gpu.launch_func @mlstm_kernels::@out blocks in (%nc, %bnh, %c1)
        threads in (%c128, %c1, %c1)
        args(%q : !q, %wc : !wc, %h : !v, %S : index)
    return %h : !v
  }
}
