//===- TileGradQ.cpp - chunk_grad_q -> tiled kernel -----------------------===//
//
// One program per (batch, head, chunk, query tile of block_q rows), whole
// DQK rows in one accumulator (the row products q'.dq' need them):
//
//   dq' = w_t (scale_t dh_t C_{c-1}^T + dden_t n_{c-1})     (DHV in tiles)
//   for each key tile left of the diagonal:
//     dP  = (scale_t dh_t) v^T + dden_t                      (DHV in tiles)
//     dq' += (dP * e) k
//   store dq = qk_scale dq' and q'.dq'
//
//===----------------------------------------------------------------------===//

#include "TileGrad.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <limits>

using namespace mlir;
using namespace mlir::mlstm;

namespace {

struct TileGradQ : OpRewritePattern<ChunkGradQOp> {
  TileGradQ(MLIRContext *ctx, TileOptions options)
      : OpRewritePattern(ctx), options(options) {}

  LogicalResult matchAndRewrite(ChunkGradQOp op,
                                PatternRewriter &rewriter) const override;

private:
  TileOptions options;
};

struct GradQKernel : GradKernel {
  ScheduleAttr schedule;
  Type dqElt;
  Value outDq, outDot;

  void buildBody(TileBuilder &tb, ValueRange ivs);
};

} // namespace

void GradQKernel::buildBody(TileBuilder &tb, ValueRange ivs) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t bq = schedule.getBlockQ(), bk = schedule.getBlockK();
  int64_t bd = schedule.getBlockDqk(), bv = schedule.getBlockDhv();
  constexpr double inf = std::numeric_limits<double>::infinity();
  Value bi = ivs[0], hi = ivs[1], c = ivs[2];
  GradChunk ch = chunkAt(tb, bi, hi, c);
  Value row0 = tb.mul(ivs[3], tb.index(bq));
  Value rows = tb.remaining(ch.valid, row0);
  Value qRow = tb.add(ch.start, row0);
  Value zero = tb.index(0);
  RankedTensorType accType = tb.tile({bq, bd});

  Value mRows = loadRows(tb, m, bi, hi, qRow, rows, bq, inf);
  Value scaleRows = loadRows(tb, scale, bi, hi, qRow, rows, bq);
  Value ddenRows = loadRows(tb, dden, bi, hi, qRow, rows, bq);
  Value bRows = tb.slice1D(ch.gates.cumLogForget, row0, bq);

  // Inter: dnum C^T over DHV tiles, plus dden n.
  auto inter = scf::ForOp::create(b, loc, zero, tb.index(dhv), tb.index(bv),
                                  ValueRange{tb.splat(accType, 0.0)});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(inter.getBody());
    Value dv0 = inter.getInductionVar();
    Value dnum =
        dnumOperand(tb, bi, hi, qRow, rows, scaleRows, dv0, bq, bv);
    Value ct = TileLoadOp::create(b, loc, tb.tile({bd, bv}, stateElt), cAll,
                                  ValueRange{bi, hi, c, zero, dv0}, Value(),
                                  b.getF64FloatAttr(0.0));
    scf::YieldOp::create(
        b, loc,
        product(tb, accType, dnum, tb.convert(ct, compute),
                inter.getRegionIterArgs()[0], /*transposeLhs=*/false,
                /*transposeRhs=*/true, /*splitLhs=*/false, /*splitRhs=*/true));
  }
  Value acc = scaleOutsideRows(tb, inter.getResult(0), scaleRows, bd);
  if (hasN()) {
    Value nt = tb.convert(TileLoadOp::create(b, loc, tb.tile({bd}, stateElt),
                                             nAll, ValueRange{bi, hi, c, zero},
                                             Value(), b.getF64FloatAttr(0.0)),
                          compute);
    acc = tb.fadd(acc, tb.fmul(tb.broadcastCols(nt, bq),
                               tb.broadcastRows(ddenRows, bd)));
  }
  acc = tb.fmul(acc, tb.broadcastRows(
                         interWeights(tb, bRows, ch.mPrev, mRows), bd));

  // Intra: the key tiles up to the diagonal.
  Value numKeyTiles = tb.ceilDiv(tb.add(row0, tb.index(bq)), tb.index(bk));
  auto keys = scf::ForOp::create(b, loc, zero, numKeyTiles, tb.index(1),
                                 ValueRange{acc});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(keys.getBody());
    Value col0 = tb.mul(keys.getInductionVar(), tb.index(bk));
    Value keyRows = tb.remaining(ch.valid, col0);
    Value kRow = tb.add(ch.start, col0);
    Value dp = dpTile(tb, bi, hi, qRow, rows, scaleRows, ddenRows, kRow,
                      keyRows, bq, bk, bv);
    Value e = intraWeights(tb, ch, row0, col0, mRows, bq, bk);
    Value weighted = tb.fmul(dp, e);
    Value kt = loadSeqTileRaw(tb, k, bi, hi, kRow, zero, keyRows, bk, bd);
    scf::YieldOp::create(
        b, loc,
        TileMatmulOp::create(b, loc, accType, operand(tb, weighted), kt,
                             keys.getRegionIterArgs()[0],
                             /*transpose_lhs=*/false, /*transpose_rhs=*/false)
            .getResult());
  }
  // acc is dq' (the gradient of q' = qk_scale q).
  Value dqBar = keys.getResult(0);
  Value sq = tb.scalar(qkScale());
  Value qt = loadSeqTile(tb, q, bi, hi, qRow, zero, rows, bq, bd);
  Value dot = tb.fmul(tb.reduce(CombiningKind::Add, tb.fmul(qt, dqBar), 1),
                      tb.splat(tb.tile({bq}), sq));
  Value dq = tb.fmul(dqBar, tb.splat(accType, sq));
  TileStoreOp::create(b, loc, tb.convert(dq, dqElt), outDq,
                      ValueRange{bi, hi, qRow, zero}, rows);
  TileStoreOp::create(b, loc, tb.convert(dot, stateElt), outDot,
                      ValueRange{bi, hi, qRow}, rows);
}

LogicalResult TileGradQ::matchAndRewrite(ChunkGradQOp op,
                                         PatternRewriter &rewriter) const {
  Location loc = op.getLoc();
  GradQKernel kernel;
  kernel.variant = op.getVariant();
  kernel.chunk = op.getChunkSize();
  RankedTensorType qType = op.getQ().getType();
  kernel.dqk = qType.getDimSize(3);
  kernel.dhv = op.getV().getType().getDimSize(3);
  kernel.inputElt = qType.getElementType();
  kernel.stateElt = op.getQDotDq().getType().getElementType();
  kernel.dqElt = op.getDq().getType().getElementType();
  kernel.compute = computeTypeFor(kernel.inputElt, kernel.stateElt);
  kernel.schedule = gradSchedule(getContext(), KernelKind::GradQ, kernel.chunk,
                                 kernel.dqk, kernel.dhv, options,
                                 /*fullDqk=*/true);
  TileBuilder tb(rewriter, loc, kernel.compute);
  kernel.bind(rewriter, loc, op.getQ(), op.getK(), op.getV(), op.getI(),
              op.getF(), op.getStates(), ValueRange(), op.getRows(),
              op.getDh());

  Value batch = tb.dim(kernel.q, 0), heads = tb.dim(kernel.q, 1);
  kernel.seqLen = tb.dim(kernel.q, 2);
  kernel.numChunks = tb.ceilDiv(kernel.seqLen, tb.index(kernel.chunk));
  kernel.outDq = allocBuffer(rewriter, loc, op.getDq().getType(),
                             {batch, heads, kernel.seqLen});
  kernel.outDot = allocBuffer(rewriter, loc, op.getQDotDq().getType(),
                              {batch, heads, kernel.seqLen});
  {
    OpBuilder::InsertionGuard guard(rewriter);
    SmallVector<Value> ivs = createKernel(
        rewriter, loc,
        {batch, heads, kernel.numChunks,
         tb.index(llvm::divideCeil(kernel.chunk, kernel.schedule.getBlockQ()))},
        kernel.schedule);
    kernel.buildBody(tb, ivs);
  }
  rewriter.replaceOp(
      op, {toTensor(rewriter, loc, kernel.outDq, op.getDq().getType()),
           toTensor(rewriter, loc, kernel.outDot, op.getQDotDq().getType())});
  return success();
}

void mlir::mlstm::populateTileGradQPatterns(RewritePatternSet &patterns,
                                            const TileOptions &options) {
  patterns.add<TileGradQ>(patterns.getContext(), options);
}
