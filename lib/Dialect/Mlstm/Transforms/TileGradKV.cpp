//===- TileGradKV.cpp - chunk_grad_kv -> two tiled kernels ----------------===//
//
// The key-side gradients, parallel over the key tiles of every chunk. dk
// needs dP = dnum v^T + dden, a contraction over all of DHV, and whole DQK
// rows for k.dk; dv needs P = e (q' k^T), a contraction over DQK, and is
// tiled along DHV. So the op becomes two kernels (w_s = exp(g - b_s + ig_s -
// m_c), the weight of key s in the chunk-end state):
//
//   dk kernel, per (batch, head, chunk, key tile):
//     dk  = w_s (v dC_c^T + dn_c)                       (DHV in tiles)
//     for each query tile on or right of the diagonal:
//       dk += (dP * e)^T q'     (as qk_scale ((dP * e)^T q): dq's rounding)
//     store dk and k.dk
//   dv kernel, per (batch, head, chunk, key tile, DHV tile):
//     dv  = w_s k dC_c                                  (DQK in tiles)
//     for each query tile on or right of the diagonal:
//       dv += (e * q' k^T)^T (scale dh)
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

constexpr double kInf = std::numeric_limits<double>::infinity();

struct TileGradKV : OpRewritePattern<ChunkGradKVOp> {
  TileGradKV(MLIRContext *ctx, TileOptions options)
      : OpRewritePattern(ctx), options(options) {}

  LogicalResult matchAndRewrite(ChunkGradKVOp op,
                                PatternRewriter &rewriter) const override;

private:
  TileOptions options;
};

struct GradKVKernel : GradKernel {
  Type dkElt, dvElt;
  Value outDk, outDv, outDot;

  /// The key tile of a program: where it starts and its chunk-end weights.
  struct Keys {
    Value col0, count, pos, weights;
  };
  Keys keysAt(TileBuilder &tb, const GradChunk &ch, Value tile, int64_t bk);

  /// Loops over the query tiles that see the key tile (t >= s), carrying
  /// `acc`; `body` gets the tile's first row, its valid rows, its sequence
  /// position and the carried value, and returns the next.
  template <typename Body>
  Value forQueryTiles(TileBuilder &tb, const GradChunk &ch, const Keys &keys,
                      int64_t bq, Value acc, Body body);

  void buildDk(TileBuilder &tb, ScheduleAttr s, ValueRange ivs);
  void buildDv(TileBuilder &tb, ScheduleAttr s, ValueRange ivs);
};

} // namespace

GradKVKernel::Keys GradKVKernel::keysAt(TileBuilder &tb, const GradChunk &ch,
                                        Value tile, int64_t bk) {
  Keys keys;
  keys.col0 = tb.mul(tile, tb.index(bk));
  keys.count = tb.remaining(ch.valid, keys.col0);
  keys.pos = tb.add(ch.start, keys.col0);
  RankedTensorType vec = tb.tile({bk});
  Value x = tb.fsub(ch.gates.logWeightAtEnd(tb, keys.col0, bk),
                    tb.splat(vec, ch.mNext));
  keys.weights = TileExpGatesOp::create(tb.builder(), tb.getLoc(), x, Value());
  return keys;
}

template <typename Body>
Value GradKVKernel::forQueryTiles(TileBuilder &tb, const GradChunk &ch,
                                  const Keys &keys, int64_t bq, Value acc,
                                  Body body) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  Value first = arith::DivUIOp::create(b, loc, keys.col0, tb.index(bq));
  Value last = tb.ceilDiv(ch.valid, tb.index(bq));
  auto loop = scf::ForOp::create(b, loc, first, last, tb.index(1),
                                 ValueRange{acc});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value row0 = tb.mul(loop.getInductionVar(), tb.index(bq));
  Value rows = tb.remaining(ch.valid, row0);
  scf::YieldOp::create(b, loc,
                       body(row0, rows, tb.add(ch.start, row0),
                            loop.getRegionIterArgs()[0]));
  b.setInsertionPointAfter(loop);
  return loop.getResult(0);
}

void GradKVKernel::buildDk(TileBuilder &tb, ScheduleAttr s, ValueRange ivs) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t bq = s.getBlockQ(), bk = s.getBlockK(), bd = s.getBlockDqk();
  int64_t bv = s.getBlockDhv();
  Value bi = ivs[0], hi = ivs[1], c = ivs[2], zero = tb.index(0);
  Value next = tb.add(c, tb.index(1));
  GradChunk ch = chunkAt(tb, bi, hi, c);
  Keys keys = keysAt(tb, ch, ivs[3], bk);
  RankedTensorType accType = tb.tile({bk, bd});

  // Inter: v dC_c^T + dn_c, weighted.
  auto inter = scf::ForOp::create(b, loc, zero, tb.index(dhv), tb.index(bv),
                                  ValueRange{tb.splat(accType, 0.0)});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(inter.getBody());
    Value dv0 = inter.getInductionVar();
    Value vt = loadSeqTileRaw(tb, v, bi, hi, keys.pos, dv0, keys.count, bk, bv);
    Value dct = TileLoadOp::create(b, loc, tb.tile({bd, bv}, stateElt), dcAll,
                                   ValueRange{bi, hi, next, zero, dv0}, Value(),
                                   b.getF64FloatAttr(0.0));
    scf::YieldOp::create(
        b, loc,
        product(tb, accType, vt, tb.convert(dct, compute),
                inter.getRegionIterArgs()[0], /*transposeLhs=*/false,
                /*transposeRhs=*/true, /*splitLhs=*/false, /*splitRhs=*/true));
  }
  Value acc = inter.getResult(0);
  if (hasN()) {
    Value dnt = tb.convert(
        TileLoadOp::create(b, loc, tb.tile({bd}, stateElt), dnAll,
                           ValueRange{bi, hi, next, zero}, Value(),
                           b.getF64FloatAttr(0.0)),
        compute);
    acc = tb.fadd(acc, tb.broadcastCols(dnt, bk));
  }
  // The intra part accumulates (dP * e)^T q, dP * e rounded to the operand
  // type exactly as in the dq kernel, and qk_scale applies to the whole sum
  // (so the inter part enters divided by it): the intra-chunk parts of
  // q'.dq' and k.dk then cancel in d log f. Rounding (dP * e) qk_scale
  // instead matches the dq kernel only where qk_scale is a power of two; at
  // DQK = 128 (bf16) df was 1-7e-2 off with extreme gates on the H100.
  Value sq = tb.scalar(qkScale());
  Value invSq = tb.scalar(1.0 / qkScale());
  acc = tb.fmul(acc, tb.broadcastRows(
                         tb.fmul(keys.weights, tb.splat(tb.tile({bk}), invSq)),
                         bd));

  // Intra: (dP * e)^T q over the query tiles that see these keys.
  acc = forQueryTiles(
      tb, ch, keys, bq, acc,
      [&](Value row0, Value rows, Value qPos, Value carried) -> Value {
        Value mRows = loadRows(tb, m, bi, hi, qPos, rows, bq, kInf);
        Value scaleRows = loadRows(tb, scale, bi, hi, qPos, rows, bq);
        Value ddenRows = loadRows(tb, dden, bi, hi, qPos, rows, bq);
        Value dp = dpTile(tb, bi, hi, qPos, rows, scaleRows, ddenRows,
                          keys.pos, keys.count, bq, bk, bv);
        Value e = intraWeights(tb, ch, row0, keys.col0, mRows, bq, bk);
        Value weighted = tb.fmul(dp, e);
        Value qt = loadSeqTileRaw(tb, q, bi, hi, qPos, zero, rows, bq, bd);
        return TileMatmulOp::create(b, loc, accType, operand(tb, weighted), qt,
                                    carried, /*transpose_lhs=*/true,
                                    /*transpose_rhs=*/false);
      });
  acc = tb.fmul(acc, tb.splat(accType, sq));

  Value kt = loadSeqTile(tb, k, bi, hi, keys.pos, zero, keys.count, bk, bd);
  Value dot = tb.reduce(CombiningKind::Add, tb.fmul(kt, acc), 1);
  TileStoreOp::create(b, loc, tb.convert(acc, dkElt), outDk,
                      ValueRange{bi, hi, keys.pos, zero}, keys.count);
  TileStoreOp::create(b, loc, tb.convert(dot, stateElt), outDot,
                      ValueRange{bi, hi, keys.pos}, keys.count);
}

void GradKVKernel::buildDv(TileBuilder &tb, ScheduleAttr s, ValueRange ivs) {
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  int64_t bq = s.getBlockQ(), bk = s.getBlockK(), bd = s.getBlockDqk();
  int64_t bv = s.getBlockDhv();
  Value bi = ivs[0], hi = ivs[1], c = ivs[2], zero = tb.index(0);
  Value next = tb.add(c, tb.index(1));
  Value dv0 = tb.mul(ivs[4], tb.index(bv));
  GradChunk ch = chunkAt(tb, bi, hi, c);
  Keys keys = keysAt(tb, ch, ivs[3], bk);
  RankedTensorType accType = tb.tile({bk, bv});

  // Inter: k dC_c, weighted.
  auto inter = scf::ForOp::create(b, loc, zero, tb.index(dqk), tb.index(bd),
                                  ValueRange{tb.splat(accType, 0.0)});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(inter.getBody());
    Value d = inter.getInductionVar();
    Value kt = loadSeqTileRaw(tb, k, bi, hi, keys.pos, d, keys.count, bk, bd);
    Value dct = TileLoadOp::create(b, loc, tb.tile({bd, bv}, stateElt), dcAll,
                                   ValueRange{bi, hi, next, d, dv0}, Value(),
                                   b.getF64FloatAttr(0.0));
    scf::YieldOp::create(
        b, loc,
        product(tb, accType, kt, tb.convert(dct, compute),
                inter.getRegionIterArgs()[0], /*transposeLhs=*/false,
                /*transposeRhs=*/false, /*splitLhs=*/false, /*splitRhs=*/true));
  }
  Value acc =
      tb.fmul(inter.getResult(0), tb.broadcastRows(keys.weights, bv));

  // Intra: P^T dnum over the query tiles that see these keys.
  Value sq = tb.scalar(qkScale());
  acc = forQueryTiles(
      tb, ch, keys, bq, acc,
      [&](Value row0, Value rows, Value qPos, Value carried) -> Value {
        Value mRows = loadRows(tb, m, bi, hi, qPos, rows, bq, kInf);
        Value scaleRows = loadRows(tb, scale, bi, hi, qPos, rows, bq);
        auto sLoop = scf::ForOp::create(
            b, loc, zero, tb.index(dqk), tb.index(bd),
            ValueRange{tb.splat(tb.tile({bq, bk}), 0.0)});
        {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(sLoop.getBody());
          Value d = sLoop.getInductionVar();
          Value qt = loadSeqTileRaw(tb, q, bi, hi, qPos, d, rows, bq, bd);
          Value kt =
              loadSeqTileRaw(tb, k, bi, hi, keys.pos, d, keys.count, bk, bd);
          scf::YieldOp::create(
              b, loc,
              TileMatmulOp::create(b, loc, tb.tile({bq, bk}), qt, kt,
                                   sLoop.getRegionIterArgs()[0],
                                   /*transpose_lhs=*/false,
                                   /*transpose_rhs=*/true)
                  .getResult());
        }
        Value e = intraWeights(tb, ch, row0, keys.col0, mRows, bq, bk);
        // P^T dnum, as (scale P)^T dh where the scale goes outside.
        Value p = tb.fmul(tb.fmul(sLoop.getResult(0), e),
                          tb.splat(tb.tile({bq, bk}), sq));
        p = scaleOutsideRows(tb, p, scaleRows, bk);
        Value dnum =
            dnumOperand(tb, bi, hi, qPos, rows, scaleRows, dv0, bq, bv);
        return TileMatmulOp::create(b, loc, accType, operand(tb, p), dnum,
                                    carried,
                                    /*transpose_lhs=*/true,
                                    /*transpose_rhs=*/false);
      });
  TileStoreOp::create(b, loc, tb.convert(acc, dvElt), outDv,
                      ValueRange{bi, hi, keys.pos, dv0}, keys.count);
}

LogicalResult TileGradKV::matchAndRewrite(ChunkGradKVOp op,
                                          PatternRewriter &rewriter) const {
  Location loc = op.getLoc();
  GradKVKernel kernel;
  kernel.variant = op.getVariant();
  kernel.chunk = op.getChunkSize();
  RankedTensorType kType = op.getK().getType();
  kernel.dqk = kType.getDimSize(3);
  kernel.dhv = op.getV().getType().getDimSize(3);
  kernel.inputElt = kType.getElementType();
  kernel.stateElt = op.getKDotDk().getType().getElementType();
  kernel.dkElt = op.getDk().getType().getElementType();
  kernel.dvElt = op.getDv().getType().getElementType();
  kernel.compute = computeTypeFor(kernel.inputElt, kernel.stateElt);
  ScheduleAttr dkSchedule =
      gradSchedule(getContext(), KernelKind::GradKV, kernel.chunk, kernel.dqk,
                   kernel.dhv, options, /*fullDqk=*/true);
  ScheduleAttr dvSchedule =
      gradSchedule(getContext(), KernelKind::GradKV, kernel.chunk, kernel.dqk,
                   kernel.dhv, options, /*fullDqk=*/false);
  TileBuilder tb(rewriter, loc, kernel.compute);
  kernel.bind(rewriter, loc, op.getQ(), op.getK(), op.getV(), op.getI(),
              op.getF(), op.getStates(), op.getStateGrads(), op.getRows(),
              op.getDh());

  Value batch = tb.dim(kernel.k, 0), heads = tb.dim(kernel.k, 1);
  kernel.seqLen = tb.dim(kernel.k, 2);
  kernel.numChunks = tb.ceilDiv(kernel.seqLen, tb.index(kernel.chunk));
  SmallVector<Value> sizes = {batch, heads, kernel.seqLen};
  kernel.outDk = allocBuffer(rewriter, loc, op.getDk().getType(), sizes);
  kernel.outDv = allocBuffer(rewriter, loc, op.getDv().getType(), sizes);
  kernel.outDot = allocBuffer(rewriter, loc, op.getKDotDk().getType(), sizes);
  Value keyTiles = tb.index(llvm::divideCeil(kernel.chunk,
                                             dkSchedule.getBlockK()));
  {
    OpBuilder::InsertionGuard guard(rewriter);
    SmallVector<Value> ivs = createKernel(
        rewriter, loc, {batch, heads, kernel.numChunks, keyTiles}, dkSchedule);
    kernel.buildDk(tb, dkSchedule, ivs);
  }
  {
    OpBuilder::InsertionGuard guard(rewriter);
    SmallVector<Value> ivs = createKernel(
        rewriter, loc,
        {batch, heads, kernel.numChunks, keyTiles,
         tb.index(llvm::divideCeil(kernel.dhv, dvSchedule.getBlockDhv()))},
        dvSchedule);
    kernel.buildDv(tb, dvSchedule, ivs);
  }
  rewriter.replaceOp(
      op, {toTensor(rewriter, loc, kernel.outDk, op.getDk().getType()),
           toTensor(rewriter, loc, kernel.outDv, op.getDv().getType()),
           toTensor(rewriter, loc, kernel.outDot, op.getKDotDk().getType())});
  return success();
}

void mlir::mlstm::populateTileGradKVPatterns(RewritePatternSet &patterns,
                                             const TileOptions &options) {
  patterns.add<TileGradKV>(patterns.getContext(), options);
}
