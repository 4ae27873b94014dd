//===- Passes.td - mlstm transformation passes -------------*- tablegen -*-===//

#ifndef MLSTM_DIALECT_MLSTM_TRANSFORMS_PASSES_TD
#define MLSTM_DIALECT_MLSTM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def MlstmExportEntryPoints : Pass<"mlstm-export-entry-points", "ModuleOp"> {
  let summary = "Mark spec functions as kernel-library entry points";
  let description = [{
    A function whose body is one `mlstm.recurrence` on its arguments,
    returning the recurrence's results, becomes an entry point of the
    generated library. The pass records the ABI the host API needs and that
    lowering would otherwise lose: each argument's role
    (`mlstm.arg = "q" | "k" | "v" | "i" | "f" | "C0" | "n0" | "m0"`), each
    result's (`mlstm.result = "h" | "C" | "n" | "m"`), the variant
    (`mlstm.variant`) and the chunk size (`mlstm.chunk_size`, with `auto`
    resolved as `--mlstm-chunk` resolves it). A gradient function (one
    `mlstm.recurrence_grad`, from `--mlstm-derive-backward`) is marked the
    same way, with the roles `h`, `dh`, `dC`, `dn`, `dm` for its extra
    arguments and `dq`, `dk`, `dv`, `di`, `df`, `dC0`, `dn0`, `dm0` for its
    results. Other functions are left alone.
  }];
  let options = [
    Option<"defaultChunkSize", "default-chunk-size", "int64_t", "0",
           "chunk length recorded where a spec says chunk_size = auto "
           "(0: the cost model's)">
  ];
}

def MlstmDeriveBackward : Pass<"mlstm-derive-backward", "ModuleOp"> {
  let summary = "Add the gradient function of every recurrence that asks "
                "for one";
  let description = [{
    For each function whose body is one `mlstm.recurrence` on its arguments
    (an entry point) and whose recurrence carries `backward` (or every such
    function, with `all`), adds `<name>_backward`:

      arguments: the forward's arguments, then h and its cotangent dh, then
                 the cotangents of the final states the forward returns;
      results:   dq, dk, dv, the gates' gradients (di, df), then the
                 gradients of the initial states the forward takes;
      body:      one `mlstm.recurrence_grad` with the recurrence's
                 attributes, returned.

    The gradient then goes through the same passes as the forward
    (`--mlstm-chunk` turns it into the chunkwise backward ops).

    Before:
    ```mlir
    func.func @f(%q: ..., %k: ..., %v: ..., %i: ..., %f: ...) -> tensor<...> {
      %h = mlstm.recurrence q(%q) ... chunk_size = 64 {backward} : ...
      return %h : tensor<...>
    }
    ```
    After (added):
    ```mlir
    func.func @f_backward(%q, %k, %v, %i, %f, %h, %dh) -> (dq, dk, dv, di, df) {
      %dq, %dk, %dv, %di, %df = mlstm.recurrence_grad q(%q) ... h(%h) dh(%dh)
          ... chunk_size = 64 : ...
      return ...
    }
    ```
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
  let options = [
    Option<"all", "all", "bool", "false",
           "derive the gradient of every entry point, not only of those "
           "marked `backward`">
  ];
}

def MlstmChunk : Pass<"mlstm-chunk"> {
  let summary = "Rewrite recurrences into an inter-chunk scan and an "
                "intra-chunk parallel output";
  let description = [{
    Replaces every `mlstm.recurrence` by the chunkwise form: an
    `mlstm.chunk_state_scan` that computes the states at all chunk
    boundaries, an `mlstm.chunk_output` that computes h from them, and
    `tensor.extract_slice`s of the last boundary for the final states.
    `chunk_size = auto` resolves to `default-chunk-size` when it is set,
    else to the cost model's choice from the head dimensions and the input
    type (ChunkSchedule.h: boundary-state traffic against intra-chunk work;
    128 for 16-bit inputs up to 256x512, 256 beyond, 64 for f32).

    Before:
    ```mlir
    %h, %C = mlstm.recurrence q(%q) k(%k) v(%v) input_gate = none, ...
        chunk_size = 64 : (...) -> (tensor<?x?x?x32xf32>, tensor<?x?x16x32xf32>)
    ```
    After:
    ```mlir
    %C_all = mlstm.chunk_state_scan k(%k) v(%v) chunk_size = 64 {variant = ...}
        : (...) -> tensor<?x?x?x16x32xf32>
    %h = mlstm.chunk_output q(%q) k(%k) v(%v) states(%C_all) chunk_size = 64
        {variant = ...} : (...) -> tensor<?x?x?x32xf32>
    %C = tensor.extract_slice %C_all[0, 0, %nc, 0, 0] [%b, %nh, 1, 16, 32] ...
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
  let options = [
    Option<"defaultChunkSize", "default-chunk-size", "int64_t", "0",
           "chunk length used where a spec says chunk_size = auto "
           "(0: the cost model's)">
  ];
}

def MlstmTile : Pass<"mlstm-tile"> {
  let summary = "Tile the chunked ops into TFLA kernels over tiles";
  let description = [{
    Rewrites `mlstm.chunk_state_scan` and `mlstm.chunk_output` into tiled
    kernels: each an `scf.forall` over its grid carrying an
    `mlstm.schedule`, whose body loops over sequence, key and head-dim tiles
    with `mlstm.tile_*` ops on tile tensors, reading memrefs of the operands
    (`bufferization.to_buffer`) and writing fresh result buffers.

    - state scan: a program per (batch, head, DQK tile, DHV tile) walks the
      chunks, carrying its state tile, summing each chunk `block_k` rows at a
      time, and stores every boundary state;
    - output: a program per (batch, head, chunk, `block_q` query rows,
      DHV tile) adds the inter-chunk term from the boundary state and loops
      over the key tiles up to the diagonal (TFLA), DQK in `block_dqk`
      tiles.

    The gate exponentials are written as `mlstm.tile_exp_gates` with their
    max-state stabilizers recorded but not applied; see
    `--mlstm-stabilize-gates`. Block sizes of 0 are chosen from the shapes.

    Before:
    ```mlir
    %h = mlstm.chunk_output q(%q) k(%k) v(%v) states(%C) chunk_size = 64 ...
    ```
    After (abridged):
    ```mlir
    %qb = bufferization.to_buffer %q ...
    scf.forall (%b, %h, %c, %qt, %vt) in (...) {
      %qt = mlstm.tile_load %qb[...] valid(%rows) : ... -> tensor<64x64xf32>
      ... mlstm.tile_matmul ... mlstm.tile_gate_matrix ...
      mlstm.tile_store %h_tile, %hb[...] valid(%rows) ...
    } {mlstm.schedule = #mlstm.schedule<kind = output, chunk = 64, ...>}
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
  let options = [
    Option<"blockQ", "block-q", "int64_t", "0",
           "query rows per output program (0: choose)">,
    Option<"blockK", "block-k", "int64_t", "0",
           "key / sequence rows per inner step (0: choose)">,
    Option<"blockDqk", "block-dqk", "int64_t", "0",
           "DQK tile (0: choose)">,
    Option<"blockDhv", "block-dhv", "int64_t", "0",
           "DHV tile (0: choose)">,
    Option<"minBlockDqk", "min-block-dqk", "int64_t", "0",
           "smallest chosen DQK tile: smaller DQK is padded within the tile "
           "(the GPU's tensor-core products need 64 rows)">,
    Option<"splitState", "split-state-operand",
           "::mlir::mlstm::SplitStateOperand",
           "::mlir::mlstm::SplitStateOperand::Auto",
           "split the fp32 state into hi + lo input-type parts in the "
           "inter-chunk product", [{::llvm::cl::values(
             clEnumValN(::mlir::mlstm::SplitStateOperand::Auto, "auto",
                        "exp input gate with a normalizer, half-precision "
                        "inputs"),
             clEnumValN(::mlir::mlstm::SplitStateOperand::Never, "never",
                        "round the state to the input type"),
             clEnumValN(::mlir::mlstm::SplitStateOperand::Always, "always",
                        "split whenever the state is wider than the inputs"))
           }]>
  ];
}

def MlstmStabilizeGates : Pass<"mlstm-stabilize-gates"> {
  let summary = "Rewrite exp gates into the max-state stabilized form";
  let description = [{
    Applies the recorded stabilizers: every `mlstm.tile_exp_gates %x by %m`
    becomes `exp(x - m)` and every `mlstm.tile_normalize` with a max state
    takes max-scaled numerators and denominators. Because the tile pass
    records, for each exponential, the max state of the quantity it feeds,
    this turns the state scan's carried C~ = C exp(m) into the max-scaled C
    itself (the conversion factors at the loop's entry and at the boundary
    stores fold to 1), and bounds every gate weight of the output kernel by
    1, so no exponential overflows for any gate values. The sigmoid and
    none input gates record no stabilizers and pass through unchanged.

    Before:
    ```mlir
    %w = mlstm.tile_exp_gates %logD by %m : tensor<64xf32> : tensor<64x64xf32> -> ...
    ```
    After:
    ```mlir
    %w = mlstm.tile_exp_gates %logD by %m : tensor<64xf32> stabilized : ...
    ```
  }];
}

#endif // MLSTM_DIALECT_MLSTM_TRANSFORMS_PASSES_TD
