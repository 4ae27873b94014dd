//===- Passes.td - mlstm conversion passes -----------------*- tablegen -*-===//

#ifndef MLSTM_CONVERSION_PASSES_TD
#define MLSTM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertMlstmToLoops : Pass<"convert-mlstm-to-loops"> {
  let summary = "Lower mlstm ops to scf loops and linalg ops on tensors";
  let description = [{
    Rewrites every `mlstm.recurrence`, `mlstm.chunk_state_scan` and
    `mlstm.chunk_output` into upstream ops on tensors (`scf.forall` over
    batch x heads, `scf.for` with tensor iter_args for the sequential parts,
    `tensor` slicing and `linalg` ops for the vector algebra, `arith` and
    `math` for the gates), following the op descriptions literally. The
    result runs on the CPU after bufferization (see `mlstm-cpu-pipeline`),
    which is how CI checks every level against the float64 reference.

    Arithmetic runs in the widest of f32, the input and the state element
    types; states keep their element type, h the element type of v. The
    partial last chunk is masked by slicing only its valid positions.

    Before:
    ```mlir
    %h = mlstm.recurrence q(%q) k(%k) v(%v) input_gate = none,
        forget_gate = none, normalizer = none, chunk_size = auto
        : (...) -> tensor<?x?x?x32xf32>
    ```
    After (abridged):
    ```mlir
    %h = scf.forall (%b, %hd) in (%B, %NH) shared_outs(%out = %init) {
      %r:2 = scf.for %t = %c0 to %S step %c1
          iter_args(%hh = %head, %C = %zeros) -> (...) {
        %C1 = linalg.generic ... // C + k_t v_t^T
        %num = linalg.vecmat ins(%qs, %C1 : ...) outs(...)
        ...
      }
      scf.forall.in_parallel { tensor.parallel_insert_slice %r#0 into ... }
    }
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// MlstmToGPU
//===----------------------------------------------------------------------===//

def MlstmGpuExternSharedMemory : Pass<"mlstm-gpu-extern-shared-memory"> {
  let summary = "Make the LLVM global behind gpu.dynamic_shared_memory an "
                "1024-byte aligned `.extern .shared` array";
  let description = [{
    `convert-gpu-to-nvvm` lowers `gpu.dynamic_shared_memory` to an *internal*
    zero-length global in address space 3. The NVPTX back end prints such a
    global as a 1-byte *static* `.shared` variable, 16-byte aligned, instead
    of the `.extern .shared` array that names the dynamic shared memory: the
    kernel then addresses a region that overlaps the static mbarriers and is
    not aligned enough for 128B-swizzled TMA tiles and wgmma operands (both
    need 1024 bytes).

    This pass, run on the LLVM dialect after the lowering (anchored on any
    op, typically `gpu.module`), gives every zero-length global in address
    space 3 external linkage and at least `alignment` bytes of alignment,
    so the PTX reads `.extern .shared .align 1024 .b8 name[];`. As in CUDA,
    all such arrays alias the start of the dynamic shared memory; a
    zero-length workgroup global has no other meaning. Globals with a size
    or in another address space are left alone.

    Before:
    ```mlir
    llvm.mlir.global internal @__dynamic_shmem__0()
        {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
    ```
    After:
    ```mlir
    llvm.mlir.global external @__dynamic_shmem__0()
        {addr_space = 3 : i32, alignment = 1024 : i64} : !llvm.array<0 x i8>
    ```
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", "1024",
           "minimum alignment in bytes of the dynamic shared memory "
           "(a power of two; 1024 suits 128B swizzle)">
  ];
}

def MlstmLowerToGPU : Pass<"mlstm-lower-to-gpu", "ModuleOp"> {
  let summary = "Lower tiled kernels to GPU launches of per-thread code";
  let description = [{
    Turns every `scf.forall` that carries an `mlstm.schedule` into a
    `gpu.launch` with one CTA (a warpgroup of 128 threads) per program,
    numbered along `blockIdx.x` and delinearized into the forall's indices.
    Tile values become per-thread fragments in the layout of the wgmma
    accumulator (rows `16w + l/4 (+8)`, columns `8j + 2(l%4) (+1)`), 1-D
    tiles row, column or linear fragments; tiles move between layouts
    through dynamic shared memory between barriers. `gpu-kernel-outlining`
    then turns the launches into `gpu.func` kernels.

    Before:
    ```mlir
    scf.forall (%b, %h, %c, %q, %v) in (...) {
      %s = mlstm.tile_matmul %qt, %kt {transpose_rhs} : ... -> tensor<64x64xf32>
      ...
    } {mlstm.schedule = #mlstm.schedule<kind = output, ...>}
    ```
    After:
    ```mlir
    gpu.launch blocks(%bx, ...) in (%n, %c1, %c1) threads(%tx, ...) in (%c128, %c1, %c1)
        dynamic_shared_memory_size %bytes {
      %smem = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      ... per-thread loads, fma loops, shuffles, gpu.barrier ...
      gpu.terminator
    }
    ```
  }];
  let options = [
    Option<"mma", "mma", "std::string", "\"wgmma\"",
           "tile products of 16-bit operands: `wgmma` (tensor cores, operands "
           "128B-swizzled in shared memory) or `simt` (fma loops)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::NVVM::NVVMDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // MLSTM_CONVERSION_PASSES_TD
