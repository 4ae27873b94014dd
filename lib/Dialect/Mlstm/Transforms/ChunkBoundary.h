//===- ChunkBoundary.h - boundary-state helpers of --mlstm-chunk -*- C++ -*-===//

#ifndef MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_CHUNKBOUNDARY_H
#define MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_CHUNKBOUNDARY_H

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::mlstm {

/// The types of the boundary states of `variant` (C, then n, then m) for q of
/// shape B x NH x S x DQK, chunk length `chunk` and DHV.
SmallVector<Type> boundaryStateTypes(VariantAttr variant, ArrayRef<int64_t> q,
                                     int64_t dhv, int64_t chunk,
                                     Type stateElt);

/// all[:, :, index, ...] as a tensor of `resultType` (rank-reduced).
Value extractBoundary(PatternRewriter &rewriter, Location loc, Value all,
                      Value index, RankedTensorType resultType);

/// The index of the last boundary, NC = ceil(S / L), with S from dim 2 of
/// `seqSource`.
Value lastBoundary(PatternRewriter &rewriter, Location loc, Value seqSource,
                   int64_t chunk);

} // namespace mlir::mlstm

#endif // MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_CHUNKBOUNDARY_H
