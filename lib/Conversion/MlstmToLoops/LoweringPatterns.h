//===- LoweringPatterns.h - The per-op patterns of MlstmToLoops -*- C++ -*-===//
//
// One pattern per mlstm op, each in its own file; the pass (and
// populateMlstmToLoopsPatterns) collects them through these functions.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_LOWERINGPATTERNS_H
#define MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_LOWERINGPATTERNS_H

namespace mlir {
class RewritePatternSet;
namespace mlstm::loops {

/// mlstm.recurrence -> a time loop per (batch, head) (RecurrenceToLoops.cpp).
void populateRecurrenceToLoopsPattern(RewritePatternSet &patterns);

/// mlstm.chunk_state_scan -> a chunk loop per (batch, head)
/// (ChunkStateScanToLoops.cpp).
void populateChunkStateScanToLoopsPattern(RewritePatternSet &patterns);

/// mlstm.chunk_output -> parallel work per (batch, head, chunk)
/// (ChunkOutputToLoops.cpp).
void populateChunkOutputToLoopsPattern(RewritePatternSet &patterns);

} // namespace mlstm::loops
} // namespace mlir

#endif // MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_LOWERINGPATTERNS_H
