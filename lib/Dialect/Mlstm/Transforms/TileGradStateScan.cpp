//===- TileGradStateScan.cpp - chunk_grad_state_scan -> tiled kernel ------===//
//
// The forward state scan run backwards: one program per (batch, head, DQK
// tile, DHV tile) walks the chunks last to first, carrying its tile of dC
// (and the dn slice), storing every boundary:
//
//   dC_NC = dC_T;   for chunk c = NC-1 .. 0:
//     dC <- exp(g + m_{c-1} - m_c) dC + sum_t (w_t q'_t) (scale_t dh_t)^T
//     dn <- exp(g + m_{c-1} - m_c) dn + sum_t (w_t q'_t) dden_t
//     store boundary c
//
// with w_t = exp(b_t + m_{c-1} - m_t), the sum block_k rows at a time as a
// transposed tile product (what the forward scan does with k and v).
//
//===----------------------------------------------------------------------===//

#include "TileGrad.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::mlstm;

namespace {

struct TileGradStateScan : OpRewritePattern<ChunkGradStateScanOp> {
  TileGradStateScan(MLIRContext *ctx, TileOptions options)
      : OpRewritePattern(ctx), options(options) {}

  LogicalResult matchAndRewrite(ChunkGradStateScanOp op,
                                PatternRewriter &rewriter) const override;

private:
  TileOptions options;
};

struct GradScanKernel : GradKernel {
  ScheduleAttr schedule;
  Value dcFinal, dnFinal; // final-state cotangents (null: zeros)
  Value outC, outN;

  void buildBody(TileBuilder &tb, ValueRange ivs);
  void store(TileBuilder &tb, Value dc, Value dn, Value bi, Value hi,
             Value boundary, Value dq0, Value dv0, Value isFirstDhv);
};

} // namespace

void GradScanKernel::store(TileBuilder &tb, Value dc, Value dn, Value bi,
                           Value hi, Value boundary, Value dq0, Value dv0,
                           Value isFirstDhv) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  TileStoreOp::create(b, loc, tb.convert(dc, stateElt), outC,
                      ValueRange{bi, hi, boundary, dq0, dv0}, Value());
  if (!dn)
    return;
  auto ifOp = scf::IfOp::create(b, loc, isFirstDhv, false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  TileStoreOp::create(b, loc, tb.convert(dn, stateElt), outN,
                      ValueRange{bi, hi, boundary, dq0}, Value());
}

void GradScanKernel::buildBody(TileBuilder &tb, ValueRange ivs) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t bd = schedule.getBlockDqk(), bv = schedule.getBlockDhv();
  int64_t bs = schedule.getBlockK();
  Value bi = ivs[0], hi = ivs[1];
  Value dq0 = tb.mul(ivs[2], tb.index(bd));
  Value dv0 = tb.mul(ivs[3], tb.index(bv));
  Value isFirstDhv = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                           ivs[3], tb.index(0));

  Value dc = tb.splat(tb.tile({bd, bv}), 0.0);
  Value dn = hasN() ? tb.splat(tb.tile({bd}), 0.0) : Value();
  if (dcFinal) {
    dc = tb.convert(TileLoadOp::create(b, loc, tb.tile({bd, bv}, stateElt),
                                       dcFinal, ValueRange{bi, hi, dq0, dv0},
                                       Value(), b.getF64FloatAttr(0.0)),
                    compute);
    if (dn)
      dn = tb.convert(TileLoadOp::create(b, loc, tb.tile({bd}, stateElt),
                                         dnFinal, ValueRange{bi, hi, dq0},
                                         Value(), b.getF64FloatAttr(0.0)),
                      compute);
  }
  store(tb, dc, dn, bi, hi, numChunks, dq0, dv0, isFirstDhv);

  SmallVector<Value> carried = {dc};
  if (dn)
    carried.push_back(dn);
  auto loop = scf::ForOp::create(b, loc, tb.index(0), numChunks, tb.index(1),
                                 carried);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    // Chunk c = NC - 1 - iteration.
    Value c = tb.sub(tb.sub(numChunks, tb.index(1)), loop.getInductionVar());
    GradChunk ch = chunkAt(tb, bi, hi, c);
    Value decay = TileExpGatesOp::create(
        b, loc,
        tb.fsub(tb.fadd(ch.gates.totalLogForget, ch.mPrev), ch.mNext),
        Value());
    Value dcDecayed =
        tb.fmul(loop.getRegionIterArgs()[0],
                tb.splat(tb.tile({bd, bv}), decay));
    SmallVector<Value> inner = {dcDecayed};
    if (dn)
      inner.push_back(tb.fmul(loop.getRegionIterArgs()[1],
                              tb.splat(tb.tile({bd}), decay)));

    auto rowsLoop = scf::ForOp::create(b, loc, tb.index(0),
                                       tb.index(chunk), tb.index(bs), inner);
    {
      OpBuilder::InsertionGuard innerGuard(b);
      b.setInsertionPointToStart(rowsLoop.getBody());
      Value row = rowsLoop.getInductionVar();
      Value count = tb.remaining(ch.valid, row);
      Value pos = tb.add(ch.start, row);
      constexpr double inf = std::numeric_limits<double>::infinity();
      Value mRows = loadRows(tb, m, bi, hi, pos, count, bs, inf);
      Value bRows = tb.slice1D(ch.gates.cumLogForget, row, bs);
      Value w = tb.fmul(interWeights(tb, bRows, ch.mPrev, mRows),
                        tb.splat(tb.tile({bs}), tb.scalar(qkScale())));
      Value qt = loadSeqTile(tb, q, bi, hi, pos, dq0, count, bs, bd);
      Value qw = tb.fmul(qt, tb.broadcastRows(w, bd));
      // (w q')^T dnum, as (scale w q')^T dh where the scale goes outside.
      Value scaleRows = loadRows(tb, scale, bi, hi, pos, count, bs);
      Value qws = scaleOutsideRows(tb, qw, scaleRows, bd);
      Value dnum =
          dnumOperand(tb, bi, hi, pos, count, scaleRows, dv0, bs, bv);
      Value next = product(tb, tb.tile({bd, bv}), qws, dnum,
                           rowsLoop.getRegionIterArgs()[0],
                           /*transposeLhs=*/true, /*transposeRhs=*/false,
                           /*splitLhs=*/true, /*splitRhs=*/false);
      SmallVector<Value> yields = {next};
      if (dn) {
        Value ddenRows = loadRows(tb, dden, bi, hi, pos, count, bs);
        Value contrib = tb.reduce(CombiningKind::Add,
                                  tb.fmul(qw, tb.broadcastRows(ddenRows, bd)),
                                  0);
        yields.push_back(tb.fadd(rowsLoop.getRegionIterArgs()[1], contrib));
      }
      scf::YieldOp::create(b, loc, yields);
    }
    Value dnNext = dn ? rowsLoop.getResult(1) : Value();
    store(tb, rowsLoop.getResult(0), dnNext, bi, hi, c, dq0, dv0, isFirstDhv);
    scf::YieldOp::create(b, loc, rowsLoop.getResults());
  }
}

LogicalResult
TileGradStateScan::matchAndRewrite(ChunkGradStateScanOp op,
                                   PatternRewriter &rewriter) const {
  Location loc = op.getLoc();
  GradScanKernel kernel;
  kernel.variant = op.getVariant();
  kernel.chunk = op.getChunkSize();
  RankedTensorType qType = op.getQ().getType();
  kernel.dqk = qType.getDimSize(3);
  kernel.dhv = op.getDh().getType().getDimSize(3);
  kernel.inputElt = qType.getElementType();
  auto gradTypes = llvm::map_to_vector(
      op.getStateGrads().getTypes(),
      [](Type t) { return cast<RankedTensorType>(t); });
  kernel.stateElt = gradTypes[0].getElementType();
  kernel.compute = computeTypeFor(kernel.inputElt, kernel.stateElt);
  kernel.schedule = gradSchedule(getContext(), KernelKind::GradStateScan,
                                 kernel.chunk, kernel.dqk, kernel.dhv, options,
                                 /*fullDqk=*/false);
  TileBuilder tb(rewriter, loc, kernel.compute);
  kernel.bind(rewriter, loc, op.getQ(), Value(), Value(), op.getI(), op.getF(),
              op.getStates(), ValueRange(), op.getRows(), op.getDh());
  ValueRange finals = op.getFinalStateGrads();
  if (!finals.empty()) {
    kernel.dcFinal = toBuffer(rewriter, loc, finals[0]);
    if (kernel.hasN())
      kernel.dnFinal = toBuffer(rewriter, loc, finals[1]);
  }

  Value batch = tb.dim(kernel.q, 0), heads = tb.dim(kernel.q, 1);
  kernel.seqLen = tb.dim(kernel.q, 2);
  kernel.numChunks = tb.ceilDiv(kernel.seqLen, tb.index(kernel.chunk));
  Value boundaries = tb.add(kernel.numChunks, tb.index(1));
  SmallVector<Value> outs = llvm::map_to_vector(gradTypes, [&](auto type) {
    return allocBuffer(rewriter, loc, type, {batch, heads, boundaries});
  });
  kernel.outC = outs[0];
  if (kernel.hasN())
    kernel.outN = outs[1];
  {
    OpBuilder::InsertionGuard guard(rewriter);
    const ScheduleAttr &s = kernel.schedule;
    SmallVector<Value> ivs = createKernel(
        rewriter, loc,
        {batch, heads, tb.index(llvm::divideCeil(kernel.dqk, s.getBlockDqk())),
         tb.index(llvm::divideCeil(kernel.dhv, s.getBlockDhv()))},
        s);
    kernel.buildBody(tb, ivs);
  }
  SmallVector<Value> results;
  for (auto [buffer, type] : llvm::zip_equal(outs, gradTypes))
    results.push_back(toTensor(rewriter, loc, buffer, type));
  rewriter.replaceOp(op, results);
  return success();
}

void mlir::mlstm::populateTileGradStateScanPatterns(
    RewritePatternSet &patterns, const TileOptions &options) {
  patterns.add<TileGradStateScan>(patterns.getContext(), options);
}
