//===- TileSchedule.h - choosing a tiled kernel's schedule ------*- C++ -*-===//
//
// Tile sizes of the tiled kernels. Requests (from pass options) of 0 mean
// "choose": the defaults fit a 64-row warpgroup tile (wgmma's M) and keep a
// DQK x DHV state tile or a BQ x DHV accumulator within one CTA's registers.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_DIALECT_MLSTM_TRANSFORMS_TILESCHEDULE_H
#define MLSTM_DIALECT_MLSTM_TRANSFORMS_TILESCHEDULE_H

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

namespace mlir::mlstm {

struct TileOptions {
  int64_t blockQ = 0;
  int64_t blockK = 0;
  int64_t blockDqk = 0;
  int64_t blockDhv = 0;
  int64_t warps = 4;
  int64_t stages = 2;
};

/// The schedule of a `kind` kernel for chunk length `chunk` and head
/// dimensions (dqk, dhv), honoring the non-zero requests in `options`.
ScheduleAttr chooseSchedule(MLIRContext *ctx, KernelKind kind, int64_t chunk,
                            int64_t dqk, int64_t dhv,
                            const TileOptions &options);

} // namespace mlir::mlstm

#endif // MLSTM_DIALECT_MLSTM_TRANSFORMS_TILESCHEDULE_H
