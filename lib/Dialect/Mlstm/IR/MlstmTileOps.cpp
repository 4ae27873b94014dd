//===- MlstmTileOps.cpp - tiled-level operations --------------------------===//

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::mlstm;

/// Shared by load and store: one index per memref dimension and a tile no
/// larger in rank than the memref, with matching element types.
static LogicalResult verifyTileAccess(Operation *op, MemRefType memref,
                                      RankedTensorType tile,
                                      size_t numIndices) {
  if (numIndices != static_cast<size_t>(memref.getRank()))
    return op->emitOpError() << "expected " << memref.getRank()
                             << " indices, got " << numIndices;
  if (tile.getRank() > memref.getRank())
    return op->emitOpError("tile rank exceeds the memref rank");
  if (tile.getElementType() != memref.getElementType())
    return op->emitOpError() << "tile element type " << tile.getElementType()
                             << " differs from the memref's "
                             << memref.getElementType();
  return success();
}

LogicalResult TileLoadOp::verify() {
  return verifyTileAccess(*this, getSource().getType(), getResult().getType(),
                          getIndices().size());
}

LogicalResult TileStoreOp::verify() {
  return verifyTileAccess(*this, getDest().getType(), getValue().getType(),
                          getIndices().size());
}

LogicalResult TileMatmulOp::verify() {
  ArrayRef<int64_t> lhs = getLhs().getType().getShape();
  ArrayRef<int64_t> rhs = getRhs().getType().getShape();
  int64_t m = getTransposeLhs() ? lhs[1] : lhs[0];
  int64_t kl = getTransposeLhs() ? lhs[0] : lhs[1];
  int64_t kr = getTransposeRhs() ? rhs[1] : rhs[0];
  int64_t n = getTransposeRhs() ? rhs[0] : rhs[1];
  if (kl != kr)
    return emitOpError() << "contraction sizes differ: " << kl << " vs " << kr;
  RankedTensorType result = getResult().getType();
  if (result.getShape() != ArrayRef<int64_t>{m, n})
    return emitOpError() << "result must be " << m << "x" << n;
  if (getAcc() && getAcc().getType() != result)
    return emitOpError("accumulator type must equal the result type");
  if (getLhs().getType().getElementType() !=
      getRhs().getType().getElementType())
    return emitOpError("operands must have one element type");
  return success();
}

LogicalResult TileGateMatrixOp::verify() {
  int64_t rows = getRowCum().getType().getDimSize(0);
  int64_t cols = getColCum().getType().getDimSize(0);
  if (getResult().getType().getShape() != ArrayRef<int64_t>{rows, cols})
    return emitOpError() << "result must be " << rows << "x" << cols;
  if (getColGate() && getColGate().getType() != getColCum().getType())
    return emitOpError("col_gate must have the type of col_cum");
  if (bool(getRowCumLo()) != bool(getColCumLo()))
    return emitOpError("row_cum_lo and col_cum_lo go together");
  return success();
}

LogicalResult TileReduceOp::verify() {
  RankedTensorType input = getInput().getType();
  int64_t dim = getDim();
  if (dim >= input.getRank())
    return emitOpError() << "dim " << dim << " out of range for a rank "
                         << input.getRank() << " tile";
  Type expected = input.getElementType();
  if (input.getRank() == 2)
    expected = RankedTensorType::get({input.getDimSize(1 - dim)},
                                     input.getElementType());
  if (getResult().getType() != expected)
    return emitOpError() << "result must be " << expected;
  return success();
}

LogicalResult TileBroadcastOp::verify() {
  int64_t len = getInput().getType().getDimSize(0);
  RankedTensorType result = getResult().getType();
  if (result.getDimSize(getDim() == 1 ? 0 : 1) != len)
    return emitOpError("result does not repeat the input along dim ")
           << getDim();
  if (result.getElementType() != getInput().getType().getElementType())
    return emitOpError("element types differ");
  return success();
}

LogicalResult TileExpGatesOp::verify() {
  Type input = getInput().getType();
  if (getResult().getType() != input)
    return emitOpError("result type must equal the input type");
  if (getStabilized() && !getStabilizer())
    return emitOpError("stabilized without a stabilizer");
  if (Value stab = getStabilizer()) {
    Type elt = getElementTypeOrSelf(input);
    auto tile = dyn_cast<RankedTensorType>(input);
    Type perRow =
        tile ? RankedTensorType::get({tile.getDimSize(0)}, elt) : Type();
    if (stab.getType() != elt && stab.getType() != perRow)
      return emitOpError() << "stabilizer must be " << elt
                           << (perRow ? " or " : "") << perRow;
  }
  return success();
}

/// exp(x - x) = 1: the representation factors of a state that the stabilized
/// form no longer needs (e.g. C~ = C exp(m) at a loop entry) fold away.
OpFoldResult TileExpGatesOp::fold(FoldAdaptor) {
  if (!getStabilized() || getInput() != getStabilizer() ||
      isa<RankedTensorType>(getInput().getType()))
    return {};
  return FloatAttr::get(getType(), 1.0);
}

LogicalResult TileNormalizeOp::verify() {
  VariantAttr variant = getVariant();
  RankedTensorType num = getNum().getType();
  auto rows = RankedTensorType::get({num.getDimSize(0)}, num.getElementType());
  if (getResult().getType() != num)
    return emitOpError("result type must equal the numerator type");
  if (bool(getDen()) != variant.hasNormalizerState())
    return emitOpError("den must be present iff the variant normalizes");
  if (bool(getMaxState()) != variant.hasMaxState())
    return emitOpError("max_state must be present iff the variant has the "
                       "exp input gate");
  for (Value v : {getDen(), getMaxState()})
    if (v && v.getType() != rows)
      return emitOpError() << "den and max_state must be " << rows;
  return success();
}
