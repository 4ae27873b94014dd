//===- Passes.td - mlstm conversion passes -----------------*- tablegen -*-===//

#ifndef MLSTM_CONVERSION_PASSES_TD
#define MLSTM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

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
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

#endif // MLSTM_CONVERSION_PASSES_TD
