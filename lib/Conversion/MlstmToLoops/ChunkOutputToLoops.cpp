//===- ChunkOutputToLoops.cpp - chunk_output -> loops on tensors ----------===//
//
// The intra-chunk part: given the state at the start of each chunk, every
// chunk's outputs are independent, so all (batch, head, chunk) triples run in
// one scf.forall. For chunk k, positions t, s = 0..len-1 (iota, b as in
// ChunkGates.h) and q' = qk_scale q:
//
//   log D_ts  = b_t - b_s + iota_s   (s <= t; -inf above the diagonal)
//   m_comb_t  = max(b_t + m_{k-1}, max_s log D_ts)       (exp gate; else 0)
//   w_t       = exp(b_t + m_{k-1} - m_comb_t)            inter-chunk weight
//   P_ts      = exp(log D_ts - m_comb_t) (q'_t . k_s)    intra-chunk scores
//   num_t     = w_t q'_t^T C_{k-1} + sum_s P_ts v_s      linalg.matmul
//   den_t     = w_t q'_t^T n_{k-1} + sum_s P_ts          linalg.matvec/reduce
//   h_t       = num_t * outputScale(den_t, m_comb_t)
//
// This is the FlashAttention-like form that TFLA later tiles; here the whole
// len x len matrix is materialized, which is what a CPU oracle wants.
//
//===----------------------------------------------------------------------===//

#include "ChunkGates.h"
#include "GateMath.h"
#include "HeadViews.h"
#include "LoweringPatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace mlir::mlstm;
using namespace mlir::mlstm::loops;

namespace {

/// Builds linalg.generic ops over the (t, s) or (t, j) plane of one chunk,
/// where row vectors (indexed by t) broadcast along the second dimension.
class ChunkPlane {
public:
  ChunkPlane(OpBuilder &b, Location loc) : b(b), loc(loc), ctx(b.getContext()) {
    bindDims(ctx, row, col);
  }

  AffineMap rowMap() const { return AffineMap::get(2, 0, {row}, ctx); }
  AffineMap colMap() const { return AffineMap::get(2, 0, {col}, ctx); }
  AffineMap planeMap() const { return AffineMap::get(2, 0, {row, col}, ctx); }

  /// A rows x cols tensor whose element (t, s) is fn(inputs at (t, s)) with
  /// the given input maps (fn may use linalg.index for t and s).
  Value build(OpFoldResult rows, OpFoldResult cols, ValueRange inputs,
              ArrayRef<AffineMap> maps, Type elementType,
              function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
    Value init = tensor::EmptyOp::create(
        b, loc, SmallVector<OpFoldResult>{rows, cols}, elementType);
    SmallVector<AffineMap> allMaps(maps);
    allMaps.push_back(planeMap());
    auto parallel = utils::IteratorType::parallel;
    return linalg::GenericOp::create(
               b, loc, TypeRange{init.getType()}, inputs, ValueRange{init},
               allMaps, {parallel, parallel},
               [&](OpBuilder &nb, Location nloc, ValueRange args) {
                 linalg::YieldOp::create(nb, nloc,
                                         fn(nb, nloc, args.drop_back()));
               })
        .getResult(0);
  }

private:
  OpBuilder &b;
  Location loc;
  MLIRContext *ctx;
  AffineExpr row, col;
};

/// What the IR of one (batch, head, chunk) needs to know.
struct ChunkContext {
  VariantAttr variant;
  FloatType computeType;
  Type hType;
  int64_t chunkSize;
  Value q, k, v, i, f, seqLen;
  ValueRange states;
  Value bi, hi, chunk;
};

/// Builds the outputs of one chunk, one method per formula of the file
/// header. Row vectors have length len, matrices are len x len (t, s) or
/// len x D (t, d), all in the compute type.
class ChunkOutputBuilder {
public:
  ChunkOutputBuilder(OpBuilder &b, Location loc, const ChunkContext &ctx)
      : b(b), loc(loc), ctx(ctx), ct(ctx.computeType), plane(b, loc) {}

  /// h of the chunk (len x DHV, element type of h) and the positions it
  /// covers.
  std::pair<Value, Range> build() {
    VariantAttr variant = ctx.variant;
    ChunkBounds bounds =
        getChunkBounds(b, loc, ctx.chunk, ctx.chunkSize, ctx.seqLen);
    len = bounds.len;
    Range positions{bounds.start, len,
                    arith::ConstantIndexOp::create(b, loc, 1).getResult()};
    auto slice = [&](Value operand) -> Value {
      if (!operand)
        return Value();
      return extractHeadSlice(b, loc, operand, {ctx.bi, ctx.hi}, positions);
    };
    Value queries = slice(ctx.q), keys = slice(ctx.k), values = slice(ctx.v);
    ChunkGates gates =
        buildChunkGates(b, loc, variant, ct, slice(ctx.i), slice(ctx.f), len);

    // The state at the start of the chunk (boundary k).
    SmallVector<Value> boundary = {ctx.bi, ctx.hi, ctx.chunk};
    HeadState prev;
    prev.C = extractHeadSlice(b, loc, ctx.states[0], boundary);
    if (variant.hasNormalizerState())
      prev.n = extractHeadSlice(b, loc, ctx.states[1], boundary);
    if (variant.hasMaxState())
      prev.m = toCompute(
          b, loc,
          tensor::ExtractOp::create(b, loc, ctx.states.back(), boundary));

    Value logD = logGateMatrix(gates.cumLogForget, gates.logInput);
    Value mComb = prev.m ? rowMax(logD, gates.cumLogForget, prev.m) : Value();
    Value w = interWeight(gates.cumLogForget, prev.m, mComb);
    Value qScaled = scaledQueries(queries);
    Value p = weightedScores(logD, mComb, qScaled, keys);
    Value num = numerator(qScaled, prev.C, w, p, values);
    Value den = prev.n ? denominator(qScaled, prev.n, w, p) : Value();
    return {output(num, den, mComb), positions};
  }

private:
  Value toCompute(OpBuilder &nb, Location nloc, Value x) const {
    return convertScalarToDtype(nb, nloc, x, ct, /*isUnsignedCast=*/false);
  }

  int64_t headDim(Value tensor) const {
    return cast<RankedTensorType>(tensor.getType()).getDimSize(1);
  }

  /// A length-len vector fn(inputs) (element-wise).
  Value rowVector(ValueRange inputs,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
    Value init =
        tensor::EmptyOp::create(b, loc, ArrayRef<OpFoldResult>{len}, ct);
    return linalg::MapOp::create(
               b, loc, inputs, init,
               [&](OpBuilder &nb, Location nloc, ValueRange args) {
                 linalg::YieldOp::create(nb, nloc, fn(nb, nloc, args));
               })
        .getResult()
        .front();
  }

  /// log D_ts = b_t - b_s + iota_s for s <= t; -inf masks the future, so its
  /// exponential is exactly 0 and it never wins a max.
  Value logGateMatrix(Value cumLogForget, Value logInput) {
    Value minusInf =
        floatConstant(b, loc, ct, -std::numeric_limits<double>::infinity());
    return plane.build(
        len, len, ValueRange{cumLogForget, cumLogForget, logInput},
        {plane.rowMap(), plane.colMap(), plane.colMap()}, ct,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value decay = arith::SubFOp::create(nb, nloc, args[0], args[1]);
          Value entry = arith::AddFOp::create(nb, nloc, decay, args[2]);
          Value t = linalg::IndexOp::create(nb, nloc, 0);
          Value s = linalg::IndexOp::create(nb, nloc, 1);
          Value causal =
              arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::ule, s, t);
          return arith::SelectOp::create(nb, nloc, causal, entry, minusInf)
              .getResult();
        });
  }

  /// m_comb_t = max(b_t + m_{k-1}, max_s log D_ts) (exp gate only).
  Value rowMax(Value logD, Value cumLogForget, Value mPrev) {
    Value carried = rowVector(
        cumLogForget, [&](OpBuilder &nb, Location nloc, ValueRange args) {
          return arith::AddFOp::create(nb, nloc, args[0], mPrev).getResult();
        });
    return linalg::ReduceOp::create(
               b, loc, ValueRange{logD}, ValueRange{carried}, {1},
               [&](OpBuilder &nb, Location nloc, ValueRange args) {
                 linalg::YieldOp::create(
                     nb, nloc,
                     arith::MaximumFOp::create(nb, nloc, args[0], args[1])
                         .getResult());
               })
        .getResult(0);
  }

  /// w_t = exp(b_t + m_{k-1} - m_comb_t), or exp(b_t) without a max state.
  Value interWeight(Value cumLogForget, Value mPrev, Value mComb) {
    SmallVector<Value> inputs = {cumLogForget};
    if (mComb)
      inputs.push_back(mComb);
    return rowVector(
        inputs, [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value exponent = args[0];
          if (mComb)
            exponent = arith::SubFOp::create(
                nb, nloc, arith::AddFOp::create(nb, nloc, exponent, mPrev),
                args[1]);
          return math::ExpOp::create(nb, nloc, exponent).getResult();
        });
  }

  /// q' = qk_scale q (q only).
  Value scaledQueries(Value queries) {
    Value scale = floatConstant(b, loc, ct, ctx.variant.getQkScaleValue());
    return plane.build(len, b.getIndexAttr(headDim(queries)),
                       ValueRange{queries}, {plane.planeMap()}, ct,
                       [&](OpBuilder &nb, Location nloc, ValueRange args) {
                         return arith::MulFOp::create(
                                    nb, nloc, scale,
                                    toCompute(nb, nloc, args[0]))
                             .getResult();
                       });
  }

  /// P_ts = exp(log D_ts - m_comb_t) (q'_t . k_s).
  Value weightedScores(Value logD, Value mComb, Value qScaled, Value keys) {
    MLIRContext *mctx = b.getContext();
    AffineExpr t, s, d;
    bindDims(mctx, t, s, d);
    Value init = filledTensor(b, loc, {len, len}, ct, 0.0);
    Value scores =
        linalg::GenericOp::create(
            b, loc, TypeRange{init.getType()}, ValueRange{qScaled, keys},
            ValueRange{init},
            {AffineMap::get(3, 0, {t, d}, mctx),
             AffineMap::get(3, 0, {s, d}, mctx),
             AffineMap::get(3, 0, {t, s}, mctx)},
            {utils::IteratorType::parallel, utils::IteratorType::parallel,
             utils::IteratorType::reduction},
            [&](OpBuilder &nb, Location nloc, ValueRange args) {
              Value prod = arith::MulFOp::create(nb, nloc, args[0],
                                                 toCompute(nb, nloc, args[1]));
              linalg::YieldOp::create(
                  nb, nloc,
                  arith::AddFOp::create(nb, nloc, args[2], prod).getResult());
            })
            .getResult(0);
    SmallVector<Value> inputs = {logD, scores};
    SmallVector<AffineMap> maps = {plane.planeMap(), plane.planeMap()};
    if (mComb) {
      inputs.push_back(mComb);
      maps.push_back(plane.rowMap());
    }
    return plane.build(
        len, len, inputs, maps, ct,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value exponent = args[0];
          if (mComb)
            exponent = arith::SubFOp::create(nb, nloc, exponent, args[2]);
          Value gate = math::ExpOp::create(nb, nloc, exponent);
          return arith::MulFOp::create(nb, nloc, gate, args[1]).getResult();
        });
  }

  /// num = w (q' C_{k-1}) + P V.
  Value numerator(Value qScaled, Value cPrev, Value w, Value p, Value values) {
    int64_t dhv = headDim(values);
    auto type = RankedTensorType::get({ShapedType::kDynamic, dhv}, ct);
    Value zeros = filledTensor(b, loc, {len, b.getIndexAttr(dhv)}, ct, 0.0);
    Value inter =
        linalg::MatmulOp::create(b, loc, TypeRange{type},
                                 ValueRange{qScaled, cPrev}, ValueRange{zeros})
            .getResult(0);
    Value scaled = plane.build(
        len, b.getIndexAttr(dhv), ValueRange{inter, w},
        {plane.planeMap(), plane.rowMap()}, ct,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          return arith::MulFOp::create(nb, nloc, args[1], args[0]).getResult();
        });
    return linalg::MatmulOp::create(b, loc, TypeRange{type},
                                    ValueRange{p, values}, ValueRange{scaled})
        .getResult(0);
  }

  /// den = w (q' n_{k-1}) + sum_s P_ts.
  Value denominator(Value qScaled, Value nPrev, Value w, Value p) {
    Value inter =
        linalg::MatvecOp::create(
            b, loc,
            TypeRange{RankedTensorType::get({ShapedType::kDynamic}, ct)},
            ValueRange{qScaled, nPrev},
            ValueRange{filledTensor(b, loc, {len}, ct, 0.0)})
            .getResult(0);
    Value scaled =
        rowVector(ValueRange{inter, w}, [&](OpBuilder &nb, Location nloc,
                                            ValueRange args) {
          return arith::MulFOp::create(nb, nloc, args[1], args[0]).getResult();
        });
    return linalg::ReduceOp::create(
               b, loc, ValueRange{p}, ValueRange{scaled}, {1},
               [&](OpBuilder &nb, Location nloc, ValueRange args) {
                 linalg::YieldOp::create(
                     nb, nloc,
                     arith::AddFOp::create(nb, nloc, args[1], args[0])
                         .getResult());
               })
        .getResult(0);
  }

  /// h_t = num_t * outputScale(den_t, m_comb_t), rounded to h's type.
  Value output(Value num, Value den, Value mComb) {
    SmallVector<Value> inputs = {num};
    SmallVector<AffineMap> maps = {plane.planeMap()};
    for (Value rowInput : {den, mComb}) {
      if (!rowInput)
        continue;
      inputs.push_back(rowInput);
      maps.push_back(plane.rowMap());
    }
    return plane.build(
        len, b.getIndexAttr(headDim(num)), inputs, maps, ctx.hType,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value rowDen = den ? args[1] : Value();
          Value rowMax = mComb ? args.back() : Value();
          Value scale = outputScale(nb, nloc, ctx.variant, ct, rowDen, rowMax);
          Value h = arith::MulFOp::create(nb, nloc, args[0], scale);
          return convertScalarToDtype(nb, nloc, h, ctx.hType,
                                      /*isUnsignedCast=*/false);
        });
  }

  OpBuilder &b;
  Location loc;
  const ChunkContext &ctx;
  FloatType ct;
  ChunkPlane plane;
  Value len;
};

struct ChunkOutputToLoops : OpConversionPattern<ChunkOutputOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ChunkOutputOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder::InsertionGuard guard(rewriter);
    auto elementType = [](Value value) -> Type {
      return value ? getElementTypeOrSelf(value.getType()) : Type();
    };
    ChunkContext ctx{
        op.getVariant(),
        getComputeType(
            op.getContext(),
            {elementType(adaptor.getQ()), elementType(adaptor.getK()),
             elementType(adaptor.getV()), elementType(adaptor.getI()),
             elementType(adaptor.getF()), elementType(adaptor.getStates()[0])}),
        op.getH().getType().getElementType(),
        static_cast<int64_t>(op.getChunkSize()),
        adaptor.getQ(),
        adaptor.getK(),
        adaptor.getV(),
        adaptor.getI(),
        adaptor.getF(),
        Value(),
        adaptor.getStates(),
        Value(),
        Value(),
        Value()};

    Value batch = tensor::DimOp::create(rewriter, loc, ctx.q, 0);
    Value heads = tensor::DimOp::create(rewriter, loc, ctx.q, 1);
    ctx.seqLen = tensor::DimOp::create(rewriter, loc, ctx.q, 2);
    Value chunkLen =
        arith::ConstantIndexOp::create(rewriter, loc, ctx.chunkSize);
    Value numChunks =
        arith::CeilDivUIOp::create(rewriter, loc, ctx.seqLen, chunkLen);
    Value hInit = emptyTensor(rewriter, loc, op.getH().getType(),
                              {batch, heads, ctx.seqLen, Value()});

    auto forall = scf::ForallOp::create(
        rewriter, loc, ArrayRef<OpFoldResult>{batch, heads, numChunks},
        ValueRange{hInit}, std::nullopt);
    rewriter.setInsertionPoint(forall.getTerminator());
    ctx.bi = forall.getInductionVar(0);
    ctx.hi = forall.getInductionVar(1);
    ctx.chunk = forall.getInductionVar(2);
    auto [h, positions] = ChunkOutputBuilder(rewriter, loc, ctx).build();

    parallelInsertHeadSlice(rewriter, loc, forall, h,
                            forall.getRegionIterArgs()[0], {ctx.bi, ctx.hi},
                            positions);
    rewriter.setInsertionPointAfter(forall);
    rewriter.replaceOp(op, forall.getResults());
    return success();
  }
};

} // namespace

void mlir::mlstm::loops::populateChunkOutputToLoopsPattern(
    RewritePatternSet &patterns) {
  patterns.add<ChunkOutputToLoops>(patterns.getContext());
}
