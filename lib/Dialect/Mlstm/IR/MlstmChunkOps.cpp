//===- MlstmChunkOps.cpp - chunked-level operations -----------------------===//

#include "ChunkShapes.h"

using namespace mlir;
using namespace mlir::mlstm;



LogicalResult ChunkStateScanOp::verify() {
  ChunkShapes shapes{getOperation(), getVariant()};
  RankedTensorType k = getK().getType(), v = getV().getType();
  if (failed(shapes.verifyInputs(k, v, getI(), getF())))
    return failure();
  if (!getInitialStates().empty() &&
      getInitialStates().size() != getVariant().getNumStates())
    return emitOpError() << "expected " << getVariant().getNumStates()
                         << " initial states or none";
  return shapes.verifyBoundaryStates(getStates().getTypes(), k.getDimSize(3),
                                     v.getDimSize(3));
}

LogicalResult ChunkOutputOp::verify() {
  ChunkShapes shapes{getOperation(), getVariant()};
  RankedTensorType k = getK().getType(), v = getV().getType();
  if (failed(shapes.verifyInputs(k, v, getI(), getF())))
    return failure();
  if (!compatibleShapes(getQ().getType(), k))
    return emitOpError("q and k must have one shape");
  if (!compatibleShapes(getH().getType(), v))
    return emitOpError("h must have the shape of v");
  return shapes.verifyBoundaryStates(getStates().getTypes(), k.getDimSize(3),
                                     v.getDimSize(3));
}
