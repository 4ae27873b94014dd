//===- TileGrad.cpp - shared frame of the tiled backward kernels ----------===//

#include "TileGrad.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <limits>

using namespace mlir;
using namespace mlir::mlstm;

void GradKernel::bind(OpBuilder &b, Location loc, Value qT, Value kT, Value vT,
                      Value iT, Value fT, ValueRange states,
                      ValueRange stateGrads, ValueRange rows, Value dhT) {
  q = toBuffer(b, loc, qT);
  k = toBuffer(b, loc, kT);
  v = toBuffer(b, loc, vT);
  i = toBuffer(b, loc, iT);
  f = toBuffer(b, loc, fT);
  dh = toBuffer(b, loc, dhT);
  if (!states.empty()) {
    cAll = toBuffer(b, loc, states[0]);
    if (hasN())
      nAll = toBuffer(b, loc, states[1]);
    if (hasM())
      mAll = toBuffer(b, loc, states.back());
  }
  if (!stateGrads.empty()) {
    dcAll = toBuffer(b, loc, stateGrads[0]);
    if (hasN())
      dnAll = toBuffer(b, loc, stateGrads[1]);
  }
  if (!rows.empty()) {
    scale = toBuffer(b, loc, rows[0]);
    dden = toBuffer(b, loc, rows[1]);
    m = toBuffer(b, loc, rows[2]);
    gamma = toBuffer(b, loc, rows[3]);
  }
}

GradChunk GradKernel::chunkAt(TileBuilder &tb, Value bi, Value hi, Value c) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  GradChunk ch;
  ch.start = tb.mul(c, tb.index(chunk));
  ch.valid = tb.minIndex(tb.sub(seqLen, ch.start), tb.index(chunk));
  ch.gates = loadChunkGates(tb, variant, chunk, i, f, bi, hi, ch.start,
                            ch.valid);
  if (hasM()) {
    auto load = [&](Value boundary) {
      return tb.convert(
          memref::LoadOp::create(b, loc, mAll, ValueRange{bi, hi, boundary}),
          compute);
    };
    ch.mPrev = load(c);
    ch.mNext = load(tb.add(c, tb.index(1)));
  } else {
    ch.mPrev = ch.mNext = tb.scalar(0.0);
  }
  return ch;
}

Value GradKernel::loadRows(TileBuilder &tb, Value buffer, Value bi, Value hi,
                           Value pos, Value count, int64_t size,
                           double padding) {
  OpBuilder &b = tb.builder();
  auto type = cast<MemRefType>(buffer.getType());
  Value raw = TileLoadOp::create(b, tb.getLoc(),
                                 tb.tile({size}, type.getElementType()),
                                 buffer, ValueRange{bi, hi, pos}, count,
                                 b.getF64FloatAttr(padding));
  return tb.convert(raw, compute);
}

Value GradKernel::loadSeqTileRaw(TileBuilder &tb, Value buffer, Value bi,
                                 Value hi, Value pos, Value col0, Value count,
                                 int64_t rows, int64_t cols) {
  OpBuilder &b = tb.builder();
  auto type = cast<MemRefType>(buffer.getType());
  return TileLoadOp::create(b, tb.getLoc(),
                            tb.tile({rows, cols}, type.getElementType()),
                            buffer, ValueRange{bi, hi, pos, col0}, count,
                            b.getF64FloatAttr(0.0));
}

Value GradKernel::loadSeqTile(TileBuilder &tb, Value buffer, Value bi,
                              Value hi, Value pos, Value col0, Value count,
                              int64_t rows, int64_t cols) {
  return tb.convert(
      loadSeqTileRaw(tb, buffer, bi, hi, pos, col0, count, rows, cols),
      compute);
}

Value GradKernel::dnumOperand(TileBuilder &tb, Value bi, Value hi, Value pos,
                              Value count, Value scaleRows, Value dv0,
                              int64_t rows, int64_t bv) {
  if (scaleOutside())
    return operand(tb,
                   loadSeqTileRaw(tb, dh, bi, hi, pos, dv0, count, rows, bv));
  Value dhT = loadSeqTile(tb, dh, bi, hi, pos, dv0, count, rows, bv);
  return operand(tb, tb.fmul(dhT, tb.broadcastRows(scaleRows, bv)));
}

Value GradKernel::dpTile(TileBuilder &tb, Value bi, Value hi, Value qPos,
                         Value qCount, Value scaleRows, Value ddenRows,
                         Value kPos, Value kCount, int64_t bq, int64_t bk,
                         int64_t bv) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  RankedTensorType type = tb.tile({bq, bk});
  Value ddenTile = tb.broadcastRows(ddenRows, bk);
  Value init = scaleOutside() ? tb.splat(type, 0.0) : ddenTile;
  auto loop = scf::ForOp::create(b, loc, tb.index(0), tb.index(dhv),
                                 tb.index(bv), ValueRange{init});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value dv0 = loop.getInductionVar();
    Value dnum =
        dnumOperand(tb, bi, hi, qPos, qCount, scaleRows, dv0, bq, bv);
    Value vt = loadSeqTileRaw(tb, v, bi, hi, kPos, dv0, kCount, bk, bv);
    scf::YieldOp::create(
        b, loc,
        TileMatmulOp::create(b, loc, type, dnum, operand(tb, vt),
                             loop.getRegionIterArgs()[0],
                             /*transpose_lhs=*/false, /*transpose_rhs=*/true)
            .getResult());
  }
  if (!scaleOutside())
    return loop.getResult(0);
  return tb.fadd(scaleOutsideRows(tb, loop.getResult(0), scaleRows, bk),
                 ddenTile);
}

Value GradKernel::interWeights(TileBuilder &tb, Value bRows, Value mPrev,
                               Value mRows) {
  auto type = cast<RankedTensorType>(bRows.getType());
  Value x = tb.fsub(tb.fadd(bRows, tb.splat(type, mPrev)), mRows);
  return TileExpGatesOp::create(tb.builder(), tb.getLoc(), x, Value());
}

Value GradKernel::intraWeights(TileBuilder &tb, const GradChunk &ch,
                               Value row0, Value col0, Value mRows, int64_t bq,
                               int64_t bk) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  Value logD = ch.gates.gateMatrix(tb, row0, bq, col0, bk);
  Value x = tb.fsub(logD, tb.broadcastRows(mRows, bk));
  return TileExpGatesOp::create(b, loc, x, Value());
}

Value GradKernel::product(TileBuilder &tb, RankedTensorType accType,
                          Value lhs, Value rhs, Value acc, bool transposeLhs,
                          bool transposeRhs, bool splitLhs, bool splitRhs) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  auto split = [&](Value x) -> std::pair<Value, Value> {
    Value hi = operand(tb, x);
    return {hi, hi == x ? Value() : tb.lowPart(x, hi)};
  };
  auto [lhsHi, lhsLo] = splitLhs ? split(lhs) : std::pair{operand(tb, lhs),
                                                           Value()};
  auto [rhsHi, rhsLo] = splitRhs ? split(rhs) : std::pair{operand(tb, rhs),
                                                           Value()};
  auto mm = [&](Value x, Value y, Value into) -> Value {
    return TileMatmulOp::create(b, loc, accType, x, y, into, transposeLhs,
                                transposeRhs);
  };
  Value sum = mm(lhsHi, rhsHi, acc);
  if (lhsLo)
    sum = mm(lhsLo, rhsHi, sum);
  if (rhsLo)
    sum = mm(lhsHi, rhsLo, sum);
  return sum;
}

ScheduleAttr mlir::mlstm::gradSchedule(MLIRContext *ctx, KernelKind kind,
                                       int64_t chunk, int64_t dqk, int64_t dhv,
                                       const TileOptions &options,
                                       bool fullDqk) {
  ScheduleAttr s = chooseSchedule(ctx, kind, chunk, dqk, dhv, options);
  if (!fullDqk)
    return s;
  // Whole DQK rows: from DQK = 256 on, a [DQK x 128] f32 state tile (and its
  // hi/lo operand parts) next to the [block_q x DQK] accumulator is more
  // shared memory than a CTA has (252 KB for bf16 grad_q at 256 x 512,
  // 326 KB for f32), so those kernels take DHV in tiles of 64. block_q
  // stays: wgmma needs M = 64.
  int64_t blockDhv = s.getBlockDhv();
  if (options.blockDhv <= 0 && dqk >= 256)
    blockDhv = std::min<int64_t>(blockDhv, 64);
  return ScheduleAttr::get(ctx, kind, chunk, s.getBlockQ(), s.getBlockK(),
                           llvm::PowerOf2Ceil(dqk), blockDhv, s.getWarps(),
                           s.getStages());
}
