//===- ChunkGates.h - Gate vectors of one chunk -----------------*- C++ -*-===//
//
// The per-chunk gate algebra of the chunkwise form, shared by the lowerings
// of chunk_state_scan and chunk_output. For the positions t = 0..len-1 of a
// chunk (len < L only for the last chunk when L does not divide S):
//
//   iota_t = log input weight (i_t, logsigmoid(i_t) or 0)
//   b_t    = sum_{r <= t} log f_r         (cumulative log-forget)
//   g      = b_{len-1}                    (the chunk's total log decay)
//   a_t    = g - b_t + iota_t             (log weight of k_t v_t^T in C_k)
//
// Vectors have the dynamic length len: the last chunk is masked by slicing
// only its valid positions, so the inputs are never padded.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_CHUNKGATES_H
#define MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_CHUNKGATES_H

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/IR/Builders.h"

namespace mlir::mlstm::loops {

/// Position range of chunk `chunkIndex`: start = index * L and
/// len = min(L, S - start).
struct ChunkBounds {
  Value start, len;
};
ChunkBounds getChunkBounds(OpBuilder &b, Location loc, Value chunkIndex,
                           int64_t chunkSize, Value seqLen);

/// iota and b of one chunk (tensors of length len in the compute type).
struct ChunkGates {
  Value logInput, cumLogForget;
};

/// Builds the gate vectors from the chunk's slices of the gate operands
/// (`iSlice`, `fSlice`: length-len vectors, null when the variant has no such
/// gate).
ChunkGates buildChunkGates(OpBuilder &b, Location loc, VariantAttr variant,
                           FloatType computeType, Value iSlice, Value fSlice,
                           Value len);

} // namespace mlir::mlstm::loops

#endif // MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_CHUNKGATES_H
