//===- Passes.td - mlstm conversion passes -----------------*- tablegen -*-===//

#ifndef MLSTM_CONVERSION_PASSES_TD
#define MLSTM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

#endif // MLSTM_CONVERSION_PASSES_TD
