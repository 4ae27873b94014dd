//===- TileGrad.h - shared frame of the tiled backward kernels --*- C++ -*-===//
//
// The gradient chunk ops (MlstmChunkGradOps.td) become tiled kernels like the
// forward ones: an scf.forall per kernel over independent programs, tiles as
// tensors, mlstm.tile_* ops. Unlike the forward, the backward reads the
// forward's max states (boundary m and the per-position m_t of
// chunk_row_adjoint), so its exponentials are written already stabilized,
// exp(x - m) with x <= m, as tile_exp_gates without a recorded stabilizer.
//
// GradKernel gathers the buffers and the per-chunk quantities every backward
// kernel needs; each kernel is built in its own file.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_TILEGRAD_H
#define MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_TILEGRAD_H

#include "ChunkGates.h"
#include "TileBuilder.h"
#include "TileKernel.h"
#include "mlstm/Dialect/Mlstm/Transforms/TileSchedule.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::mlstm {

/// What one chunk of one (batch, head) contributes to every backward kernel.
struct GradChunk {
  Value start, valid; // sequence position of the chunk, valid positions
  ChunkGates gates;
  Value mPrev, mNext; // max states at the chunk's start and end (0: none)
};

struct GradKernel {
  VariantAttr variant;
  int64_t chunk = 0, dqk = 0, dhv = 0;
  Type inputElt, stateElt;
  FloatType compute;
  // Operand buffers (null when absent).
  Value q, k, v, i, f, h, dh;
  Value cAll, nAll, mAll;    // the forward's boundary states
  Value dcAll, dnAll;        // their adjoints
  Value scale, dden, m, gamma; // per-position rows of chunk_row_adjoint
  Value seqLen, numChunks;

  bool hasN() const { return variant.hasNormalizerState(); }
  bool hasM() const { return variant.hasMaxState(); }
  double qkScale() const { return variant.getQkScaleValue(); }

  /// Buffers of the operands; `states`, `stateGrads`, `rows` may be empty.
  void bind(OpBuilder &b, Location loc, Value qT, Value kT, Value vT, Value iT,
            Value fT, ValueRange states, ValueRange stateGrads,
            ValueRange rows, Value dhT);

  /// The gates and max states of chunk `c`.
  GradChunk chunkAt(TileBuilder &tb, Value bi, Value hi, Value c);

  /// A 1-D tile of `count` valid positions of a B x NH x S row buffer from
  /// sequence position `pos`, padded with `padding`.
  Value loadRows(TileBuilder &tb, Value buffer, Value bi, Value hi, Value pos,
                 Value count, int64_t size, double padding = 0.0);

  /// A [rows x cols] tile of a B x NH x S x D buffer at (pos, col0), `count`
  /// valid rows, in the compute type.
  Value loadSeqTile(TileBuilder &tb, Value buffer, Value bi, Value hi,
                    Value pos, Value col0, Value count, int64_t rows,
                    int64_t cols);

  /// The same tile in its stored element type (for tensor-core operands).
  Value loadSeqTileRaw(TileBuilder &tb, Value buffer, Value bi, Value hi,
                       Value pos, Value col0, Value count, int64_t rows,
                       int64_t cols);

  /// Whether the row scale of dnum = scale_t dh_t goes outside the
  /// products. dnum is no 16-bit value: rounded to bf16 as an operand it
  /// left 2-7 % errors where dP = dnum.v + dden cancels (single-token
  /// gradients on the H100), so with 16-bit inputs dh enters as given and
  /// the scale goes on the other side of each product or after its sum.
  /// f32 operands carry dnum itself.
  bool scaleOutside() const { return inputElt.getIntOrFloatBitWidth() < 32; }

  /// `x` [rows x cols] with row t times scale_t where the scale goes
  /// outside the products; `x` itself otherwise.
  Value scaleOutsideRows(TileBuilder &tb, Value x, Value scaleRows,
                         int64_t cols) {
    return scaleOutside() ? tb.fmul(x, tb.broadcastRows(scaleRows, cols)) : x;
  }

  /// The dnum operand for `count` rows at `pos`, DHV columns [dv0, +bv):
  /// dh in the input type where the scale goes outside, dnum otherwise.
  Value dnumOperand(TileBuilder &tb, Value bi, Value hi, Value pos,
                    Value count, Value scaleRows, Value dv0, int64_t rows,
                    int64_t bv);

  /// dP_ts = dnum_t . v_s + dden_t of a (query tile, key tile) pair, over
  /// the DHV tiles on the tensor cores (scale_t (dh_t . v_s) + dden_t where
  /// the scale goes outside).
  Value dpTile(TileBuilder &tb, Value bi, Value hi, Value qPos, Value qCount,
               Value scaleRows, Value ddenRows, Value kPos, Value kCount,
               int64_t bq, int64_t bk, int64_t bv);

  /// The inter-chunk weight of query rows, exp(b_t + m_{k-1} - m_t).
  Value interWeights(TileBuilder &tb, Value bRows, Value mPrev, Value mRows);

  /// e_ts = exp(log D_ts - m_t) of a (query tile, key tile) pair.
  Value intraWeights(TileBuilder &tb, const GradChunk &ch, Value row0,
                     Value col0, Value mRows, int64_t bq, int64_t bk);

  /// Products on the tensor cores take their operands in the input type.
  Value operand(TileBuilder &tb, Value tile) {
    return tb.convert(tile, inputElt);
  }

  /// acc + op(lhs) op(rhs) on the tensor cores, with the f32 state operand
  /// (`splitLhs` / `splitRhs`) entering as hi + lo input-type parts: the
  /// gate gradients difference q'.dq' and k.dk, whose inter-chunk parts come
  /// through the states on one side and their adjoints on the other, so a
  /// state rounded once to bf16 leaves an error the sequence sum does not
  /// cancel.
  Value product(TileBuilder &tb, RankedTensorType accType, Value lhs, Value rhs,
                Value acc, bool transposeLhs, bool transposeRhs, bool splitLhs,
                bool splitRhs);
};

/// The schedule of a backward kernel: the forward's tile choices, with
/// `fullDqk` asking for one DQK tile (row products need whole rows), and then
/// DHV tiles of at most 64 from DQK = 256 on (shared memory).
ScheduleAttr gradSchedule(MLIRContext *ctx, KernelKind kind, int64_t chunk,
                          int64_t dqk, int64_t dhv, const TileOptions &options,
                          bool fullDqk);

void populateTileRowAdjointPatterns(RewritePatternSet &patterns,
                                    const TileOptions &options);
void populateTileGradStateScanPatterns(RewritePatternSet &patterns,
                                       const TileOptions &options);
void populateTileGradQPatterns(RewritePatternSet &patterns,
                               const TileOptions &options);
void populateTileGradKVPatterns(RewritePatternSet &patterns,
                                const TileOptions &options);
void populateTileGradGatesPatterns(RewritePatternSet &patterns,
                                   const TileOptions &options);

} // namespace mlir::mlstm

#endif // MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_TILEGRAD_H
