// RUN: mlstm-opt %s --split-input-file --mlstm-gpu-extern-shared-memory \
// RUN:   | FileCheck %s
// RUN: mlstm-opt %s --split-input-file \
// RUN:   --mlstm-gpu-extern-shared-memory=alignment=4096 \
// RUN:   | FileCheck %s --check-prefix=ALIGN4096

// What convert-gpu-to-nvvm makes of gpu.dynamic_shared_memory and
// nvgpu.mbarrier.create: the zero-length global becomes the 1024-aligned
// extern array; the sized mbarrier global stays static shared memory.

// CHECK-LABEL: gpu.module @kernel_with_dynamic_smem
// CHECK: llvm.mlir.global external @[[SMEM:__dynamic_shmem__[0-9]+]]()
// CHECK-SAME: {addr_space = 3 : i32, alignment = 1024 : i64} : !llvm.array<0 x i8>
// CHECK: llvm.mlir.global private @[[BAR:__mbarrier]]()
// CHECK-SAME: {addr_space = 3 : i32, alignment = 8 : i64} : !llvm.array<2 x i64>
// CHECK: llvm.func @kernel
// CHECK: llvm.mlir.addressof @[[SMEM]] : !llvm.ptr<3>
// CHECK: llvm.mlir.addressof @[[BAR]] : !llvm.ptr<3>

// ALIGN4096-LABEL: gpu.module @kernel_with_dynamic_smem
// ALIGN4096: llvm.mlir.global external @__dynamic_shmem__0()
// ALIGN4096-SAME: alignment = 4096 : i64
// ALIGN4096: llvm.mlir.global private @__mbarrier()
// ALIGN4096-SAME: alignment = 8 : i64
gpu.module @kernel_with_dynamic_smem {
  llvm.mlir.global internal @__dynamic_shmem__0() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
  llvm.mlir.global private @__mbarrier() {addr_space = 3 : i32, alignment = 8 : i64} : !llvm.array<2 x i64>
  llvm.func @kernel() attributes {gpu.kernel, nvvm.kernel} {
    %smem = llvm.mlir.addressof @__dynamic_shmem__0 : !llvm.ptr<3>
    %bar = llvm.mlir.addressof @__mbarrier : !llvm.ptr<3>
    llvm.return
  }
}

// -----

// A zero-length workgroup memref.global (the upstream tests' way to name
// dynamic shared memory) is the same thing; an alignment larger than the
// option's is kept. Zero-length globals elsewhere than shared memory, and
// sized shared globals, are not dynamic shared memory.

// CHECK-LABEL: gpu.module @other_globals
// CHECK: llvm.mlir.global external @[[ACC:accShmem]]()
// CHECK-SAME: {addr_space = 3 : i32, alignment = 2048 : i64} : !llvm.array<0 x f32>
// CHECK: llvm.mlir.global internal @[[GLOBAL_ZERO:zero_in_global]]()
// CHECK-SAME: {addr_space = 1 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
// CHECK: llvm.mlir.global internal @[[STATIC:static_tile]]()
// CHECK-SAME: {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<128 x f32>

// ALIGN4096-LABEL: gpu.module @other_globals
// ALIGN4096: llvm.mlir.global external @accShmem()
// ALIGN4096-SAME: alignment = 4096 : i64
gpu.module @other_globals {
  llvm.mlir.global private @accShmem() {addr_space = 3 : i32, alignment = 2048 : i64} : !llvm.array<0 x f32>
  llvm.mlir.global internal @zero_in_global() {addr_space = 1 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
  llvm.mlir.global internal @static_tile() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<128 x f32>
}
