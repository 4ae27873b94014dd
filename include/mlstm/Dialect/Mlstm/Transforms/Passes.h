//===- Passes.h - mlstm transformation passes -------------------*- C++ -*-===//

#ifndef MLSTM_DIALECT_MLSTM_TRANSFORMS_PASSES_H
#define MLSTM_DIALECT_MLSTM_TRANSFORMS_PASSES_H

#include "mlstm/Dialect/Mlstm/Transforms/TileSchedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace mlstm {

#define GEN_PASS_DECL
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h.inc"

/// Patterns rewriting mlstm.recurrence and mlstm.recurrence_grad into the
/// chunkwise forms (the latter alone: populateChunkGradPatterns).
void populateChunkPatterns(RewritePatternSet &patterns,
                           int64_t defaultChunkSize);
void populateChunkGradPatterns(RewritePatternSet &patterns,
                               int64_t defaultChunkSize);

/// Patterns tiling chunk_state_scan and chunk_output into kernels.
void populateTileStateScanPatterns(RewritePatternSet &patterns,
                                   const TileOptions &options);
void populateTileOutputPatterns(RewritePatternSet &patterns,
                                const TileOptions &options);

/// Patterns applying the recorded max-state stabilizers.
void populateStabilizeGatesPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h.inc"

} // namespace mlstm
} // namespace mlir

#endif // MLSTM_DIALECT_MLSTM_TRANSFORMS_PASSES_H
