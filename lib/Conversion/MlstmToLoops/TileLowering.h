//===- TileLowering.h - tile ops -> tensor/linalg/scf -----------*- C++ -*-===//
//
// The CPU meaning of the tiled level: each tile op becomes the upstream ops
// that compute its definition on tensors (tensor.generate, linalg.generic,
// scf.for), so tiled and stabilized kernels run through the same
// bufferize-to-loops-to-LLVM pipeline as everything else.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_TILELOWERING_H
#define MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_TILELOWERING_H

namespace mlir {
class RewritePatternSet;
namespace mlstm::loops {

/// tile_load / tile_store -> masked element loops (TileMemoryToLoops.cpp).
void populateTileMemoryToLoopsPatterns(RewritePatternSet &patterns);

/// matmul, gate_matrix, scan, reduce, broadcast, exp_gates, normalize ->
/// linalg / tensor / scf on tensors (TileMathToLinalg.cpp).
void populateTileMathToLinalgPatterns(RewritePatternSet &patterns);

} // namespace mlstm::loops
} // namespace mlir

#endif // MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_TILELOWERING_H
