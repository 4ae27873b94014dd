//===- ChunkShapes.h - shape checks of the chunk-level ops ------*- C++ -*-===//
//
// Private to the dialect's IR library: the operand checks the forward and
// gradient chunk ops share.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_DIALECT_MLSTM_IR_CHUNKSHAPES_H
#define MLSTM_LIB_DIALECT_MLSTM_IR_CHUNKSHAPES_H

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/IR/TypeUtilities.h"

namespace mlir::mlstm {

/// Shapes that agree wherever both are static (a spec may refine sizes).
inline bool compatibleShapes(Type a, Type b) {
  return succeeded(verifyCompatibleShape(a, b));
}
/// The checks the chunk ops share: ranked inputs, gate operands matching the
/// variant, and per-boundary states `B x NH x (NC+1) x ...` of the variant.
struct ChunkShapes {
  Operation *op;
  VariantAttr variant;

  LogicalResult verifyInputs(RankedTensorType k, RankedTensorType v, Value i,
                             Value f) {
    if (k.getRank() != 4 || v.getRank() != 4)
      return op->emitOpError("k and v must have rank 4 (B x NH x S x D)");
    if (ShapedType::isDynamic(k.getDimSize(3)) ||
        ShapedType::isDynamic(v.getDimSize(3)))
      return op->emitOpError("head dimensions must be static");
    if (bool(i) != (variant.getInputGate() != InputGate::None))
      return op->emitOpError("igate operand must be present iff the variant "
                             "has an input gate");
    if (bool(f) != (variant.getForgetGate() != ForgetGate::None))
      return op->emitOpError("fgate operand must be present iff the variant "
                             "has a forget gate");
    for (Value gate : {i, f})
      if (gate && cast<RankedTensorType>(gate.getType()).getRank() != 3)
        return op->emitOpError("gates must have rank 3 (B x NH x S)");
    return success();
  }

  /// Boundary states: C (rank 5), n (rank 4), m (rank 3), each with the
  /// boundary index in dimension 2.
  LogicalResult verifyBoundaryStates(TypeRange types, int64_t dqk,
                                     int64_t dhv, bool withMax = true) {
    unsigned expected = variant.getNumStates() -
                        (!withMax && variant.hasMaxState() ? 1 : 0);
    if (types.size() != expected)
      return op->emitOpError() << "expected " << expected
                               << " boundary states for the variant, got "
                               << types.size();
    SmallVector<SmallVector<int64_t>> tails = {{dqk, dhv}};
    if (variant.hasNormalizerState())
      tails.push_back({dqk});
    if (variant.hasMaxState() && withMax)
      tails.push_back({});
    for (auto [type, tail] : llvm::zip_equal(types, tails)) {
      auto tensor = cast<RankedTensorType>(type);
      if (tensor.getRank() != 3 + static_cast<int64_t>(tail.size()) ||
          tensor.getShape().drop_front(3) != ArrayRef<int64_t>(tail))
        return op->emitOpError()
               << "boundary state " << type << " must be B x NH x (NC+1)"
               << (tail.empty() ? "" : " x ") << "head dims of the variant";
    }
    return success();
  }
};

} // namespace mlir::mlstm

#endif // MLSTM_LIB_DIALECT_MLSTM_IR_CHUNKSHAPES_H
