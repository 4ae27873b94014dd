//===- Tile.cpp - the --mlstm-tile pass -----------------------------------===//
//
// Drives the tiling patterns: the forward kernels (TileStateScan.cpp,
// TileOutput.cpp) and the backward ones (TileRowAdjoint.cpp, TileGrad*.cpp).
//
//===----------------------------------------------------------------------===//

#include "TileGrad.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::mlstm {
#define GEN_PASS_DEF_MLSTMTILE
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h.inc"
} // namespace mlir::mlstm

using namespace mlir;
using namespace mlir::mlstm;

namespace {
struct MlstmTilePass : mlstm::impl::MlstmTileBase<MlstmTilePass> {
  using Base::Base;

  void runOnOperation() override {
    TileOptions options;
    options.blockQ = blockQ;
    options.blockK = blockK;
    options.blockDqk = blockDqk;
    options.blockDhv = blockDhv;
    options.minBlockDqk = minBlockDqk;
    options.splitState = splitState;
    for (int64_t request : {options.blockQ, options.blockK, options.blockDqk,
                            options.blockDhv, options.minBlockDqk}) {
      if (request < 0 || (request > 0 && !llvm::isPowerOf2_64(request))) {
        getOperation()->emitError("block sizes must be powers of two or 0, "
                                  "got ")
            << request;
        return signalPassFailure();
      }
    }
    // The schedules tile a chunk into power-of-two blocks; the chunk ops
    // themselves accept any chunk length (their loop lowering does).
    WalkResult chunkSizes = getOperation()->walk([](Operation *op) {
      auto chunk = op->getAttrOfType<IntegerAttr>("chunk_size");
      if (!chunk || !isa<MlstmDialect>(op->getDialect()) ||
          !op->getName().getStringRef().starts_with("mlstm.chunk_") ||
          llvm::isPowerOf2_64(chunk.getInt()))
        return WalkResult::advance();
      op->emitOpError("--mlstm-tile needs a power-of-two chunk size, got ")
          << chunk.getInt();
      return WalkResult::interrupt();
    });
    if (chunkSizes.wasInterrupted())
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateTileStateScanPatterns(patterns, options);
    populateTileOutputPatterns(patterns, options);
    populateTileRowAdjointPatterns(patterns, options);
    populateTileGradStateScanPatterns(patterns, options);
    populateTileGradQPatterns(patterns, options);
    populateTileGradKVPatterns(patterns, options);
    populateTileGradGatesPatterns(patterns, options);
    // The kernels are built once and never revisited: no folding of the
    // freshly built IR is needed here (canonicalize afterwards if wanted).
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      signalPassFailure();
  }
};
} // namespace
