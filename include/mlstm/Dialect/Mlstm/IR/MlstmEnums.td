//===- MlstmEnums.td - mlstm variant enums -----------------*- tablegen -*-===//
//
// The attributes that select a member of the recurrence family.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_DIALECT_MLSTM_IR_MLSTMENUMS_TD
#define MLSTM_DIALECT_MLSTM_IR_MLSTMENUMS_TD

include "mlstm/Dialect/Mlstm/IR/MlstmBase.td"
include "mlir/IR/EnumAttr.td"

def Mlstm_InputGate : I32EnumAttr<"InputGate", "input gate activation", [
    I32EnumAttrCase<"Exp", 0, "exp">,
    I32EnumAttrCase<"Sigmoid", 1, "sigmoid">,
    I32EnumAttrCase<"None", 2, "none">]> {
  let cppNamespace = "::mlir::mlstm";
  let genSpecializedAttr = 0;
  let description = [{
    `exp`: mLSTMexp, input weight exp(i_t), stabilized by a running max state
    m_t. `sigmoid`: mLSTMsig, input weight sigmoid(i_t), no max state.
    `none`: input weight 1 and no `i` operand (linear attention forms).
  }];
}

def Mlstm_ForgetGate : I32EnumAttr<"ForgetGate", "forget gate activation", [
    I32EnumAttrCase<"LogSigmoid", 0, "logsigmoid">,
    I32EnumAttrCase<"None", 1, "none">]> {
  let cppNamespace = "::mlir::mlstm";
  let genSpecializedAttr = 0;
  let description = [{
    `logsigmoid`: decay log f_t = logsigmoid(f_t). `none`: no decay and no `f`
    operand (plain causal linear attention).
  }];
}

def Mlstm_Normalizer : I32EnumAttr<"Normalizer", "output normalizer", [
    I32EnumAttrCase<"MaxAbs", 0, "max_abs">,
    I32EnumAttrCase<"None", 1, "none">]> {
  let cppNamespace = "::mlir::mlstm";
  let genSpecializedAttr = 0;
  let description = [{
    `max_abs`: h = num / (max(|q^T n|, lower) + eps) with lower = exp(-m_t)
    for the exp gate and 1 for the sigmoid gate; needs an input gate.
    `none`: h = num.
  }];
}

def Mlstm_CombiningKind : I32EnumAttr<"CombiningKind",
    "how a tile scan or reduction combines elements", [
    I32EnumAttrCase<"Add", 0, "add">,
    I32EnumAttrCase<"Max", 1, "max">]> {
  let cppNamespace = "::mlir::mlstm";
  let genSpecializedAttr = 0;
}

def Mlstm_KernelKind : I32EnumAttr<"KernelKind", "what a tiled kernel computes", [
    I32EnumAttrCase<"StateScan", 0, "state_scan">,
    I32EnumAttrCase<"Output", 1, "output">,
    I32EnumAttrCase<"RowAdjoint", 2, "row_adjoint">,
    I32EnumAttrCase<"GradStateScan", 3, "grad_state_scan">,
    I32EnumAttrCase<"GradQ", 4, "grad_q">,
    I32EnumAttrCase<"GradKV", 5, "grad_kv">,
    I32EnumAttrCase<"GradGates", 6, "grad_gates">]> {
  let cppNamespace = "::mlir::mlstm";
  let genSpecializedAttr = 0;
}

def Mlstm_DenominatorGrad : I32EnumAttr<"DenominatorGrad",
    "which gradient the backward takes through the normalizer", [
    I32EnumAttrCase<"Exact", 0, "exact">,
    I32EnumAttrCase<"Detached", 1, "detached">]> {
  let cppNamespace = "::mlir::mlstm";
  let genSpecializedAttr = 0;
  let description = [{
    `exact`: the gradient of the function the forward computes, through
    max(|q^T n|, lower) + eps. `detached`: the scale
    exp(-m_t) / (max(|q^T n_t|, exp(-m_t)) + eps) of the unstabilized
    numerator is held constant (as NX-AI/mlstm_kernels does; exact only behind
    a scale-invariant norm).
  }];
}

def Mlstm_CombiningKindAttr : EnumAttr<Mlstm_Dialect, Mlstm_CombiningKind, "combining_kind">;

// Spec-level op attributes; lower levels carry #mlstm.variant instead.
def Mlstm_InputGateAttr : EnumAttr<Mlstm_Dialect, Mlstm_InputGate, "input_gate">;
def Mlstm_ForgetGateAttr : EnumAttr<Mlstm_Dialect, Mlstm_ForgetGate, "forget_gate">;
def Mlstm_NormalizerAttr : EnumAttr<Mlstm_Dialect, Mlstm_Normalizer, "normalizer">;
def Mlstm_DenominatorGradAttr : EnumAttr<Mlstm_Dialect, Mlstm_DenominatorGrad, "denominator_grad">;

#endif // MLSTM_DIALECT_MLSTM_IR_MLSTMENUMS_TD
