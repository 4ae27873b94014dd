// What convert-gpu-to-nvvm makes of gpu.dynamic_shared_memory and
// nvgpu.mbarrier.create: the zero-length global becomes the 1024-aligned
// extern array; the sized mbarrier global stays static shared memory.


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
