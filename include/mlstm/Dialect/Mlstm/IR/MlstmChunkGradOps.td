//===- MlstmChunkGradOps.td - chunked-level gradient ops ---*- tablegen -*-===//
//
// The chunkwise backward (produced by --mlstm-chunk from
// mlstm.recurrence_grad). Notation of MlstmChunkOps.td; B_t is the cumulative
// log forget gate over the whole sequence, q' = qk_scale q, and the states
// are the forward's boundary states (chunk_state_scan). The math and its
// derivation: lib/Reference/BackwardChunkwise.cpp, which computes the same
// stages in float64.
//
// Every op masks positions past S itself. Per-position results ("rows") are
// B x NH x S tensors in the state type.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_DIALECT_MLSTM_IR_MLSTMCHUNKGRADOPS_TD
#define MLSTM_DIALECT_MLSTM_IR_MLSTMCHUNKGRADOPS_TD

include "mlstm/Dialect/Mlstm/IR/MlstmBase.td"
include "mlstm/Dialect/Mlstm/IR/MlstmAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Mlstm_ChunkGradOp<string mnemonic, list<Trait> traits = []>
    : Mlstm_Op<mnemonic, !listconcat([Pure, AttrSizedOperandSegments],
                                     traits)> {
  let hasVerifier = 1;
}

def Mlstm_ChunkRowAdjointOp : Mlstm_ChunkGradOp<"chunk_row_adjoint"> {
  let summary = "per position: the adjoint of the output map";
  let description = [{
    Recomputes the forward's max state m_t and denominator den_t of every
    position (as chunk_output does) and, with the forward's output h and its
    cotangent dh, returns per position

      scale_t = the output scale (1 / (max(|den_t|, exp(-m_t)) + eps), or
                exp(m_t) without a normalizer), so dnum_t = scale_t dh_t;
      dden_t  = the cotangent of the stabilized denominator (0 when
                detached or without a normalizer);
      m_t     = the max state (0 without the exp gate);
      gamma_t = d/dm_t through eps exp(m_t) in the unstabilized denominator,
                -eps scale_t (dh_t . h_t) (exact mode with the exp gate and a
                normalizer; 0 otherwise).
  }];
  let arguments = (ins
    Mlstm_FloatTensor:$q,
    Mlstm_FloatTensor:$k,
    Optional<Mlstm_FloatTensor>:$i,
    Optional<Mlstm_FloatTensor>:$f,
    Variadic<Mlstm_FloatTensor>:$states,
    Mlstm_FloatTensor:$h,
    Mlstm_FloatTensor:$dh,
    Mlstm_VariantAttr:$variant,
    ConfinedAttr<I64Attr, [IntPositive]>:$chunk_size,
    Mlstm_DenominatorGradAttr:$denominator_grad
  );
  let results = (outs Mlstm_FloatTensor:$scale, Mlstm_FloatTensor:$dden,
                      Mlstm_FloatTensor:$m, Mlstm_FloatTensor:$gamma);
  let assemblyFormat = [{
    `q` `(` $q `)` `k` `(` $k `)`
    (`igate` `(` $i^ `)`)? (`fgate` `(` $f^ `)`)?
    `states` `(` $states `)` `h` `(` $h `)` `dh` `(` $dh `)`
    `chunk_size` `=` $chunk_size
    `denominator_grad` `=` custom<VariantEnum>($denominator_grad)
    attr-dict `:` functional-type(operands, results)
  }];
}

def Mlstm_ChunkGradStateScanOp : Mlstm_ChunkGradOp<"chunk_grad_state_scan"> {
  let summary = "reverse inter-chunk scan: state adjoints at every boundary";
  let description = [{
    The adjoints of the (stabilized) boundary states, last to first. With
    the final-state cotangents (zeros when absent) at boundary NC:

      dC_{k-1} = exp(g + m_{k-1} - m_k) dC_k
                 + sum_t exp(b_t + m_{k-1} - m_t) q'_t (scale_t dh_t)^T
      dn_{k-1} = exp(g + m_{k-1} - m_k) dn_k
                 + sum_t exp(b_t + m_{k-1} - m_t) q'_t dden_t

    for the positions t of chunk k. `rows` are the four results of
    chunk_row_adjoint. Results: dC (B x NH x (NC+1) x DQK x DHV), then dn
    with a normalizer; boundary 0 is the gradient of the initial C (and n).
  }];
  let arguments = (ins
    Mlstm_FloatTensor:$q,
    Optional<Mlstm_FloatTensor>:$i,
    Optional<Mlstm_FloatTensor>:$f,
    Variadic<Mlstm_FloatTensor>:$states,
    Variadic<Mlstm_FloatTensor>:$rows,
    Mlstm_FloatTensor:$dh,
    Variadic<Mlstm_FloatTensor>:$final_state_grads,
    Mlstm_VariantAttr:$variant,
    ConfinedAttr<I64Attr, [IntPositive]>:$chunk_size
  );
  let results = (outs Variadic<Mlstm_FloatTensor>:$state_grads);
  let assemblyFormat = [{
    `q` `(` $q `)` (`igate` `(` $i^ `)`)? (`fgate` `(` $f^ `)`)?
    `states` `(` $states `)` `rows` `(` $rows `)` `dh` `(` $dh `)`
    (`dfinal` `(` $final_state_grads^ `)`)?
    `chunk_size` `=` $chunk_size attr-dict `:` functional-type(operands, results)
  }];
}

def Mlstm_ChunkGradQOp : Mlstm_ChunkGradOp<"chunk_grad_q"> {
  let summary = "intra-chunk parallel gradient of q";
  let description = [{
    For position t of chunk k, with e_ts = exp(b_t - b_s + i_s - m_t) and
    dP_ts = scale_t dh_t . v_s + dden_t (s <= t in the chunk):

      dq'_t = exp(b_t + m_{k-1} - m_t) (C_{k-1} scale_t dh_t + n_{k-1} dden_t)
              + sum_s dP_ts e_ts k_s

    Results: dq = qk_scale dq' (in its own element type) and the row
    products q'_t . dq'_t (state type) that the gate gradients need,
    computed before dq is rounded.
  }];
  let arguments = (ins
    Mlstm_FloatTensor:$q,
    Mlstm_FloatTensor:$k,
    Mlstm_FloatTensor:$v,
    Optional<Mlstm_FloatTensor>:$i,
    Optional<Mlstm_FloatTensor>:$f,
    Variadic<Mlstm_FloatTensor>:$states,
    Variadic<Mlstm_FloatTensor>:$rows,
    Mlstm_FloatTensor:$dh,
    Mlstm_VariantAttr:$variant,
    ConfinedAttr<I64Attr, [IntPositive]>:$chunk_size
  );
  let results = (outs Mlstm_FloatTensor:$dq, Mlstm_FloatTensor:$q_dot_dq);
  let assemblyFormat = [{
    `q` `(` $q `)` `k` `(` $k `)` `v` `(` $v `)`
    (`igate` `(` $i^ `)`)? (`fgate` `(` $f^ `)`)?
    `states` `(` $states `)` `rows` `(` $rows `)` `dh` `(` $dh `)`
    `chunk_size` `=` $chunk_size attr-dict `:` functional-type(operands, results)
  }];
}

def Mlstm_ChunkGradKVOp : Mlstm_ChunkGradOp<"chunk_grad_kv"> {
  let summary = "intra-chunk parallel gradients of k and v";
  let description = [{
    For key position s of chunk k, with P_ts = e_ts q'_t . k_s and
    w_s = exp(g - b_s + i_s - m_k) (t >= s in the chunk):

      dk_s = sum_t dP_ts e_ts q'_t + w_s (dC_k v_s + dn_k)
      dv_s = sum_t P_ts scale_t dh_t + w_s dC_k^T k_s

    where dC_k, dn_k are the state adjoints at the chunk's end
    (chunk_grad_state_scan). Results: dk, dv and the row products
    k_s . dk_s (state type).
  }];
  let arguments = (ins
    Mlstm_FloatTensor:$q,
    Mlstm_FloatTensor:$k,
    Mlstm_FloatTensor:$v,
    Optional<Mlstm_FloatTensor>:$i,
    Optional<Mlstm_FloatTensor>:$f,
    Variadic<Mlstm_FloatTensor>:$states,
    Variadic<Mlstm_FloatTensor>:$state_grads,
    Variadic<Mlstm_FloatTensor>:$rows,
    Mlstm_FloatTensor:$dh,
    Mlstm_VariantAttr:$variant,
    ConfinedAttr<I64Attr, [IntPositive]>:$chunk_size
  );
  let results = (outs Mlstm_FloatTensor:$dk, Mlstm_FloatTensor:$dv,
                      Mlstm_FloatTensor:$k_dot_dk);
  let assemblyFormat = [{
    `q` `(` $q `)` `k` `(` $k `)` `v` `(` $v `)`
    (`igate` `(` $i^ `)`)? (`fgate` `(` $f^ `)`)?
    `states` `(` $states `)` `state_grads` `(` $state_grads `)`
    `rows` `(` $rows `)` `dh` `(` $dh `)`
    `chunk_size` `=` $chunk_size attr-dict `:` functional-type(operands, results)
  }];
}

def Mlstm_ChunkGradGatesOp : Mlstm_ChunkGradOp<"chunk_grad_gates"> {
  let summary = "gate gradients from the row products and the max states";
  let description = [{
    h and the states depend on the cumulative log forget gate B and the log
    input weights i only through q'_t exp(B_t), k_s exp(i_s - B_s), the max
    states m_t = B_t + M_t and the final states' factor exp(B_T - m_T). So

      dB_t = q'_t . dq'_t - k_t . dk_t + gamma_t,    di_t = k_t . dk_t

    and each gamma_t goes to the winner of M_t (the position s whose
    i_s - B_s attains it: dB_s -= gamma_t, di_s += gamma_t; or the initial
    max state: dm_0 += gamma_t). The final states add dm_T to dB_{S-1} and
    route dm_T - <dC_T, C_T> - <dn_T, n_T> to the winner of M_T (without the
    exp gate: dB_{S-1} += <dC_T, C_T> + <dn_T, n_T>). Then
    d log f_r = sum_{t >= r} dB_t, and the gate activations' chain rules.
    dm_0 also gets <dC_0, C_0> + <dn_0, n_0>.

    Results, in this order: di (with an input gate), df (with a forget gate),
    dm0 (B x NH, with the exp gate).
  }];
  let arguments = (ins
    Mlstm_FloatTensor:$q_dot_dq,
    Mlstm_FloatTensor:$k_dot_dk,
    Optional<Mlstm_FloatTensor>:$i,
    Optional<Mlstm_FloatTensor>:$f,
    Variadic<Mlstm_FloatTensor>:$states,
    Variadic<Mlstm_FloatTensor>:$state_grads,
    Variadic<Mlstm_FloatTensor>:$rows,
    Variadic<Mlstm_FloatTensor>:$final_state_grads,
    Mlstm_VariantAttr:$variant,
    ConfinedAttr<I64Attr, [IntPositive]>:$chunk_size
  );
  let results = (outs Variadic<Mlstm_FloatTensor>:$grads);
  let extraClassDeclaration = [{
    /// The gradients by name (null when the variant has no such gate).
    Value getDi() { return getI() ? getGrads()[0] : Value(); }
    Value getDf() { return getF() ? getGrads()[getI() ? 1 : 0] : Value(); }
    Value getDm0() {
      return getVariant().hasMaxState() ? getGrads().back() : Value();
    }
  }];
  let assemblyFormat = [{
    `q_dot_dq` `(` $q_dot_dq `)` `k_dot_dk` `(` $k_dot_dk `)`
    (`igate` `(` $i^ `)`)? (`fgate` `(` $f^ `)`)?
    `states` `(` $states `)` `state_grads` `(` $state_grads `)`
    `rows` `(` $rows `)` (`dfinal` `(` $final_state_grads^ `)`)?
    `chunk_size` `=` $chunk_size attr-dict `:` functional-type(operands, results)
  }];
}

#endif // MLSTM_DIALECT_MLSTM_IR_MLSTMCHUNKGRADOPS_TD
