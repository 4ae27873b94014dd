// Proof kernel (a): a bf16 GEMM tile through TMA and nvgpu.warpgroup.mma,
// the way the TFLA lowering will issue its P·V-style products:
//
//   C[256x256] f32 = A[256x512] bf16 · B[512x256] bf16
//   A row-major (K innermost: K-major), B row-major (N innermost: N-major).
//
// One CTA = one warpgroup (128 threads) per 128x128 tile of C; grid (2,2,1).
// K is walked in 64-wide steps through a 2-stage ring in 64 KiB of dynamic
// shared memory (stage s: A at 32 KiB·s, B at 32 KiB·s + 16 KiB), each
// stage with its own mbarrier: the phase of stage s at step k is (k/2) % 2.
// Arguments: pointers to two 128-byte CUtensorMaps in device memory (A: box
// {64, 128} over {K, M}; B: box {64, 64} over {N, K}; 128B swizzle, so a
// box row is at most 128 bytes and B's 128 columns take two boxes), and C.
//
// What the lowering must get right, and this kernel checks on the device:
//  - dynamic shared memory 1024-byte aligned and `.extern` (the
//    mlstm-gpu-extern-shared-memory pass): 128B-swizzled TMA boxes and the
//    wgmma descriptors built from their addresses assume it;
//  - nvgpu.warpgroup.mma with {transposeB} for an N-major B: its descriptor
//    walk (LBO = 64 columns · 128 B between the two B boxes, +16 rows per
//    k-step) is written for exactly this layout. A K-major B (Q·Kᵀ) needs
//    nvvm.wgmma.mma_async with hand-made descriptors: see qk-rowmax-exp.mlir;
//  - waitGroup = 0 plus a CTA barrier before a stage is refilled: the
//    default (1) lets the wgmma that reads a stage still run while the TMA
//    overwrites it.

// RUN: mlstm-opt %s --mlstm-gpu-to-ptx | mlstm-translate --extract-ptx \
// RUN:   | FileCheck %s

// CHECK: .extern .shared .align 1024 .b8 [[SMEM:[_a-zA-Z0-9]+]][];
// CHECK-LABEL: .visible .entry gemm_tma_wgmma(
// CHECK: mbarrier.init.shared.b64
// CHECK: [[SMEM]]
// CHECK: mbarrier.arrive.expect_tx.shared.b64
// CHECK: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// CHECK: mbarrier.try_wait.parity.shared.b64
// CHECK: wgmma.fence.sync.aligned
// CHECK-COUNT-8: wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16
// CHECK: wgmma.commit_group.sync.aligned
// CHECK: wgmma.wait_group.sync.aligned 0
// CHECK-NOT: __nv_

!tmaA = !nvgpu.tensormap.descriptor<tensor = memref<128x64xbf16, 3>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
!tmaB = !nvgpu.tensormap.descriptor<tensor = memref<64x64xbf16, 3>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
!barriers = !nvgpu.mbarrier.group<memorySpace = #gpu.address_space<workgroup>, num_barriers = 2>
!acc = !nvgpu.warpgroup.accumulator<fragmented = vector<128x128xf32>>
!smem = memref<?xi8, #gpu.address_space<workgroup>>
!tileA = memref<128x64xbf16, #gpu.address_space<workgroup>>
!tileB = memref<64x128xbf16, #gpu.address_space<workgroup>>
!boxB = memref<64x64xbf16, #gpu.address_space<workgroup>>
!descA = !nvgpu.warpgroup.descriptor<tensor = memref<128x64xbf16, 3>>
!descB = !nvgpu.warpgroup.descriptor<tensor = memref<64x128xbf16, 3>>

module attributes {gpu.container_module} {
gpu.module @gemm_tma_wgmma {
  gpu.func @gemm_tma_wgmma(%aMapPtr: !llvm.ptr, %bMapPtr: !llvm.ptr,
                           %C: memref<256x256xf32>) kernel
      attributes {known_block_size = array<i32: 128, 1, 1>} {
    // Device pointers to CUtensorMaps; the casts cancel against those of
    // convert-nvgpu-to-nvvm (the descriptor type lowers to !llvm.ptr).
    %aMap = builtin.unrealized_conversion_cast %aMapPtr : !llvm.ptr to !tmaA
    %bMap = builtin.unrealized_conversion_cast %bMapPtr : !llvm.ptr to !tmaB
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c64 = arith.constant 64 : index
    %c128 = arith.constant 128 : index
    %c8192 = arith.constant 8192 : index
    %c16384 = arith.constant 16384 : index
    %c32768 = arith.constant 32768 : index
    // K / 64 steps; bytes per stage (A box + two B boxes).
    %kSteps = arith.constant 8 : index
    %txBytes = arith.constant 32768 : index
    %ticks = arith.constant 10000000 : index

    %tid = gpu.thread_id x
    %bx = gpu.block_id x
    %by = gpu.block_id y
    %m0 = arith.muli %by, %c128 : index
    %n0 = arith.muli %bx, %c128 : index
    %n1 = arith.addi %n0, %c64 : index
    %isLeader = arith.cmpi eq, %tid, %c0 : index
    %smem = gpu.dynamic_shared_memory : !smem

    %bar = nvgpu.mbarrier.create -> !barriers
    scf.if %isLeader {
      nvgpu.mbarrier.init %bar[%c0], %c1 : !barriers
      nvgpu.mbarrier.init %bar[%c1], %c1 : !barriers
      nvgpu.tma.prefetch.descriptor %aMap : !tmaA
      nvgpu.tma.prefetch.descriptor %bMap : !tmaB
    }
    gpu.barrier

    // Prologue: fill both stages (k = 0, 1).
    scf.for %s = %c0 to %c2 step %c1 {
      scf.if %isLeader {
        %aOff = arith.muli %s, %c32768 : index
        %bOff = arith.addi %aOff, %c16384 : index
        %bOff1 = arith.addi %bOff, %c8192 : index
        %a = memref.view %smem[%aOff][] : !smem to !tileA
        %b0 = memref.view %smem[%bOff][] : !smem to !boxB
        %b1 = memref.view %smem[%bOff1][] : !smem to !boxB
        %k0 = arith.muli %s, %c64 : index
        nvgpu.mbarrier.arrive.expect_tx %bar[%s], %txBytes : !barriers
        nvgpu.tma.async.load %aMap[%k0, %m0], %bar[%s] to %a : !tmaA, !barriers -> !tileA
        nvgpu.tma.async.load %bMap[%n0, %k0], %bar[%s] to %b0 : !tmaB, !barriers -> !boxB
        nvgpu.tma.async.load %bMap[%n1, %k0], %bar[%s] to %b1 : !tmaB, !barriers -> !boxB
      }
    }

    %zero = nvgpu.warpgroup.mma.init.accumulator -> !acc
    %sum = scf.for %k = %c0 to %kSteps step %c1 iter_args(%acc = %zero) -> (!acc) {
      %s = arith.remui %k, %c2 : index
      %round = arith.divui %k, %c2 : index
      %phaseIdx = arith.remui %round, %c2 : index
      %phase = arith.index_cast %phaseIdx : index to i1
      nvgpu.mbarrier.try_wait.parity %bar[%s], %phase, %ticks : !barriers

      %aOff = arith.muli %s, %c32768 : index
      %bOff = arith.addi %aOff, %c16384 : index
      %a = memref.view %smem[%aOff][] : !smem to !tileA
      %b = memref.view %smem[%bOff][] : !smem to !tileB
      %dA = nvgpu.warpgroup.generate.descriptor %a, %aMap : !tileA, !tmaA -> !descA
      %dB = nvgpu.warpgroup.generate.descriptor %b, %bMap : !tileB, !tmaB -> !descB
      %next = nvgpu.warpgroup.mma %dA, %dB, %acc {transposeB, waitGroup = 0 : i64}
          : !descA, !descB, !acc -> !acc

      // Every thread's wgmma on stage s has completed (waitGroup 0); after
      // the barrier the leader may refill it with step k + 2.
      gpu.barrier
      %kNext = arith.addi %k, %c2 : index
      %more = arith.cmpi ult, %kNext, %kSteps : index
      %refill = arith.andi %more, %isLeader : i1
      scf.if %refill {
        %bOff1 = arith.addi %bOff, %c8192 : index
        %b0 = memref.view %smem[%bOff][] : !smem to !boxB
        %b1 = memref.view %smem[%bOff1][] : !smem to !boxB
        %kk = arith.muli %kNext, %c64 : index
        nvgpu.mbarrier.arrive.expect_tx %bar[%s], %txBytes : !barriers
        nvgpu.tma.async.load %aMap[%kk, %m0], %bar[%s] to %a : !tmaA, !barriers -> !tileA
        nvgpu.tma.async.load %bMap[%n0, %kk], %bar[%s] to %b0 : !tmaB, !barriers -> !boxB
        nvgpu.tma.async.load %bMap[%n1, %kk], %bar[%s] to %b1 : !tmaB, !barriers -> !boxB
      }
      scf.yield %next : !acc
    }

    // The accumulator fragment goes straight to global memory.
    %cTile = memref.subview %C[%m0, %n0] [128, 128] [1, 1]
        : memref<256x256xf32> to memref<128x128xf32, strided<[256, 1], offset: ?>>
    nvgpu.warpgroup.mma.store %sum, %cTile
        : !acc to memref<128x128xf32, strided<[256, 1], offset: ?>>
    gpu.return
  }
}
}
