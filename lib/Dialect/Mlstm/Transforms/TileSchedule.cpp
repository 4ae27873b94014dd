//===- TileSchedule.cpp - choosing a tiled kernel's schedule --------------===//

#include "mlstm/Dialect/Mlstm/Transforms/TileSchedule.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::mlstm;

/// `request` if given, else min(limit, the smallest power of two >= extent).
static int64_t pick(int64_t request, int64_t limit, int64_t extent) {
  if (request > 0)
    return request;
  return std::min<int64_t>(limit, llvm::PowerOf2Ceil(extent));
}

ScheduleAttr mlir::mlstm::chooseSchedule(MLIRContext *ctx, KernelKind kind,
                                         int64_t chunk, int64_t dqk,
                                         int64_t dhv,
                                         const TileOptions &options) {
  int64_t blockQ = std::min(pick(options.blockQ, 64, chunk), chunk);
  int64_t blockK = std::min(pick(options.blockK, 64, chunk), chunk);
  int64_t blockDqk = pick(options.blockDqk, 64, dqk);
  if (options.blockDqk == 0)
    blockDqk = std::max(blockDqk, options.minBlockDqk);
  int64_t blockDhv = pick(options.blockDhv, 128, dhv);
  return ScheduleAttr::get(ctx, kind, chunk, blockQ, blockK, blockDqk,
                           blockDhv, options.warps, options.stages);
}
