//===- Passes.h - mlstm transformation passes -------------------*- C++ -*-===//

#ifndef MLSTM_DIALECT_MLSTM_TRANSFORMS_PASSES_H
#define MLSTM_DIALECT_MLSTM_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace mlstm {

#define GEN_PASS_DECL
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h.inc"

/// Patterns rewriting mlstm.recurrence into the chunkwise form.
void populateChunkPatterns(RewritePatternSet &patterns,
                           int64_t defaultChunkSize);

#define GEN_PASS_REGISTRATION
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h.inc"

} // namespace mlstm
} // namespace mlir

#endif // MLSTM_DIALECT_MLSTM_TRANSFORMS_PASSES_H
