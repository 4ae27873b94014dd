//===- TileBuilder.h - building tiled-level IR ------------------*- C++ -*-===//
//
// A thin layer over OpBuilder for the tile patterns: index arithmetic, tile
// constants, elementwise math on tile tensors (arith/math ops apply
// elementwise to tensors), and the gate activations.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_TILEBUILDER_H
#define MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_TILEBUILDER_H

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::mlstm {

class TileBuilder {
public:
  TileBuilder(OpBuilder &b, Location loc, FloatType compute)
      : b(b), loc(loc), compute(compute) {}

  OpBuilder &builder() { return b; }
  Location getLoc() const { return loc; }
  FloatType computeType() const { return compute; }

  //===--- index arithmetic ----------------------------------------------===//
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value ceilDiv(Value x, Value y) {
    return arith::CeilDivUIOp::create(b, loc, x, y);
  }
  Value minIndex(Value x, Value y) {
    return arith::MinSIOp::create(b, loc, x, y);
  }
  /// max(x - y, 0): the number of valid rows of a tile starting at y when
  /// x rows exist.
  Value remaining(Value x, Value y) {
    return arith::MaxSIOp::create(b, loc, sub(x, y), index(0));
  }
  Value dim(Value buffer, int64_t d) {
    return b.createOrFold<memref::DimOp>(loc, buffer, d);
  }

  //===--- tile types and constants --------------------------------------===//
  RankedTensorType tile(ArrayRef<int64_t> shape, Type elt = {}) {
    return RankedTensorType::get(shape, elt ? elt : Type(compute));
  }
  Value scalar(double v) {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(compute, v));
  }
  Value splat(RankedTensorType type, double v) {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, b.getFloatAttr(
                                                 type.getElementType(), v)));
  }
  Value splat(RankedTensorType type, Value scalarValue) {
    return tensor::SplatOp::create(b, loc, type, scalarValue);
  }

  //===--- elementwise math (tiles or scalars) ---------------------------===//
  Value fadd(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value fsub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value fmul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value fmax(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }
  Value fneg(Value x) { return arith::NegFOp::create(b, loc, x); }
  Value exp(Value x) { return math::ExpOp::create(b, loc, x); }

  /// Converts a tile or scalar to element type `elt` (extf/truncf/none).
  Value convert(Value x, Type elt);
  /// The low part of `x` after its rounding `hi` to a narrower type:
  /// convert(x - hi, type of hi), so hi + lo holds x to about twice the
  /// narrow precision (two tensor-core products instead of one).
  Value lowPart(Value x, Value hi) {
    return convert(fsub(x, convert(hi, getElementTypeOrSelf(x.getType()))),
                   getElementTypeOrSelf(hi.getType()));
  }

  /// log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), stable for any x and 0
  /// at +inf (the padding of masked forget gates).
  Value logSigmoid(Value x);

  //===--- tiles ---------------------------------------------------------===//
  Value broadcastRows(Value v, int64_t cols) {
    auto type = cast<RankedTensorType>(v.getType());
    return TileBroadcastOp::create(
        b, loc, tile({type.getDimSize(0), cols}, type.getElementType()), v, 1);
  }
  Value broadcastCols(Value v, int64_t rows) {
    auto type = cast<RankedTensorType>(v.getType());
    return TileBroadcastOp::create(
        b, loc, tile({rows, type.getDimSize(0)}, type.getElementType()), v, 0);
  }
  /// v[offset : offset + size] of a 1-D tile, `offset` static.
  Value slice1D(Value v, int64_t offset, int64_t size);
  /// v[offset : offset + size] of a 1-D tile, `offset` dynamic.
  Value slice1D(Value v, Value offset, int64_t size);
  /// The reduction of a 2-D tile along `dim`, or of a 1-D tile to a scalar.
  Value reduce(CombiningKind kind, Value v, int64_t dim);

private:
  OpBuilder &b;
  Location loc;
  FloatType compute;
};

} // namespace mlir::mlstm

#endif // MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_TILEBUILDER_H
