//===- MlstmToLoops.cpp - the convert-mlstm-to-loops pass -----------------===//
//
// Collects the per-op patterns (RecurrenceToLoops.cpp, ChunkStateScanToLoops
// .cpp, ChunkOutputToLoops.cpp, and the tile ops' TileMemoryToLoops.cpp and
// TileMathToLinalg.cpp) and applies them as a partial conversion with
// the mlstm dialect illegal, so a leftover op is an error, not a silent
// survivor.
//
//===----------------------------------------------------------------------===//

#include "mlstm/Conversion/MlstmToLoops/MlstmToLoops.h"
#include "mlstm/Conversion/Passes.h"
#include "mlstm/Dialect/Mlstm/IR/MlstmDialect.h"

#include "LoweringPatterns.h"
#include "TileLowering.h"

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::mlstm {
#define GEN_PASS_DEF_CONVERTMLSTMTOLOOPS
#include "mlstm/Conversion/Passes.h.inc"
} // namespace mlir::mlstm

using namespace mlir;
using namespace mlir::mlstm;

void mlir::mlstm::populateMlstmToLoopsPatterns(RewritePatternSet &patterns) {
  loops::populateRecurrenceToLoopsPattern(patterns);
  loops::populateChunkStateScanToLoopsPattern(patterns);
  loops::populateChunkOutputToLoopsPattern(patterns);
  loops::populateTileMemoryToLoopsPatterns(patterns);
  loops::populateTileMathToLinalgPatterns(patterns);
}

namespace {
struct ConvertMlstmToLoopsPass
    : mlstm::impl::ConvertMlstmToLoopsBase<ConvertMlstmToLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.addIllegalDialect<MlstmDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateMlstmToLoopsPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
