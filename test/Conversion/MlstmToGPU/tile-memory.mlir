// RUN: mlstm-opt %s --mlstm-lower-to-gpu --split-input-file | FileCheck %s

// A 2-D tile_load staged in shared memory: whole tiles (a uniform check of
// bounds, `valid`, unit last stride and 16-byte alignment) are read with
// 16-byte vectors, all loads before the stores into the swizzled slot;
// partial tiles take the masked element-wise path, a loop over the thread's
// elements (tid, tid + 128, ...), not unrolled.
// CHECK-LABEL: func.func @load_shared
// CHECK:      %[[TID:.*]] = gpu.thread_id x
// CHECK:      memref.extract_strided_metadata
// CHECK:      memref.extract_aligned_pointer_as_index
// CHECK:      %[[FLAT:.*]] = memref.reinterpret_cast
// CHECK:      gpu.barrier
// CHECK:      scf.if
// CHECK-COUNT-4: vector.load %[[FLAT]][%{{.*}}] {alignment = 16 : i64} : memref<?xbf16>, vector<8xbf16>
// CHECK-COUNT-4: vector.store %{{.*}} {alignment = 16 : i64} : memref<4096xbf16, #gpu.address_space<workgroup>>, vector<8xbf16>
// CHECK:      } else {
// CHECK:        scf.for %{{.*}} = %[[TID]] to %c4096{{.*}} step %c128
// CHECK:          memref.load %{{.*}} : memref<?x64xbf16>
// CHECK:          memref.store %{{.*}} : memref<4096xbf16, #gpu.address_space<workgroup>>
// CHECK-NOT:      memref.load
// CHECK:      nvvm.fence.proxy
// CHECK:      gpu.barrier
// CHECK:      nvvm.wgmma.mma_async
func.func @load_shared(%a: memref<?x64xbf16>, %out: memref<?x64xf32>, %n: index, %rows: index) {
  scf.forall (%i) in (%n) {
    %c0 = arith.constant 0 : index
    %t = mlstm.tile_load %a[%i, %c0] valid(%rows) : memref<?x64xbf16> -> tensor<64x64xbf16>
    %s = mlstm.tile_matmul %t, %t {transpose_rhs} : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
    mlstm.tile_store %s, %out[%c0, %c0] : tensor<64x64xf32>, memref<?x64xf32>
  } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 64, block_q = 64, block_k = 64, block_dqk = 64, block_dhv = 64, warps = 4, stages = 1>}
  return
}

// -----

// A tile read only by elementwise math goes straight into Acc2D registers
// (no shared memory, no barrier): one 2-element access per column pair of
// the thread, 64 * 64 / 128 / 2 = 16 of them, yielded by the fast branch.
// The 2-D store writes pairs too when the whole tile exists.
// CHECK-LABEL: func.func @load_registers
// CHECK-NOT:  memref.view
// CHECK-NOT:  gpu.barrier
// CHECK:      %{{.*}}:32 = scf.if
// CHECK-COUNT-16: vector.load %{{.*}} {alignment = 8 : i64} : memref<?xf32>, vector<2xf32>
// CHECK:      } else {
// CHECK:        memref.load %{{.*}} : memref<?x?x64xf32, strided<[?, ?, ?], offset: ?>>
// CHECK:      arith.mulf
// CHECK:      scf.if
// CHECK-COUNT-16: vector.store %{{.*}} {alignment = 8 : i64} : memref<?xf32>, vector<2xf32>
// CHECK:      } else {
// CHECK:        memref.store
func.func @load_registers(%a: memref<?x?x64xf32, strided<[?, ?, ?], offset: ?>>, %out: memref<?x64xf32>, %n: index) {
  scf.forall (%i) in (%n) {
    %c0 = arith.constant 0 : index
    %t = mlstm.tile_load %a[%i, %c0, %c0] : memref<?x?x64xf32, strided<[?, ?, ?], offset: ?>> -> tensor<64x64xf32>
    %s = arith.mulf %t, %t : tensor<64x64xf32>
    mlstm.tile_store %s, %out[%c0, %c0] : tensor<64x64xf32>, memref<?x64xf32>
  } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 64, block_q = 64, block_k = 64, block_dqk = 64, block_dhv = 64, warps = 4, stages = 1>}
  return
}

// -----

// Columns not a multiple of the 16-byte vector keep the element-wise path
// alone (no fast branch).
// CHECK-LABEL: func.func @load_narrow
// CHECK-NOT:  vector.load
// CHECK:      memref.load %{{.*}} : memref<?x4xf32>
// CHECK:      gpu.barrier
// CHECK:      scf.for
func.func @load_narrow(%a: memref<?x4xf32>, %out: memref<?x64xf32>, %n: index) {
  scf.forall (%i) in (%n) {
    %c0 = arith.constant 0 : index
    %t = mlstm.tile_load %a[%c0, %c0] : memref<?x4xf32> -> tensor<64x6xf32>
    %s = mlstm.tile_matmul %t, %t {transpose_rhs} : tensor<64x6xf32>, tensor<64x6xf32> -> tensor<64x64xf32>
    mlstm.tile_store %s, %out[%c0, %c0] : tensor<64x64xf32>, memref<?x64xf32>
  } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 64, block_q = 64, block_k = 64, block_dqk = 8, block_dhv = 64, warps = 4, stages = 1>}
  return
}

// -----

// Consecutive 2-D loads form a group: the scalar op between them goes
// first, one barrier, both tiles' global reads (4 + 4 vectors) before any
// store, one condition for the fast path, one fence and barrier after.
// CHECK-LABEL: func.func @load_group
// CHECK:      arith.addi %{{.*}}, %{{.*}} : index
// CHECK:      gpu.barrier
// CHECK-NOT:  gpu.barrier
// CHECK:      scf.if
// CHECK-COUNT-8: vector.load %{{.*}} {alignment = 16 : i64} : memref<?xbf16>, vector<8xbf16>
// CHECK-COUNT-8: vector.store
// CHECK:      } else {
// CHECK:      nvvm.fence.proxy
// CHECK-NEXT: gpu.barrier
// CHECK-NOT:  gpu.barrier
// CHECK:      nvvm.wgmma.mma_async
func.func @load_group(%a: memref<?x64xbf16>, %b: memref<?x64xbf16>, %out: memref<?x64xf32>, %n: index) {
  scf.forall (%i) in (%n) {
    %c0 = arith.constant 0 : index
    %c64 = arith.constant 64 : index
    %q = mlstm.tile_load %a[%i, %c0] : memref<?x64xbf16> -> tensor<64x64xbf16>
    %row = arith.addi %i, %c64 : index
    %k = mlstm.tile_load %b[%row, %c0] : memref<?x64xbf16> -> tensor<64x64xbf16>
    %s = mlstm.tile_matmul %q, %k {transpose_rhs} : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
    mlstm.tile_store %s, %out[%c0, %c0] : tensor<64x64xf32>, memref<?x64xf32>
  } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 64, block_q = 64, block_k = 64, block_dqk = 64, block_dhv = 64, warps = 4, stages = 1>}
  return
}
