//===- GateMath.cpp - Scalar gate arithmetic of the recurrences -----------===//

#include "GateMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::mlstm;

Value loops::floatConstant(OpBuilder &b, Location loc, Type type,
                           double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value loops::logSigmoid(OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  Value zero = floatConstant(b, loc, type, 0.0);
  Value negAbs = arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
  Value tail =
      math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs));
  Value head = arith::MinimumFOp::create(b, loc, x, zero);
  return arith::SubFOp::create(b, loc, head, tail);
}

Value loops::sigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = floatConstant(b, loc, x.getType(), 1.0);
  Value expNeg = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, expNeg));
}

Value loops::logForget(OpBuilder &b, Location loc, VariantAttr variant, Value f,
                       Type type) {
  if (variant.getForgetGate() == ForgetGate::None)
    return floatConstant(b, loc, type, 0.0);
  return logSigmoid(b, loc,
                    convertScalarToDtype(b, loc, f, type,
                                         /*isUnsignedCast=*/false));
}

Value loops::logInputWeight(OpBuilder &b, Location loc, VariantAttr variant,
                            Value i, Type type) {
  switch (variant.getInputGate()) {
  case InputGate::Exp:
    return convertScalarToDtype(b, loc, i, type, /*isUnsignedCast=*/false);
  case InputGate::Sigmoid:
    return logSigmoid(
        b, loc,
        convertScalarToDtype(b, loc, i, type, /*isUnsignedCast=*/false));
  case InputGate::None:
    break;
  }
  return floatConstant(b, loc, type, 0.0);
}

Value loops::outputScale(OpBuilder &b, Location loc, VariantAttr variant,
                         Type type, Value den, Value m) {
  if (variant.getNormalizer() == Normalizer::None)
    return m ? Value(math::ExpOp::create(b, loc, m))
             : floatConstant(b, loc, type, 1.0);
  // The floor exp(-m) is 1 for the unstabilized (sigmoid) variant.
  Value floor =
      m ? Value(math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, m)))
        : floatConstant(b, loc, type, 1.0);
  // One statement per op: the order of evaluation of call arguments is
  // unspecified, and GCC and clang would emit the ops in different orders.
  Value eps = floatConstant(b, loc, type, variant.getEpsValue());
  Value absDen = math::AbsFOp::create(b, loc, den);
  Value clamped = arith::MaximumFOp::create(b, loc, absDen, floor);
  Value denominator = arith::AddFOp::create(b, loc, clamped, eps);
  Value one = floatConstant(b, loc, type, 1.0);
  return arith::DivFOp::create(b, loc, one, denominator);
}
