//===- MlstmBase.td - mlstm dialect definition -------------*- tablegen -*-===//
//
// The `mlstm` dialect states gated linear-RNN recurrences (the mLSTM of xLSTM
// and its relatives) at the level of whole tensors, and carries them down
// through chunking, tiling and gate stabilization towards GPU kernels.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_DIALECT_MLSTM_IR_MLSTMBASE_TD
#define MLSTM_DIALECT_MLSTM_IR_MLSTMBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Mlstm_Dialect : Dialect {
  let name = "mlstm";
  let cppNamespace = "::mlir::mlstm";
  let summary = "Gated linear-RNN (mLSTM) recurrences and their lowering";
  let description = [{
    The `mlstm` dialect describes matrix-memory LSTM recurrences

      C_t = f_t C_{t-1} + i_t k_t v_t^T,   n_t = f_t n_{t-1} + i_t k_t,
      h_t = (q_t^T C_t) / normalizer(q_t^T n_t)

    and the family that shares their structure (scalar-gated and plain causal
    linear attention). The spec-level op `mlstm.recurrence` names the variant
    with attributes; passes rewrite it into chunked, tiled and stabilized
    forms and finally into GPU kernels.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def Mlstm_FloatTensor : RankedTensorOf<[AnyFloat]>;

class Mlstm_Op<string mnemonic, list<Trait> traits = []>
    : Op<Mlstm_Dialect, mnemonic, traits>;

#endif // MLSTM_DIALECT_MLSTM_IR_MLSTMBASE_TD
