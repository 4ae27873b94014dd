//===- ChunkSchedule.h - the chunk length of chunk_size = auto --*- C++ -*-===//
//
// The cost model that picks the chunk length L where a spec says
// `chunk_size = auto` (docs/Design.md, "Schedule"). Per token the chunkwise
// form pays two costs that L trades against each other:
//   - the boundary states: a DQK x DHV fp32 state per chunk, written by the
//     state scan and read by the output kernel: 8 DQK DHV / L bytes of HBM
//     traffic per token, at `kHbmBytesPerSecond`, plus a fixed cost per
//     chunk (the scan's sequential step, each program's prologue), counted
//     as `kChunkOverheadBytes` of traffic;
//   - the intra-chunk matmuls: about 2 L (DQK + DHV) flops per token (the
//     causal L x L scores and their product with V, in both kernels), at the
//     rate the generated kernels reach on them (`flopsPerSecond`).
// L minimizes the sum over the powers of two in [kMinChunk, kMaxChunk].
// The constants are fitted to an H100 sweep of every bf16 entry at chunks
// 64..512 (bench/chunk_sweep.sh, bench/results/chunk-sweep-nvidia-h100.jsonl):
// with them the model picks the measured best chunk, or one within 1.1 % of
// it, in all 21 (shape, variant) rows of the benchmark.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_DIALECT_MLSTM_TRANSFORMS_CHUNKSCHEDULE_H
#define MLSTM_DIALECT_MLSTM_TRANSFORMS_CHUNKSCHEDULE_H

#include "mlir/IR/Types.h"

#include <cstdint>
#include <optional>

namespace mlir::mlstm {

/// Chunk lengths the model chooses from. 64 is one wgmma M tile of query
/// rows; past 256 the quadratic intra-chunk work always loses.
constexpr int64_t kMinChunk = 64, kMaxChunk = 256;
/// HBM bandwidth of the H100 SXM, as measured by a device-to-device copy.
constexpr double kHbmBytesPerSecond = 3.0e12;
/// The fixed cost of a chunk, ~44 ns per chunk and head: fitted to the
/// 64x128 rows, where halving the chunks gains 0.1-0.4 ms more than the
/// state bytes explain.
constexpr double kChunkOverheadBytes = 128 * 1024;

/// The intra-chunk matmul rate of the generated kernels for inputs of
/// `inputElement`: tensor cores (wgmma) for 16-bit floats, FFMA for f32.
double intraChunkFlopsPerSecond(Type inputElement);

/// The model's chunk length for head dimensions `dqk`, `dhv` (static).
int64_t chooseChunkSize(int64_t dqk, int64_t dhv, Type inputElement);

/// The chunk length of a recurrence: its `chunk_size`, else `defaultChunk`
/// when positive (a pass option overriding the model), else the model's.
int64_t resolveChunkSize(std::optional<int64_t> chunkSize, int64_t defaultChunk,
                         int64_t dqk, int64_t dhv, Type inputElement);

/// The same for an mlstm.recurrence or mlstm.recurrence_grad.
template <typename RecurrenceOpT>
int64_t resolveChunkSize(RecurrenceOpT op, int64_t defaultChunk) {
  return resolveChunkSize(op.getChunkSize(), defaultChunk, op.getHeadDimQK(),
                          op.getHeadDimV(),
                          op.getQ().getType().getElementType());
}

} // namespace mlir::mlstm

#endif // MLSTM_DIALECT_MLSTM_TRANSFORMS_CHUNKSCHEDULE_H
