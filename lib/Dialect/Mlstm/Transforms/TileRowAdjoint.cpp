//===- TileRowAdjoint.cpp - chunk_row_adjoint -> tiled kernel -------------===//
//
// One program per (batch, head, chunk, query tile of block_q rows) recomputes
// what the forward's output kernel knew about each row, without the DHV work:
//
//   m_t   = b_t + max(m_{c-1}, max_{s<=t} (ig_s - b_s))       (exp gate)
//   den_t = w_t q'_t . n_{c-1} + sum_s e_ts (q'_t . k_s)       (normalizer)
//   hdh_t = h_t . dh_t                                          (DHV in tiles)
//
// and from them the output map's adjoint (Detail.h's outputAdjoint, plus the
// max-state term gamma of BackwardChunkwise.cpp), stored per row.
//
//===----------------------------------------------------------------------===//

#include "TileGrad.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::mlstm;

namespace {

struct TileRowAdjoint : OpRewritePattern<ChunkRowAdjointOp> {
  TileRowAdjoint(MLIRContext *ctx, TileOptions options)
      : OpRewritePattern(ctx), options(options) {}

  LogicalResult matchAndRewrite(ChunkRowAdjointOp op,
                                PatternRewriter &rewriter) const override;

private:
  TileOptions options;
};

struct RowAdjointKernel : GradKernel {
  ScheduleAttr schedule;
  DenominatorGrad mode;
  Value outScale, outDden, outM, outGamma;

  void buildBody(TileBuilder &tb, ValueRange ivs);
  /// den of each row (normalizer only).
  Value denominator(TileBuilder &tb, const GradChunk &ch, Value bi, Value hi,
                    Value c, Value row0, Value rows, Value bRows, Value mRows);
};

} // namespace

Value RowAdjointKernel::denominator(TileBuilder &tb, const GradChunk &ch,
                                    Value bi, Value hi, Value c, Value row0,
                                    Value rows, Value bRows, Value mRows) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t bq = schedule.getBlockQ(), bk = schedule.getBlockK();
  int64_t bd = schedule.getBlockDqk();
  RankedTensorType rowVec = tb.tile({bq});
  Value qRow = tb.add(ch.start, row0);
  Value sq = tb.scalar(qkScale());

  // Inter: w_t q'_t . n_{c-1}, DQK in tiles.
  auto inter = scf::ForOp::create(b, loc, tb.index(0), tb.index(dqk),
                                  tb.index(bd), ValueRange{tb.splat(rowVec, 0.0)});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(inter.getBody());
    Value d = inter.getInductionVar();
    Value qt = loadSeqTile(tb, q, bi, hi, qRow, d, rows, bq, bd);
    Value nt = tb.convert(TileLoadOp::create(b, loc, tb.tile({bd}, stateElt),
                                             nAll, ValueRange{bi, hi, c, d},
                                             Value(), b.getF64FloatAttr(0.0)),
                          compute);
    Value prod = tb.fmul(qt, tb.broadcastCols(nt, bq));
    scf::YieldOp::create(
        b, loc,
        tb.fadd(inter.getRegionIterArgs()[0],
                tb.reduce(CombiningKind::Add, prod, 1)));
  }
  Value den = tb.fmul(tb.fmul(inter.getResult(0),
                              interWeights(tb, bRows, ch.mPrev, mRows)),
                      tb.splat(rowVec, sq));

  // Intra: sum_s e_ts q'_t . k_s over the key tiles up to the diagonal.
  Value numKeyTiles = tb.ceilDiv(tb.add(row0, tb.index(bq)), tb.index(bk));
  auto keys = scf::ForOp::create(b, loc, tb.index(0), numKeyTiles,
                                 tb.index(1), ValueRange{den});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(keys.getBody());
    Value col0 = tb.mul(keys.getInductionVar(), tb.index(bk));
    Value keyRows = tb.remaining(ch.valid, col0);
    Value kRow = tb.add(ch.start, col0);
    auto dLoop = scf::ForOp::create(b, loc, tb.index(0), tb.index(dqk),
                                    tb.index(bd),
                                    ValueRange{tb.splat(tb.tile({bq, bk}), 0.0)});
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(dLoop.getBody());
      Value d = dLoop.getInductionVar();
      Value qt = loadSeqTileRaw(tb, q, bi, hi, qRow, d, rows, bq, bd);
      Value kt = loadSeqTileRaw(tb, k, bi, hi, kRow, d, keyRows, bk, bd);
      scf::YieldOp::create(
          b, loc,
          TileMatmulOp::create(b, loc, tb.tile({bq, bk}), qt, kt,
                               dLoop.getRegionIterArgs()[0],
                               /*transpose_lhs=*/false,
                               /*transpose_rhs=*/true)
              .getResult());
    }
    Value e = intraWeights(tb, ch, row0, col0, mRows, bq, bk);
    Value p = tb.fmul(tb.fmul(dLoop.getResult(0), e),
                      tb.splat(tb.tile({bq, bk}), sq));
    scf::YieldOp::create(b, loc,
                         tb.fadd(keys.getRegionIterArgs()[0],
                                 tb.reduce(CombiningKind::Add, p, 1)));
  }
  return keys.getResult(0);
}

void RowAdjointKernel::buildBody(TileBuilder &tb, ValueRange ivs) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t bq = schedule.getBlockQ(), bv = schedule.getBlockDhv();
  Value bi = ivs[0], hi = ivs[1], c = ivs[2];
  GradChunk ch = chunkAt(tb, bi, hi, c);
  Value row0 = tb.mul(ivs[3], tb.index(bq));
  Value rows = tb.remaining(ch.valid, row0);
  Value qRow = tb.add(ch.start, row0);
  RankedTensorType rowVec = tb.tile({bq});
  Value bRows = tb.slice1D(ch.gates.cumLogForget, row0, bq);

  // The max state of each row (0 without the exp gate).
  Value mRows = tb.splat(rowVec, 0.0);
  if (hasM()) {
    Value shifted = tb.fsub(ch.gates.logInput, ch.gates.cumLogForget);
    Value prefix = TileScanOp::create(b, loc, shifted.getType(), shifted,
                                      CombiningKind::Max);
    mRows = tb.fadd(bRows, tb.fmax(tb.splat(rowVec, ch.mPrev),
                                   tb.slice1D(prefix, row0, bq)));
  }

  // h . dh, DHV in tiles.
  auto dot = scf::ForOp::create(b, loc, tb.index(0), tb.index(dhv),
                                tb.index(bv), ValueRange{tb.splat(rowVec, 0.0)});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(dot.getBody());
    Value dv0 = dot.getInductionVar();
    Value ht = loadSeqTile(tb, h, bi, hi, qRow, dv0, rows, bq, bv);
    Value dht = loadSeqTile(tb, dh, bi, hi, qRow, dv0, rows, bq, bv);
    scf::YieldOp::create(b, loc,
                         tb.fadd(dot.getRegionIterArgs()[0],
                                 tb.reduce(CombiningKind::Add,
                                           tb.fmul(ht, dht), 1)));
  }
  Value hdh = dot.getResult(0);

  Value zero = tb.splat(rowVec, 0.0);
  Value scaleRows, ddenRows = zero, gammaRows = zero;
  if (!hasN()) {
    // h = exp(m) num: the scale undoes the stabilizer.
    scaleRows = TileExpGatesOp::create(b, loc, mRows, Value());
  } else {
    Value den = denominator(tb, ch, bi, hi, c, row0, rows, bRows, mRows);
    Value floor = TileExpGatesOp::create(b, loc, tb.fneg(mRows), Value());
    Value absDen = math::AbsFOp::create(b, loc, den);
    Value denom = tb.fadd(tb.fmax(absDen, floor),
                          tb.splat(rowVec, variant.getEpsValue()));
    scaleRows = arith::DivFOp::create(b, loc, tb.splat(rowVec, 1.0), denom);
    if (mode == DenominatorGrad::Exact) {
      // d/d|den| of num / (max(|den|, floor) + eps) where |den| wins the max
      // (ties go to |den|), then through |.|.
      Value dAbs = tb.fneg(tb.fmul(hdh, scaleRows));
      Value active =
          arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, absDen,
                                floor);
      Value positive = arith::CmpFOp::create(
          b, loc, arith::CmpFPredicate::OGT, den, zero);
      Value negative = arith::CmpFOp::create(
          b, loc, arith::CmpFPredicate::OLT, den, zero);
      Value signedGrad = arith::SelectOp::create(
          b, loc, positive, dAbs,
          arith::SelectOp::create(b, loc, negative, tb.fneg(dAbs), zero));
      ddenRows = arith::SelectOp::create(b, loc, active, signedGrad, zero);
      if (hasM())
        gammaRows = tb.fneg(tb.fmul(
            tb.fmul(tb.splat(rowVec, variant.getEpsValue()), scaleRows), hdh));
    }
  }

  for (auto [buffer, value] : {std::pair<Value, Value>{outScale, scaleRows},
                               {outDden, ddenRows},
                               {outM, mRows},
                               {outGamma, gammaRows}})
    TileStoreOp::create(b, loc, tb.convert(value, stateElt), buffer,
                        ValueRange{bi, hi, qRow}, rows);
}

LogicalResult
TileRowAdjoint::matchAndRewrite(ChunkRowAdjointOp op,
                                PatternRewriter &rewriter) const {
  Location loc = op.getLoc();
  RowAdjointKernel kernel;
  kernel.variant = op.getVariant();
  kernel.chunk = op.getChunkSize();
  RankedTensorType qType = op.getQ().getType();
  kernel.dqk = qType.getDimSize(3);
  kernel.dhv = op.getH().getType().getDimSize(3);
  kernel.inputElt = qType.getElementType();
  kernel.stateElt = op.getScale().getType().getElementType();
  kernel.compute = computeTypeFor(kernel.inputElt, kernel.stateElt);
  kernel.mode = op.getDenominatorGrad();
  kernel.schedule = gradSchedule(getContext(), KernelKind::RowAdjoint,
                                 kernel.chunk, kernel.dqk, kernel.dhv, options,
                                 /*fullDqk=*/false);
  TileBuilder tb(rewriter, loc, kernel.compute);
  kernel.bind(rewriter, loc, op.getQ(), op.getK(), Value(), op.getI(),
              op.getF(), op.getStates(), ValueRange(), ValueRange(),
              op.getDh());
  kernel.h = toBuffer(rewriter, loc, op.getH());

  Value batch = tb.dim(kernel.q, 0), heads = tb.dim(kernel.q, 1);
  kernel.seqLen = tb.dim(kernel.q, 2);
  kernel.numChunks = tb.ceilDiv(kernel.seqLen, tb.index(kernel.chunk));
  SmallVector<Value> outs;
  for (Value result : op.getResults())
    outs.push_back(allocBuffer(rewriter, loc,
                               cast<RankedTensorType>(result.getType()),
                               {batch, heads, kernel.seqLen}));
  kernel.outScale = outs[0];
  kernel.outDden = outs[1];
  kernel.outM = outs[2];
  kernel.outGamma = outs[3];
  {
    OpBuilder::InsertionGuard guard(rewriter);
    SmallVector<Value> ivs = createKernel(
        rewriter, loc,
        {batch, heads, kernel.numChunks,
         tb.index(llvm::divideCeil(kernel.chunk, kernel.schedule.getBlockQ()))},
        kernel.schedule);
    kernel.buildBody(tb, ivs);
  }
  SmallVector<Value> results;
  for (auto [buffer, result] : llvm::zip_equal(outs, op.getResults()))
    results.push_back(toTensor(rewriter, loc, buffer,
                               cast<RankedTensorType>(result.getType())));
  rewriter.replaceOp(op, results);
  return success();
}

void mlir::mlstm::populateTileRowAdjointPatterns(RewritePatternSet &patterns,
                                                 const TileOptions &options) {
  patterns.add<TileRowAdjoint>(patterns.getContext(), options);
}
