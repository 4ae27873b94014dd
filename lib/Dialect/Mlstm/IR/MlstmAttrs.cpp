//===- MlstmAttrs.cpp - mlstm attributes ----------------------------------===//

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "llvm/Support/MathExtras.h"

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

LogicalResult
ScheduleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                     KernelKind kind, int64_t chunk, int64_t blockQ,
                     int64_t blockK, int64_t blockDqk, int64_t blockDhv,
                     int64_t warps, int64_t stages) {
  for (int64_t size : {chunk, blockQ, blockK, blockDqk, blockDhv})
    if (size <= 0 || !llvm::isPowerOf2_64(size))
      return emitError() << "chunk and block sizes must be positive powers "
                            "of two, got "
                         << size;
  if (blockQ > chunk || blockK > chunk)
    return emitError() << "blocks along the sequence (" << blockQ << ", "
                       << blockK << ") exceed the chunk " << chunk;
  if (warps <= 0 || stages <= 0)
    return emitError() << "warps and stages must be positive";
  return success();
}
