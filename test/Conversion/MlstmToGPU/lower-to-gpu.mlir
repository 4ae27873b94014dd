// RUN: mlstm-opt %s --mlstm-lower-to-gpu --split-input-file --verify-diagnostics | FileCheck %s

// A tiled kernel becomes a launch of one warpgroup per program, its forall
// indices recovered from blockIdx.x, named after its function and kind.
// CHECK-LABEL: func.func @kernel
// CHECK: %[[PROGRAMS:.*]] = arith.muli
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG: %[[SMEM:.*]] = arith.constant {{[0-9]+}} : i32
// CHECK: gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[PROGRAMS]], {{.*}}) threads(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C128]], {{.*}}) dynamic_shared_memory_size %[[SMEM]] module(@kernel_kernels) function(@kernel_output)
// CHECK:   gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:   gpu.thread_id x
// CHECK:   arith.remui %[[BX]]
// The 2-D load is staged in shared memory between barriers.
// CHECK:   %[[VIEW:.*]] = memref.view {{.*}} to memref<64x16xf32, #gpu.address_space<workgroup>>
// CHECK:   gpu.barrier
// CHECK:   memref.load %{{.*}} : memref<?x?x16xf32>
// CHECK:   gpu.barrier
// The product: a loop over k carrying the thread's 64 * 64 / 128 = 32
// accumulators, reading both operands from shared memory.
// CHECK:   %{{.*}}:32 = scf.for
// CHECK:     memref.load %[[VIEW]]
// Exponentials run on the SFU, not through libdevice.
// CHECK:   llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f32"
// Row sums: shuffles across the 4 lanes of a row.
// CHECK:   gpu.shuffle  xor %{{.*}}, %{{.*}}, %{{.*}} : f32
// CHECK:   gpu.terminator
// CHECK: } {mlstm.schedule = #mlstm.schedule<kind = output
// CHECK-NOT: scf.forall
func.func @kernel(%a: memref<?x?x16xf32>, %out: memref<?x64xf32>, %n: index) {
  %c2 = arith.constant 2 : index
  scf.forall (%i, %j) in (%n, %c2) {
    %c0 = arith.constant 0 : index
    %t = mlstm.tile_load %a[%i, %c0, %c0] : memref<?x?x16xf32> -> tensor<64x16xf32>
    %s = mlstm.tile_matmul %t, %t {transpose_rhs} : tensor<64x16xf32>, tensor<64x16xf32> -> tensor<64x64xf32>
    %w = mlstm.tile_exp_gates %s : tensor<64x64xf32> -> tensor<64x64xf32>
    %r = mlstm.tile_reduce add %w dim 1 : tensor<64x64xf32> -> tensor<64xf32>
    mlstm.tile_store %r, %out[%c0, %j] : tensor<64xf32>, memref<?x64xf32>
  } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 64, block_q = 64, block_k = 64, block_dqk = 16, block_dhv = 64, warps = 4, stages = 1>}
  return
}

// -----

// Products need whole warpgroup row blocks.
func.func @small_rows(%a: memref<?x16xf32>, %n: index) {
  scf.forall (%i) in (%n) {
    %c0 = arith.constant 0 : index
    %t = mlstm.tile_load %a[%c0, %c0] : memref<?x16xf32> -> tensor<16x16xf32>
    // expected-error @+1 {{GPU lowering needs M % 64 == 0 and N % 8 == 0, got 16x16}}
    %s = mlstm.tile_matmul %t, %t : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
    %e = tensor.extract %s[%c0, %c0] : tensor<16x16xf32>
  } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 16, block_q = 16, block_k = 16, block_dqk = 16, block_dhv = 16, warps = 4, stages = 1>}
  return
}

// -----

// 16-bit operands go to the tensor cores: staged 128B-swizzled (flat,
// 1024-aligned views), fenced for the async proxy, four m64n64k16 wgmmas
// over K = 64 whose D fragment is the Acc2D layout.
// CHECK-LABEL: func.func @wgmma
// CHECK: memref.view {{.*}} to memref<4096xbf16, #gpu.address_space<workgroup>>
// CHECK: arith.xori
// CHECK: nvvm.fence.proxy
// CHECK: gpu.barrier
// CHECK: nvvm.wgmma.fence.aligned
// CHECK-COUNT-4: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 64, k = 16>, D[<f32>, {{.*}}], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <col>]
// CHECK: nvvm.wgmma.commit.group.sync.aligned
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
func.func @wgmma(%a: memref<?x64xbf16>, %out: memref<?x64xf32>, %n: index) {
  scf.forall (%i) in (%n) {
    %c0 = arith.constant 0 : index
    %t = mlstm.tile_load %a[%c0, %c0] : memref<?x64xbf16> -> tensor<64x64xbf16>
    %s = mlstm.tile_matmul %t, %t {transpose_rhs} : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
    mlstm.tile_store %s, %out[%c0, %c0] : tensor<64x64xf32>, memref<?x64xf32>
  } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 64, block_q = 64, block_k = 64, block_dqk = 64, block_dhv = 64, warps = 4, stages = 1>}
  return
}
