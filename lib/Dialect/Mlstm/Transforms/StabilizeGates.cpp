//===- StabilizeGates.cpp - apply the max-state stabilizers ---------------===//
//
// The tile pass writes the plain math: gate weights exp(x), states and
// accumulators of their natural size, which overflow once gates grow (an
// exp input gate of 90 already exceeds f32). It records with every exp of
// the exp input gate the max state m of the quantity it feeds. Applying
// exp(x) -> exp(x - m) everywhere scales each carried or accumulated value
// by exp(-m) consistently, which is exactly the max-state stabilized
// recurrence: all weights are <= 1. The normalizer switches to its
// max-scaled form (lower bound exp(-m) instead of 1) to compute the same h.
//
//===----------------------------------------------------------------------===//

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::mlstm {
#define GEN_PASS_DEF_MLSTMSTABILIZEGATES
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h.inc"
} // namespace mlir::mlstm

using namespace mlir;
using namespace mlir::mlstm;

namespace {

struct StabilizeExpGates : OpRewritePattern<TileExpGatesOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TileExpGatesOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getStabilizer())
      return rewriter.notifyMatchFailure(op, "no stabilizer recorded (sigmoid "
                                             "or none gate)");
    if (op.getStabilized())
      return rewriter.notifyMatchFailure(op, "already stabilized");
    rewriter.modifyOpInPlace(op, [&] { op.setStabilized(true); });
    return success();
  }
};

struct StabilizeNormalize : OpRewritePattern<TileNormalizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TileNormalizeOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getMaxState())
      return rewriter.notifyMatchFailure(op, "no max state (sigmoid or none "
                                             "gate)");
    if (op.getStabilized())
      return rewriter.notifyMatchFailure(op, "already stabilized");
    rewriter.modifyOpInPlace(op, [&] { op.setStabilized(true); });
    return success();
  }
};

struct MlstmStabilizeGatesPass
    : mlstm::impl::MlstmStabilizeGatesBase<MlstmStabilizeGatesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateStabilizeGatesPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::mlstm::populateStabilizeGatesPatterns(RewritePatternSet &patterns) {
  patterns.add<StabilizeExpGates, StabilizeNormalize>(patterns.getContext());
}
