//===- TileStateScan.cpp - chunk_state_scan -> tiled kernel ---------------===//
//
// One program per (batch, head, DQK tile, DHV tile) walks the chunks in
// order, carrying its BK x BV tile of C (and the BK slice of n, and m):
//
//   for chunk c:  store the boundary-c state
//                 m'  = max(g + m, max_t a_t)                 (exp gate)
//                 C  <- exp(g) C + sum_t exp(a_t) k_t v_t^T   (sequence tiles
//                 n  <- exp(g) n + sum_t exp(a_t) k_t          of block_k rows)
//   store the final (boundary NC) state
//
// The gate weights are tile_exp_gates with their stabilizers recorded
// (m' - m for the decay, m' for the inputs) but not applied: the loop carries
// the plain C~ = C exp(m), converted at the boundaries. Stabilization then
// makes the carried values the max-scaled C itself.
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

/// The state a scan program carries: tiles of C and n, and the scalar m.
struct ScanState {
  Value c, n, m;
};

struct TileStateScan : OpRewritePattern<ChunkStateScanOp> {
  TileStateScan(MLIRContext *ctx, TileOptions options)
      : OpRewritePattern(ctx), options(options) {}

  LogicalResult matchAndRewrite(ChunkStateScanOp op,
                                PatternRewriter &rewriter) const override;

private:
  TileOptions options;
};

/// Everything the program body needs, gathered once.
struct ScanKernel {
  ChunkStateScanOp op;
  VariantAttr variant;
  ScheduleAttr schedule;
  Type inputElt, stateElt;
  Value k, v, i, f, c0, n0, m0; // operand buffers (null when absent)
  Value cAll, nAll, mAll;       // result buffers (null when absent)
  Value seqLen, numChunks;

  bool hasN() const { return variant.hasNormalizerState(); }
  bool hasM() const { return variant.hasMaxState(); }

  void buildBody(TileBuilder &tb, ValueRange ivs);
  ScanState initialState(TileBuilder &tb, Value bi, Value hi, Value dq0,
                         Value dv0);
  void storeBoundary(TileBuilder &tb, const ScanState &state, Value bi,
                     Value hi, Value boundary, Value dq0, Value dv0,
                     Value isFirstDqk, Value isFirstDhv);
  ScanState chunkStep(TileBuilder &tb, const ScanState &state, Value bi,
                      Value hi, Value chunkIdx, Value dq0, Value dv0);
};

} // namespace

ScanState ScanKernel::initialState(TileBuilder &tb, Value bi, Value hi,
                                   Value dq0, Value dv0) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t bk = schedule.getBlockDqk(), bv = schedule.getBlockDhv();
  ScanState s;
  if (c0) {
    s.c = tb.convert(TileLoadOp::create(b, loc, tb.tile({bk, bv}, stateElt), c0,
                                     ValueRange{bi, hi, dq0, dv0}, Value(),
                                     b.getF64FloatAttr(0.0)),
                  tb.computeType());
  } else {
    s.c = tb.splat(tb.tile({bk, bv}), 0.0);
  }
  if (hasN())
    s.n = n0 ? tb.convert(TileLoadOp::create(b, loc, tb.tile({bk}, stateElt), n0,
                                          ValueRange{bi, hi, dq0}, Value(),
                                          b.getF64FloatAttr(0.0)),
                       tb.computeType())
             : tb.splat(tb.tile({bk}), 0.0);
  if (hasM()) {
    s.m = m0 ? tb.convert(memref::LoadOp::create(b, loc, m0, ValueRange{bi, hi}),
                       tb.computeType())
             : tb.scalar(0.0);
    // The loop carries C~ = C exp(m): scale the initial state up.
    Value up = TileExpGatesOp::create(b, loc, s.m, s.m);
    s.c = tb.fmul(s.c, tb.splat(cast<RankedTensorType>(s.c.getType()), up));
    if (hasN())
      s.n = tb.fmul(s.n, tb.splat(cast<RankedTensorType>(s.n.getType()), up));
  }
  return s;
}

void ScanKernel::storeBoundary(TileBuilder &tb, const ScanState &state,
                               Value bi, Value hi, Value boundary, Value dq0,
                               Value dv0, Value isFirstDqk,
                               Value isFirstDhv) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  Value c = state.c, n = state.n;
  if (hasM()) {
    // Boundary states are max-scaled: C = C~ exp(-m).
    Value negM = tb.fneg(state.m);
    Value down = TileExpGatesOp::create(b, loc, negM, negM);
    c = tb.fmul(c, tb.splat(cast<RankedTensorType>(c.getType()), down));
    if (hasN())
      n = tb.fmul(n, tb.splat(cast<RankedTensorType>(n.getType()), down));
  }
  TileStoreOp::create(b, loc, tb.convert(c, stateElt), cAll,
                      ValueRange{bi, hi, boundary, dq0, dv0}, Value());
  // n and m do not depend on the DHV tile (nor m on the DQK tile): one
  // program of each row stores them.
  if (hasN()) {
    auto ifOp = scf::IfOp::create(b, loc, isFirstDhv, false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    TileStoreOp::create(b, loc, tb.convert(n, stateElt), nAll,
                        ValueRange{bi, hi, boundary, dq0}, Value());
  }
  if (hasM()) {
    Value first = arith::AndIOp::create(b, loc, isFirstDqk, isFirstDhv);
    auto ifOp = scf::IfOp::create(b, loc, first, false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    memref::StoreOp::create(b, loc, tb.convert(state.m, stateElt), mAll,
                            ValueRange{bi, hi, boundary});
  }
}

ScanState ScanKernel::chunkStep(TileBuilder &tb, const ScanState &state,
                                Value bi, Value hi, Value chunkIdx, Value dq0,
                                Value dv0) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t chunk = schedule.getChunk();
  int64_t bk = schedule.getBlockDqk(), bv = schedule.getBlockDhv();
  int64_t bs = schedule.getBlockK();

  Value start = tb.mul(chunkIdx, tb.index(chunk));
  Value valid = tb.minIndex(tb.sub(seqLen, start), tb.index(chunk));
  ChunkGates gates =
      loadChunkGates(tb, variant, chunk, i, f, bi, hi, start, valid);

  // a_t = g - b_t + ig_t: the log weight of position t at the chunk's end.
  Value a = gates.logWeightAtEnd(tb, tb.index(0), chunk);

  ScanState next;
  Value decay, weights;
  if (hasM()) {
    Value maxA = tb.reduce(CombiningKind::Max, a, 0);
    next.m = tb.fmax(tb.fadd(gates.totalLogForget, state.m), maxA);
    Value decayStab = tb.fsub(next.m, state.m);
    decay = TileExpGatesOp::create(b, loc, gates.totalLogForget, decayStab);
    weights = TileExpGatesOp::create(b, loc, a, next.m);
  } else {
    decay = TileExpGatesOp::create(b, loc, gates.totalLogForget, Value());
    weights = TileExpGatesOp::create(b, loc, a, Value());
  }

  Value c = tb.fmul(state.c,
                    tb.splat(cast<RankedTensorType>(state.c.getType()), decay));
  Value n = hasN() ? tb.fmul(state.n, tb.splat(cast<RankedTensorType>(
                                                   state.n.getType()),
                                               decay))
                   : Value();

  // Sum over the chunk's positions, block_k rows at a time.
  SmallVector<Value> carried = {c};
  if (n)
    carried.push_back(n);
  auto loop = scf::ForOp::create(b, loc, tb.index(0), tb.index(chunk),
                                 tb.index(bs), carried);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value row = loop.getInductionVar();
    Value rows = tb.remaining(valid, row);
    Value seqRow = tb.add(start, row);
    Value kt = TileLoadOp::create(b, loc, tb.tile({bs, bk}, inputElt), k,
                                  ValueRange{bi, hi, seqRow, dq0}, rows,
                                  b.getF64FloatAttr(0.0));
    Value vt = TileLoadOp::create(b, loc, tb.tile({bs, bv}, inputElt), v,
                                  ValueRange{bi, hi, seqRow, dv0}, rows,
                                  b.getF64FloatAttr(0.0));
    Value w = tb.slice1D(weights, row, bs);
    Value kw = tb.fmul(tb.convert(kt, tb.computeType()), tb.broadcastRows(w, bk));
    auto cAcc = TileMatmulOp::create(
        b, loc, tb.tile({bk, bv}), tb.convert(kw, inputElt), vt,
        loop.getRegionIterArgs()[0], /*transpose_lhs=*/true,
        /*transpose_rhs=*/false);
    SmallVector<Value> yields = {cAcc};
    if (n)
      yields.push_back(tb.fadd(loop.getRegionIterArgs()[1],
                               tb.reduce(CombiningKind::Add, kw, 0)));
    scf::YieldOp::create(b, loc, yields);
  }
  next.c = loop.getResult(0);
  if (n)
    next.n = loop.getResult(1);
  return next;
}

void ScanKernel::buildBody(TileBuilder &tb, ValueRange ivs) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  Value bi = ivs[0], hi = ivs[1];
  Value dq0 = tb.mul(ivs[2], tb.index(schedule.getBlockDqk()));
  Value dv0 = tb.mul(ivs[3], tb.index(schedule.getBlockDhv()));
  Value zero = tb.index(0);
  Value isFirstDqk = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                           ivs[2], zero);
  Value isFirstDhv = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                           ivs[3], zero);

  ScanState init = initialState(tb, bi, hi, dq0, dv0);
  SmallVector<Value> carried = {init.c};
  if (hasN())
    carried.push_back(init.n);
  if (hasM())
    carried.push_back(init.m);
  auto unpack = [&](ValueRange values) {
    ScanState s;
    s.c = values[0];
    unsigned next = 1;
    if (hasN())
      s.n = values[next++];
    if (hasM())
      s.m = values[next++];
    return s;
  };

  auto loop = scf::ForOp::create(b, loc, zero, numChunks, tb.index(1),
                                 carried);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value chunkIdx = loop.getInductionVar();
    ScanState s = unpack(loop.getRegionIterArgs());
    storeBoundary(tb, s, bi, hi, chunkIdx, dq0, dv0, isFirstDqk, isFirstDhv);
    ScanState next = chunkStep(tb, s, bi, hi, chunkIdx, dq0, dv0);
    SmallVector<Value> yields = {next.c};
    if (hasN())
      yields.push_back(next.n);
    if (hasM())
      yields.push_back(next.m);
    scf::YieldOp::create(b, loc, yields);
  }
  storeBoundary(tb, unpack(loop.getResults()), bi, hi, numChunks, dq0, dv0,
                isFirstDqk, isFirstDhv);
}

LogicalResult
TileStateScan::matchAndRewrite(ChunkStateScanOp op,
                               PatternRewriter &rewriter) const {
  Location loc = op.getLoc();
  RankedTensorType kType = op.getK().getType(), vType = op.getV().getType();
  int64_t dqk = kType.getDimSize(3), dhv = vType.getDimSize(3);

  ScanKernel kernel;
  kernel.op = op;
  kernel.variant = op.getVariant();
  kernel.schedule =
      chooseSchedule(getContext(), KernelKind::StateScan, op.getChunkSize(),
                     dqk, dhv, options);
  kernel.inputElt = kType.getElementType();
  auto stateTypes = llvm::map_to_vector(op.getStates().getTypes(), [](Type t) {
    return cast<RankedTensorType>(t);
  });
  kernel.stateElt = stateTypes[0].getElementType();
  TileBuilder tb(rewriter, loc,
                 computeTypeFor(kernel.inputElt, kernel.stateElt));

  kernel.k = toBuffer(rewriter, loc, op.getK());
  kernel.v = toBuffer(rewriter, loc, op.getV());
  kernel.i = toBuffer(rewriter, loc, op.getI());
  kernel.f = toBuffer(rewriter, loc, op.getF());
  ValueRange init = op.getInitialStates();
  if (!init.empty()) {
    kernel.c0 = toBuffer(rewriter, loc, init[0]);
    if (kernel.hasN())
      kernel.n0 = toBuffer(rewriter, loc, init[1]);
    if (kernel.hasM())
      kernel.m0 = toBuffer(rewriter, loc, init.back());
  }

  Value batch = tb.dim(kernel.k, 0), heads = tb.dim(kernel.k, 1);
  kernel.seqLen = tb.dim(kernel.k, 2);
  kernel.numChunks = tb.ceilDiv(kernel.seqLen, tb.index(op.getChunkSize()));
  Value boundaries = tb.add(kernel.numChunks, tb.index(1));
  SmallVector<Value> buffers = llvm::map_to_vector(stateTypes, [&](auto t) {
    return allocBuffer(rewriter, loc, t, {batch, heads, boundaries});
  });
  kernel.cAll = buffers[0];
  if (kernel.hasN())
    kernel.nAll = buffers[1];
  if (kernel.hasM())
    kernel.mAll = buffers.back();

  {
    OpBuilder::InsertionGuard guard(rewriter);
    int64_t gridDqk = llvm::divideCeil(dqk, kernel.schedule.getBlockDqk());
    int64_t gridDhv = llvm::divideCeil(dhv, kernel.schedule.getBlockDhv());
    SmallVector<Value> ivs = createKernel(
        rewriter, loc,
        {batch, heads, tb.index(gridDqk), tb.index(gridDhv)}, kernel.schedule);
    kernel.buildBody(tb, ivs);
  }

  SmallVector<Value> results;
  for (auto [buffer, type] : llvm::zip_equal(buffers, stateTypes))
    results.push_back(toTensor(rewriter, loc, buffer, type));
  rewriter.replaceOp(op, results);
  return success();
}

void mlir::mlstm::populateTileStateScanPatterns(RewritePatternSet &patterns,
                                                const TileOptions &options) {
  patterns.add<TileStateScan>(patterns.getContext(), options);
}
