//===- MlstmAttrs.cpp - mlstm attributes ----------------------------------===//

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::mlstm;

LogicalResult
VariantAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                    InputGate inputGate, ForgetGate forgetGate,
                    Normalizer normalizer, APFloat epsValue,
                    APFloat qkScaleValue) {
  double eps = epsValue.convertToDouble();
  double qkScale = qkScaleValue.convertToDouble();
  if (normalizer != Normalizer::None && inputGate == InputGate::None)
    return emitError() << "normalizer = max_abs needs an input gate";
  if (!(eps >= 0.0) || std::isinf(eps))
    return emitError() << "eps must be finite and non-negative, got " << eps;
  if (!(qkScale > 0.0) || std::isinf(qkScale))
    return emitError() << "qk_scale must be finite and positive, got "
                       << qkScale;
  return success();
}
