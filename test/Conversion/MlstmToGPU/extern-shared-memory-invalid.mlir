// RUN: mlstm-opt %s --split-input-file --verify-diagnostics \
// RUN:   --mlstm-gpu-extern-shared-memory=alignment=48

// The alignment must be a power of two (PTX `.align`).

// expected-error@+1 {{dynamic shared memory alignment must be a positive power of two, got 48}}
module {
  gpu.module @kernels {
    llvm.mlir.global internal @__dynamic_shmem__0() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
  }
}
