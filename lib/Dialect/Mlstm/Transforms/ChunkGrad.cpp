//===- ChunkGrad.cpp - recurrence_grad -> chunkwise backward --------------===//
//
// The gradient of a recurrence in the staged form of
// lib/Reference/BackwardChunkwise.cpp:
//
//   states  = chunk_state_scan          the forward's boundary states again
//   rows    = chunk_row_adjoint         per position: scale, dden, m, gamma
//   dstates = chunk_grad_state_scan     state adjoints, last chunk to first
//   dq      = chunk_grad_q              per query tile (parallel)
//   dk, dv  = chunk_grad_kv             per key tile (parallel)
//   di, df, dm0 = chunk_grad_gates      gates from q.dq - k.dk, max routing
//
// The initial-state gradients are boundary 0 of dstates (and dm0). The
// backward stores the boundary states (recomputed, B x NH x (NC+1) x DQK x
// DHV in the state type, and as much again for their adjoints) and reads
// the forward's h; per-position quantities are recomputed.
//
//===----------------------------------------------------------------------===//

#include "ChunkBoundary.h"
#include "mlstm/Dialect/Mlstm/Transforms/ChunkSchedule.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::mlstm;

namespace {

struct ChunkRecurrenceGrad : OpRewritePattern<RecurrenceGradOp> {
  ChunkRecurrenceGrad(MLIRContext *ctx, int64_t defaultChunkSize)
      : OpRewritePattern(ctx), defaultChunkSize(defaultChunkSize) {}

  LogicalResult matchAndRewrite(RecurrenceGradOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t chunk = resolveChunkSize(op, defaultChunkSize);
    VariantAttr variant = op.getVariant();
    ArrayRef<int64_t> q = op.getQ().getType().getShape();
    Type stateElt = op.getStateElementType();
    SmallVector<Type> stateTypes =
        boundaryStateTypes(variant, q, op.getHeadDimV(), chunk, stateElt);
    auto rowType = RankedTensorType::get(q.take_front(3), stateElt);
    Value i = op.getI(), f = op.getF();

    auto scan = ChunkStateScanOp::create(rewriter, loc, stateTypes, op.getK(),
                                         op.getV(), i, f,
                                         op.getInitialStates(), variant, chunk);
    ValueRange states = scan.getStates();
    auto rows = ChunkRowAdjointOp::create(
        rewriter, loc, TypeRange{rowType, rowType, rowType, rowType},
        op.getQ(), op.getK(), i, f, states, op.getH(), op.getDh(), variant,
        chunk, op.getDenominatorGrad());
    ValueRange rowValues = rows.getResults();

    // The adjoints have the states' types without m.
    SmallVector<Type> gradTypes(stateTypes.begin(),
                                stateTypes.begin() +
                                    (variant.hasNormalizerState() ? 2 : 1));
    ValueRange finalGrads = op.getFinalStateGrads();
    auto dstates = ChunkGradStateScanOp::create(
        rewriter, loc, gradTypes, op.getQ(), i, f, states, rowValues,
        op.getDh(), finalGrads, variant, chunk);
    auto dq = ChunkGradQOp::create(rewriter, loc, op.getDq().getType(), rowType,
                                   op.getQ(), op.getK(), op.getV(), i, f,
                                   states, rowValues, op.getDh(), variant,
                                   chunk);
    auto dkv = ChunkGradKVOp::create(
        rewriter, loc, op.getDk().getType(), op.getDv().getType(), rowType,
        op.getQ(), op.getK(), op.getV(), i, f, states,
        dstates.getStateGrads(), rowValues, op.getDh(), variant, chunk);
    SmallVector<Type> gateGradTypes;
    if (i)
      gateGradTypes.push_back(op.getDi().getType());
    if (f)
      gateGradTypes.push_back(op.getDf().getType());
    if (variant.hasMaxState()) {
      // dm0 as the caller states m0 (its static sizes may differ from q's).
      ValueRange init = op.getInitialStates();
      gateGradTypes.push_back(
          init.empty() ? Type(RankedTensorType::get(q.take_front(2), stateElt))
                       : init.back().getType());
    }
    auto gates = ChunkGradGatesOp::create(
        rewriter, loc, gateGradTypes, dq.getQDotDq(),
        dkv.getKDotDk(), i, f, states, dstates.getStateGrads(), rowValues,
        finalGrads, variant, chunk);

    SmallVector<Value> replacements = {dq.getDq(), dkv.getDk(), dkv.getDv()};
    if (i)
      replacements.push_back(gates.getDi());
    if (f)
      replacements.push_back(gates.getDf());
    if (!op.getInitialStates().empty()) {
      Value first = arith::ConstantIndexOp::create(rewriter, loc, 0);
      for (auto [all, result] : llvm::zip(dstates.getStateGrads(),
                                          op.getInitialStateGrads()))
        replacements.push_back(extractBoundary(
            rewriter, loc, all, first,
            cast<RankedTensorType>(result.getType())));
      if (variant.hasMaxState())
        replacements.push_back(gates.getDm0());
    }
    rewriter.replaceOp(op, replacements);
    return success();
  }

private:
  int64_t defaultChunkSize;
};

} // namespace

void mlir::mlstm::populateChunkGradPatterns(RewritePatternSet &patterns,
                                            int64_t defaultChunkSize) {
  patterns.add<ChunkRecurrenceGrad>(patterns.getContext(), defaultChunkSize);
}
