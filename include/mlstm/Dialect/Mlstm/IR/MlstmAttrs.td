//===- MlstmAttrs.td - mlstm attributes --------------------*- tablegen -*-===//

#ifndef MLSTM_DIALECT_MLSTM_IR_MLSTMATTRS_TD
#define MLSTM_DIALECT_MLSTM_IR_MLSTMATTRS_TD

include "mlstm/Dialect/Mlstm/IR/MlstmEnums.td"

/// A double-precision value written as a plain float literal.
def Mlstm_DoubleParameter : AttrParameter<"::llvm::APFloat", "a double value"> {
  let parser = [{ [&]() -> ::mlir::FailureOr<::llvm::APFloat> {
    double value;
    if ($_parser.parseFloat(value))
      return ::mlir::failure();
    return ::llvm::APFloat(value);
  }() }];
  let printer = [{ $_printer.printFloat($_self) }];
  let comparator = "$_lhs.bitwiseIsEqual($_rhs)";
}

def Mlstm_VariantAttr : AttrDef<Mlstm_Dialect, "Variant"> {
  let mnemonic = "variant";
  let summary = "the member of the recurrence family an op computes";
  let description = [{
    Everything below the spec level carries the variant as one attribute: the
    gates, the normalizer, eps and the (resolved) q scale.

    ```mlir
    #mlstm.variant<input_gate = exp, forget_gate = logsigmoid,
                   normalizer = max_abs, eps = 1.0e-06, qk_scale = 1.250000e-01>
    ```
  }];
  let parameters = (ins
    EnumParameter<Mlstm_InputGate>:$input_gate,
    EnumParameter<Mlstm_ForgetGate>:$forget_gate,
    EnumParameter<Mlstm_Normalizer>:$normalizer,
    Mlstm_DoubleParameter:$eps,
    Mlstm_DoubleParameter:$qk_scale
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "InputGate":$input_gate, "ForgetGate":$forget_gate,
                     "Normalizer":$normalizer, "double":$eps,
                     "double":$qk_scale), [{
      return $_get($_ctxt, input_gate, forget_gate, normalizer,
                   ::llvm::APFloat(eps), ::llvm::APFloat(qk_scale));
    }]>
  ];
  let extraClassDeclaration = [{
    double getEpsValue() const { return getEps().convertToDouble(); }
    double getQkScaleValue() const { return getQkScale().convertToDouble(); }
    bool hasNormalizerState() const { return getNormalizer() == Normalizer::MaxAbs; }
    bool hasMaxState() const { return getInputGate() == InputGate::Exp; }
    /// C, then n with a normalizer, then m with the exp gate.
    unsigned getNumStates() const {
      return 1 + (hasNormalizerState() ? 1 : 0) + (hasMaxState() ? 1 : 0);
    }
  }];
}

def Mlstm_ScheduleAttr : AttrDef<Mlstm_Dialect, "Schedule"> {
  let mnemonic = "schedule";
  let summary = "how a tiled kernel maps onto the GPU";
  let description = [{
    Carried by the `scf.forall` of every tiled kernel (as `mlstm.schedule`):
    which kernel it is, the chunk length, the tile sizes along the query (or
    sequence) rows, keys, DQK and DHV, and the warps and pipeline stages the
    GPU lowering uses. The CPU lowering ignores everything but the loops.

    ```mlir
    #mlstm.schedule<kind = output, chunk = 128, block_q = 64, block_k = 64,
                    block_dqk = 64, block_dhv = 128, warps = 4, stages = 2>
    ```
  }];
  let parameters = (ins
    EnumParameter<Mlstm_KernelKind>:$kind,
    "int64_t":$chunk,
    "int64_t":$block_q,
    "int64_t":$block_k,
    "int64_t":$block_dqk,
    "int64_t":$block_dhv,
    "int64_t":$warps,
    "int64_t":$stages
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // MLSTM_DIALECT_MLSTM_IR_MLSTMATTRS_TD
