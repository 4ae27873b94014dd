//===- MlstmToLoops.h - mlstm -> scf/linalg on tensors ----------*- C++ -*-===//

#ifndef MLSTM_CONVERSION_MLSTMTOLOOPS_MLSTMTOLOOPS_H
#define MLSTM_CONVERSION_MLSTMTOLOOPS_MLSTMTOLOOPS_H

namespace mlir {
class RewritePatternSet;
namespace mlstm {

/// Patterns lowering mlstm.recurrence, mlstm.chunk_state_scan and
/// mlstm.chunk_output to scf/tensor/linalg/arith/math ops on tensors (one
/// pattern per op; see convert-mlstm-to-loops).
void populateMlstmToLoopsPatterns(RewritePatternSet &patterns);

} // namespace mlstm
} // namespace mlir

#endif // MLSTM_CONVERSION_MLSTMTOLOOPS_MLSTMTOLOOPS_H
