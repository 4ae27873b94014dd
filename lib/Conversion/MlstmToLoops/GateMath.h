//===- GateMath.h - Scalar gate arithmetic of the recurrences ---*- C++ -*-===//
//
// The scalar formulas every lowering of the mlstm ops shares: the gate
// activations, the log input weight and the output map h = scale * num. They
// emit arith/math ops in one float type (the compute type) and are used both
// in scalar code and inside linalg bodies, so each formula is stated once.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_GATEMATH_H
#define MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_GATEMATH_H

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/IR/Builders.h"

namespace mlir::mlstm::loops {

/// A scalar float constant of `type`.
Value floatConstant(OpBuilder &b, Location loc, Type type, double value);

/// log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), which neither overflows
/// nor loses the small tail for large |x|.
Value logSigmoid(OpBuilder &b, Location loc, Value x);

/// sigmoid(x) = 1 / (1 + exp(-x)).
Value sigmoid(OpBuilder &b, Location loc, Value x);

/// log f_t: logsigmoid(f) for the logsigmoid forget gate, 0 for `none` (then
/// `f` is null). The result has type `type`; `f` is converted to it first.
Value logForget(OpBuilder &b, Location loc, VariantAttr variant, Value f,
                Type type);

/// The log input weight iota_t used by the chunkwise formulas: i (exp),
/// logsigmoid(i) (sigmoid, so exp(iota) = sigmoid(i)), 0 (none; `i` null).
Value logInputWeight(OpBuilder &b, Location loc, VariantAttr variant, Value i,
                     Type type);

/// The scale s (of float type `type`) of h = s * num, given the stabilized
/// denominator `den` and the max state `m` (null for the variants without
/// one, i.e. m = 0):
///   max_abs: 1 / (max(|den|, exp(-m)) + eps)
///   none:    exp(m), which undoes the stabilizer so that h is the
///            unstabilized numerator (`den` is unused and may be null).
Value outputScale(OpBuilder &b, Location loc, VariantAttr variant, Type type,
                  Value den, Value m);

} // namespace mlir::mlstm::loops

#endif // MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_GATEMATH_H
