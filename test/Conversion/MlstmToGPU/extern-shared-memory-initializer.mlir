// RUN: mlstm-opt %s --verify-diagnostics --mlstm-gpu-extern-shared-memory

// An extern declaration has no value: a zero-length shared global that
// carries one is not the dynamic shared memory, and the pass says so.

gpu.module @kernels {
  // expected-error@+1 {{zero-length shared memory global has an initializer}}
  llvm.mlir.global internal @odd() {addr_space = 3 : i32} : !llvm.array<0 x i8> {
    %0 = llvm.mlir.undef : !llvm.array<0 x i8>
    llvm.return %0 : !llvm.array<0 x i8>
  }
}
