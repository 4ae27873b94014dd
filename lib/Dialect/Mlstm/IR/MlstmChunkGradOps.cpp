//===- MlstmChunkGradOps.cpp - chunked-level gradient operations ----------===//

#include "ChunkShapes.h"

using namespace mlir;
using namespace mlir::mlstm;

namespace {
/// The checks of the gradient ops on top of ChunkShapes: rows, state
/// adjoints and final-state cotangents.
struct GradShapes : ChunkShapes {
  int64_t dqk = 0, dhv = 0;

  /// q/k (rank 4, DQK) and a v-like operand (rank 4, DHV), the gates and the
  /// forward's boundary states.
  LogicalResult verifyCommon(RankedTensorType k, RankedTensorType v, Value i,
                             Value f, TypeRange states) {
    if (failed(verifyInputs(k, v, i, f)))
      return failure();
    dqk = k.getDimSize(3);
    dhv = v.getDimSize(3);
    return verifyBoundaryStates(states, dqk, dhv);
  }

  LogicalResult verifyRows(TypeRange rows, StringRef what, size_t expected) {
    if (rows.size() != expected)
      return op->emitOpError() << "expected " << expected << " " << what
                               << ", got " << rows.size();
    for (Type type : rows)
      if (cast<RankedTensorType>(type).getRank() != 3)
        return op->emitOpError() << what << " must have rank 3 (B x NH x S)";
    return success();
  }

  /// Adjoints of the boundary states: C, then n with a normalizer.
  LogicalResult verifyStateGrads(TypeRange types) {
    return verifyBoundaryStates(types, dqk, dhv, /*withMax=*/false);
  }

  /// Final-state cotangents: none, or C (rank 4), n (rank 3), m (rank 2) of
  /// the variant.
  LogicalResult verifyFinalGrads(TypeRange types) {
    if (types.empty())
      return success();
    if (types.size() != variant.getNumStates())
      return op->emitOpError() << "expected " << variant.getNumStates()
                               << " final-state cotangents or none, got "
                               << types.size();
    SmallVector<SmallVector<int64_t>> tails = {{dqk, dhv}};
    if (variant.hasNormalizerState())
      tails.push_back({dqk});
    if (variant.hasMaxState())
      tails.push_back({});
    for (auto [type, tail] : llvm::zip_equal(types, tails)) {
      auto tensor = cast<RankedTensorType>(type);
      if (tensor.getRank() != 2 + static_cast<int64_t>(tail.size()) ||
          tensor.getShape().drop_front(2) != ArrayRef<int64_t>(tail))
        return op->emitOpError() << "final-state cotangent " << type
                                 << " must be B x NH x head dims of the state";
    }
    return success();
  }
};
} // namespace

static constexpr size_t kNumRows = 4; // scale, dden, m, gamma

LogicalResult ChunkRowAdjointOp::verify() {
  GradShapes shapes{{getOperation(), getVariant()}};
  if (failed(shapes.verifyCommon(getK().getType(), getH().getType(), getI(),
                                 getF(), getStates().getTypes())))
    return failure();
  if (!compatibleShapes(getQ().getType(), getK().getType()))
    return emitOpError("q and k must have one shape");
  if (getDh().getType() != getH().getType())
    return emitOpError("dh must have the type of h");
  return shapes.verifyRows(getResultTypes(), "row results", kNumRows);
}

LogicalResult ChunkGradStateScanOp::verify() {
  GradShapes shapes{{getOperation(), getVariant()}};
  if (failed(shapes.verifyCommon(getQ().getType(), getDh().getType(), getI(),
                                 getF(), getStates().getTypes())) ||
      failed(shapes.verifyRows(getRows().getTypes(), "rows", kNumRows)) ||
      failed(shapes.verifyFinalGrads(getFinalStateGrads().getTypes())))
    return failure();
  return shapes.verifyStateGrads(getStateGrads().getTypes());
}

LogicalResult ChunkGradQOp::verify() {
  GradShapes shapes{{getOperation(), getVariant()}};
  if (failed(shapes.verifyCommon(getK().getType(), getV().getType(), getI(),
                                 getF(), getStates().getTypes())) ||
      failed(shapes.verifyRows(getRows().getTypes(), "rows", kNumRows)))
    return failure();
  if (!compatibleShapes(getDq().getType(), getQ().getType()))
    return emitOpError("dq must have the shape of q");
  return shapes.verifyRows(getQDotDq().getType(), "q_dot_dq", 1);
}

LogicalResult ChunkGradKVOp::verify() {
  GradShapes shapes{{getOperation(), getVariant()}};
  if (failed(shapes.verifyCommon(getK().getType(), getV().getType(), getI(),
                                 getF(), getStates().getTypes())) ||
      failed(shapes.verifyStateGrads(getStateGrads().getTypes())) ||
      failed(shapes.verifyRows(getRows().getTypes(), "rows", kNumRows)))
    return failure();
  if (!compatibleShapes(getDk().getType(), getK().getType()) ||
      !compatibleShapes(getDv().getType(), getV().getType()))
    return emitOpError("dk and dv must have the shapes of k and v");
  return shapes.verifyRows(getKDotDk().getType(), "k_dot_dk", 1);
}

LogicalResult ChunkGradGatesOp::verify() {
  VariantAttr variant = getVariant();
  GradShapes shapes{{getOperation(), variant}};
  if (failed(shapes.verifyRows({getQDotDq().getType(), getKDotDk().getType()},
                               "row products", 2)) ||
      failed(shapes.verifyRows(getRows().getTypes(), "rows", kNumRows)))
    return failure();
  if (getStates().empty())
    return emitOpError("expected the boundary states");
  auto c = cast<RankedTensorType>(getStates()[0].getType());
  if (c.getRank() != 5)
    return emitOpError("boundary state C must have rank 5");
  shapes.dqk = c.getDimSize(3);
  shapes.dhv = c.getDimSize(4);
  if (failed(shapes.verifyBoundaryStates(getStates().getTypes(), shapes.dqk,
                                         shapes.dhv)) ||
      failed(shapes.verifyStateGrads(getStateGrads().getTypes())) ||
      failed(shapes.verifyFinalGrads(getFinalStateGrads().getTypes())))
    return failure();
  if (bool(getI()) != (variant.getInputGate() != InputGate::None) ||
      bool(getF()) != (variant.getForgetGate() != ForgetGate::None))
    return emitOpError("gate operands must match the variant's gates");
  size_t expected = (getI() ? 1 : 0) + (getF() ? 1 : 0) +
                    (variant.hasMaxState() ? 1 : 0);
  if (getGrads().size() != expected)
    return emitOpError() << "expected " << expected
                         << " results (di, df, dm0 as the variant has them), "
                            "got "
                         << getGrads().size();
  return success();
}
