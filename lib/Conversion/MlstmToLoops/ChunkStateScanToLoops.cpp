//===- ChunkStateScanToLoops.cpp - chunk_state_scan -> loops on tensors ---===//
//
// The inter-chunk scan: the only sequential part of the chunkwise form, NC =
// ceil(S / L) steps instead of S. For each (batch, head), in parallel:
//
//   boundary[0] = (C_0, n_0, m_0)                 initial state or zeros
//   scf.for k = 0 .. NC-1:                        state in iter_args
//     iota, b = gate vectors of chunk k           (ChunkGates.h)
//     g   = b_{len-1},  a_t = g - b_t + iota_t
//     m_k = max(g + m_{k-1}, max_t a_t)           linalg.reduce (exp gate)
//     C_k = exp(g + m_{k-1} - m_k) C_{k-1}
//           + sum_t exp(a_t - m_k) k_t v_t^T      linalg.generic contraction
//     n_k = exp(g + m_{k-1} - m_k) n_{k-1} + sum_t exp(a_t - m_k) k_t
//     boundary[k + 1] = (C_k, n_k, m_k)
//
// Without the exp gate there is no max state: m = 0 in these formulas, so
// the weights are exp(g) and exp(g - b_t + iota_t) = sigmoid(i_t) exp(g - b_t)
// (sigmoid) or exp(g - b_t) (none). Only the len <= L valid positions of the
// last chunk are sliced, so positions past S contribute nothing.
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

using namespace mlir;
using namespace mlir::mlstm;
using namespace mlir::mlstm::loops;

namespace {

/// What the IR of one (batch, head) needs to know.
struct ScanContext {
  VariantAttr variant;
  FloatType computeType;
  Type stateType;
  int64_t chunkSize;
  Value k, v, i, f, seqLen;
  Value bi, hi;
};

/// decay * old + sum_t w_t k_t[d] x_t[j] in the compute type: the update of
/// C (x = v) or, without `values`, of n (x_t = 1), contracted over the
/// chunk's positions t in order.
Value accumulateChunk(OpBuilder &b, Location loc, FloatType ct, Value old,
                      Value decay, Value keys, Value values, Value weights) {
  MLIRContext *mctx = b.getContext();
  auto toCompute = [&](OpBuilder &nb, Location nloc, Value x) {
    return convertScalarToDtype(nb, nloc, x, ct, /*isUnsignedCast=*/false);
  };
  auto oldType = cast<RankedTensorType>(old.getType());
  auto type = RankedTensorType::get(oldType.getShape(), ct);
  Value decayed = linalg::MapOp::create(
                      b, loc, ValueRange{old},
                      tensor::EmptyOp::create(b, loc, type.getShape(), ct),
                      [&](OpBuilder &nb, Location nloc, ValueRange args) {
                        linalg::YieldOp::create(
                            nb, nloc,
                            arith::MulFOp::create(nb, nloc, decay,
                                                  toCompute(nb, nloc, args[0]))
                                .getResult());
                      })
                      .getResult()
                      .front();

  // Dimensions (d, j, t) for C, (d, t) for n; t is reduced.
  unsigned rank = oldType.getRank() + 1;
  AffineExpr d = getAffineDimExpr(0, mctx), j = getAffineDimExpr(1, mctx),
             t = getAffineDimExpr(rank - 1, mctx);
  SmallVector<Value> inputs = {keys};
  SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, {t, d}, mctx)};
  AffineMap outMap = AffineMap::get(rank, 0, {d}, mctx);
  if (values) {
    inputs.push_back(values);
    maps.push_back(AffineMap::get(rank, 0, {t, j}, mctx));
    outMap = AffineMap::get(rank, 0, {d, j}, mctx);
  }
  inputs.push_back(weights);
  maps.push_back(AffineMap::get(rank, 0, {t}, mctx));
  maps.push_back(outMap);
  SmallVector<utils::IteratorType> iterators(rank - 1,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, inputs, ValueRange{decayed}, maps,
             iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               // (w_t k_t[d]) v_t[j], the reference's order of products.
               Value weight = args[inputs.size() - 1];
               Value term = arith::MulFOp::create(nb, nloc, weight,
                                                  toCompute(nb, nloc, args[0]));
               if (values)
                 term = arith::MulFOp::create(nb, nloc, term,
                                              toCompute(nb, nloc, args[1]));
               linalg::YieldOp::create(
                   nb, nloc,
                   arith::AddFOp::create(nb, nloc, args.back(), term)
                       .getResult());
             })
      .getResult(0);
}

/// Advances `state` over chunk `chunk` (C_{k-1} -> C_k, ...).
void buildChunkStep(OpBuilder &b, Location loc, const ScanContext &ctx,
                    Value chunk, HeadState &state) {
  FloatType ct = ctx.computeType;
  ChunkBounds bounds = getChunkBounds(b, loc, chunk, ctx.chunkSize, ctx.seqLen);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Range positions{bounds.start, bounds.len, one};
  auto slice = [&](Value operand) -> Value {
    if (!operand)
      return Value();
    return extractHeadSlice(b, loc, operand, {ctx.bi, ctx.hi}, positions);
  };
  Value keys = slice(ctx.k), values = slice(ctx.v);
  ChunkGates gates = buildChunkGates(b, loc, ctx.variant, ct, slice(ctx.i),
                                     slice(ctx.f), bounds.len);
  auto rowVector =
      [&](ValueRange inputs,
          function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
        Value init = tensor::EmptyOp::create(
            b, loc, ArrayRef<OpFoldResult>{bounds.len}, ct);
        return linalg::MapOp::create(
                   b, loc, inputs, init,
                   [&](OpBuilder &nb, Location nloc, ValueRange args) {
                     linalg::YieldOp::create(nb, nloc, fn(nb, nloc, args));
                   })
            .getResult()
            .front();
      };

  // g = b_{len-1} and a_t = g - b_t + iota_t.
  Value last = arith::SubIOp::create(b, loc, bounds.len, one);
  Value g = tensor::ExtractOp::create(b, loc, gates.cumLogForget, last);
  Value logWeights = rowVector(
      ValueRange{gates.cumLogForget, gates.logInput},
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value rest = arith::SubFOp::create(nb, nloc, g, args[0]);
        return arith::AddFOp::create(nb, nloc, rest, args[1]).getResult();
      });

  // m_k = max(g + m_{k-1}, max_t a_t); the decay exponent of the carried
  // state is g + m_{k-1} - m_k (just g without a max state).
  Value decayLog = g, mNext;
  if (state.m) {
    Value carried = arith::AddFOp::create(
        b, loc, g,
        convertScalarToDtype(b, loc, state.m, ct, /*isUnsignedCast=*/false));
    Value init = tensor::FromElementsOp::create(
        b, loc, RankedTensorType::get({}, ct), carried);
    Value maxAll = linalg::ReduceOp::create(
                       b, loc, ValueRange{logWeights}, ValueRange{init}, {0},
                       [&](OpBuilder &nb, Location nloc, ValueRange args) {
                         linalg::YieldOp::create(nb, nloc,
                                                 arith::MaximumFOp::create(
                                                     nb, nloc, args[0], args[1])
                                                     .getResult());
                       })
                       .getResult(0);
    mNext = tensor::ExtractOp::create(b, loc, maxAll, ValueRange{});
    decayLog = arith::SubFOp::create(b, loc, carried, mNext);
  }
  Value decay = math::ExpOp::create(b, loc, decayLog);
  // The weight of k_t v_t^T in C_k: exp(a_t - m_k).
  Value weights =
      rowVector(logWeights, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value exponent =
            mNext ? arith::SubFOp::create(nb, nloc, args[0], mNext) : args[0];
        return math::ExpOp::create(nb, nloc, exponent).getResult();
      });

  // C_k = decay C_{k-1} + sum_t w_t k_t v_t^T;  n_k = decay n_{k-1} + ...
  state.C = convertTensor(
      b, loc,
      accumulateChunk(b, loc, ct, state.C, decay, keys, values, weights),
      ctx.stateType);
  if (state.n)
    state.n = convertTensor(
        b, loc,
        accumulateChunk(b, loc, ct, state.n, decay, keys, Value(), weights),
        ctx.stateType);
  if (state.m)
    state.m = convertScalarToDtype(b, loc, mNext, ctx.stateType,
                                   /*isUnsignedCast=*/false);
}

/// Stores `state` as boundary `index` of the per-head boundary tensors.
SmallVector<Value> storeBoundary(OpBuilder &b, Location loc,
                                 const HeadState &state, ValueRange boundaries,
                                 Value index) {
  SmallVector<Value> stored;
  for (auto [value, all] : llvm::zip_equal(state.getValues(), boundaries)) {
    if (isa<RankedTensorType>(value.getType()))
      stored.push_back(insertHeadSlice(b, loc, value, all, {index}));
    else
      stored.push_back(
          tensor::InsertOp::create(b, loc, value, all, ValueRange{index}));
  }
  return stored;
}

struct ChunkStateScanToLoops : OpConversionPattern<ChunkStateScanOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ChunkStateScanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder::InsertionGuard guard(rewriter);
    VariantAttr variant = op.getVariant();
    Type stateType = getElementTypeOrSelf(op.getStates().front().getType());
    auto elementType = [](Value value) -> Type {
      return value ? getElementTypeOrSelf(value.getType()) : Type();
    };
    ScanContext ctx{variant,
                    getComputeType(op.getContext(),
                                   {elementType(adaptor.getK()),
                                    elementType(adaptor.getI()),
                                    elementType(adaptor.getF()), stateType}),
                    stateType,
                    static_cast<int64_t>(op.getChunkSize()),
                    adaptor.getK(),
                    adaptor.getV(),
                    adaptor.getI(),
                    adaptor.getF(),
                    Value(),
                    Value(),
                    Value()};
    auto kType = cast<RankedTensorType>(ctx.k.getType());
    int64_t dqk = kType.getDimSize(3);
    int64_t dhv = cast<RankedTensorType>(ctx.v.getType()).getDimSize(3);

    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value batch = tensor::DimOp::create(rewriter, loc, ctx.k, 0);
    Value heads = tensor::DimOp::create(rewriter, loc, ctx.k, 1);
    ctx.seqLen = tensor::DimOp::create(rewriter, loc, ctx.k, 2);
    Value chunkLen =
        arith::ConstantIndexOp::create(rewriter, loc, ctx.chunkSize);
    Value numChunks =
        arith::CeilDivUIOp::create(rewriter, loc, ctx.seqLen, chunkLen);
    Value numBoundaries = arith::AddIOp::create(rewriter, loc, numChunks, one);

    SmallVector<Value> outputs;
    for (Value result : op.getStates())
      outputs.push_back(
          emptyTensor(rewriter, loc, cast<RankedTensorType>(result.getType()),
                      {batch, heads, numBoundaries, Value(), Value()}));
    auto forall = scf::ForallOp::create(rewriter, loc,
                                        ArrayRef<OpFoldResult>{batch, heads},
                                        outputs, std::nullopt);
    rewriter.setInsertionPoint(forall.getTerminator());
    ctx.bi = forall.getInductionVar(0);
    ctx.hi = forall.getInductionVar(1);
    ValueRange shared = forall.getRegionIterArgs();

    // Boundary 0 is the initial state; the loop writes boundaries 1..NC.
    HeadState initial =
        loadInitialState(rewriter, loc, variant, adaptor.getInitialStates(),
                         ctx.bi, ctx.hi, stateType, dqk, dhv);
    SmallVector<Value> headBoundaries;
    for (Value all : shared)
      headBoundaries.push_back(
          extractHeadSlice(rewriter, loc, all, {ctx.bi, ctx.hi}));
    headBoundaries =
        storeBoundary(rewriter, loc, initial, headBoundaries, zero);

    unsigned numStates = shared.size();
    SmallVector<Value> iterArgs = initial.getValues();
    llvm::append_range(iterArgs, headBoundaries);
    auto loop = scf::ForOp::create(
        rewriter, loc, zero, numChunks, one, iterArgs,
        [&](OpBuilder &b, Location nloc, Value chunk, ValueRange args) {
          HeadState state =
              HeadState::fromValues(variant, args.take_front(numStates));
          buildChunkStep(b, nloc, ctx, chunk, state);
          Value next = arith::AddIOp::create(b, nloc, chunk, one);
          SmallVector<Value> yielded = state.getValues();
          llvm::append_range(
              yielded,
              storeBoundary(b, nloc, state, args.drop_front(numStates), next));
          scf::YieldOp::create(b, nloc, yielded);
        });

    for (auto [result, dest] :
         llvm::zip_equal(loop.getResults().drop_front(numStates), shared))
      parallelInsertHeadSlice(rewriter, loc, forall, result, dest,
                              {ctx.bi, ctx.hi});
    rewriter.setInsertionPointAfter(forall);
    rewriter.replaceOp(op, forall.getResults());
    return success();
  }
};

} // namespace

void mlir::mlstm::loops::populateChunkStateScanToLoopsPattern(
    RewritePatternSet &patterns) {
  patterns.add<ChunkStateScanToLoops>(patterns.getContext());
}
