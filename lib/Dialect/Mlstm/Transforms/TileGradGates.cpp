//===- TileGradGates.cpp - chunk_grad_gates -> tiled kernel ---------------===//
//
// One program per (batch, head) walks the chunks last to first, block_k
// positions at a time within a chunk (last block first), carrying two
// scalars: the suffix sum of dB (d log f_r = sum_{t >= r} dB_t) and the
// max-state cotangent `acc` still travelling back to the winner of the max
// state at the chunk's end.
//
// Routing without an argmax: x_s = ig_s - b_s and its prefix max pm_t (a
// tile scan, whose results are elements of x exactly) decide the winner of
// row t: the first s <= t with x_s == pm_t when pm_t > m_{c-1}, else the
// carried state (ties go to the earlier term, as in the forward). Then
//
//   R_s = sum_{t >= s} [x_s == pm_t > m_{c-1}] gamma_t
//         + [x_s == pm_{L-1} > m_{c-1}] acc            (the chunk's winner)
//   acc <- [pm_{L-1} <= m_{c-1}] acc + sum_t [pm_t <= m_{c-1}] gamma_t
//
// (an exact tie x_s == x_s' between positions would credit both; ties of
// random inputs have probability zero). With R, per position:
//   dB_t = q'.dq' - k.dk + gamma_t - R_t,   d ig_t = k.dk + R_t.
// The final states enter as the initial suffix (dm_T, or <dC_T, C_T> +
// <dn_T, n_T> without the exp gate) and the initial acc
// (dm_T - <dC_T, C_T> - <dn_T, n_T>); what reaches chunk 0's start goes to
// the initial max state: dm0 = acc + <dC_0, C_0> + <dn_0, n_0>.
//
//===----------------------------------------------------------------------===//

#include "TileGrad.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::mlstm;

namespace {

struct TileGradGates : OpRewritePattern<ChunkGradGatesOp> {
  TileGradGates(MLIRContext *ctx, TileOptions options)
      : OpRewritePattern(ctx), options(options) {}

  LogicalResult matchAndRewrite(ChunkGradGatesOp op,
                                PatternRewriter &rewriter) const override;

private:
  TileOptions options;
};

struct GradGatesKernel : GradKernel {
  ScheduleAttr schedule;
  Value qdq, kdk;       // row products
  Value dmFinal;        // final max-state cotangent (null: 0)
  bool hasFinalGrads = false;
  Value outDi, outDf, outDm0;

  void buildBody(TileBuilder &tb, ValueRange ivs);
  /// <dC_b, C_b> + <dn_b, n_b> at boundary `boundary`.
  Value stateDot(TileBuilder &tb, Value bi, Value hi, Value boundary);
  /// One block of positions [s0, s0 + bs) of a chunk; returns the new
  /// suffix.
  Value block(TileBuilder &tb, const GradChunk &ch, Value bi, Value hi,
              Value s0, Value suffix, Value accIn, Value pm, Value x,
              Value gammaChunk, Value winnerFlag);
};

} // namespace

Value GradGatesKernel::stateDot(TileBuilder &tb, Value bi, Value hi,
                                Value boundary) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t bd = schedule.getBlockDqk(), bv = schedule.getBlockDhv();
  auto load = [&](Value buffer, ArrayRef<int64_t> shape, ValueRange idx) {
    return tb.convert(TileLoadOp::create(b, loc, tb.tile(shape, stateElt),
                                         buffer, idx, Value(),
                                         b.getF64FloatAttr(0.0)),
                      compute);
  };
  auto rowsLoop = scf::ForOp::create(b, loc, tb.index(0), tb.index(dqk),
                                     tb.index(bd), ValueRange{tb.scalar(0.0)});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(rowsLoop.getBody());
    Value d = rowsLoop.getInductionVar();
    auto colsLoop =
        scf::ForOp::create(b, loc, tb.index(0), tb.index(dhv), tb.index(bv),
                           ValueRange{rowsLoop.getRegionIterArgs()[0]});
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(colsLoop.getBody());
      Value dv0 = colsLoop.getInductionVar();
      SmallVector<Value> idx = {bi, hi, boundary, d, dv0};
      Value prod = tb.fmul(load(cAll, {bd, bv}, idx), load(dcAll, {bd, bv}, idx));
      Value sum = tb.reduce(CombiningKind::Add,
                            tb.reduce(CombiningKind::Add, prod, 1), 0);
      scf::YieldOp::create(b, loc,
                           tb.fadd(colsLoop.getRegionIterArgs()[0], sum));
    }
    Value sum = colsLoop.getResult(0);
    if (hasN()) {
      SmallVector<Value> idx = {bi, hi, boundary, d};
      sum = tb.fadd(sum, tb.reduce(CombiningKind::Add,
                                   tb.fmul(load(nAll, {bd}, idx),
                                           load(dnAll, {bd}, idx)),
                                   0));
    }
    scf::YieldOp::create(b, loc, sum);
  }
  return rowsLoop.getResult(0);
}

Value GradGatesKernel::block(TileBuilder &tb, const GradChunk &ch, Value bi,
                             Value hi, Value s0, Value suffix, Value accIn,
                             Value pm, Value x, Value gammaChunk,
                             Value winnerFlag) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t bs = schedule.getBlockK();
  RankedTensorType vec = tb.tile({bs});
  Value count = tb.remaining(ch.valid, s0);
  Value pos = tb.add(ch.start, s0);
  Value kdkRows = loadRows(tb, kdk, bi, hi, pos, count, bs);
  Value dB = tb.fsub(loadRows(tb, qdq, bi, hi, pos, count, bs), kdkRows);
  Value dIota = kdkRows;
  if (hasM()) {
    Value zeroVec = tb.splat(vec, 0.0);
    Value xCols = tb.slice1D(x, s0, bs);
    // The chunk's winner takes the cotangent carried from later chunks.
    Value isLast = arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OEQ, xCols,
        tb.splat(vec, tensor::ExtractOp::create(
                          b, loc, pm, ValueRange{tb.index(chunk - 1)})));
    Value r = arith::SelectOp::create(
        b, loc, isLast,
        tb.splat(vec, arith::SelectOp::create(b, loc, winnerFlag, accIn,
                                              tb.scalar(0.0))),
        zeroVec);
    // Rows t >= s of this chunk whose winner is s.
    auto rows = scf::ForOp::create(
        b, loc, arith::DivUIOp::create(b, loc, s0, tb.index(bs)),
        tb.index(chunk / bs), tb.index(1), ValueRange{r});
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(rows.getBody());
      Value t0 = tb.mul(rows.getInductionVar(), tb.index(bs));
      RankedTensorType mat = tb.tile({bs, bs});
      Value zeros = tb.splat(vec, 0.0);
      // x_s where s <= t, -inf elsewhere (the causal gate matrix of x).
      Value xs = TileGateMatrixOp::create(b, loc, mat, zeros, Value(), zeros,
                                          Value(), xCols, t0, s0);
      Value pmRows = tb.broadcastRows(tb.slice1D(pm, t0, bs), bs);
      Value eq = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, xs,
                                       pmRows);
      Value above = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                          pmRows, tb.splat(mat, ch.mPrev));
      Value hit = arith::AndIOp::create(b, loc, eq, above);
      Value contrib = arith::SelectOp::create(
          b, loc, hit, tb.broadcastRows(tb.slice1D(gammaChunk, t0, bs), bs),
          tb.splat(mat, 0.0));
      scf::YieldOp::create(b, loc,
                           tb.fadd(rows.getRegionIterArgs()[0],
                                   tb.reduce(CombiningKind::Add, contrib, 0)));
    }
    Value routed = rows.getResult(0);
    Value gammaRows = tb.slice1D(gammaChunk, s0, bs);
    dB = tb.fsub(tb.fadd(dB, gammaRows), routed);
    dIota = tb.fadd(dIota, routed);
  }

  // Reverse cumulative sum within the block, plus what follows it.
  Value cum = TileScanOp::create(b, loc, vec, dB, CombiningKind::Add);
  Value total = tensor::ExtractOp::create(b, loc, cum,
                                          ValueRange{tb.index(bs - 1)});
  Value reverse = tb.fadd(tb.fsub(tb.splat(vec, tb.fadd(total, suffix)), cum),
                          dB);
  if (outDf) {
    // d logsigmoid(f) / df = sigmoid(-f) = exp(logsigmoid(f) - f).
    Value fRows = loadRows(tb, f, bi, hi, pos, count, bs);
    Value slope = TileExpGatesOp::create(
        b, loc, tb.fsub(tb.logSigmoid(fRows), fRows), Value());
    TileStoreOp::create(
        b, loc,
        tb.convert(tb.fmul(reverse, slope),
                   cast<MemRefType>(outDf.getType()).getElementType()),
        outDf, ValueRange{bi, hi, pos}, count);
  }
  if (outDi) {
    Value grad = dIota;
    if (variant.getInputGate() == InputGate::Sigmoid) {
      Value iRows = loadRows(tb, i, bi, hi, pos, count, bs);
      grad = tb.fmul(grad, TileExpGatesOp::create(
                               b, loc, tb.fsub(tb.logSigmoid(iRows), iRows),
                               Value()));
    }
    TileStoreOp::create(
        b, loc,
        tb.convert(grad, cast<MemRefType>(outDi.getType()).getElementType()),
        outDi, ValueRange{bi, hi, pos}, count);
  }
  return tb.fadd(suffix, total);
}

void GradGatesKernel::buildBody(TileBuilder &tb, ValueRange ivs) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t bs = schedule.getBlockK();
  Value bi = ivs[0], hi = ivs[1];
  Value finalDot = hasFinalGrads ? stateDot(tb, bi, hi, numChunks)
                                 : tb.scalar(0.0);
  Value dmT = dmFinal ? tb.convert(memref::LoadOp::create(
                                       b, loc, dmFinal, ValueRange{bi, hi}),
                                   compute)
                      : tb.scalar(0.0);
  Value suffix = hasM() ? dmT : finalDot;
  Value acc = hasM() ? tb.fsub(dmT, finalDot) : tb.scalar(0.0);

  auto chunks = scf::ForOp::create(b, loc, tb.index(0), numChunks,
                                   tb.index(1), ValueRange{suffix, acc});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(chunks.getBody());
    Value c = tb.sub(tb.sub(numChunks, tb.index(1)), chunks.getInductionVar());
    GradChunk ch = chunkAt(tb, bi, hi, c);
    Value accIn = chunks.getRegionIterArgs()[1];
    Value pm, x, gammaChunk, winnerFlag, accOut = accIn;
    if (hasM()) {
      RankedTensorType vec = tb.tile({chunk});
      x = tb.fsub(ch.gates.logInput, ch.gates.cumLogForget);
      pm = TileScanOp::create(b, loc, vec, x, CombiningKind::Max);
      gammaChunk = loadRows(tb, gamma, bi, hi, ch.start, ch.valid, chunk);
      Value pmLast = tensor::ExtractOp::create(
          b, loc, pm, ValueRange{tb.index(chunk - 1)});
      winnerFlag = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                         pmLast, ch.mPrev);
      Value carried = arith::CmpFOp::create(
          b, loc, arith::CmpFPredicate::OLE, pm, tb.splat(vec, ch.mPrev));
      Value staying = tb.reduce(
          CombiningKind::Add,
          arith::SelectOp::create(b, loc, carried, gammaChunk,
                                  tb.splat(vec, 0.0)),
          0);
      accOut = tb.fadd(arith::SelectOp::create(b, loc, winnerFlag,
                                               tb.scalar(0.0), accIn),
                       staying);
    }
    // Blocks last to first.
    auto blocks = scf::ForOp::create(b, loc, tb.index(0),
                                     tb.index(chunk / bs), tb.index(1),
                                     ValueRange{chunks.getRegionIterArgs()[0]});
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(blocks.getBody());
      Value s0 = tb.mul(tb.sub(tb.index(chunk / bs - 1),
                               blocks.getInductionVar()),
                        tb.index(bs));
      scf::YieldOp::create(b, loc,
                           block(tb, ch, bi, hi, s0,
                                 blocks.getRegionIterArgs()[0], accIn, pm, x,
                                 gammaChunk, winnerFlag));
    }
    scf::YieldOp::create(b, loc, ValueRange{blocks.getResult(0), accOut});
  }
  if (outDm0) {
    Value dm0 = tb.fadd(chunks.getResult(1), stateDot(tb, bi, hi, tb.index(0)));
    memref::StoreOp::create(b, loc, tb.convert(dm0, stateElt), outDm0,
                            ValueRange{bi, hi});
  }
}

LogicalResult
TileGradGates::matchAndRewrite(ChunkGradGatesOp op,
                               PatternRewriter &rewriter) const {
  Location loc = op.getLoc();
  GradGatesKernel kernel;
  kernel.variant = op.getVariant();
  kernel.chunk = op.getChunkSize();
  auto cType = cast<RankedTensorType>(op.getStates()[0].getType());
  kernel.dqk = cType.getDimSize(3);
  kernel.dhv = cType.getDimSize(4);
  kernel.stateElt = cType.getElementType();
  kernel.inputElt = kernel.stateElt;
  kernel.compute = computeTypeFor(kernel.stateElt, kernel.stateElt);
  kernel.schedule = gradSchedule(getContext(), KernelKind::GradGates,
                                 kernel.chunk, kernel.dqk, kernel.dhv, options,
                                 /*fullDqk=*/false);
  TileBuilder tb(rewriter, loc, kernel.compute);
  kernel.bind(rewriter, loc, Value(), Value(), Value(), op.getI(), op.getF(),
              op.getStates(), op.getStateGrads(), op.getRows(), Value());
  kernel.qdq = toBuffer(rewriter, loc, op.getQDotDq());
  kernel.kdk = toBuffer(rewriter, loc, op.getKDotDk());
  ValueRange finals = op.getFinalStateGrads();
  kernel.hasFinalGrads = !finals.empty();
  if (!finals.empty() && kernel.hasM())
    kernel.dmFinal = toBuffer(rewriter, loc, finals.back());

  Value batch = tb.dim(kernel.qdq, 0), heads = tb.dim(kernel.qdq, 1);
  kernel.seqLen = tb.dim(kernel.qdq, 2);
  kernel.numChunks = tb.ceilDiv(kernel.seqLen, tb.index(kernel.chunk));
  SmallVector<Value> sizes = {batch, heads, kernel.seqLen};
  if (Value di = op.getDi())
    kernel.outDi = allocBuffer(rewriter, loc,
                               cast<RankedTensorType>(di.getType()), sizes);
  if (Value df = op.getDf())
    kernel.outDf = allocBuffer(rewriter, loc,
                               cast<RankedTensorType>(df.getType()), sizes);
  if (Value dm0 = op.getDm0())
    kernel.outDm0 = allocBuffer(rewriter, loc,
                                cast<RankedTensorType>(dm0.getType()), sizes);
  {
    OpBuilder::InsertionGuard guard(rewriter);
    SmallVector<Value> ivs =
        createKernel(rewriter, loc, {batch, heads}, kernel.schedule);
    kernel.buildBody(tb, ivs);
  }
  SmallVector<Value> results;
  for (auto [buffer, result] :
       llvm::zip(SmallVector<Value>{kernel.outDi, kernel.outDf, kernel.outDm0},
                 SmallVector<Value>{op.getDi(), op.getDf(), op.getDm0()}))
    if (buffer)
      results.push_back(toTensor(rewriter, loc, buffer,
                                 cast<RankedTensorType>(result.getType())));
  rewriter.replaceOp(op, results);
  return success();
}

void mlir::mlstm::populateTileGradGatesPatterns(RewritePatternSet &patterns,
                                                const TileOptions &options) {
  patterns.add<TileGradGates>(patterns.getContext(), options);
}
