//===- TileOutput.cpp - chunk_output -> tiled kernel ----------------------===//
//
// TFLA's parallel part. One program per (batch, head, chunk, query tile of
// block_q rows, DHV tile of block_dhv columns) computes
//
//   inter:  num = e * (q' C_{c-1}),  den = e * (q' . n_{c-1}),
//           e_t = exp(b_t + m_{c-1})                       (DQK in tiles)
//   intra:  for each key tile left of the diagonal (causal):
//             S = q' k^T (DQK in tiles), log D = b_t - b_s + ig_s (masked),
//             P = S * exp(log D);  num += P v;  den += rowsum(P)
//   h = normalize(num, den, m)
//
// so the L x L gate matrix is never materialized and L is not bounded by
// on-chip memory. The max state of each row is known before the key loop:
// m_t = b_t + max(m_{c-1}, max_{s <= t} (ig_s - b_s)), a prefix max over the
// gate vector. Every exp of a log gate is a tile_exp_gates recording m_t as
// its stabilizer; stabilization applies it (no running max and no rescaling
// of the accumulators are needed, since m_t is exact up front).
//
// With the exp gate's normalizer, max(|q'n|, exp(-m)) can be tiny and the
// division amplifies the numerator's rounding; the fp32 state then enters
// q' C_{c-1} as hi + lo half-precision parts (two products) rather than
// rounded once (TileOptions::splitState).
//
//===----------------------------------------------------------------------===//

#include "ChunkGates.h"
#include "TileKernel.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"
#include "mlstm/Dialect/Mlstm/Transforms/TileSchedule.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::mlstm;

namespace {

struct TileOutput : OpRewritePattern<ChunkOutputOp> {
  TileOutput(MLIRContext *ctx, TileOptions options)
      : OpRewritePattern(ctx), options(options) {}

  LogicalResult matchAndRewrite(ChunkOutputOp op,
                                PatternRewriter &rewriter) const override;

private:
  TileOptions options;
};

struct OutputKernel {
  VariantAttr variant;
  ScheduleAttr schedule;
  Type inputElt, stateElt, outputElt;
  int64_t dqk;
  Value q, k, v, i, f;    // input buffers
  Value cAll, nAll, mAll; // boundary states
  Value h;                // result buffer
  Value seqLen;

  bool hasN() const { return variant.hasNormalizerState(); }
  bool hasM() const { return variant.hasMaxState(); }

  void buildBody(TileBuilder &tb, ValueRange ivs);
  /// Whether the inter-chunk product q' C_{c-1} splits the fp32 state into
  /// two half-precision parts (see splitStateOperand).
  bool splitState = false;

  /// Accumulates op(lhs) * op(rhs) over DQK tiles of q (rows of the query
  /// tile) against `other` (a loader for the DQK tile at an offset). With
  /// `split`, an `other` wider than the inputs enters as hi + lo parts.
  /// With `den` (a row vector), the same loop also accumulates q . n_{c-1}
  /// into it from the q tile it already holds (q is read once for both);
  /// the results are {acc, den}.
  template <typename LoadOther>
  std::pair<Value, Value>
  contractOverDqk(TileBuilder &tb, Value acc, Value den, Value bi, Value hi,
                  Value c, Value qRow, Value qRows, bool transposeOther,
                  bool split, LoadOther loadOther);
};

} // namespace

template <typename LoadOther>
std::pair<Value, Value> OutputKernel::contractOverDqk(
    TileBuilder &tb, Value acc, Value den, Value bi, Value hi, Value c,
    Value qRow, Value qRows, bool transposeOther, bool split,
    LoadOther loadOther) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t bq = schedule.getBlockQ(), bd = schedule.getBlockDqk();
  SmallVector<Value> carried = {acc};
  if (den)
    carried.push_back(den);
  auto loop = scf::ForOp::create(b, loc, tb.index(0), tb.index(dqk),
                                 tb.index(bd), carried);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value d = loop.getInductionVar();
  Value qt = TileLoadOp::create(b, loc, tb.tile({bq, bd}, inputElt), q,
                                ValueRange{bi, hi, qRow, d}, qRows,
                                b.getF64FloatAttr(0.0));
  Value other = loadOther(d);
  Value otherHi = tb.convert(other, inputElt);
  Value sum = TileMatmulOp::create(b, loc, acc.getType(), qt, otherHi,
                                   loop.getRegionIterArgs()[0],
                                   /*transpose_lhs=*/false, transposeOther);
  if (split && otherHi != other) {
    // other = hi + lo to about twice the input precision; q is exact in the
    // input type, so q hi + q lo loses only the accumulation's rounding.
    Value lo = tb.lowPart(other, otherHi);
    sum = TileMatmulOp::create(b, loc, acc.getType(), qt, lo, sum,
                               /*transpose_lhs=*/false, transposeOther);
  }
  SmallVector<Value> yields = {sum};
  if (den) {
    // q . n: rows of q times n broadcast down the columns.
    Value nt = TileLoadOp::create(b, loc, tb.tile({bd}, stateElt), nAll,
                                  ValueRange{bi, hi, c, d}, Value(),
                                  b.getF64FloatAttr(0.0));
    Value prod = tb.fmul(tb.convert(qt, tb.computeType()),
                         tb.broadcastCols(tb.convert(nt, tb.computeType()), bq));
    yields.push_back(tb.fadd(loop.getRegionIterArgs()[1],
                             tb.reduce(CombiningKind::Add, prod, 1)));
  }
  scf::YieldOp::create(b, loc, yields);
  return {loop.getResult(0), den ? loop.getResult(1) : Value()};
}

void OutputKernel::buildBody(TileBuilder &tb, ValueRange ivs) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t chunk = schedule.getChunk(), bq = schedule.getBlockQ();
  int64_t bk = schedule.getBlockK(), bd = schedule.getBlockDqk();
  int64_t bv = schedule.getBlockDhv();
  Value bi = ivs[0], hi = ivs[1], c = ivs[2];
  Value start = tb.mul(c, tb.index(chunk));
  Value valid = tb.minIndex(tb.sub(seqLen, start), tb.index(chunk));
  Value row0 = tb.mul(ivs[3], tb.index(bq));
  Value rows = tb.remaining(valid, row0);
  Value qRow = tb.add(start, row0);
  Value dv0 = tb.mul(ivs[4], tb.index(bv));
  Value scale = tb.scalar(variant.getQkScaleValue());
  RankedTensorType rowVec = tb.tile({bq});

  ChunkGates gates =
      loadChunkGates(tb, variant, chunk, i, f, bi, hi, start, valid);
  Value bRows = tb.slice1D(gates.cumLogForget, row0, bq);

  // The max state of each query row and the log scale of the inter term.
  Value m, interLog = bRows;
  if (hasM()) {
    Value mPrev = tb.convert(memref::LoadOp::create(b, loc, mAll,
                                                 ValueRange{bi, hi, c}),
                          tb.computeType());
    Value shifted = tb.fsub(gates.logInput, gates.cumLogForget);
    Value prefix = TileScanOp::create(b, loc, shifted.getType(), shifted,
                                      CombiningKind::Max);
    m = tb.fadd(bRows, tb.fmax(tb.splat(rowVec, mPrev),
                               tb.slice1D(prefix, row0, bq)));
    interLog = tb.fadd(bRows, tb.splat(rowVec, mPrev));
  }

  // Inter-chunk terms from the states at the chunk's start: q' C_{c-1} and,
  // with a normalizer, q' . n_{c-1} in the same pass over q.
  Value num, den;
  std::tie(num, den) = contractOverDqk(
      tb, tb.splat(tb.tile({bq, bv}), 0.0),
      hasN() ? tb.splat(rowVec, 0.0) : Value(), bi, hi, c, qRow, rows,
      /*transposeOther=*/false, splitState, [&](Value d) -> Value {
        return TileLoadOp::create(b, loc, tb.tile({bd, bv}, stateElt), cAll,
                                  ValueRange{bi, hi, c, d, dv0}, Value(),
                                  b.getF64FloatAttr(0.0));
      });
  Value inter = TileExpGatesOp::create(b, loc, interLog, m);
  inter = tb.fmul(inter, tb.splat(rowVec, scale));
  num = tb.fmul(num, tb.broadcastRows(inter, bv));
  if (den)
    den = tb.fmul(den, inter);

  // Intra-chunk term over the key tiles up to the diagonal.
  Value numKeyTiles = tb.ceilDiv(tb.add(row0, tb.index(bq)), tb.index(bk));
  SmallVector<Value> carried = {num};
  if (den)
    carried.push_back(den);
  auto keys = scf::ForOp::create(b, loc, tb.index(0), numKeyTiles,
                                 tb.index(1), carried);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(keys.getBody());
    Value col0 = tb.mul(keys.getInductionVar(), tb.index(bk));
    Value keyRows = tb.remaining(valid, col0);
    Value kRow = tb.add(start, col0);
    Value scores = contractOverDqk(
        tb, tb.splat(tb.tile({bq, bk}), 0.0), Value(), bi, hi, c, qRow, rows,
        /*transposeOther=*/true, /*split=*/false, [&](Value d) -> Value {
          return TileLoadOp::create(b, loc, tb.tile({bk, bd}, inputElt), k,
                                    ValueRange{bi, hi, kRow, d}, keyRows,
                                    b.getF64FloatAttr(0.0));
        }).first;
    Value logD = gates.gateMatrix(tb, row0, bq, col0, bk);
    Value weights = TileExpGatesOp::create(b, loc, logD, m);
    Value p = tb.fmul(tb.fmul(scores, weights),
                      tb.splat(tb.tile({bq, bk}), scale));
    Value vt = TileLoadOp::create(b, loc, tb.tile({bk, bv}, inputElt), v,
                                  ValueRange{bi, hi, kRow, dv0}, keyRows,
                                  b.getF64FloatAttr(0.0));
    SmallVector<Value> yields = {TileMatmulOp::create(
        b, loc, tb.tile({bq, bv}), tb.convert(p, inputElt), vt,
        keys.getRegionIterArgs()[0], false, false)};
    if (den)
      yields.push_back(tb.fadd(keys.getRegionIterArgs()[1],
                               tb.reduce(CombiningKind::Add, p, 1)));
    scf::YieldOp::create(b, loc, yields);
  }
  num = keys.getResult(0);
  if (den)
    den = keys.getResult(1);

  Value out = TileNormalizeOp::create(b, loc, num.getType(), num, den, m,
                                      variant, /*stabilized=*/false);
  TileStoreOp::create(b, loc, tb.convert(out, outputElt), h,
                      ValueRange{bi, hi, qRow, dv0}, rows);
}

LogicalResult TileOutput::matchAndRewrite(ChunkOutputOp op,
                                          PatternRewriter &rewriter) const {
  Location loc = op.getLoc();
  RankedTensorType kType = op.getK().getType();
  RankedTensorType hType = op.getH().getType();
  int64_t dqk = kType.getDimSize(3), dhv = hType.getDimSize(3);
  int64_t chunk = op.getChunkSize();

  OutputKernel kernel;
  kernel.variant = op.getVariant();
  kernel.schedule = chooseSchedule(getContext(), KernelKind::Output, chunk,
                                   dqk, dhv, options);
  kernel.inputElt = kType.getElementType();
  kernel.outputElt = hType.getElementType();
  kernel.stateElt =
      cast<RankedTensorType>(op.getStates()[0].getType()).getElementType();
  kernel.dqk = dqk;
  switch (options.splitState) {
  case SplitStateOperand::Never:
    kernel.splitState = false;
    break;
  case SplitStateOperand::Always:
    kernel.splitState = true;
    break;
  case SplitStateOperand::Auto:
    kernel.splitState = kernel.hasM() && kernel.hasN() &&
                        kernel.inputElt.getIntOrFloatBitWidth() <
                            kernel.stateElt.getIntOrFloatBitWidth();
    break;
  }
  TileBuilder tb(rewriter, loc,
                 computeTypeFor(kernel.inputElt, kernel.stateElt));

  kernel.q = toBuffer(rewriter, loc, op.getQ());
  kernel.k = toBuffer(rewriter, loc, op.getK());
  kernel.v = toBuffer(rewriter, loc, op.getV());
  kernel.i = toBuffer(rewriter, loc, op.getI());
  kernel.f = toBuffer(rewriter, loc, op.getF());
  ValueRange states = op.getStates();
  kernel.cAll = toBuffer(rewriter, loc, states[0]);
  if (kernel.hasN())
    kernel.nAll = toBuffer(rewriter, loc, states[1]);
  if (kernel.hasM())
    kernel.mAll = toBuffer(rewriter, loc, states.back());

  Value batch = tb.dim(kernel.k, 0), heads = tb.dim(kernel.k, 1);
  kernel.seqLen = tb.dim(kernel.k, 2);
  kernel.h = allocBuffer(rewriter, loc, hType, {batch, heads, kernel.seqLen});
  Value numChunks = tb.ceilDiv(kernel.seqLen, tb.index(chunk));

  {
    OpBuilder::InsertionGuard guard(rewriter);
    const ScheduleAttr &s = kernel.schedule;
    SmallVector<Value> ivs = createKernel(
        rewriter, loc,
        {batch, heads, numChunks,
         tb.index(llvm::divideCeil(chunk, s.getBlockQ())),
         tb.index(llvm::divideCeil(dhv, s.getBlockDhv()))},
        s);
    kernel.buildBody(tb, ivs);
  }
  rewriter.replaceOp(op, toTensor(rewriter, loc, kernel.h, hType));
  return success();
}

void mlir::mlstm::populateTileOutputPatterns(RewritePatternSet &patterns,
                                             const TileOptions &options) {
  patterns.add<TileOutput>(patterns.getContext(), options);
}
