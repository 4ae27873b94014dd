//===- RecurrenceToLoops.cpp - mlstm.recurrence -> loops on tensors -------===//
//
// The spec-level op is the definition of the recurrence, and its lowering is
// the oracle that every later level is checked against on the CPU, so it is
// written as literally as the definition (DESIGN.md section 2):
//
//   scf.forall (b, h) in (B, NH):                   heads are independent
//     (C, n, m) = initial state, or (0, 0, 0)
//     scf.for t = 0 .. S-1, iter_args (h_head, C, n, m):
//       log f = logsigmoid(f_t)
//       exp:     m' = max(log f + m, i_t)
//                decay = exp(log f + m - m'),  weight = exp(i_t - m')
//       sigmoid: decay = exp(log f),           weight = sigmoid(i_t)
//       none:    decay = exp(log f),           weight = 1
//       C = decay C + weight k_t v_t^T           linalg.generic
//       n = decay n + weight k_t                 linalg.generic
//       q' = qk_scale q_t                        (q only)
//       h_t = (q'^T C) * outputScale(q'^T n, m') linalg.vecmat, linalg.dot
//
// All arithmetic runs in the compute type (at least f32); the states are
// carried in the state type, and h is rounded to the element type of v.
//
//===----------------------------------------------------------------------===//

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
struct HeadContext {
  VariantAttr variant;
  FloatType computeType;
  Type stateType, hType;
  Value q, k, v, i, f;
  Value bi, hi;
};

/// Builds step t of the recurrence: advances `state` and returns h_t (a
/// DHV vector in the element type of h).
Value buildStep(OpBuilder &b, Location loc, const HeadContext &ctx, Value t,
                HeadState &state) {
  VariantAttr variant = ctx.variant;
  Type ct = ctx.computeType;
  auto toCompute = [&](OpBuilder &nb, Location nloc, Value x) {
    return convertScalarToDtype(nb, nloc, x, ct, /*isUnsignedCast=*/false);
  };
  auto gateAt = [&](Value gate) -> Value {
    if (!gate)
      return Value();
    return tensor::ExtractOp::create(b, loc, gate,
                                     ValueRange{ctx.bi, ctx.hi, t});
  };

  // The scalar gates of this step.
  Value logf = logForget(b, loc, variant, gateAt(ctx.f), ct);
  Value decay, weight, mNext;
  switch (variant.getInputGate()) {
  case InputGate::Exp: {
    Value i = toCompute(b, loc, gateAt(ctx.i));
    Value carried =
        arith::AddFOp::create(b, loc, logf, toCompute(b, loc, state.m));
    mNext = arith::MaximumFOp::create(b, loc, carried, i);
    decay = math::ExpOp::create(b, loc,
                                arith::SubFOp::create(b, loc, carried, mNext));
    weight =
        math::ExpOp::create(b, loc, arith::SubFOp::create(b, loc, i, mNext));
    break;
  }
  case InputGate::Sigmoid:
    decay = math::ExpOp::create(b, loc, logf);
    weight = sigmoid(b, loc, toCompute(b, loc, gateAt(ctx.i)));
    break;
  case InputGate::None:
    decay = math::ExpOp::create(b, loc, logf);
    weight = floatConstant(b, loc, ct, 1.0);
    break;
  }

  // The state update, C = decay C + weight k v^T and n = decay n + weight k.
  Value kt = extractHeadSlice(b, loc, ctx.k, {ctx.bi, ctx.hi, t});
  Value vt = extractHeadSlice(b, loc, ctx.v, {ctx.bi, ctx.hi, t});
  auto update = [&](OpBuilder &nb, Location nloc, Value old, Value increment) {
    Value decayed = arith::MulFOp::create(nb, nloc, decay, old);
    Value added = arith::MulFOp::create(nb, nloc, weight, increment);
    Value sum = arith::AddFOp::create(nb, nloc, decayed, added);
    return convertScalarToDtype(nb, nloc, sum, ctx.stateType,
                                /*isUnsignedCast=*/false);
  };
  MLIRContext *mctx = b.getContext();
  AffineExpr d0, d1;
  bindDims(mctx, d0, d1);
  auto parallel = utils::IteratorType::parallel;
  state.C =
      linalg::GenericOp::create(
          b, loc, TypeRange{state.C.getType()}, ValueRange{kt, vt},
          ValueRange{state.C},
          {AffineMap::get(2, 0, {d0}, mctx), AffineMap::get(2, 0, {d1}, mctx),
           AffineMap::get(2, 0, {d0, d1}, mctx)},
          {parallel, parallel},
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            Value kv =
                arith::MulFOp::create(nb, nloc, toCompute(nb, nloc, args[0]),
                                      toCompute(nb, nloc, args[1]));
            linalg::YieldOp::create(
                nb, nloc, update(nb, nloc, toCompute(nb, nloc, args[2]), kv));
          })
          .getResult(0);
  if (state.n) {
    auto identity = AffineMap::getMultiDimIdentityMap(1, mctx);
    state.n = linalg::GenericOp::create(
                  b, loc, TypeRange{state.n.getType()}, ValueRange{kt},
                  ValueRange{state.n}, {identity, identity}, {parallel},
                  [&](OpBuilder &nb, Location nloc, ValueRange args) {
                    linalg::YieldOp::create(
                        nb, nloc,
                        update(nb, nloc, toCompute(nb, nloc, args[1]),
                               toCompute(nb, nloc, args[0])));
                  })
                  .getResult(0);
  }
  if (state.m)
    state.m = convertScalarToDtype(b, loc, mNext, ctx.stateType,
                                   /*isUnsignedCast=*/false);

  // The output: q' = qk_scale q_t, num = q'^T C, den = q'^T n.
  Value qt = extractHeadSlice(b, loc, ctx.q, {ctx.bi, ctx.hi, t});
  int64_t dqk = cast<RankedTensorType>(qt.getType()).getDimSize(0);
  int64_t dhv = cast<RankedTensorType>(vt.getType()).getDimSize(0);
  Value scale = floatConstant(b, loc, ct, variant.getQkScaleValue());
  Value qScaled =
      linalg::MapOp::create(
          b, loc, ValueRange{qt},
          tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{dqk}, ct),
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            linalg::YieldOp::create(
                nb, nloc,
                arith::MulFOp::create(nb, nloc, scale,
                                      toCompute(nb, nloc, args[0]))
                    .getResult());
          })
          .getResult()
          .front();
  Value numInit = filledTensor(b, loc, {b.getIndexAttr(dhv)}, ct, 0.0);
  Value num = linalg::VecmatOp::create(b, loc, TypeRange{numInit.getType()},
                                       ValueRange{qScaled, state.C},
                                       ValueRange{numInit})
                  .getResult(0);
  Value den;
  if (state.n) {
    Value denInit = filledTensor(b, loc, {}, ct, 0.0);
    Value dot =
        linalg::DotOp::create(b, loc, TypeRange{denInit.getType()},
                              ValueRange{qScaled, state.n}, ValueRange{denInit})
            .getResult(0);
    den = tensor::ExtractOp::create(b, loc, dot, ValueRange{});
  }
  Value outScale = outputScale(b, loc, variant, ct, den, mNext);
  return linalg::MapOp::create(
             b, loc, ValueRange{num},
             tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{dhv}, ctx.hType),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value h = arith::MulFOp::create(nb, nloc, args[0], outScale);
               linalg::YieldOp::create(
                   nb, nloc,
                   convertScalarToDtype(nb, nloc, h, ctx.hType,
                                        /*isUnsignedCast=*/false));
             })
      .getResult()
      .front();
}

struct RecurrenceToLoops : OpConversionPattern<RecurrenceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RecurrenceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder::InsertionGuard guard(rewriter);
    Type stateType = op.getStateElementType();
    auto elementType = [](Value value) -> Type {
      return value ? getElementTypeOrSelf(value.getType()) : Type();
    };
    HeadContext ctx{op.getVariant(),
                    getComputeType(op.getContext(),
                                   {elementType(adaptor.getQ()),
                                    elementType(adaptor.getI()),
                                    elementType(adaptor.getF()), stateType}),
                    stateType,
                    op.getH().getType().getElementType(),
                    adaptor.getQ(),
                    adaptor.getK(),
                    adaptor.getV(),
                    adaptor.getI(),
                    adaptor.getF(),
                    Value(),
                    Value()};
    int64_t dqk = op.getHeadDimQK(), dhv = op.getHeadDimV();

    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value batch = tensor::DimOp::create(rewriter, loc, ctx.q, 0);
    Value heads = tensor::DimOp::create(rewriter, loc, ctx.q, 1);
    Value seqLen = tensor::DimOp::create(rewriter, loc, ctx.q, 2);

    // Shared outputs of the forall: h, then the requested final states in
    // the shapes the op expects, with static head dimensions (cast to the
    // declared result types at the end).
    SmallVector<Value> outputs = {emptyTensor(
        rewriter, loc, op.getH().getType(), {batch, heads, seqLen, Value()})};
    // State indices as getExpectedStateShape counts them: C, n, m.
    SmallVector<unsigned> stateIndices = {0};
    if (ctx.variant.hasNormalizerState())
      stateIndices.push_back(1);
    if (ctx.variant.hasMaxState())
      stateIndices.push_back(2);
    if (!op.getFinalStates().empty())
      for (unsigned index : stateIndices)
        outputs.push_back(emptyTensor(
            rewriter, loc,
            RankedTensorType::get(op.getExpectedStateShape(index), stateType),
            {batch, heads, Value(), Value()}));

    auto forall = scf::ForallOp::create(rewriter, loc,
                                        ArrayRef<OpFoldResult>{batch, heads},
                                        outputs, std::nullopt);
    rewriter.setInsertionPoint(forall.getTerminator());
    ctx.bi = forall.getInductionVar(0);
    ctx.hi = forall.getInductionVar(1);
    ValueRange shared = forall.getRegionIterArgs();
    HeadState initial =
        loadInitialState(rewriter, loc, ctx.variant, adaptor.getInitialStates(),
                         ctx.bi, ctx.hi, stateType, dqk, dhv);

    // The time loop carries h of this head and the state.
    SmallVector<Value> iterArgs = {
        extractHeadSlice(rewriter, loc, shared[0], {ctx.bi, ctx.hi})};
    llvm::append_range(iterArgs, initial.getValues());
    auto loop = scf::ForOp::create(
        rewriter, loc, zero, seqLen, one, iterArgs,
        [&](OpBuilder &b, Location nloc, Value t, ValueRange args) {
          HeadState state =
              HeadState::fromValues(ctx.variant, args.drop_front());
          Value h = buildStep(b, nloc, ctx, t, state);
          SmallVector<Value> next = {insertHeadSlice(b, nloc, h, args[0], {t})};
          llvm::append_range(next, state.getValues());
          scf::YieldOp::create(b, nloc, next);
        });

    // Write this head's h and final state into the shared outputs.
    SmallVector<Value> headResults = {loop.getResult(0)};
    if (!op.getFinalStates().empty()) {
      HeadState last =
          HeadState::fromValues(ctx.variant, loop.getResults().drop_front());
      if (last.m)
        last.m = tensor::FromElementsOp::create(
            rewriter, loc, RankedTensorType::get({}, stateType), last.m);
      llvm::append_range(headResults, last.getValues());
    }
    for (auto [result, dest] : llvm::zip_equal(headResults, shared))
      parallelInsertHeadSlice(rewriter, loc, forall, result, dest,
                              {ctx.bi, ctx.hi});

    rewriter.setInsertionPointAfter(forall);
    SmallVector<Value> replacements;
    for (auto [value, type] :
         llvm::zip_equal(forall.getResults(), op.getResultTypes())) {
      Value result = value;
      if (result.getType() != type)
        result = tensor::CastOp::create(rewriter, loc, type, result);
      replacements.push_back(result);
    }
    rewriter.replaceOp(op, replacements);
    return success();
  }
};

} // namespace

void mlir::mlstm::loops::populateRecurrenceToLoopsPattern(
    RewritePatternSet &patterns) {
  patterns.add<RecurrenceToLoops>(patterns.getContext());
}
