//===- TileBuilder.cpp - building tiled-level IR --------------------------===//

#include "TileBuilder.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::mlstm;

Value TileBuilder::convert(Value x, Type elt) {
  Type from = getElementTypeOrSelf(x.getType());
  if (from == elt)
    return x;
  Type to = elt;
  if (auto tensor = dyn_cast<RankedTensorType>(x.getType()))
    to = tensor.clone(elt);
  if (from.getIntOrFloatBitWidth() < elt.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, x);
  return arith::TruncFOp::create(b, loc, to, x);
}

Value TileBuilder::logSigmoid(Value x) {
  Type type = x.getType();
  auto zero = [&]() -> Value {
    if (auto tensor = dyn_cast<RankedTensorType>(type))
      return splat(tensor, 0.0);
    return arith::ConstantOp::create(
        b, loc, b.getFloatAttr(getElementTypeOrSelf(type), 0.0));
  };
  Value neg = arith::MinimumFOp::create(b, loc, x, zero());
  Value absX = math::AbsFOp::create(b, loc, x);
  Value softplus = math::Log1pOp::create(b, loc, exp(fneg(absX)));
  return fsub(neg, softplus);
}

Value TileBuilder::slice1D(Value v, int64_t offset, int64_t size) {
  if (offset == 0 && cast<RankedTensorType>(v.getType()).getDimSize(0) == size)
    return v;
  return tensor::ExtractSliceOp::create(
      b, loc, v, ArrayRef<OpFoldResult>{b.getIndexAttr(offset)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(size)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
}

Value TileBuilder::slice1D(Value v, Value offset, int64_t size) {
  return tensor::ExtractSliceOp::create(
      b, loc, tile({size}, getElementTypeOrSelf(v.getType())), v,
      ArrayRef<OpFoldResult>{offset},
      ArrayRef<OpFoldResult>{b.getIndexAttr(size)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
}

Value TileBuilder::reduce(CombiningKind kind, Value v, int64_t dim) {
  auto type = cast<RankedTensorType>(v.getType());
  Type result = type.getElementType();
  if (type.getRank() == 2)
    result = tile({type.getDimSize(1 - dim)}, type.getElementType());
  return TileReduceOp::create(b, loc, result, v, kind, dim);
}
