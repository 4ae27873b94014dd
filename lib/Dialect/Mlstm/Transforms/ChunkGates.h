//===- ChunkGates.h - the gate vectors of one chunk -------------*- C++ -*-===//
//
// Both tiled kernels start a chunk the same way: load the chunk's forget and
// input gate pre-activations (masked past the chunk and past S), and form
//
//   log f_t = logsigmoid(f_t)          (0 without a forget gate)
//   b_t     = sum_{u <= t} log f_u     (inclusive, within the chunk)
//             as hi + lo in an f32 kernel: summed in f64, so differences
//             b_t - b_s stay exact to the last bit of the difference
//   ig_t    = i_t | logsigmoid(i_t)    (log input weight; none: absent)
//
// Masked positions read f = +inf (log f = 0, so b stays flat past the end)
// and i = -inf (zero input weight).
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_CHUNKGATES_H
#define MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_CHUNKGATES_H

#include "TileBuilder.h"

namespace mlir::mlstm {

struct ChunkGates {
  /// b: cumulative log forget gate, a 1-D tile of the chunk length.
  Value cumLogForget;
  /// b - cumLogForget (rounded), or null where the compute type is f64 or
  /// there is no forget gate. With gates saturating at log f ~ -30, |b| is
  /// in the thousands and one f32 rounding of it (~1e-4) would be the
  /// largest error of an extreme-gate forward.
  Value cumLogForgetLo;
  /// g = b_{L-1}, the chunk's total log decay (a scalar).
  Value totalLogForget;
  /// The log input weights, or null without an input gate.
  Value logInput;

  /// log D of the query rows [row0, row0 + rows) and the key columns
  /// [col0, col0 + cols) of the chunk (tile_gate_matrix).
  Value gateMatrix(TileBuilder &tb, Value row0, int64_t rows, Value col0,
                   int64_t cols) const;
  /// a_s = g - b_s + ig_s, the log weight at the chunk's end of the positions
  /// [col0, col0 + size).
  Value logWeightAtEnd(TileBuilder &tb, Value col0, int64_t size) const;
};

/// Loads and activates the gates of the chunk starting at sequence position
/// `start` of (batch, head); `valid` positions of it exist.
ChunkGates loadChunkGates(TileBuilder &tb, VariantAttr variant, int64_t chunk,
                          Value iBuf, Value fBuf, Value batch, Value head,
                          Value start, Value valid);

/// The compute type of a kernel: f64 when inputs or states are f64, else f32
/// (bf16/f16 products accumulate in f32, as on the tensor cores).
FloatType computeTypeFor(Type inputElt, Type stateElt);

} // namespace mlir::mlstm

#endif // MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_CHUNKGATES_H
