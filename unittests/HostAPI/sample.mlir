// A hand-made instance of the host API contract (docs/host-api.md), before
// --mlstm-gpu-to-ptx{bare-ptr-call-conv=0} turns its gpu.module into the
// gpu.binary the emitter reads. The kernels are stand-ins with the real
// signatures and launch shapes, simple enough to check exactly on a GPU:
//
//   @states:  C[b,nh,c] = C0[b,nh] + c for c = 0..NC (likewise n, m), into
//             boundary-state workspaces of NC + 1 chunks (NC = ceil(S / 4))
//   @output:  h[b,nh,s,d] = v[b,nh,s,d] + 2 q[b,nh,s,0] + k[b,nh,s,1]
//                           + i[b,nh,s] - f[b,nh,s]
//
// The final states returned are subviews (chunk NC) of the workspaces, as the
// real lowering returns them. @sample_plain has no states at all.

!q = memref<?x?x?x16xf32>
!v = memref<?x?x?x32xf32>
!g = memref<?x?x?xf32>
!c0 = memref<?x?x16x32xf32>
!n0 = memref<?x?x16xf32>
!m0 = memref<?x?xf32>
!wc = memref<?x?x?x16x32xf32>
!wn = memref<?x?x?x16xf32>
!wm = memref<?x?x?xf32>

module @sample attributes {gpu.container_module} {
  gpu.module @sample_kernels {
    gpu.func @states(%C0: !c0, %n0: !n0, %m0: !m0, %wc: !wc, %wn: !wn,
                     %wm: !wm, %nc: index) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %bh = gpu.block_id x
      %d = gpu.thread_id x
      %NH = memref.dim %C0, %c1 : !c0
      %b = arith.divui %bh, %NH : index
      %nh = arith.remui %bh, %NH : index
      %last = arith.addi %nc, %c1 : index
      scf.for %c = %c0 to %last step %c1 {
        %ci = arith.index_cast %c : index to i32
        %cf = arith.sitofp %ci : i32 to f32
        scf.for %r = %c0 to %c16 step %c1 {
          %x = memref.load %C0[%b, %nh, %r, %d] : !c0
          %y = arith.addf %x, %cf : f32
          memref.store %y, %wc[%b, %nh, %c, %r, %d] : !wc
        }
        %small = arith.cmpi ult, %d, %c16 : index
        scf.if %small {
          %x = memref.load %n0[%b, %nh, %d] : !n0
          %y = arith.addf %x, %cf : f32
          memref.store %y, %wn[%b, %nh, %c, %d] : !wn
        }
        %first = arith.cmpi eq, %d, %c0 : index
        scf.if %first {
          %x = memref.load %m0[%b, %nh] : !m0
          %y = arith.addf %x, %cf : f32
          memref.store %y, %wm[%b, %nh, %c] : !wm
        }
      }
      gpu.return
    }
    gpu.func @output(%q: !q, %k: !q, %v: !v, %i: !g, %f: !g, %h: !v,
                     %L: index, %S32: i32) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %two = arith.constant 2.0 : f32
      %chunk = gpu.block_id x
      %bh = gpu.block_id y
      %d = gpu.thread_id x
      %NH = memref.dim %q, %c1 : !q
      %b = arith.divui %bh, %NH : index
      %nh = arith.remui %bh, %NH : index
      %S = arith.index_cast %S32 : i32 to index
      %begin = arith.muli %chunk, %L : index
      %after = arith.addi %begin, %L : index
      %end = arith.minui %after, %S : index
      scf.for %s = %begin to %end step %c1 {
        %vv = memref.load %v[%b, %nh, %s, %d] : !v
        %qv = memref.load %q[%b, %nh, %s, %c0] : !q
        %kv = memref.load %k[%b, %nh, %s, %c1] : !q
        %iv = memref.load %i[%b, %nh, %s] : !g
        %fv = memref.load %f[%b, %nh, %s] : !g
        %q2 = arith.mulf %qv, %two : f32
        %a = arith.addf %vv, %q2 : f32
        %a2 = arith.addf %a, %kv : f32
        %a3 = arith.addf %a2, %iv : f32
        %a4 = arith.subf %a3, %fv : f32
        memref.store %a4, %h[%b, %nh, %s, %d] : !v
      }
      gpu.return
    }
  }

  func.func @sample_exp(
      %q: !q {mlstm.arg = "q"}, %k: !q {mlstm.arg = "k"}, %v: !v {mlstm.arg = "v"},
      %i: !g {mlstm.arg = "i"}, %f: !g {mlstm.arg = "f"},
      %C0: !c0 {mlstm.arg = "C0"}, %n0: !n0 {mlstm.arg = "n0"},
      %m0: !m0 {mlstm.arg = "m0"})
      -> (!v {mlstm.result = "h"},
          memref<?x?x16x32xf32, strided<[?, ?, 32, 1], offset: ?>> {mlstm.result = "C"},
          memref<?x?x16xf32, strided<[?, ?, 1], offset: ?>> {mlstm.result = "n"},
          memref<?x?xf32, strided<[?, ?], offset: ?>> {mlstm.result = "m"})
      attributes {mlstm.variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-06, qk_scale = 2.5e-01>,
                  mlstm.chunk_size = 4 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    %c32 = arith.constant 32 : index
    %B = memref.dim %q, %c0 : !q
    %NH = memref.dim %q, %c1 : !q
    %S = memref.dim %q, %c2 : !q
    %nc = arith.ceildivui %S, %c4 : index
    %nc1 = arith.addi %nc, %c1 : index
    %bh = arith.muli %B, %NH : index
    %S32 = arith.index_cast %S : index to i32
    %wc = memref.alloc(%B, %NH, %nc1) : !wc
    %wn = memref.alloc(%B, %NH, %nc1) : !wn
    %wm = memref.alloc(%B, %NH, %nc1) : !wm
    %h = memref.alloc(%B, %NH, %S) : !v
    // Over 48 KiB: the opt-in attribute must be set before the launch.
    %smem = arith.constant 65536 : i32
    gpu.launch_func @sample_kernels::@states blocks in (%bh, %c1, %c1)
        threads in (%c32, %c1, %c1)
        args(%C0 : !c0, %n0 : !n0, %m0 : !m0, %wc : !wc, %wn : !wn, %wm : !wm, %nc : index)
    gpu.launch_func @sample_kernels::@output blocks in (%nc, %bh, %c1)
        threads in (%c32, %c1, %c1) dynamic_shared_memory_size %smem
        args(%q : !q, %k : !q, %v : !v, %i : !g, %f : !g, %h : !v, %c4 : index, %S32 : i32)
    %C = memref.subview %wc[0, 0, %nc, 0, 0] [%B, %NH, 1, 16, 32] [1, 1, 1, 1, 1]
        : !wc to memref<?x?x16x32xf32, strided<[?, ?, 32, 1], offset: ?>>
    %n = memref.subview %wn[0, 0, %nc, 0] [%B, %NH, 1, 16] [1, 1, 1, 1]
        : !wn to memref<?x?x16xf32, strided<[?, ?, 1], offset: ?>>
    %m = memref.subview %wm[0, 0, %nc] [%B, %NH, 1] [1, 1, 1]
        : !wm to memref<?x?xf32, strided<[?, ?], offset: ?>>
    return %h, %C, %n, %m : !v, memref<?x?x16x32xf32, strided<[?, ?, 32, 1], offset: ?>>,
        memref<?x?x16xf32, strided<[?, ?, 1], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>
  }

  func.func @sample_plain(
      %q: !q {mlstm.arg = "q"}, %k: !q {mlstm.arg = "k"}, %v: !v {mlstm.arg = "v"},
      %i: !g {mlstm.arg = "i"}, %f: !g {mlstm.arg = "f"})
      -> (!v {mlstm.result = "h"})
      attributes {mlstm.variant = #mlstm.variant<input_gate = sigmoid, forget_gate = logsigmoid, normalizer = none, eps = 1.0e-06, qk_scale = 2.5e-01>,
                  mlstm.chunk_size = 4 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    %c32 = arith.constant 32 : index
    %B = memref.dim %q, %c0 : !q
    %NH = memref.dim %q, %c1 : !q
    %S = memref.dim %q, %c2 : !q
    %nc = arith.ceildivui %S, %c4 : index
    %bh = arith.muli %B, %NH : index
    %S32 = arith.index_cast %S : index to i32
    %h = memref.alloc(%B, %NH, %S) : !v
    gpu.launch_func @sample_kernels::@output blocks in (%nc, %bh, %c1)
        threads in (%c32, %c1, %c1)
        args(%q : !q, %k : !q, %v : !v, %i : !g, %f : !g, %h : !v, %c4 : index, %S32 : i32)
    return %h : !v
  }
}
