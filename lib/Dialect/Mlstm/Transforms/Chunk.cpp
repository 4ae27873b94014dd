//===- Chunk.cpp - recurrence -> chunkwise form ---------------------------===//
//
// The recurrence over S steps becomes two parallel-friendly pieces:
//
//   1. chunk_state_scan: a scan over NC = ceil(S / L) chunks that produces
//      the states at every chunk boundary (the only sequential part, NC steps
//      instead of S);
//   2. chunk_output: for each chunk, h from the chunk's inputs and the state
//      at its start (independent across chunks).
//
// (recurrence_grad becomes the chunkwise backward: ChunkGrad.cpp.)
//
// The final states are the last boundary (index NC). Masking of a partial
// last chunk is the chunk ops' own business, so nothing here pads tensors.
//
//===----------------------------------------------------------------------===//

#include "ChunkBoundary.h"
#include "mlstm/Dialect/Mlstm/Transforms/ChunkSchedule.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::mlstm {
#define GEN_PASS_DEF_MLSTMCHUNK
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h.inc"
} // namespace mlir::mlstm

using namespace mlir;
using namespace mlir::mlstm;

namespace {

struct ChunkRecurrence : OpRewritePattern<RecurrenceOp> {
  ChunkRecurrence(MLIRContext *ctx, int64_t defaultChunkSize)
      : OpRewritePattern(ctx), defaultChunkSize(defaultChunkSize) {}

  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t chunk = resolveChunkSize(op, defaultChunkSize);
    VariantAttr variant = op.getVariant();
    RankedTensorType qType = op.getQ().getType();
    ArrayRef<int64_t> q = qType.getShape();
    SmallVector<Type> stateTypes = boundaryStateTypes(
        variant, q, op.getHeadDimV(), chunk, op.getStateElementType());

    auto scan = ChunkStateScanOp::create(
        rewriter, loc, stateTypes, op.getK(), op.getV(), op.getI(), op.getF(),
        op.getInitialStates(), variant, chunk);
    auto output = ChunkOutputOp::create(
        rewriter, loc, op.getH().getType(), op.getQ(), op.getK(), op.getV(),
        op.getI(), op.getF(), scan.getStates(), variant, chunk);

    SmallVector<Value> replacements = {output.getH()};
    if (!op.getFinalStates().empty()) {
      Value last = lastBoundary(rewriter, loc, op.getQ(), chunk);
      for (auto [all, result] :
           llvm::zip_equal(scan.getStates(), op.getFinalStates()))
        replacements.push_back(
            mlstm::extractBoundary(rewriter, loc, all, last,
                            cast<RankedTensorType>(result.getType())));
    }
    rewriter.replaceOp(op, replacements);
    return success();
  }

private:
  int64_t defaultChunkSize;
};

struct MlstmChunkPass : mlstm::impl::MlstmChunkBase<MlstmChunkPass> {
  using Base::Base;

  void runOnOperation() override {
    int64_t chunk = defaultChunkSize;
    if (chunk < 0 || (chunk > 0 && !llvm::isPowerOf2_64(chunk))) {
      getOperation()->emitError("default-chunk-size must be 0 (the cost "
                                "model) or a power of two, got ")
          << chunk;
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populateChunkPatterns(patterns, chunk);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::mlstm::populateChunkPatterns(RewritePatternSet &patterns,
                                        int64_t defaultChunkSize) {
  patterns.add<ChunkRecurrence>(patterns.getContext(), defaultChunkSize);
  populateChunkGradPatterns(patterns, defaultChunkSize);
}

SmallVector<Type> mlir::mlstm::boundaryStateTypes(VariantAttr variant,
                                                  ArrayRef<int64_t> q,
                                                  int64_t dhv, int64_t chunk,
                                                  Type stateElt) {
  int64_t boundaries = ShapedType::isDynamic(q[2])
                           ? ShapedType::kDynamic
                           : llvm::divideCeil(q[2], chunk) + 1;
  int64_t dqk = q[3];
  SmallVector<Type> types = {
      RankedTensorType::get({q[0], q[1], boundaries, dqk, dhv}, stateElt)};
  if (variant.hasNormalizerState())
    types.push_back(
        RankedTensorType::get({q[0], q[1], boundaries, dqk}, stateElt));
  if (variant.hasMaxState())
    types.push_back(RankedTensorType::get({q[0], q[1], boundaries}, stateElt));
  return types;
}

Value mlir::mlstm::lastBoundary(PatternRewriter &rewriter, Location loc,
                                Value seqSource, int64_t chunk) {
  Value seqLen = tensor::DimOp::create(rewriter, loc, seqSource, 2);
  Value chunkLen = arith::ConstantIndexOp::create(rewriter, loc, chunk);
  return arith::CeilDivUIOp::create(rewriter, loc, seqLen, chunkLen);
}

Value mlir::mlstm::extractBoundary(PatternRewriter &rewriter, Location loc,
                                   Value all, Value index,
                                   RankedTensorType resultType) {
  auto allType = cast<RankedTensorType>(all.getType());
  SmallVector<OpFoldResult> offsets, sizes, strides;
  for (int64_t d = 0; d < allType.getRank(); ++d) {
    offsets.push_back(d == 2 ? OpFoldResult(index)
                             : OpFoldResult(rewriter.getIndexAttr(0)));
    if (d == 2)
      sizes.push_back(rewriter.getIndexAttr(1));
    else if (allType.isDynamicDim(d))
      sizes.push_back(tensor::DimOp::create(rewriter, loc, all, d).getResult());
    else
      sizes.push_back(rewriter.getIndexAttr(allType.getDimSize(d)));
    strides.push_back(rewriter.getIndexAttr(1));
  }
  // The slice has the boundary tensor's (possibly dynamic) sizes; the spec
  // may state static ones, or dynamic ones where the boundaries are static.
  SmallVector<int64_t> shape(allType.getShape());
  shape.erase(shape.begin() + 2);
  auto sliceType = RankedTensorType::get(shape, allType.getElementType());
  Value slice = tensor::ExtractSliceOp::create(rewriter, loc, sliceType, all,
                                               offsets, sizes, strides);
  if (slice.getType() != resultType)
    slice = tensor::CastOp::create(rewriter, loc, resultType, slice);
  return slice;
}
