//===- ChunkSchedule.cpp - the chunk length of chunk_size = auto ----------===//
//
// The cost model of ChunkSchedule.h.
//
//===----------------------------------------------------------------------===//

#include "mlstm/Dialect/Mlstm/Transforms/ChunkSchedule.h"

#include "mlir/IR/BuiltinTypes.h"

#include <limits>

using namespace mlir;

double mlstm::intraChunkFlopsPerSecond(Type inputElement) {
  // Fitted to the chunk sweep: at 256x512 bf16, going from L = 128 to 256
  // adds 0.37 ms for 65 536 tokens x 8 heads while halving the state
  // traffic, i.e. ~100 TFLOP/s on the intra-chunk products. The f32 kernels
  // run them on FFMA: ~10 TFLOP/s (38 ms for the paper configuration).
  if (inputElement.isF32())
    return 1.0e13;
  return 1.0e14;
}

int64_t mlstm::chooseChunkSize(int64_t dqk, int64_t dhv, Type inputElement) {
  const double flops = intraChunkFlopsPerSecond(inputElement);
  int64_t best = kMinChunk;
  double bestCost = std::numeric_limits<double>::infinity();
  for (int64_t chunk = kMinChunk; chunk <= kMaxChunk; chunk *= 2) {
    double l = static_cast<double>(chunk);
    double states =
        (8.0 * dqk * dhv + kChunkOverheadBytes) / l / kHbmBytesPerSecond;
    double intra = 2.0 * l * (dqk + dhv) / flops;
    // Strictly less: a tie keeps the shorter chunk (less work per program).
    if (states + intra < bestCost) {
      bestCost = states + intra;
      best = chunk;
    }
  }
  return best;
}

int64_t mlstm::resolveChunkSize(std::optional<int64_t> chunkSize,
                                int64_t defaultChunk, int64_t dqk, int64_t dhv,
                                Type inputElement) {
  if (chunkSize)
    return *chunkSize;
  if (defaultChunk > 0)
    return defaultChunk;
  return chooseChunkSize(dqk, dhv, inputElement);
}
