//===- MlstmOps.td - mlstm operations ----------------------*- tablegen -*-===//

#ifndef MLSTM_DIALECT_MLSTM_IR_MLSTMOPS_TD
#define MLSTM_DIALECT_MLSTM_IR_MLSTMOPS_TD

include "mlstm/Dialect/Mlstm/IR/MlstmBase.td"
include "mlstm/Dialect/Mlstm/IR/MlstmAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/OpAsmInterface.td"

def Mlstm_RecurrenceOp : Mlstm_Op<"recurrence",
    [Pure, AttrSizedOperandSegments,
     DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>]> {
  let summary = "a gated linear-RNN recurrence over whole sequences";
  let description = [{
    States one recurrence of the mLSTM family over tensors

      q, k : B x NH x S x DQK      v, h : B x NH x S x DHV
      i, f : B x NH x S            (gate pre-activations)

    with dynamic B, NH, S and static head dimensions DQK, DHV. With
    q' = qk_scale * q (default DQK^-1/2) and log f_t = logsigmoid(f_t):

      m_t = max(log f_t + m_{t-1}, i_t)                       (exp gate only)
      C_t = exp(log f_t + m_{t-1} - m_t) C_{t-1} + exp(i_t - m_t) k_t v_t^T
      n_t = exp(log f_t + m_{t-1} - m_t) n_{t-1} + exp(i_t - m_t) k_t
      h_t = (q'_t^T C_t) / (max(|q'_t^T n_t|, exp(-m_t)) + eps)

    The sigmoid gate uses weight sigmoid(i_t) and no max state (lower bound 1
    in the normalizer); `none` gates drop their operand. Without a normalizer
    h_t = q'_t^T C~_t, the unstabilized numerator.

    The states of a variant are C (B x NH x DQK x DHV), then n (B x NH x DQK)
    when the normalizer is on, then m (B x NH) for the exp gate. `init`
    optionally passes initial states; the op optionally returns the final
    states after `h`, always all of them or none, in `state_type` (f32 by
    default). `chunk_size` is a power of two or `auto` (the compiler picks).
    The unit attribute `backward` asks for the gradient too
    (`--mlstm-derive-backward`), taken through the normalizer as
    `denominator_grad` says (`exact` by default, or `detached`).

    Example (mLSTMexp, bf16 inputs, final states returned):

    ```mlir
    %h, %c, %n, %m = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs,
        chunk_size = 64
        : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>,
           tensor<?x?x?xbf16>, tensor<?x?x?xbf16>)
        -> (tensor<?x?x?x128xbf16>, tensor<?x?x64x128xf32>, tensor<?x?x64xf32>,
            tensor<?x?xf32>)
    ```
  }];

  let arguments = (ins
    Mlstm_FloatTensor:$q,
    Mlstm_FloatTensor:$k,
    Mlstm_FloatTensor:$v,
    Optional<Mlstm_FloatTensor>:$i,
    Optional<Mlstm_FloatTensor>:$f,
    Variadic<Mlstm_FloatTensor>:$initial_states,
    Mlstm_InputGateAttr:$input_gate,
    Mlstm_ForgetGateAttr:$forget_gate,
    Mlstm_NormalizerAttr:$normalizer,
    OptionalAttr<I64Attr>:$chunk_size,
    DefaultValuedAttr<F64Attr, "1e-6">:$eps,
    OptionalAttr<F64Attr>:$qk_scale,
    OptionalAttr<TypeAttrOf<AnyFloat>>:$state_type,
    UnitAttr:$backward,
    DefaultValuedAttr<Mlstm_DenominatorGradAttr,
                      "::mlir::mlstm::DenominatorGrad::Exact">:$denominator_grad
  );
  let results = (outs
    Mlstm_FloatTensor:$h,
    Variadic<Mlstm_FloatTensor>:$final_states
  );

  let assemblyFormat = [{
    `q` `(` $q `)` `k` `(` $k `)` `v` `(` $v `)`
    (`igate` `(` $i^ `)`)? (`fgate` `(` $f^ `)`)?
    (`init` `(` $initial_states^ `)`)?
    `input_gate` `=` custom<VariantEnum>($input_gate) `,`
    `forget_gate` `=` custom<VariantEnum>($forget_gate) `,`
    `normalizer` `=` custom<VariantEnum>($normalizer) `,`
    `chunk_size` `=` custom<ChunkSize>($chunk_size)
    attr-dict `:` functional-type(operands, results)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// Number of recurrent states of this variant: C, then n with a
    /// normalizer, then m with the exp input gate.
    unsigned getNumStates();
    bool hasNormalizerState() { return getNormalizer() == Normalizer::MaxAbs; }
    bool hasMaxState() { return getInputGate() == InputGate::Exp; }
    /// Head dimensions (static by construction).
    int64_t getHeadDimQK();
    int64_t getHeadDimV();
    /// The q scale in effect: `qk_scale` or DQK^-1/2.
    double getEffectiveQkScale();
    /// The element type of the states: `state_type` or f32.
    Type getStateElementType();
    /// Expected shape of state `idx` (0: C, 1: n, 2: m), batch and head dims
    /// taken from q.
    SmallVector<int64_t> getExpectedStateShape(unsigned idx);
    /// The variant as one attribute, with the q scale resolved.
    VariantAttr getVariant();
  }];
}

def Mlstm_RecurrenceGradOp : Mlstm_Op<"recurrence_grad",
    [Pure, AttrSizedOperandSegments,
     DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>]> {
  let summary = "the gradient of an mlstm.recurrence";
  let description = [{
    For the recurrence with the same operands and attributes, and the
    cotangents `dh` of h and `dfinal` of the final states (optional, all or
    none, as the forward returns them), computes the gradients of
    <dh, h> + <dfinal, final states> with respect to q, k, v, the gates
    present and the initial states present, in this order: dq, dk, dv, di
    (with an input gate), df (with a forget gate), then one gradient per
    initial state. `h` is the forward's output (the backward reads it
    instead of recomputing it).

    `denominator_grad = exact` (default) differentiates through the
    normalizer max(|q'^T n|, lower) + eps; `detached` holds the scale of the
    unstabilized numerator constant, as NX-AI/mlstm_kernels does.

    ```mlir
    %dq, %dk, %dv, %di, %df = mlstm.recurrence_grad q(%q) k(%k) v(%v)
        igate(%i) fgate(%f) h(%h) dh(%dh)
        input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs,
        chunk_size = 64
        : (...) -> (...)
    ```
  }];

  let arguments = (ins
    Mlstm_FloatTensor:$q,
    Mlstm_FloatTensor:$k,
    Mlstm_FloatTensor:$v,
    Optional<Mlstm_FloatTensor>:$i,
    Optional<Mlstm_FloatTensor>:$f,
    Variadic<Mlstm_FloatTensor>:$initial_states,
    Mlstm_FloatTensor:$h,
    Mlstm_FloatTensor:$dh,
    Variadic<Mlstm_FloatTensor>:$final_state_grads,
    Mlstm_InputGateAttr:$input_gate,
    Mlstm_ForgetGateAttr:$forget_gate,
    Mlstm_NormalizerAttr:$normalizer,
    OptionalAttr<I64Attr>:$chunk_size,
    DefaultValuedAttr<F64Attr, "1e-6">:$eps,
    OptionalAttr<F64Attr>:$qk_scale,
    OptionalAttr<TypeAttrOf<AnyFloat>>:$state_type,
    DefaultValuedAttr<Mlstm_DenominatorGradAttr,
                      "::mlir::mlstm::DenominatorGrad::Exact">:$denominator_grad
  );
  let results = (outs Variadic<Mlstm_FloatTensor>:$grads);

  let assemblyFormat = [{
    `q` `(` $q `)` `k` `(` $k `)` `v` `(` $v `)`
    (`igate` `(` $i^ `)`)? (`fgate` `(` $f^ `)`)?
    (`init` `(` $initial_states^ `)`)?
    `h` `(` $h `)` `dh` `(` $dh `)`
    (`dfinal` `(` $final_state_grads^ `)`)?
    `input_gate` `=` custom<VariantEnum>($input_gate) `,`
    `forget_gate` `=` custom<VariantEnum>($forget_gate) `,`
    `normalizer` `=` custom<VariantEnum>($normalizer) `,`
    `chunk_size` `=` custom<ChunkSize>($chunk_size)
    attr-dict `:` functional-type(operands, results)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    unsigned getNumStates();
    bool hasNormalizerState() { return getNormalizer() == Normalizer::MaxAbs; }
    bool hasMaxState() { return getInputGate() == InputGate::Exp; }
    int64_t getHeadDimQK();
    int64_t getHeadDimV();
    double getEffectiveQkScale();
    Type getStateElementType();
    SmallVector<int64_t> getExpectedStateShape(unsigned idx);
    VariantAttr getVariant();
    /// The gradients by name (null when the primal is absent).
    Value getDq() { return getGrads()[0]; }
    Value getDk() { return getGrads()[1]; }
    Value getDv() { return getGrads()[2]; }
    Value getDi() { return getI() ? getGrads()[3] : Value(); }
    Value getDf() { return getF() ? getGrads()[getI() ? 4 : 3] : Value(); }
    ValueRange getInitialStateGrads() {
      return getGrads().drop_front(3 + (getI() ? 1 : 0) + (getF() ? 1 : 0));
    }
  }];
}

include "mlstm/Dialect/Mlstm/IR/MlstmChunkOps.td"
include "mlstm/Dialect/Mlstm/IR/MlstmChunkGradOps.td"
include "mlstm/Dialect/Mlstm/IR/MlstmTileOps.td"

#endif // MLSTM_DIALECT_MLSTM_IR_MLSTMOPS_TD
