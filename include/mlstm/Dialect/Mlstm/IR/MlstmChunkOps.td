//===- MlstmChunkOps.td - chunked-level operations ---------*- tablegen -*-===//
//
// The chunkwise form of a recurrence (produced by --mlstm-chunk). A sequence
// of length S is cut into NC = ceil(S / L) chunks of length L; the last one
// may be partial and every op masks the positions past S itself, so the
// user's tensors are never padded.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_DIALECT_MLSTM_IR_MLSTMCHUNKOPS_TD
#define MLSTM_DIALECT_MLSTM_IR_MLSTMCHUNKOPS_TD

include "mlstm/Dialect/Mlstm/IR/MlstmBase.td"
include "mlstm/Dialect/Mlstm/IR/MlstmAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Mlstm_ChunkStateScanOp : Mlstm_Op<"chunk_state_scan",
    [Pure, AttrSizedOperandSegments]> {
  let summary = "inter-chunk scan: the states at every chunk boundary";
  let description = [{
    Computes the recurrent states at the NC + 1 chunk boundaries. Within
    chunk k (positions t = 0..L-1, b_t the inclusive cumulative sum of
    log f in the chunk, g = b_{L-1}, a_t = g - b_t + i_t):

      m_k = max(g + m_{k-1}, max_t a_t)                        (exp gate)
      C_k = exp(g + m_{k-1} - m_k) C_{k-1} + sum_t exp(a_t - m_k) k_t v_t^T
      n_k = exp(g + m_{k-1} - m_k) n_{k-1} + sum_t exp(a_t - m_k) k_t

    (sigmoid and none gates: weights exp(g) and sigmoid(i_t) exp(g - b_t), or
    exp(g - b_t), without a max state). Positions past S contribute nothing.
    Result j holds state j of the variant (C, n, m) for boundaries 0..NC:
    boundary 0 is the initial state (zeros and m = 0 when `init` is absent),
    boundary NC the final state.
  }];
  let arguments = (ins
    Mlstm_FloatTensor:$k,
    Mlstm_FloatTensor:$v,
    Optional<Mlstm_FloatTensor>:$i,
    Optional<Mlstm_FloatTensor>:$f,
    Variadic<Mlstm_FloatTensor>:$initial_states,
    Mlstm_VariantAttr:$variant,
    ConfinedAttr<I64Attr, [IntPositive]>:$chunk_size
  );
  let results = (outs Variadic<Mlstm_FloatTensor>:$states);
  let assemblyFormat = [{
    `k` `(` $k `)` `v` `(` $v `)`
    (`igate` `(` $i^ `)`)? (`fgate` `(` $f^ `)`)?
    (`init` `(` $initial_states^ `)`)?
    `chunk_size` `=` $chunk_size attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Mlstm_ChunkOutputOp : Mlstm_Op<"chunk_output",
    [Pure, AttrSizedOperandSegments]> {
  let summary = "intra-chunk parallel output from the boundary states";
  let description = [{
    Computes h for every position from q, k, v, the gates and the states at
    the start of each chunk (`states`, as produced by chunk_state_scan).
    For position t of chunk k, with log D_ts = b_t - b_s + i_s (s <= t):

      m_t   = max(b_t + m_{k-1}, max_s log D_ts)
      num_t = exp(b_t + m_{k-1} - m_t) q'_t^T C_{k-1}
              + sum_s exp(log D_ts - m_t) (q'_t . k_s) v_s
      den_t = exp(b_t + m_{k-1} - m_t) q'_t^T n_{k-1}
              + sum_s exp(log D_ts - m_t) (q'_t . k_s)
      h_t   = num_t / (max(|den_t|, exp(-m_t)) + eps)

    and the analogous unstabilized forms for the sigmoid and none gates.
  }];
  let arguments = (ins
    Mlstm_FloatTensor:$q,
    Mlstm_FloatTensor:$k,
    Mlstm_FloatTensor:$v,
    Optional<Mlstm_FloatTensor>:$i,
    Optional<Mlstm_FloatTensor>:$f,
    Variadic<Mlstm_FloatTensor>:$states,
    Mlstm_VariantAttr:$variant,
    ConfinedAttr<I64Attr, [IntPositive]>:$chunk_size
  );
  let results = (outs Mlstm_FloatTensor:$h);
  let assemblyFormat = [{
    `q` `(` $q `)` `k` `(` $k `)` `v` `(` $v `)`
    (`igate` `(` $i^ `)`)? (`fgate` `(` $f^ `)`)?
    `states` `(` $states `)`
    `chunk_size` `=` $chunk_size attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // MLSTM_DIALECT_MLSTM_IR_MLSTMCHUNKOPS_TD
