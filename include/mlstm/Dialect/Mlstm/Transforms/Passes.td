//===- Passes.td - mlstm transformation passes -------------*- tablegen -*-===//

#ifndef MLSTM_DIALECT_MLSTM_TRANSFORMS_PASSES_TD
#define MLSTM_DIALECT_MLSTM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def MlstmChunk : Pass<"mlstm-chunk"> {
  let summary = "Rewrite recurrences into an inter-chunk scan and an "
                "intra-chunk parallel output";
  let description = [{
    Replaces every `mlstm.recurrence` by the chunkwise form: an
    `mlstm.chunk_state_scan` that computes the states at all chunk
    boundaries, an `mlstm.chunk_output` that computes h from them, and
    `tensor.extract_slice`s of the last boundary for the final states.
    `chunk_size = auto` resolves to `default-chunk-size`.

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
    Option<"defaultChunkSize", "default-chunk-size", "int64_t", "64",
           "chunk length used where a spec says chunk_size = auto">
  ];
}

#endif // MLSTM_DIALECT_MLSTM_TRANSFORMS_PASSES_TD
